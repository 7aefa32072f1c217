import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { SiteSpec } from "../spec/site.js";
import type { ProgramContext } from "./context.js";

/**
 * The production program factory: maps a parsed site spec to its kind's program. The switch is
 * exhaustive, so a new kind does not compile until it has a program.
 */
export function siteProgram(spec: SiteSpec, context: ProgramContext): PulumiFn {
  switch (spec.kind) {
    case "BoxSite":
    case "App":
    case "HostRoute":
    case "Staging":
      return unmapped(spec.kind, context);
    default: {
      const unknownKind: never = spec;
      throw new Error(`unknown site kind ${JSON.stringify((unknownKind as SiteSpec).kind)}`);
    }
  }
}

/** A program for a kind whose mapper has not landed yet: fails with a message that says so. */
function unmapped(kind: SiteSpec["kind"], context: ProgramContext): PulumiFn {
  return async () => {
    throw new Error(`${context.stackName}: kind ${kind} has no program yet (stacks/program/)`);
  };
}
