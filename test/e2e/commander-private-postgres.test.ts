import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { bearer } from "../support/commander.js";
import { freePort, isLoopback, tcpSocketsOf } from "../support/ports.js";
import { startProcess, type RunningProcess } from "../support/process.js";

/**
 * The one-machine default: no DATABASE_URL, so `sitestack serve` (the built CLI) starts a private
 * PostgreSQL from Debian's binaries under .sitestack/postgres/ and needs nothing else.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(repoRoot, "bin", "sitestack.js");
const projectDir = mkdtempSync(join(tmpdir(), "sitestack-serve-default-"));
// A project folder as users have them (mkdtemp's is private): as root the server runs as
// `postgres`, which must reach .sitestack/postgres/ inside it.
chmodSync(projectDir, 0o755);
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name !== "DATABASE_URL"),
) as Record<string, string>;
let serve: RunningProcess | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await serve?.stop();
  rmSync(projectDir, { recursive: true, force: true });
});

test(
  "serve without DATABASE_URL starts its own PostgreSQL on loopback and stops it on SIGTERM",
  { timeout: 120_000 },
  async () => {
    const token = execFileSync(
      process.execPath,
      [cli, "serve", "token", "create", "admin", "--scopes", "admin"],
      {
        cwd: projectDir,
        env,
        encoding: "utf8",
      },
    ).trim();
    expect(token).toMatch(/^sst_/);
    const settingsFile = join(projectDir, ".sitestack", "postgres", "settings.json");
    expect(statSync(settingsFile).mode & 0o777).toBe(0o600);

    const port = await freePort();
    serve = startProcess(
      "serve",
      process.execPath,
      projectDir,
      [cli, "serve", "--port", String(port), "--workers", "1"],
      env,
    );
    const deadline = Date.now() + 60_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = await fetch(`http://127.0.0.1:${port}/v1/jobs`, { headers: bearer(token) })
        .then((response) => response.status)
        .catch(() => 0);
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status, serve.logTail()).toBe(200);
    const postmaster = Number(
      readFileSync(
        join(projectDir, ".sitestack", "postgres", "data", "postmaster.pid"),
        "utf8",
      ).split("\n")[0],
    );
    const listening = (await tcpSocketsOf(postmaster)).filter(
      (socket) => socket.state === "LISTEN",
    );
    expect(listening.length).toBeGreaterThan(0);
    expect(listening.every((socket) => isLoopback(socket.local))).toBe(true);
    const { password } = JSON.parse(readFileSync(settingsFile, "utf8")) as { password: string };
    expect(serve.logTail()).not.toContain(password);

    await serve.stop();
    expect(serve.exitCode()).toBe(0);
    const gone = Date.now() + 10_000;
    while (alive(postmaster) && Date.now() < gone)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(postmaster)).toBe(false);
  },
);
