import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { ProgramContext } from "../platform/program-context.js";

/**
 * One stack to operate on: what the manager needs to know about a site file (or any other source of
 * a program). `Spec` is the parsed site spec in production, anything a test program needs in tests.
 */
export interface StackTarget<Spec> {
  /** The stack name, e.g. `site-acme`. */
  readonly stack: string;
  /** The spec's `kind`, recorded in the registry for listings. */
  readonly kind: string;
  /** Labels for fleet selection (`--selector team=shop`). */
  readonly labels: Readonly<Record<string, string>>;
  /** The site file the spec came from, for messages and the registry. */
  readonly file?: string;
  readonly spec: Spec;
}

/**
 * Builds the inline program of a stack from its spec and context. Production uses the spec
 * dispatcher (`stacks/program/index.ts`); tests inject programs made of their own resources.
 */
export type ProgramFactory<Spec> = (spec: Spec, context: ProgramContext) => PulumiFn;

/**
 * The names of every secret reference (`{secret: NAME}`) anywhere in a spec, sorted and unique, so
 * the manager can check and store them before the program runs.
 */
export function secretNamesIn(spec: unknown): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      if (
        entries.length === 1 &&
        entries[0]?.[0] === "secret" &&
        typeof entries[0][1] === "string"
      ) {
        names.add(entries[0][1]);
        return;
      }
      entries.forEach(([, child]) => visit(child));
    }
  };
  visit(spec);
  return [...names].sort();
}
