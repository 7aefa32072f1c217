import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { CliIo } from "../../stacks/io.js";
import { fakeBackend, fakeMetadata, type FakeBackend } from "./support/diy-backend.js";

// `sitestack secret set <operand> NAME` stores into the stack of the operand's site file. The
// manager is replaced by one that records where the secret goes: which stack is chosen is the
// CLI's (and the stack contract's) business, storing it the engine's.
const stored: { stack: string; name: string; value: string }[] = [];
vi.mock("../../stacks/site-stacks.js", () => ({
  siteStackManager: () => ({
    setSecret: async (stack: string, name: string, value: string) =>
      void stored.push({ stack, name, value }),
  }),
}));
const { runSecretSet } = await import("../../stacks/cli/lifecycle/query.js");

const repositorySites = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "sites");

describe("secret set chooses the stack of the site file", () => {
  let projectDir: string;
  let backend: FakeBackend & { readonly dir: string };
  const workingDir = process.cwd();

  beforeAll(async () => {
    projectDir = mkdtempSync(join(tmpdir(), "sitestack-secret-set-"));
    mkdirSync(join(projectDir, "sites"));
    for (const file of ["pr-42.yaml", "acme.yaml"]) {
      copyFileSync(join(repositorySites, file), join(projectDir, "sites", file));
    }
    backend = await fakeBackend();
    process.chdir(projectDir);
  });
  afterAll(() => {
    process.chdir(workingDir);
    rmSync(projectDir, { recursive: true, force: true });
    rmSync(backend.dir, { recursive: true, force: true });
  });
  beforeEach(() => void stored.splice(0));

  async function secretSet(operand: string): Promise<{ code: number; out: string }> {
    let out = "";
    const io: CliIo = {
      stdout: (text) => void (out += text),
      stderr: (text) => void (out += text),
      env: { SITESTACK_BACKEND_URL: backend.url, PULUMI_CONFIG_PASSPHRASE: "test" },
    };
    const code = await runSecretSet(
      operand,
      "STAGING_DB_PASSWORD",
      io,
      Readable.from(["s3cr3t\n"]),
    );
    return { code, out };
  }

  test.each([
    ["pr-42", "staging-pr-42"],
    ["staging-pr-42", "staging-pr-42"],
    ["acme", "site-acme"],
  ])("%s before any up → %s", async (operand, stack) => {
    const { code, out } = await secretSet(operand);
    expect({ code, out }).toMatchObject({ code: 0 });
    expect(stored).toEqual([{ stack, name: "STAGING_DB_PASSWORD", value: "s3cr3t" }]);
    expect(out).toContain(`${stack}: stored secret STAGING_DB_PASSWORD`);
  });

  test("pr-42 → staging-pr-42 even while the backend still holds a stack site-pr-42", async () => {
    // Left by a site of another kind that had the same name: sites/pr-42.yaml is a Staging now.
    await backend.put({ stack: "site-pr-42", metadata: fakeMetadata("BoxSite"), resources: 2 });
    const { code } = await secretSet("pr-42");
    expect(code).toBe(0);
    expect(stored.map((entry) => entry.stack)).toEqual(["staging-pr-42"]);
  });
});
