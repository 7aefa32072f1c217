import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";

// The README's Quick start, as a newcomer runs it: the built CLI in a project that has nothing but
// a site file, no passphrase, no cluster, no cloud account. Only the secret reference is given.
const repoRoot = resolve(import.meta.dirname, "..", "..");
const project = mkdtempSync(join(tmpdir(), "sitestack-quick-start-"));
const secret = "quick-start-oidc-7f3e91";

function sitestack(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET: secret,
  };
  for (const key of ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "KUBECONFIG"]) {
    delete env[key];
  }
  const run = spawnSync(process.execPath, [join(repoRoot, "bin", "sitestack.js"), ...args], {
    cwd: project,
    env,
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("Quick start: sitestack up sites/bodega.yaml on the local default", () => {
  mkdirSync(join(project, "sites"));
  copyFileSync(join(repoRoot, "sites", "bodega.yaml"), join(project, "sites", "bodega.yaml"));
  const rendered = join(project, ".sitestack", "rendered", "site-bodega");
  const outputs: string[] = [];

  test("up renders the box site's manifests and the stack is Running", () => {
    const up = sitestack("up", "sites/bodega.yaml");
    outputs.push(up.output);
    expect(up.status, up.output).toBe(0);
    expect(up.output).toContain("created a passphrase for the local state");
    const kinds = filesUnder(rendered).map(
      (file) => /kind: (\w+)/.exec(readFileSync(file, "utf8"))?.[1],
    );
    expect(kinds).toEqual(
      expect.arrayContaining(["Namespace", "Deployment", "Service", "Ingress"]),
    );
    const status = sitestack("status", "site-bodega", "--json");
    outputs.push(status.output);
    expect(status.output).toContain('"status":"Running"');
  });

  test("the secret value is nowhere: not in state, workspaces, rendered files or output", () => {
    for (const file of filesUnder(join(project, ".sitestack"))) {
      expect(readFileSync(file, "utf8").includes(secret), file).toBe(false);
    }
    for (const output of outputs) expect(output.includes(secret)).toBe(false);
  });

  test("cleanup removes every rendered object and the stack", () => {
    const cleanup = sitestack("cleanup", "sites/bodega.yaml", "--yes");
    expect(cleanup.status, cleanup.output).toBe(0);
    expect(filesUnder(rendered)).toEqual([]);
    expect(sitestack("list", "--json").output).not.toContain("site-bodega");
  });
});
