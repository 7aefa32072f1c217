import type { OpType } from "@pulumi/pulumi/automation/index.js";
import type { NextSteps } from "../program/next-steps.js";
import type { SiteChangeKind } from "./changes.js";
import type { OrphanStack } from "./orphans.js";

/**
 * The plan of a pull request: what `sitestack ci plan` found and previewed, as plain data. It is
 * written as `plan.json` (this shape, `schemaVersion` 1; see docs/ci.md) and rendered as Markdown
 * by pure functions (`render-plan.ts`), so the summary can be tested without an engine. Only
 * names, counts, paths, outputs the engine already masks and messages the manager scrubbed go in:
 * never a secret value.
 */

/** The version of {@link CiPlan}'s shape; a change that breaks readers increases it. */
export const planSchemaVersion = 1;

/** Resource steps of one site, by what a reviewer cares about. */
export interface ChangeCounts {
  readonly create: number;
  readonly update: number;
  /** Replacements (delete and create again): the steps that lose data or addresses. */
  readonly replace: number;
  readonly delete: number;
  /** Resources left as they are. */
  readonly same: number;
}

/** One planned resource step. */
export interface PlannedResource {
  /** The engine's step: `create`, `update`, `replace`, `create-replacement`, `delete`, … */
  readonly op: OpType;
  /** Which column of {@link ChangeCounts} it counts in. */
  readonly counted: keyof ChangeCounts | "other";
  readonly type: string;
  readonly name: string;
  /** Names of the changed properties (never their values). */
  readonly diffs: readonly string[];
}

/** How a changed site's preview went. */
export type SitePlanStatus =
  /** Previewed. */
  | "planned"
  /** The file has validation problems: not previewed (see the problems). */
  | "invalid"
  /** The preview ran and failed (see `error`). */
  | "failed";

/** A site the pull request adds, changes or renames, and its preview. */
export interface SitePlan {
  readonly change: Exclude<SiteChangeKind, "deleted">;
  readonly path: string;
  readonly previousPath?: string;
  readonly site: string;
  readonly kind?: string;
  readonly stack?: string;
  /** A renamed file's old stack when it differs (listed under deletions too). */
  readonly previousStack?: string;
  readonly reason: string;
  readonly status: SitePlanStatus;
  readonly counts: ChangeCounts;
  /** Every step but `same`, in the engine's order. */
  readonly resources: readonly PlannedResource[];
  /** The site's current outputs, when the stack exists (secret ones as `"[secret]"`). */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** What the site admin must do after `up` (ingress address, DNS records, test URL). */
  readonly nextSteps?: NextSteps;
  /** Secret names previewed as unknown values because this run has no value for them. */
  readonly unknownSecrets: readonly string[];
  /** The engine's warning lines (scrubbed). */
  readonly warnings: readonly string[];
  /** Why the preview failed (scrubbed), with status `failed`. */
  readonly error?: string;
  /** Wall time of the preview, in milliseconds (0 when not previewed). */
  readonly durationMs: number;
}

/** A site file the pull request deletes, and what destroying its stack would touch. */
export interface DeletionPlan {
  readonly path: string;
  readonly site: string;
  readonly kind?: string;
  readonly stack?: string;
  /** `deleted`, or `renamed` when a rename moved the site to another stack. */
  readonly change: "deleted" | "renamed";
  /** Whether the backend holds the stack (a file deleted before it was ever applied has none). */
  readonly exists: boolean;
  /** The stack's status, when it exists. */
  readonly status?: string;
  /** The resources `destroy` would delete, and those it keeps (`retained`). */
  readonly resources: readonly { type: string; name: string; retained: boolean }[];
  /** Why the resources could not be read, if they could not. */
  readonly error?: string;
}

/** A validation problem of a site file, as `validate` reports it. */
export interface PlanProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The field path (`spec.domain`), or empty. */
  readonly path: string;
  readonly message: string;
}

/** Everything `sitestack ci plan` found: the content of `plan.json`. */
export interface CiPlan {
  readonly schemaVersion: typeof planSchemaVersion;
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: { readonly ref: string; readonly commit: string };
  readonly mergeBase: string;
  /** The pull request's number, when given (`--pr`). */
  readonly pullRequest?: number;
  /** `ok` when every file is valid and every preview ran; `invalid` or `failed` otherwise. */
  readonly result: "ok" | "invalid" | "failed";
  readonly validation: {
    readonly files: number;
    readonly valid: boolean;
    readonly problems: readonly PlanProblem[];
  };
  /** Chart folders with a changed file. */
  readonly changedCharts: readonly string[];
  /** Sites added, changed (their file or chart) or renamed, sorted by path. */
  readonly sites: readonly SitePlan[];
  /** Site files deleted (and stacks a rename leaves behind): never destroyed by merging alone. */
  readonly deletions: readonly DeletionPlan[];
  /** Stacks in the backend with no site file that this pull request does not explain. */
  readonly orphans: readonly OrphanStack[];
  /** Wall time of the whole plan, in milliseconds. */
  readonly durationMs: number;
}

const countedAs: Readonly<Partial<Record<OpType, keyof ChangeCounts>>> = {
  same: "same",
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  "discard-replaced": "replace",
  "import-replacement": "replace",
  delete: "delete",
  discard: "delete",
};

/** The column a step counts in. */
export function countedOf(op: OpType): keyof ChangeCounts | "other" {
  return countedAs[op] ?? "other";
}

/** The counts of a list of steps (`same` included). */
export function countsOf(ops: Iterable<OpType>): ChangeCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  for (const op of ops) {
    const column = countedOf(op);
    if (column !== "other") counts[column] += 1;
  }
  return counts;
}

/** No steps at all. */
export const noChanges: ChangeCounts = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
