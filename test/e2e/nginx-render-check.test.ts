/**
 * Every shape of rendered server block passes `nginx -t` with Debian's real nginx, alone and next to
 * other domains' blocks (the per-domain WebSocket maps must not clash).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  renderServerBlock,
  routeFiles,
  type ServerBlockSettings,
} from "../../components/host-route/index.js";
import {
  checkNginx,
  createNginxPrefix,
  removeNginxPrefix,
  selfSignedCertificate,
  type NginxPrefix,
  type TestCertificate,
} from "../support/nginx.js";

let prefix: NginxPrefix;
let certificate: TestCertificate;

beforeAll(async () => {
  prefix = await createNginxPrefix();
  certificate = await selfSignedCertificate("app.acme.test");
});

beforeEach(async () => {
  await rm(prefix.layout.confDir, { recursive: true, force: true });
  await mkdir(prefix.layout.confDir);
});

afterAll(async () => {
  if (prefix) await removeNginxPrefix(prefix);
});

// Writes the files the install script would write, without the script: this suite checks the
// renderer's output only.
async function place(settings: ServerBlockSettings): Promise<void> {
  const files = routeFiles(settings.layout, settings.domain);
  await mkdir(dirname(files.certificate), { recursive: true });
  await writeFile(files.certificate, certificate.certificatePem);
  await writeFile(files.key, certificate.keyPem, { mode: 0o600 });
  await writeFile(files.conf, renderServerBlock(settings));
}

type Shape = Omit<ServerBlockSettings, "layout">;

const shapes: [string, Shape][] = [
  [
    "an IPv4 upstream on the default ports",
    { domain: "app.acme.test", upstream: { host: "10.0.3.15", port: 3000 } },
  ],
  ["an IPv6 upstream", { domain: "v6.acme.test", upstream: { host: "fd42::15", port: 8080 } }],
  ["a host-name upstream", { domain: "named.acme.test", upstream: { host: "localhost", port: 1 } }],
  ["the zone apex", { domain: "acme.test", upstream: { host: "10.0.3.16", port: 65535 } }],
  [
    "a loopback listener with custom ports and trusted ranges",
    {
      domain: "loop.acme.test",
      upstream: { host: "127.0.0.1", port: 8080 },
      listen: { address: "127.0.0.1", httpPort: 8081, httpsPort: 8443 },
      trustedProxyRanges: ["127.0.0.1/32", "::1/128"],
    },
  ],
  [
    "an IPv6 listener",
    {
      domain: "l6.acme.test",
      upstream: { host: "10.0.3.15", port: 80 },
      listen: { address: "::1" },
    },
  ],
];

describe("rendered server blocks under real nginx -t", () => {
  test.each(shapes)("accepts %s", async (_what, shape) => {
    await place({ ...shape, layout: prefix.layout });
    const result = await checkNginx(prefix);
    expect(result.output).toContain("test is successful");
    expect(result.ok).toBe(true);
  });

  test("accepts every shape installed side by side", async () => {
    for (const [, shape] of shapes) await place({ ...shape, layout: prefix.layout });
    const result = await checkNginx(prefix);
    expect(result.output).toContain("test is successful");
  });

  test("the check itself rejects a broken block (the suite can fail)", async () => {
    await place({ ...shapes[0]![1], layout: prefix.layout });
    const files = routeFiles(prefix.layout, "app.acme.test");
    await writeFile(
      files.conf,
      renderServerBlock({ ...shapes[0]![1], layout: prefix.layout }).replace("}", ""),
    );
    const result = await checkNginx(prefix);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("test failed");
  });
});
