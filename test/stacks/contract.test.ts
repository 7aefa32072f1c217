import { describe, expect, test } from "vitest";
import {
  describeHolder,
  resolveStackOperand,
  secretConfigKey,
  secretEnvVarName,
  siteFileOfStack,
  siteNameOfStack,
  stackNameCandidates,
  stackNameOf,
} from "../../stacks/contract.js";

describe("stack names", () => {
  test.each([
    ["BoxSite", "acme", "site-acme"],
    ["App", "fiuba", "site-fiuba"],
    ["HostRoute", "blog", "site-blog"],
    ["Staging", "pr-42", "staging-pr-42"],
  ] as const)("names a %s called %s %s", (kind, name, stack) => {
    expect(stackNameOf({ kind, metadata: { name } })).toBe(stack);
    expect(siteNameOfStack(stack)).toBe(name);
  });

  test.each([
    ["site-acme", "sites/acme.yaml"],
    ["staging-pr-42", "sites/pr-42.yaml"],
    ["site-a-b", "sites/a-b.yaml"],
  ])("the stack %s picks the site file %s", (stack, file) => {
    expect(siteFileOfStack(stack)).toBe(file);
  });

  test.each(["acme", "dev", "site-", "sites-acme"])("%s names no site file", (stack) => {
    expect(siteFileOfStack(stack)).toBeUndefined();
  });

  test("an operand may be a stack name or a site name of either prefix", () => {
    expect(stackNameCandidates("pr-42")).toEqual(["pr-42", "site-pr-42", "staging-pr-42"]);
  });
});

describe("the stack an operand names", () => {
  const world = (deployed: readonly string[], files: Record<string, string>) => ({
    deployed: async (stack: string) => deployed.includes(stack),
    stackOfSiteFile: async (site: string) => files[site],
  });

  test.each([
    ["a deployed stack by its name", "site-acme", world(["site-acme"], {}), "site-acme"],
    [
      "the stack of the site file",
      "pr-42",
      world([], { "pr-42": "staging-pr-42" }),
      "staging-pr-42",
    ],
    [
      "the site file's stack over a stale stack of another kind",
      "pr-42",
      world(["site-pr-42"], { "pr-42": "staging-pr-42" }),
      "staging-pr-42",
    ],
    ["a deployed stack whose file is gone", "acme", world(["site-acme"], {}), "site-acme"],
    [
      "a stack name whose file maps to it, before the first up",
      "staging-pr-42",
      world([], { "pr-42": "staging-pr-42" }),
      "staging-pr-42",
    ],
    [
      "nothing for a stack name of another kind",
      "site-pr-42",
      world([], { "pr-42": "staging-pr-42" }),
      undefined,
    ],
    ["nothing for an unknown name", "nope", world(["site-acme"], {}), undefined],
  ])("%s", async (_, operand, lookup, expected) => {
    expect(await resolveStackOperand(operand, lookup)).toBe(expected);
  });
});

describe("config keys, environment variables and holders", () => {
  test("a secret lives under sitestack:secrets.<NAME> and SITESTACK_SECRET_<NAME>", () => {
    expect(secretConfigKey("ACME_OIDC")).toBe("sitestack:secrets.ACME_OIDC");
    expect(secretEnvVarName("ACME_OIDC")).toBe("SITESTACK_SECRET_ACME_OIDC");
  });

  test("a holder is written user@host (pid N) since T", () => {
    expect(
      describeHolder({ user: "ana", host: "ci-7", pid: 42, since: "2026-01-02T03:04:05.000Z" }),
    ).toBe("ana@ci-7 (pid 42) since 2026-01-02T03:04:05.000Z");
  });
});
