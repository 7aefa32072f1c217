import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
// ajv 8 with ajv-formats (devDependencies): its default class validates draft-07, the draft the
// schema is written in, and the formats it uses ("email").
import { Ajv } from "ajv";
import ajvFormats from "ajv-formats";
import { load } from "js-yaml";
import { describe, expect, test } from "vitest";
import { siteJsonSchema } from "../../stacks/site-model/json-schema.js";
import { parseSiteText } from "../../stacks/site-model/parse.js";
import { validDocument, withField, yamlOf } from "./documents.js";

// The generated JSON Schema is what editors check site files with: it must refuse what `validate`
// refuses wherever JSON Schema can say so, and never refuse what `validate` accepts.

type Kind = "BoxSite" | "App" | "HostRoute" | "Staging";

const validateSchema = ajvFormats.default(new Ajv({ allErrors: true })).compile(siteJsonSchema());
const schemaAccepts = (document: unknown) => validateSchema(document) === true;
const validateAccepts = (document: unknown) =>
  parseSiteText(yamlOf(document), "sites/acme.yaml", { matchFileName: false }).ok;

const sitesDir = join(import.meta.dirname, "..", "..", "sites");

describe("the JSON Schema accepts what validate accepts", () => {
  test.each(readdirSync(sitesDir).filter((file) => file.endsWith(".yaml")))("sites/%s", (file) => {
    const document = load(readFileSync(join(sitesDir, file), "utf8"));
    expect(validateSchema.errors ?? []).toEqual([]);
    expect(schemaAccepts(document)).toBe(true);
  });

  test.each<Kind>(["BoxSite", "App", "HostRoute", "Staging"])("a minimal %s", (kind) => {
    expect(schemaAccepts(validDocument(kind))).toBe(true);
  });

  test.each<[Kind, string, unknown]>([
    ["BoxSite", "spec.dns", { cloudflare: {} }],
    ["BoxSite", "spec.domain", "acme.com.pe"],
    ["BoxSite", "spec.techEmail", "o'brien+certs@acme.com.pe"],
    ["BoxSite", "spec.image.repository", "localhost:5000/jzbox"],
    ["BoxSite", "spec.image.tag", "0.1.3"],
    ["App", "spec.services.users.image", `ghcr.io/x/users:1.0@sha256:${"a".repeat(64)}`],
    ["App", "spec.services.users.image", `ghcr.io/x/users@sha256:${"a".repeat(64)}`],
    [
      "App",
      "spec.registry",
      { server: "registry.example.com:5000", username: "ci", password: { secret: "R" } },
    ],
    ["HostRoute", "spec.upstream.host", "fd42::15"],
    ["HostRoute", "spec.upstream.host", "localhost"],
    ["HostRoute", "spec.upstream.host", "web1.lxd"],
    ["HostRoute", "spec.publicIp", "2001:db8::40"],
    ["HostRoute", "spec.domain", "marcosrgz.com"],
    ["Staging", "metadata.name", "a".repeat(53)],
  ])("%s with %s = %j", (kind, path, value) => {
    const document = withField(validDocument(kind), path, value);
    expect(validateAccepts(document)).toBe(true);
    expect(schemaAccepts(document)).toBe(true);
  });
});

describe("the JSON Schema refuses what validate refuses, where JSON Schema can say it", () => {
  test.each<[Kind, string, unknown]>([
    ["Staging", "spec.chart", "../../../etc"],
    ["Staging", "spec.chart", "charts/box"],
    ["Staging", "spec.tag", "-x"],
    ["Staging", "spec.ttl", "0h"],
    ["Staging", "metadata.name", "a".repeat(54)],
    ["BoxSite", "metadata.name", "Acme"],
    ["BoxSite", "metadata.name", "a".repeat(64)],
    ["BoxSite", "metadata.labels", { "bad key!": "x" }],
    ["BoxSite", "spec.code", "ACME"],
    ["BoxSite", "spec.code", "a".repeat(21)],
    ["BoxSite", "spec.siteId", 0],
    ["BoxSite", "spec.siteId", 1.5],
    ["BoxSite", "spec.domain", "www acme.com"],
    ["BoxSite", "spec.domain", "https://acme.com"],
    ["BoxSite", "spec.domain", "ACME.com"],
    ["BoxSite", "spec.domain", "acme.com."],
    ["BoxSite", "spec.domain", "203.0.113.1"],
    ["BoxSite", "spec.domain", "acme"],
    [
      "BoxSite",
      "spec.domain",
      `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(60)}.com`,
    ],
    ["BoxSite", "spec.techEmail", "not-an-email"],
    ["BoxSite", "spec.oidc.clientId", ""],
    ["BoxSite", "spec.oidc.clientId", "   "],
    ["BoxSite", "spec.oidc.clientSecret", { secret: "lower" }],
    ["BoxSite", "spec.oidc.clientSecret", "plain"],
    ["BoxSite", "spec.image.repository", "jzbox:0"],
    ["BoxSite", "spec.image.repository", "GHCR.io/x"],
    ["BoxSite", "spec.image.tag", "latest"],
    ["BoxSite", "spec.themes.source", "ftp://x.example.com"],
    ["BoxSite", "spec.themes.source", "not a url"],
    ["BoxSite", "spec.themes.interval", "2m"],
    ["BoxSite", "spec.replicas", 0],
    ["BoxSite", "spec.replicas", 101],
    ["BoxSite", "spec.resources", { requests: { cpu: "lots" } }],
    ["BoxSite", "spec.resources", { limits: { memory: "512MB" } }],
    ["App", "spec.target", "lambda"],
    ["App", "spec.services", {}],
    ["App", "spec.services", { Users: { image: "a/b:1" } }],
    ["App", "spec.services.users.image", "taller2fiuba/users"],
    ["App", "spec.services.users.port", 70000],
    ["App", "spec.services.users.port", 0],
    ["App", "spec.services.users.path", "users"],
    ["App", "spec.services.users.path", "/a b"],
    ["App", "spec.services.users.env", { lower: "x" }],
    ["App", "spec.services.users.env", { X: 1 }],
    ["App", "spec.services.users.replicas", -1],
    ["App", "spec.ingress.host", "Fiufit.example.com"],
    ["App", "spec.ingress.host", "localhost"],
    ["App", "spec.registry", { server: "", username: "x", password: { secret: "X" } }],
    ["App", "spec.registry", { server: "ghcr.io", username: " ", password: { secret: "X" } }],
    ["HostRoute", "metadata.name", "a".repeat(39)],
    ["HostRoute", "spec.domain", "Blog.marcosrgz.com"],
    ["HostRoute", "spec.upstream.host", "10.0.0.1; include x"],
    ["HostRoute", "spec.upstream.port", 70000],
    ["HostRoute", "spec.publicIp", "vps.example.com"],
    ["HostRoute", "spec.host.address", "a b"],
    ["HostRoute", "spec.host.user", "root;reboot"],
    ["HostRoute", "spec.host.hostKey", "not a key"],
    ["HostRoute", "spec.host.hostKey", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ root@vps"],
    ["HostRoute", "spec.cloudflare", { sslMode: "flexible" }],
    ["HostRoute", "spec.cloudflare", { proxied: false }],
  ])("%s with %s = %j", (kind, path, value) => {
    const document = withField(validDocument(kind), path, value);
    expect(validateAccepts(document)).toBe(false);
    expect(schemaAccepts(document)).toBe(false);
  });
});

describe("rules only validate checks", () => {
  // The public suffix list (naked domains) and rules that relate two fields or two files have no
  // JSON Schema form: editors accept these, `sitestack validate` refuses them.
  test.each<[string, Kind, string, unknown]>([
    ["a subdomain as naked zone", "HostRoute", "spec.cloudflare", { zone: "blog.marcosrgz.com" }],
    ["a zone other than the domain", "BoxSite", "spec.dns", { cloudflare: { zone: "acme.com" } }],
    ["a service path without a port", "App", "spec.services.metrics-consumer.path", "/metrics"],
  ])("%s", (_, kind, path, value) => {
    const document = withField(validDocument(kind), path, value);
    expect(validateAccepts(document)).toBe(false);
    expect(schemaAccepts(document)).toBe(true);
  });
});
