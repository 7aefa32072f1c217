import { join, relative } from "node:path";
import { siteNameOfStack } from "../contract.js";
import { errorTable, exitCodeOf, ValidationFailed } from "../errors.js";
import type { ChangeSummary } from "../manager/changes.js";
import type { ManagerEvent } from "../manager/events.js";
import { runFleet } from "../manager/fleet.js";
import type { OperationOptions, OperationOutcome, StackManager } from "../manager/manager.js";
import type { StackStatus } from "../manager/status.js";
import { collectSiteFiles, loadSiteFiles, type SiteSpec } from "../site-model/index.js";
import { recordTarget, siteTarget } from "../site-target.js";
import type { StackTarget } from "../manager/target.js";
import { destroyApprovals, destroyTrailer, type DestroyApproval } from "./approval.js";
import {
  detectSiteChanges,
  orphansOf,
  siteNameOfPath,
  type OrphanStack,
  type SiteChange,
} from "./changes.js";
import { resolveCommit } from "./git.js";

/**
 * `sitestack ci apply` on the main branch: `up` of exactly the sites whose files changed between
 * `base` and `head`, `cleanup` of a deleted site's stack only when a commit in that range carries
 * its `Sitestack-Destroy:` approval, and a report of the orphan stacks, which are never touched.
 */

/** What the manager must offer `ci apply` (the composition root's manager, or a test's). */
export type ApplyManager = Pick<StackManager<SiteSpec>, "up" | "cleanup" | "list">;

/** Options of {@link ciApply}. */
export interface CiApplyOptions {
  /** The project folder: a git checkout of `head`. */
  readonly repoDir: string;
  /** The commit before the push (`github.event.before`), or the branch's previous state. */
  readonly base: string;
  /** @default "HEAD" — must be the checked-out commit: the working tree's files are applied */
  readonly head?: string;
  /** Only these sites (a CI matrix runs one job per site); each must be among the changes. */
  readonly sites?: readonly string[];
  /** @default "sites" */
  readonly sitesDir?: string;
  readonly manager: ApplyManager;
  /**
   * Stacks run this many at a time.
   * @default 2
   */
  readonly concurrency?: number;
  /**
   * How long an operation waits for another pipeline's lock on the same stack before failing.
   * @default 1_800_000 (30 minutes)
   */
  readonly waitTimeoutMs?: number;
  readonly onEvent?: (event: ManagerEvent) => void;
}

/** What `ci apply` did, or refused to do, for one site. */
export interface ApplyEntry {
  readonly site: string;
  readonly stack: string;
  /** The site file (at the head; at the base when deleted). */
  readonly path: string;
  readonly change: SiteChange["change"];
  /** Why the site is listed (`site file changed`, `renamed from …`, `chart box changed`). */
  readonly reason: string;
  /**
   * `up` applied the file; `cleanup` destroyed an approved deletion; `refused` left a deleted
   * site's stack alone for want of approval; `none` found no stack to destroy.
   */
  readonly action: "up" | "cleanup" | "refused" | "none";
  readonly result: "succeeded" | "failed" | "refused" | "skipped";
  /** The stack's status afterwards (absent once cleaned up). */
  readonly status?: StackStatus;
  readonly summary?: ChangeSummary["totals"];
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly durationMs: number;
  /** Why it failed or was refused, one paragraph. */
  readonly message?: string;
  /** The commit whose message approved the destruction. */
  readonly approvedBy?: string;
}

/** The whole of one `ci apply` run: the JSON form, and what the Markdown summary shows. */
export interface ApplyReport {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: { readonly ref: string; readonly commit: string };
  readonly entries: readonly ApplyEntry[];
  /** Stacks with no site file (review stagings left out), never touched. */
  readonly orphans: readonly OrphanStack[];
  /** Approvals naming a site whose file was not deleted in the range: they did nothing. */
  readonly unusedApprovals: readonly DestroyApproval[];
  /** 0 when everything applied; else the first failure's exit code, or 2 for a refusal. */
  readonly exitCode: number;
}

/** `--site` names a site the range did not change: nothing to do is not what the caller meant. */
function unknownSites(requested: readonly string[], changes: readonly SiteChange[]): string[] {
  return requested.filter((site) => !changes.some((change) => change.site === site));
}

function approvalOf(
  change: { site: string; stack: string },
  approvals: readonly DestroyApproval[],
): DestroyApproval | undefined {
  return approvals.find(
    (approval) => approval.name === change.site || approval.name === change.stack,
  );
}

/** The stacks of the range that lose their site file: deletions, and renames to a new stack. */
function removals(changes: readonly SiteChange[]): { change: SiteChange; stack: string }[] {
  return changes.flatMap((change) => {
    if (change.change === "deleted" && change.stack !== undefined) {
      return [{ change, stack: change.stack }];
    }
    if (change.change === "renamed" && change.previousStack !== undefined) {
      return [{ change, stack: change.previousStack }];
    }
    return [];
  });
}

function commandLineProblem(message: string): ValidationFailed {
  const failure = new ValidationFailed([
    { file: "<command line>", line: 1, col: 1, path: "", message },
  ]);
  failure.message = message;
  return failure;
}

/**
 * Applies what changed between `base` and `head`. Every site file of the checkout is validated
 * first (cross-file rules need them all): any problem and nothing runs. Each `up` and `cleanup`
 * waits for the stack's lock, so two pipelines on one stack run one after the other.
 * @throws ValidationFailed for invalid site files, a `--site` that did not change, or a head that
 *   is not the checked-out commit.
 */
export async function ciApply(options: CiApplyOptions): Promise<ApplyReport> {
  const sitesDir = options.sitesDir ?? "sites";
  const headRef = options.head ?? "HEAD";
  const [detected, approvals, checkedOut] = await Promise.all([
    detectSiteChanges({ repoDir: options.repoDir, base: options.base, head: headRef, sitesDir }),
    destroyApprovals({ repoDir: options.repoDir, base: options.base, head: headRef }),
    resolveCommit(options.repoDir, "HEAD", "HEAD"),
  ]);
  if (detected.head.commit !== checkedOut) {
    throw commandLineProblem(
      `--head ${headRef} is ${detected.head.commit.slice(0, 12)} but the checkout is at ${checkedOut.slice(0, 12)}: ci apply applies the checked-out files, so check out the head first`,
    );
  }
  const missing = unknownSites(options.sites ?? [], detected.changes);
  if (missing.length > 0) {
    throw commandLineProblem(
      `--site ${missing.join(", ")}: not changed between ${options.base} and ${headRef} (changed: ${detected.changes.map((change) => change.site).join(", ") || "none"})`,
    );
  }
  const wanted = (change: SiteChange) =>
    options.sites === undefined || options.sites.includes(change.site);
  const changes = detected.changes.filter(wanted);

  const loaded = await loadSiteFiles(collectSiteFiles([join(options.repoDir, sitesDir)]));
  if (!loaded.valid) throw new ValidationFailed(loaded.problems);
  const specs = new Map(
    loaded.files.flatMap((file) =>
      file.spec === undefined ? [] : [[relative(options.repoDir, file.file), file.spec] as const],
    ),
  );
  const operation: OperationOptions = {
    wait: true,
    ...(options.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: options.waitTimeoutMs }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  };

  // Applies first: a refused deletion must not hold back the sites that were changed.
  const toApply: (StackTarget<SiteSpec> & { change: SiteChange })[] = [];
  for (const change of changes) {
    if (change.change === "deleted") continue;
    const spec = specs.get(change.path);
    if (spec === undefined) continue; // validated above: only a file outside sites/ lands here
    toApply.push({ ...siteTarget(spec, change.path), change });
  }
  const applied = await runFleet(toApply, (target) => options.manager.up(target, operation), {
    concurrency: options.concurrency ?? 2,
  });
  const entries: ApplyEntry[] = applied.map((row, index) => {
    const { change } = toApply[index]!;
    return {
      site: change.site,
      stack: row.stack,
      path: change.path,
      change: change.change,
      reason: change.reason,
      action: "up",
      ...outcomeFields(row.outcome, row.error),
      result: row.result,
      durationMs: row.durationMs,
    };
  });

  const reports = await options.manager.list();
  const deployed = new Map(reports.map((report) => [report.stack, report]));
  const cleanups: {
    target: StackTarget<SiteSpec>;
    entry: Omit<ApplyEntry, "result" | "durationMs">;
  }[] = [];
  for (const { change, stack } of removals(changes)) {
    const path = change.previousPath ?? change.path;
    const base = {
      site: change.change === "renamed" ? siteNameOfPath(path) : change.site,
      stack,
      path,
      change: change.change,
      reason: change.reason,
    };
    const report = deployed.get(stack);
    const approval = approvalOf(base, approvals);
    if (report === undefined) {
      entries.push({
        ...base,
        action: "none",
        result: "skipped",
        durationMs: 0,
        message: `the backend has no stack ${stack}: nothing to destroy`,
      });
    } else if (approval === undefined) {
      entries.push({
        ...base,
        action: "refused",
        result: "refused",
        status: report.status,
        durationMs: 0,
        message: `${path} was removed, but no commit in ${options.base}..${headRef} carries \`${destroyTrailer}: ${base.site}\`: ${stack} was left as it is (reported as an orphan)`,
      });
    } else {
      cleanups.push({
        target: recordTarget(report),
        entry: { ...base, action: "cleanup", approvedBy: approval.commit },
      });
    }
  }
  const cleaned = await runFleet(
    cleanups.map((cleanup) => cleanup.target),
    (target) => options.manager.cleanup(target, operation),
    { concurrency: options.concurrency ?? 2 },
  );
  cleaned.forEach((row, index) => {
    entries.push({
      ...cleanups[index]!.entry,
      ...outcomeFields(row.outcome, row.error),
      result: row.result,
      durationMs: row.durationMs,
    });
  });

  const after = cleaned.length > 0 ? await options.manager.list() : reports;
  const removedSites = new Set(removals(detected.changes).map(({ stack }) => stack));
  const firstFailure = [...applied, ...cleaned].find((row) => row.result === "failed")?.error;
  return {
    base: detected.base,
    head: detected.head,
    entries,
    orphans: orphansOf(after, loaded.files),
    unusedApprovals: approvals.filter(
      (approval) =>
        ![...removedSites].some(
          (stack) => stack === approval.name || siteNameOfStack(stack) === approval.name,
        ),
    ),
    exitCode:
      firstFailure !== undefined
        ? exitCodeOf(firstFailure)
        : entries.some((entry) => entry.result === "refused")
          ? errorTable.ValidationFailed.exitCode
          : 0,
  };
}

function outcomeFields(
  outcome: OperationOutcome | undefined,
  error: Error | undefined,
): Pick<ApplyEntry, "status" | "summary" | "outputs" | "message"> {
  return {
    ...(outcome?.status === undefined ? {} : { status: outcome.status }),
    ...(outcome === undefined ? {} : { summary: outcome.summary.totals, outputs: outcome.outputs }),
    ...(error === undefined ? {} : { message: error.message }),
  };
}
