import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// The CLI as a newcomer sees it: a real pseudo-terminal (tmux, on a private socket) running the
// built CLI in a fresh project with the README's quick start and the mistakes after it. The
// assertions are on what the screen shows, for the live terminal, CI logs and --json.
const repoRoot = resolve(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "sitestack-tty-"));
const project = join(dir, "project");
const second = join(dir, "second-backend");
const socket = join(dir, "tmux.sock");
const secret = "demo-only";
const withSecret = `SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET=${secret}`;

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-S", socket, ...args], { encoding: "utf8" });
}

/** What the terminal showed for one command: all of it, and the visible screens while it ran. */
interface Screen {
  readonly exit: number;
  /** Everything the command printed, wrapped lines joined, as the terminal shows it. */
  readonly text: string;
  /** The visible screen, sampled while the command ran. */
  readonly snapshots: readonly string[];
}

let runs = 0;

/** Types `command` into the terminal's shell and waits for it to end. */
async function run(command: string, timeoutMs = 300_000): Promise<Screen> {
  const n = ++runs;
  const typed = `${command}; echo "<<done ${n} $?>>"`;
  tmux("send-keys", "-t", "cli", "-l", typed);
  tmux("send-keys", "-t", "cli", "Enter");
  const done = new RegExp(`^<<done ${n} (\\d+)>>$`, "m");
  const snapshots: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const visible = tmux("capture-pane", "-p", "-t", "cli");
    snapshots.push(visible);
    if (done.test(visible)) break;
    if (Date.now() > deadline) throw new Error(`no end of "${command}" on screen:\n${visible}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const all = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "cli");
  const start = all.lastIndexOf(typed);
  const end = done.exec(all.slice(start));
  const text = all.slice(start + typed.length, start + (end?.index ?? 0)).replace(/^\n/, "");
  return { exit: Number(end?.[1]), text, snapshots };
}

/** The summary JSON line of a `--json` run. */
function summaryOf(screen: Screen): { rows: Record<string, unknown>[] } {
  const line = screen.text.split("\n").find((l) => l.startsWith('{"type":"summary"'));
  if (line === undefined) throw new Error(`no summary line in:\n${screen.text}`);
  return JSON.parse(line) as { rows: Record<string, unknown>[] };
}

beforeAll(() => {
  mkdirSync(join(project, "sites"), { recursive: true });
  mkdirSync(second);
  for (const site of ["acme", "bodega"]) {
    copyFileSync(join(repoRoot, "sites", `${site}.yaml`), join(project, "sites", `${site}.yaml`));
  }
  const config = join(dir, "tmux.conf");
  writeFileSync(config, "set -g history-limit 100000\nset -g status off\n");
  // A clean shell: none of the test process's CI, passphrase, backend or cluster settings.
  const unset = [
    "CI",
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_CONFIG_PASSPHRASE_FILE",
    "PULUMI_BACKEND_URL",
    "SITESTACK_BACKEND_URL",
    "SITESTACK_KUBERNETES",
    "KUBECONFIG",
    "GITHUB_ACTIONS",
  ].flatMap((name) => ["-u", name]);
  execFileSync("tmux", [
    "-S",
    socket,
    "-f",
    config,
    "new-session",
    "-d",
    "-s",
    "cli",
    "-x",
    "120",
    "-y",
    "40",
    "-c",
    project,
    "env",
    ...unset,
    "PS1=$ ",
    "bash",
    "--norc",
    "--noprofile",
  ]);
  tmux(
    "send-keys",
    "-t",
    "cli",
    "-l",
    `sitestack() { '${process.execPath}' '${join(repoRoot, "bin", "sitestack.js")}' "$@"; }`,
  );
  tmux("send-keys", "-t", "cli", "Enter");
});

afterAll(() => {
  try {
    tmux("kill-server");
  } catch {
    // Already gone: nothing left behind.
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("the CLI in a terminal, as a newcomer runs it", () => {
  test("the quick start: live progress, the summary table, then the next steps", async () => {
    const screen = await run(`${withSecret} sitestack up sites/bodega.yaml`);
    expect(screen.exit, screen.text).toBe(0);
    expect(
      screen.snapshots.some((s) => /\[site-bodega\] up running · \d+ resources · /.test(s)),
    ).toBe(true);
    expect(screen.text).toContain("[site-bodega] created a passphrase for the local state in ");
    expect(screen.text).toMatch(/\n\[site-bodega\] up done · \d+ resources · \d+\.\ds\n/);
    expect(screen.text).toMatch(
      /\nSTACK +RESULT +STATUS +CHANGES +TIME +NOTE\nsite-bodega +succeeded +Running +\d+ create +\d+\.\ds\n/,
    );
    // The block ends with a newline: the next output (here the marker, else the prompt) starts
    // its own line.
    expect(screen.text.split("\n\n").at(-1)).toBe(
      [
        "Next steps for site-bodega: bodegadelbarrio.pe is not on Cloudflare, so its DNS records are yours to create",
        "  ingress address  not known: the objects were rendered to .sitestack/rendered/site-bodega/, not applied to a cluster",
        "  DNS record       bodegadelbarrio.pe  A (for an IP) or CNAME (for a host name)  → the ingress address",
        "  test URL         https://bodega.sites.example.net/ (works once applied to a cluster, no DNS change needed)",
        "",
      ].join("\n"),
    );
    expect(screen.text).not.toContain("\x1b");
    expect(screen.text).not.toContain(secret);
  }, 600_000);

  test("preview ends with the same next steps, saying what it cannot know yet", async () => {
    const screen = await run(`${withSecret} sitestack preview sites/bodega.yaml`);
    expect(screen.exit, screen.text).toBe(0);
    expect(screen.text).toMatch(/\nsite-bodega +succeeded +Running +\d+ unchanged/);
    expect(screen.text).toContain(
      "\n  ingress address  not known: up renders the objects to .sitestack/rendered/site-bodega/, not applied to a cluster\n",
    );
  }, 600_000);

  test("up without the site's secrets lists every problem with its fix, above the table", async () => {
    const screen = await run("sitestack up sites/acme.yaml");
    expect(screen.exit, screen.text).toBe(2);
    expect(screen.text).toContain("[site-acme] up failed after");
    expect(screen.text).toContain(
      "\n[site-acme]   - secret ACME_OIDC_CLIENT_SECRET is not set: export SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET, or store it once with `sitestack secret set site-acme ACME_OIDC_CLIENT_SECRET`",
    );
    expect(screen.text).toContain(
      "\n[site-acme]   - secret THEMES_REDIS_URL is not set: export SITESTACK_SECRET_THEMES_REDIS_URL",
    );
    expect(screen.text).toMatch(
      /\nsite-acme +failed +- +- +\d+\.\ds +2 problems: .* … \(see above\)\n$/,
    );
  }, 600_000);

  test("wrong names: a missing site file and an unknown stack say what exists", async () => {
    const file = await run("sitestack up sites/nope.yaml");
    expect(file.exit).toBe(2);
    expect(file.text).toBe(
      "error: sites/nope.yaml: no such file; the site files in sites/ are acme.yaml, bodega.yaml\n",
    );
    const status = await run("sitestack status nope");
    expect(status.exit).toBe(3);
    expect(status.text).toBe(
      "error: no stack named nope, site-nope or staging-nope in the backend .sitestack/state (this checkout's local default) and no site file sites/nope.yaml; it has site-bodega (see `sitestack list`)\n",
    );
  }, 600_000);

  test("a locked stack names the holder, says the stack is busy and how to go on", async () => {
    const locks = join(
      project,
      ".sitestack/state/.pulumi/locks/organization/sitestack/site-bodega",
    );
    mkdirSync(locks, { recursive: true });
    writeFileSync(
      join(locks, "held.json"),
      JSON.stringify({
        pid: 4242,
        username: "ana",
        hostname: "ci-runner-7",
        timestamp: "2026-11-30T12:00:00Z",
      }),
    );
    try {
      const screen = await run(`${withSecret} sitestack up sites/bodega.yaml`);
      expect(screen.exit, screen.text).toBe(4);
      expect(screen.text).toContain(
        ": stack site-bodega is locked by ana@ci-runner-7 (pid 4242) since 2026-11-30T12:00:00.000Z: another operation runs on it; add --wait to run after it, or, if that process is gone, run `sitestack unlock site-bodega` on ci-runner-7\n",
      );
      expect(screen.text).toMatch(/\nsite-bodega +failed +UpdatePending +- /);
    } finally {
      rmSync(locks, { recursive: true, force: true });
    }
  }, 600_000);

  test("up of an archived site keeps it archived and says how to bring it back", async () => {
    expect((await run(`${withSecret} sitestack archive bodega`)).exit).toBe(0);
    const screen = await run(`${withSecret} sitestack up sites/bodega.yaml`);
    expect(screen.exit, screen.text).toBe(0);
    expect(screen.text).toMatch(
      /\nsite-bodega +succeeded +Archived +.* +archived: up keeps it so; `sitestack restore site-bodega` brings it back\n$/,
    );
    expect(screen.text).not.toContain("Next steps");
    expect((await run(`${withSecret} sitestack restore bodega`)).exit).toBe(0);
  }, 600_000);

  test("a second backend: the stale stack config is named, with the command that fixes it", async () => {
    const screen = await run(
      `PULUMI_BACKEND_URL=${pathToFileURL(second).href} PULUMI_CONFIG_PASSPHRASE=second-backend-pass-7c ${withSecret} sitestack up sites/bodega.yaml`,
    );
    expect(screen.exit, screen.text).toBe(5);
    expect(screen.text).toContain(
      "up of site-bodega failed: config/Pulumi.site-bodega.yaml holds the encryption salt (encryptionsalt) of a site-bodega made with another passphrase",
    );
    expect(screen.text).toContain(
      "\n[site-bodega]   - remove the stale salt and run again: sed -i '/^encryptionsalt:/d' config/Pulumi.site-bodega.yaml (the file holds no stored secrets; the engine writes a new one)\n",
    );
    expect(readFileSync(join(project, "config", "Pulumi.site-bodega.yaml"), "utf8")).toMatch(
      /^encryptionsalt: /m,
    );
  }, 600_000);

  test("with CI=true: plain [stack] lines, no live progress, next steps as lines", async () => {
    const screen = await run(`CI=true ${withSecret} sitestack up sites/bodega.yaml`);
    expect(screen.exit, screen.text).toBe(0);
    expect(screen.snapshots.some((s) => / up running · /.test(s))).toBe(false);
    expect(screen.text).toMatch(/\n\[site-bodega\] up done in \d+\.\ds: .*\(Running\)\n/);
    expect(screen.text.split("\n").slice(-4)).toEqual([
      "[site-bodega] next: point bodegadelbarrio.pe at the ingress address: not known: the objects were rendered to .sitestack/rendered/site-bodega/, not applied to a cluster",
      "[site-bodega] next: create the DNS record bodegadelbarrio.pe (A for an IP address, CNAME for a host name) → the ingress address",
      "[site-bodega] next: test URL: https://bodega.sites.example.net/ (works once applied to a cluster, no DNS change needed)",
      "",
    ]);
    const failed = await run("CI=true sitestack up sites/acme.yaml");
    expect(failed.exit).toBe(2);
    expect(failed.text).toContain(
      "\n[site-acme]   - secret THEMES_REDIS_URL is not set: export SITESTACK_SECRET_THEMES_REDIS_URL",
    );
  }, 600_000);

  test("with --json: the summary carries the next steps as data, a failure every problem", async () => {
    const screen = await run(`${withSecret} sitestack up sites/bodega.yaml --json`);
    expect(screen.exit, screen.text).toBe(0);
    expect(summaryOf(screen).rows[0]).toMatchObject({
      stack: "site-bodega",
      result: "succeeded",
      status: "Running",
      nextSteps: {
        domain: "bodegadelbarrio.pe",
        ingressAddress: null,
        pending:
          "not known: the objects were rendered to .sitestack/rendered/site-bodega/, not applied to a cluster",
        dnsRecords: [{ name: "bodegadelbarrio.pe", type: null, content: null }],
        testUrl: "https://bodega.sites.example.net/",
        testUrlWorks: "once applied to a cluster",
      },
    });
    const failed = await run("sitestack up sites/acme.yaml --json");
    expect(failed.exit).toBe(2);
    const error = String(summaryOf(failed).rows[0]?.error);
    expect(error).toContain("secret ACME_OIDC_CLIENT_SECRET is not set");
    expect(error).toContain("secret THEMES_REDIS_URL is not set");
  }, 600_000);
});
