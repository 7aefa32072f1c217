/**
 * The host route end to end against Debian's real nginx on loopback: rendered server blocks, the
 * install and remove scripts the remote command runs (run here with `sh -c`, as sshd would), a
 * generated certificate and a local upstream.
 */
import { readFile, readdir } from "node:fs/promises";
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  payloadSeparator,
  renderInstallPayload,
  renderInstallScript,
  renderRemoveScript,
  renderRemoteCommand,
  renderServerBlock,
  routeFiles,
  shellQuote,
  type ServerBlockSettings,
} from "../../components/host-route/index.js";
import {
  createNginxPrefix,
  removeNginxPrefix,
  runShell,
  selfSignedCertificate,
  startNginx,
  waitFor,
  type NginxPrefix,
  type RunningNginx,
  type TestCertificate,
} from "../support/nginx.js";
import { freePorts } from "../support/ports.js";

const domain = "acme.test";

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let prefix: NginxPrefix;
let nginx: RunningNginx | undefined;
let upstream: Server;
let certificate: TestCertificate;
let httpPort: number;
let httpsPort: number;

function settings(overrides: Partial<ServerBlockSettings> = {}): ServerBlockSettings {
  const upstreamPort = (upstream.address() as AddressInfo).port;
  return {
    domain,
    upstream: { host: "127.0.0.1", port: upstreamPort },
    layout: prefix.layout,
    listen: { address: "127.0.0.1", httpPort, httpsPort },
    ...overrides,
  };
}

// Installs a block with the route's install script; once nginx runs, a successful install also
// waits for the workers of the old configuration to exit, so the next request sees the new one.
function install(serverBlock: string) {
  const run = () =>
    runShell(
      renderInstallScript(domain, prefix.layout),
      renderInstallPayload(serverBlock, certificate.certificatePem, certificate.keyPem),
    );
  return nginx === undefined ? run() : nginx.afterReload(run, (result) => result.code === 0);
}

function getHttp(path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: httpPort, path, headers: { Host: domain } },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

// Verifies the certificate against the generated one, with the domain as SNI, as Cloudflare's
// Full (strict) mode would against an Origin CA certificate.
function getHttps(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port: httpsPort,
        path,
        servername: domain,
        ca: certificate.certificatePem,
        headers: { Host: domain, ...headers },
        agent: false,
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function upstreamSaw(reply: Reply): { url: string; headers: IncomingHttpHeaders } {
  expect(reply.status).toBe(200);
  return JSON.parse(reply.body) as { url: string; headers: IncomingHttpHeaders };
}

/** The X-Real-IP the upstream saw for a request claiming to come from 198.51.100.7. */
async function realIpSeenForClaimedVisitor(): Promise<unknown> {
  const reply = await getHttps("/", { "CF-Connecting-IP": "198.51.100.7" });
  return upstreamSaw(reply).headers["x-real-ip"];
}

async function servesUpstream(): Promise<boolean> {
  try {
    return (await getHttps("/ready")).status === 200;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });
  // A WebSocket-style upgrade: answer 101 and echo one line, proving nginx passed Upgrade through.
  upstream.on("upgrade", (req, socket) => {
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    );
    socket.on("data", (data: Buffer) => socket.end(`echo:${data.toString()}`));
    void req;
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  [httpPort, httpsPort] = await freePorts(2);
  certificate = await selfSignedCertificate(domain);
  prefix = await createNginxPrefix();
  nginx = await startNginx(prefix);
  const installed = await install(renderServerBlock(settings()));
  expect(installed).toMatchObject({ code: 0, stderr: "" });
  await waitFor(servesUpstream, "nginx to serve the route");
});

afterAll(async () => {
  await nginx?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
  if (prefix) await removeNginxPrefix(prefix);
});

describe("host route on a real nginx", () => {
  test("answers http with a 301 to the same path on https", async () => {
    const reply = await getHttp("/shop?item=1");
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe(`https://${domain}/shop?item=1`);
  });

  test("proxies https to the upstream with Host and X-Forwarded headers", async () => {
    const saw = upstreamSaw(await getHttps("/shop?item=1"));
    expect(saw.url).toBe("/shop?item=1");
    expect(saw.headers).toMatchObject({
      host: domain,
      "x-forwarded-proto": "https",
      "x-forwarded-host": domain,
      "x-real-ip": "127.0.0.1",
      "x-forwarded-for": "127.0.0.1",
    });
  });

  test("ignores CF-Connecting-IP and forged X-Forwarded-For from a peer outside Cloudflare's ranges", async () => {
    const saw = upstreamSaw(
      await getHttps("/", { "CF-Connecting-IP": "198.51.100.7", "X-Forwarded-For": "192.0.2.1" }),
    );
    expect(saw.headers["x-real-ip"]).toBe("127.0.0.1");
    expect(saw.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  test("restores the visitor's address from CF-Connecting-IP when the peer is a trusted range", async () => {
    const trustingLoopback = renderServerBlock(settings({ trustedProxyRanges: ["127.0.0.1/32"] }));
    expect(await install(trustingLoopback)).toMatchObject({ code: 0 });
    try {
      const saw = upstreamSaw(await getHttps("/", { "CF-Connecting-IP": "198.51.100.7" }));
      expect(saw.headers["x-real-ip"]).toBe("198.51.100.7");
      expect(saw.headers["x-forwarded-for"]).toBe("198.51.100.7");
    } finally {
      expect(await install(renderServerBlock(settings()))).toMatchObject({ code: 0 });
      expect(await realIpSeenForClaimedVisitor()).toBe("127.0.0.1");
    }
  });

  test("passes a WebSocket upgrade through to the upstream", async () => {
    const { connect } = await import("node:tls");
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: "127.0.0.1", port: httpsPort, servername: domain, ca: certificate.certificatePem },
        () => {
          socket.write(
            `GET /socket HTTP/1.1\r\nHost: ${domain}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
          );
        },
      );
      let received = "";
      socket.on("data", (data: Buffer) => {
        received += data.toString();
        if (received.includes("\r\n\r\n") && !received.includes("echo:")) socket.write("ping");
      });
      socket.on("end", () => resolve(received));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(answer).toContain("echo:ping");
  });

  test("rejects a broken block, keeps the old files and keeps serving", async () => {
    const files = routeFiles(prefix.layout, domain);
    const before = await readFile(files.conf, "utf8");
    const broken = renderServerBlock(settings()).replace(
      "proxy_http_version 1.1;",
      "proxy_http_versin 1.1;",
    );

    const result = await install(broken);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown directive "proxy_http_versin"');
    expect(result.stderr).toContain(
      `sitestack: nginx -t rejected the new configuration for ${domain}; the previous files are back in place and nginx was not reloaded`,
    );
    expect(await readFile(files.conf, "utf8")).toBe(before);
    expect(await readdir(`${prefix.layout.stateDir}/staging`)).toEqual([]);
    expect(await readdir(`${prefix.layout.stateDir}/backup`)).toEqual([]);
    expect(upstreamSaw(await getHttps("/still-here")).url).toBe("/still-here");
  });

  test("removes the candidate entirely when a first install is rejected", async () => {
    const other = "other.test";
    const broken = renderServerBlock({ ...settings(), domain: other }).replace(
      "server_name",
      "server_nam",
    );
    const result = await runShell(
      renderInstallScript(other, prefix.layout),
      renderInstallPayload(broken, certificate.certificatePem, certificate.keyPem),
    );
    expect(result.code).toBe(1);
    expect(await readdir(prefix.layout.confDir)).toEqual([`sitestack-${domain}.conf`]);
    expect(await readdir(`${prefix.layout.stateDir}/tls`)).toEqual([domain]);
  });

  test("refuses a payload without certificate and key and changes nothing", async () => {
    const before = await readFile(routeFiles(prefix.layout, domain).conf, "utf8");
    const result = await runShell(renderInstallScript(domain, prefix.layout), "server {}\n");
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `sitestack: the install payload for ${domain} has no origin.crt; nothing was changed\n`,
    });
    expect(await readFile(routeFiles(prefix.layout, domain).conf, "utf8")).toBe(before);
    expect(payloadSeparator).toBe("# sitestack:end-of-server-block");
  });

  test("keeps the origin key readable by its owner only", async () => {
    const { stat } = await import("node:fs/promises");
    expect((await stat(routeFiles(prefix.layout, domain).key)).mode & 0o777).toBe(0o600);
  });

  test("the quoted form sent under sudo runs the same install script", async () => {
    // renderRemoteCommand wraps the script as `sudo -n sh -c <quoted>`; the quoting is what can
    // break (the script is full of single quotes), so run the quoted form through a second shell.
    const quoted = `sh -c ${shellQuote(renderInstallScript(domain, prefix.layout))}`;
    const result = await runShell(
      quoted,
      renderInstallPayload(
        renderServerBlock(settings()),
        certificate.certificatePem,
        certificate.keyPem,
      ),
    );
    expect(result).toEqual({
      code: 0,
      stdout: `sitestack: nginx configuration for ${domain} installed and nginx reloaded\n`,
      stderr: "",
    });
    expect(renderRemoteCommand("true", "deploy")).toBe(`sudo -n sh -c ${shellQuote("true")}`);
  });

  test("removing the route deletes its files, reloads, and stops serving the domain", async () => {
    const result = await runShell(renderRemoveScript(domain, prefix.layout), "");
    expect(result).toEqual({
      code: 0,
      stdout: `sitestack: nginx configuration for ${domain} removed and nginx reloaded\n`,
      stderr: "",
    });
    expect(await readdir(prefix.layout.confDir)).toEqual([]);
    expect(await readdir(`${prefix.layout.stateDir}/tls`)).toEqual([]);
    await waitFor(async () => !(await servesUpstream()), "nginx to stop serving the domain");
  });
});
