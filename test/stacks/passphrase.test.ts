import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { passphraseEnv } from "../../stacks/manager/passphrase.js";
import { resolveStateSettings } from "../../stacks/manager/settings.js";

async function project(): Promise<string> {
  return mkdtemp(join(tmpdir(), "sitestack-project-"));
}

describe("the passphrase of engine calls", () => {
  test("a passphrase the caller set is passed on and nothing is written", async () => {
    const dir = await project();
    const env = { PULUMI_CONFIG_PASSPHRASE: "given" };
    const result = await passphraseEnv(env, resolveStateSettings(dir, {}, env));
    expect(result).toEqual({ PULUMI_CONFIG_PASSPHRASE: "given" });
    expect(existsSync(join(dir, ".sitestack", "passphrase"))).toBe(false);
  });

  test("the embedded default backend gets a private random passphrase file, made once", async () => {
    const dir = await project();
    const settings = resolveStateSettings(dir, {}, {});
    const created: string[] = [];
    const first = await passphraseEnv({}, settings, (file) => created.push(file));
    const file = join(dir, ".sitestack", "passphrase");
    expect(first).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const passphrase = await readFile(file, "utf8");
    expect(passphrase.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await passphraseEnv({}, settings, (f) => created.push(f));
    expect(await readFile(file, "utf8")).toBe(passphrase);
    expect(created).toEqual([file]);
  });

  test.each([
    ["a shared backend", { SITESTACK_BACKEND_URL: "s3://team-state" }],
    ["a KMS secrets provider", { SITESTACK_SECRETS_PROVIDER: "awskms://alias/sitestack" }],
  ])("%s never gets an invented passphrase", async (_name, env) => {
    const dir = await project();
    const result = await passphraseEnv(env, resolveStateSettings(dir, {}, env));
    expect(result).toEqual({});
    expect(existsSync(join(dir, ".sitestack", "passphrase"))).toBe(false);
  });
});
