// Generates N box-site files (a share of them invalid) for the validate benchmark and tests.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The text of the i-th generated box site; `invalid` breaks two fields so positions are needed. */
export function boxSiteText(i, invalid = false) {
  const name = `shop${i}`;
  return `apiVersion: sitestack/v1
kind: BoxSite
metadata:
  name: ${name}
  labels: {team: shops, tier: "${i % 3}"}
spec:
  siteId: ${invalid ? -i : 1000 + i}
  code: ${name}
  domain: ${invalid ? `www.${name}.com` : `${name}.com.pe`}
  techEmail: tech@${name}.com.pe
  oidc:
    clientId: ${name}-interactive
    clientSecret: {secret: SHOP${i}_OIDC_CLIENT_SECRET}
  image:
    repository: ghcr.io/juntoz/jzbox
    tag: "0"
  themes:
    source: https://sitecentral.juntoz.com/api/sites/${1000 + i}/themes
    interval: 5m
    pubsub:
      channel: themes.${name}
      redisUrl: {secret: THEMES_REDIS_URL}
  dns:
    cloudflare:
      zone: ${name}.com.pe
  replicas: ${1 + (i % 3)}
  resources:
    requests: {cpu: 250m, memory: 256Mi}
    limits: {memory: 512Mi}
`;
}

/** Writes `count` files into `dir` (emptied first); every `invalidEvery`-th one is invalid. */
export function writeBoxSites(dir, count, invalidEvery = 0) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const invalid = invalidEvery > 0 && i % invalidEvery === 0;
    writeFileSync(join(dir, `shop${i}.yaml`), boxSiteText(i, invalid));
  }
}
