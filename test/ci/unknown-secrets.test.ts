/**
 * A secret with no value is an unknown secret in a preview and an error anywhere else; program code
 * reads such values without waiting on an `apply` that never runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, test } from "vitest";
import { buildProgramContext } from "../../stacks/platform/program-context.js";
import { unknownSecret, valueWithUnknowns } from "../../stacks/platform/preview-unknowns.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";

const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
  call: () => {
    throw new Error("no invokes here");
  },
};

function context() {
  return buildProgramContext({
    stackName: "site-bodega",
    platform: defaultPlatformSettings,
    lifecycle: "active",
    secrets: "env-or-config",
    env: { SITESTACK_SECRET_PRESENT: "present-value" },
    unknownSecrets: new Set(["ABSENT"]),
  });
}

/** What an Output holds, as the SDK sees it (internal, for the assertion only). */
async function facts(output: pulumi.Output<unknown>) {
  const internal = output as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  return { known: await internal.isKnown, secret: await internal.isSecret };
}

describe("unknown secrets", () => {
  test("in a preview a secret with no value is unknown and secret; others resolve as before", async () => {
    await pulumi.runtime.setMocks(mocks, "sitestack", "site-bodega", true);
    const ctx = context();
    expect(await facts(ctx.secret("ABSENT"))).toEqual({ known: false, secret: true });
    expect(await facts(ctx.secret("PRESENT"))).toEqual({ known: true, secret: true });
    expect(await valueWithUnknowns(ctx.secret("PRESENT"))).toBe("present-value");
    expect(pulumi.isUnknown(await valueWithUnknowns(ctx.secret("ABSENT")))).toBe(true);
  });

  test("a map holding an unknown value keeps its keys known", async () => {
    await pulumi.runtime.setMocks(mocks, "sitestack", "site-bodega", true);
    const map = pulumi.secret({ "db.password": unknownSecret(), "site.id": pulumi.output("42") });
    const value = (await valueWithUnknowns(map)) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["db.password", "site.id"]);
    expect(pulumi.isUnknown(value["db.password"])).toBe(true);
  });

  test("outside a preview, asking for it fails instead of sending an unknown to an update", async () => {
    await pulumi.runtime.setMocks(mocks, "sitestack", "site-bodega", false);
    expect(() => context().secret("ABSENT")).toThrow(
      "secret ABSENT has no value; it may be unknown in a preview only, never in an update",
    );
  });
});
