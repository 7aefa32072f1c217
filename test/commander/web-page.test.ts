import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { webAssetsDir } from "../../stacks/commander/api/web-routes.js";
import { startCommander, type RunningCommander } from "../../stacks/commander/commander.js";
import { appendEvent } from "../../stacks/commander/events.js";
import { createToken } from "../../stacks/commander/tokens.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { bearer } from "../support/commander.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";

/**
 * The web page's files and `GET /v1/whoami` as the API serves them (the page in a real browser:
 * test/e2e/commander-web.test.ts).
 */
let postgres: TestPostgres;
let commander: RunningCommander;
let app: FastifyInstance;
let projectDir: string;
let token: string;

beforeAll(async () => {
  postgres = await startTestPostgres();
  projectDir = mkdtempSync(join(tmpdir(), "sitestack-commander-web-"));
  commander = await startCommander({
    projectDir,
    env: { PULUMI_CONFIG_PASSPHRASE: "web-test-passphrase" },
    databaseUrl: postgres.url,
    api: { host: "127.0.0.1", port: 0 },
    workers: 0,
    platform: defaultPlatformSettings,
  });
  app = commander.app!;
  token = await createToken(commander.db, "viewer", ["read", "change"]);
}, 60_000);

afterAll(async () => {
  await commander?.stop(1_000);
  await postgres?.stop();
  if (projectDir !== undefined) rmSync(projectDir, { recursive: true, force: true });
});

describe("the page's files", () => {
  test("/ and /ui redirect to /ui/, which is the page, without a token", async () => {
    for (const url of ["/", "/ui"]) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe("/ui/");
    }
    const page = await app.inject({ url: "/ui/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body).toContain('<script type="module" src="/ui/app.js"></script>');
  });

  test("every file carries a strict Content-Security-Policy and the hardening headers", async () => {
    for (const [url, type] of [
      ["/ui/", "text/html"],
      ["/ui/app.js", "text/javascript"],
      ["/ui/style.css", "text/css"],
    ] as const) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers["content-type"]).toContain(type);
      const csp = String(response.headers["content-security-policy"]);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("require-trusted-types-for 'script'");
      expect(csp).not.toContain("unsafe");
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["x-frame-options"]).toBe("DENY");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
    }
  });

  test("only the page's own files are served without a token; nothing else of the folder or the disk", async () => {
    for (const url of [
      "/ui/tsconfig.json",
      "/ui/../package.json",
      "/ui/%2e%2e/package.json",
      "/ui/index.html",
      "/ui/app.js/",
      "/v1/stacks",
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.body).not.toContain('"name": "sitestack"');
    }
  });

  test("the script never writes HTML, never opens an EventSource, never puts the token in a URL", () => {
    // The code, without its comments (which name what it avoids).
    const script = readFileSync(join(webAssetsDir(), "app.js"), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const sink of [
      "innerHTML",
      "outerHTML",
      "insertAdjacentHTML",
      "document.write",
      "eval(",
      "new Function",
      "EventSource(",
      "localStorage",
    ])
      expect(script, sink).not.toContain(sink);
    expect(script).not.toMatch(/[?&](token|access_token)=/);
    expect(script).toContain("sessionStorage");
  });

  test("the script type-checks against the DOM from its JSDoc (tsc --checkJs)", () => {
    const tsc = join(
      dirname(createRequire(import.meta.url).resolve("typescript/package.json")),
      "bin",
      "tsc",
    );
    execFileSync(process.execPath, [tsc, "-p", join(webAssetsDir(), "tsconfig.json")], {
      encoding: "utf8",
      stdio: "pipe",
    });
  }, 60_000);
});

describe("GET /v1/whoami", () => {
  test("needs a token", async () => {
    const response = await app.inject({ url: "/v1/whoami" });
    expect(response.statusCode).toBe(401);
  });

  test("names the token and its scopes (never the token) and where the event log stands", async () => {
    const before = (await app.inject({ url: "/v1/whoami", headers: bearer(token) })).json();
    expect(before).toMatchObject({ name: "viewer", scopes: ["read", "change"] });
    const event = await appendEvent(commander.db, {
      stack: "site-web",
      type: "status",
      data: { status: "Running" },
    });
    const response = await app.inject({ url: "/v1/whoami", headers: bearer(token) });
    expect(response.json()).toEqual({
      name: "viewer",
      scopes: ["read", "change"],
      lastEventId: event.id,
    });
    expect(response.body).not.toContain(token);
  });

  test("is in the OpenAPI document; the page's files are not", async () => {
    const document = (await app.inject({ url: "/openapi.json", headers: bearer(token) })).json();
    expect(Object.keys(document.paths)).toContain("/v1/whoami");
    expect(Object.keys(document.paths).filter((path) => path.startsWith("/ui"))).toEqual([]);
  });
});
