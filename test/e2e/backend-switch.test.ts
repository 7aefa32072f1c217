import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// A clone pointed at another backend (PULUMI_BACKEND_URL) keeps its committed stack config, whose
// encryption salt belongs to the stacks of the first backend. The engine then says only
// "incorrect passphrase"; sitestack says which file, why, and the command that fixes it, and that
// command works. Two real file:// backends and the built CLI, as a user runs it.
const repoRoot = resolve(import.meta.dirname, "..", "..");
const project = mkdtempSync(join(tmpdir(), "sitestack-switch-"));
const second = mkdtempSync(join(tmpdir(), "sitestack-switch-b-"));
const secondUrl = pathToFileURL(second).href;
const secondPassphrase = "switch-test-passphrase-b-41c2";
const configFile = join(project, "config", "Pulumi.site-bodega.yaml");

function sitestack(env: Record<string, string>, ...args: string[]) {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET: "switch-oidc-value",
    CI: "true",
  };
  for (const key of [
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_CONFIG_PASSPHRASE_FILE",
    "PULUMI_BACKEND_URL",
    "SITESTACK_BACKEND_URL",
    "KUBECONFIG",
  ]) {
    delete base[key];
  }
  const run = spawnSync(process.execPath, [join(repoRoot, "bin", "sitestack.js"), ...args], {
    cwd: project,
    env: { ...base, ...env },
    encoding: "utf8",
    timeout: 600_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Runs the `sed -i …` fix a message names, exactly as printed, in the project folder. */
function runPrintedFix(output: string): void {
  const command = /sed -i '\/\^encryptionsalt:\/d' \S+/.exec(output)?.[0];
  expect(command, output).toBeDefined();
  execFileSync("sh", ["-c", command!], { cwd: project });
}

const saltOf = () => /^encryptionsalt: (.+)$/m.exec(readFileSync(configFile, "utf8"))?.[1];

const onSecond = { PULUMI_BACKEND_URL: secondUrl, PULUMI_CONFIG_PASSPHRASE: secondPassphrase };

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(second, { recursive: true, force: true });
});

describe("switching backends with the stack config of the first one", () => {
  mkdirSync(join(project, "sites"));
  copyFileSync(join(repoRoot, "sites", "bodega.yaml"), join(project, "sites", "bodega.yaml"));
  let firstSalt: string | undefined;

  beforeAll(() => {
    const up = sitestack({}, "up", "sites/bodega.yaml");
    if (up.status !== 0) throw new Error(`up on the local default failed:\n${up.output}`);
    firstSalt = saltOf();
  }, 600_000);

  test("a new stack in a second backend: the stale salt is named, with the command that removes it", () => {
    const up = sitestack(onSecond, "up", "sites/bodega.yaml");
    expect(up.status, up.output).toBe(5);
    expect(up.output).toContain(`[site-bodega] up failed after`);
    expect(up.output).toContain(
      `up of site-bodega failed: config/Pulumi.site-bodega.yaml holds the encryption salt (encryptionsalt) of a site-bodega made with another passphrase (in another backend, or before the passphrase changed), and the passphrase in use (PULUMI_CONFIG_PASSPHRASE) cannot open it; site-bodega does not exist in ${secondUrl} (PULUMI_BACKEND_URL) yet, so nothing else is in the way\n`,
    );
    expect(up.output).toContain(
      "[site-bodega]   - remove the stale salt and run again: sed -i '/^encryptionsalt:/d' config/Pulumi.site-bodega.yaml (the file holds no stored secrets; the engine writes a new one)\n",
    );
    expect(up.output).toContain(
      "[site-bodega]   - the engine said: could not create secrets manager for new stack: incorrect passphrase\n",
    );
    runPrintedFix(up.output);
    const again = sitestack(onSecond, "up", "sites/bodega.yaml");
    expect(again.status, again.output).toBe(0);
    expect(firstSalt).toMatch(/^v1:/);
    expect(saltOf()).not.toBe(firstSalt);
  }, 600_000);

  test("back on the first backend, its existing stack: the config file is stale, not the passphrase", () => {
    const preview = sitestack({}, "preview", "sites/bodega.yaml");
    expect(preview.status, preview.output).toBe(5);
    expect(preview.output).toContain(
      "preview of site-bodega failed: config/Pulumi.site-bodega.yaml holds an encryption salt (encryptionsalt) that is not the one of site-bodega in .sitestack/state (this checkout's local default): the file was made for the stack in another backend, or for an earlier stack of this name\n",
    );
    runPrintedFix(preview.output);
    const again = sitestack({}, "preview", "sites/bodega.yaml");
    expect(again.status, again.output).toBe(0);
    expect(saltOf()).toBe(firstSalt);
  }, 600_000);

  test("a wrong passphrase for a stack whose config matches: the passphrase is named as the cause", () => {
    const refresh = sitestack(
      { PULUMI_CONFIG_PASSPHRASE: "not-the-passphrase-9d" },
      "refresh",
      "bodega",
    );
    expect(refresh.status, refresh.output).toBe(5);
    expect(refresh.output).toContain(
      "refresh of site-bodega failed: the passphrase in use (PULUMI_CONFIG_PASSPHRASE) is not the one site-bodega in .sitestack/state (this checkout's local default) was made with: config/Pulumi.site-bodega.yaml and the backend agree on the salt, so the passphrase is what differs\n",
    );
  }, 600_000);

  test("a shared backend without any passphrase: sitestack invents none and says what to set", () => {
    const up = sitestack({ PULUMI_BACKEND_URL: secondUrl }, "preview", "sites/bodega.yaml");
    expect(up.status, up.output).toBe(5);
    expect(up.output).toContain(
      `the secrets of site-bodega need a passphrase and none is set: sitestack makes one up only for this checkout's own .sitestack/state, and the backend now is ${secondUrl} (PULUMI_BACKEND_URL)\n`,
    );
    expect(up.output).not.toContain(secondPassphrase);
  }, 600_000);
});
