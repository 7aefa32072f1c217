import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import pLimit from "p-limit";
import { stackNameCandidates } from "../contract.js";
import { escapeLine } from "../escape.js";
import { exitCodeOf, exitOk, errorTable } from "../errors.js";
import type { CliIo } from "../io.js";
import type { StackManager, StackStatusReport } from "../manager/manager.js";
import { Scrubber } from "../manager/scrub.js";
import { readPlatformFile } from "../platform/file.js";
import { platformFromEnv } from "../platform/env.js";
import type { PlatformSettings } from "../platform/settings.js";
import { nextStepsOf } from "../program/next-steps.js";
import {
  collectSiteFiles,
  loadSiteFiles,
  SitePathNotFound,
  type SiteFile,
  type SiteSpec,
} from "../site-model/index.js";
import { siteTarget } from "../site-target.js";
import { detectSiteChanges, siteNameOfPath, type SiteChange, type SiteChanges } from "./changes.js";
import { GitRefInvalid, runGit } from "./git.js";
import { orphansOf } from "./orphans.js";
import { appendJobSummary, stepSummaryEnvVar } from "./step-summary.js";
import {
  countedOf,
  countsOf,
  noChanges,
  planSchemaVersion,
  type CiPlan,
  type DeletionPlan,
  type PlanProblem,
  type SitePlan,
} from "./plan-model.js";
import {
  commentBudget,
  jobSummaryBudget,
  planMarker,
  renderPlanMarkdown,
  type FullTextPointer,
} from "./render-plan.js";
import { nameOfUrn } from "../manager/backend/layout.js";

/**
 * `sitestack ci plan`: what a pull request changes, validated and previewed. Detects the changed
 * site files against the merge base (`changes.ts`), validates every site file (the cross-file
 * rules need them all), previews each added, changed or renamed site with the real engine (a few
 * at a time), lists what the deleted ones would destroy (from the backend's state, no engine) and
 * the orphan stacks, then writes the plan as Markdown and JSON, to the job summary, and — with
 * `--comment` — as the pull request's one comment.
 */

/**
 * Previews at once by default. Each preview is an engine process, a Node.js program host and a
 * provider plugin (Kubernetes: ~150 MB, and a core while it plans); GitHub's standard Linux runners
 * for private repositories and the machines sitestack is tested on have 2 cores, where a third
 * preview only makes the others slower (measured in docs/performance.md).
 */
export const defaultPlanConcurrency = 2;

/** Options of {@link runCiPlan}, as `sitestack ci plan` takes them. */
export interface CiPlanOptions {
  /** The branch the pull request goes into. */
  readonly base: string;
  /** @default "HEAD": the checked-out commit (previews run on the files on disk). */
  readonly head?: string;
  /** @default ".sitestack/plan" in the project folder */
  readonly out?: string;
  /** @default defaultPlanConcurrency */
  readonly concurrency?: number;
  /** Print plan.json on stdout instead of lines. */
  readonly json?: boolean;
  /** Create or update the pull request's plan comment. */
  readonly comment?: boolean;
  /** The pull request's number (else read from the GitHub event). */
  readonly pr?: number;
  /** @default process.cwd() */
  readonly projectDir?: string;
  /** @default "sites" */
  readonly sitesDir?: string;
  /** The name of the artifact the workflow uploads `<out>` as, for the summary's pointer. */
  readonly artifactName?: string;
}

/** What a plan needs from the world; tests and the bench pass their own manager. */
export interface CiPlanDependencies {
  readonly manager?: StackManager<SiteSpec>;
  /** Posts the comment (the GitHub upsert by default). */
  readonly postComment?: (body: string, env: CliIo["env"], pr?: number) => Promise<string>;
}

/** The files {@link runCiPlan} writes into `--out`. */
export const planFiles = {
  summary: "summary.md",
  fullSummary: "summary-full.md",
  json: "plan.json",
} as const;

async function defaultPostComment(
  body: string,
  env: CliIo["env"],
  pr: number | undefined,
): Promise<string> {
  const { pullRequestTargetFromEnv, upsertPullRequestComment } =
    await import("./github-comment.js");
  const target = await pullRequestTargetFromEnv(env, pr);
  const result = await upsertPullRequestComment({ ...target, marker: planMarker, body });
  return `${result.action} the plan comment ${result.url}`;
}

/** Every string in a value with known secret values masked (a last guard; the manager scrubs too). */
function scrubDeep<T>(value: T, scrubber: Scrubber): T {
  if (typeof value === "string") return scrubber.scrub(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubDeep(item, scrubber)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, scrubDeep(item, scrubber)]),
    ) as T;
  }
  return value;
}

/** The pointer to the whole text: the run's page and the artifact, from GitHub's variables. */
function pointerOf(env: CliIo["env"], out: string, artifactName?: string): FullTextPointer {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  const run = env.GITHUB_RUN_ID;
  const runUrl =
    server !== undefined && repository !== undefined && run !== undefined && /^\d+$/.test(run)
      ? `${server}/${repository}/actions/runs/${run}`
      : undefined;
  return {
    ...(runUrl === undefined ? {} : { runUrl }),
    artifact:
      artifactName === undefined
        ? `${out}/${planFiles.fullSummary}`
        : `the artifact ${artifactName} (${planFiles.fullSummary})`,
  };
}

/** Refuses a head other than the checkout: previews run on the files on disk. */
async function assertHeadCheckedOut(dir: string, changes: SiteChanges): Promise<void> {
  const checkedOut = await runGit(dir, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  if (checkedOut.stdout.toString("utf8").trim() !== changes.head.commit) {
    throw new GitRefInvalid(
      "--head",
      changes.head.ref,
      "is not the checked-out commit; previews run on the files on disk, so check it out first (`git checkout` the pull request's head)",
    );
  }
}

/** A preview's warnings: the engine's `warning:` lines. */
function isWarning(line: string): boolean {
  return /^\s*warning:/i.test(line);
}

interface PlanContext {
  readonly manager: StackManager<SiteSpec>;
  readonly platform: PlatformSettings;
  readonly files: ReadonlyMap<string, SiteFile>;
  readonly progress: (line: string) => void;
}

/** A site's plan, and the error of a failed preview (its typed error decides the exit code). */
interface SiteOutcome {
  readonly plan: SitePlan;
  readonly error?: unknown;
}

async function planSite(change: SiteChange, context: PlanContext): Promise<SiteOutcome> {
  const common = {
    change: change.change as SitePlan["change"],
    path: change.path,
    ...(change.previousPath === undefined ? {} : { previousPath: change.previousPath }),
    site: change.site,
    ...(change.kind === undefined ? {} : { kind: change.kind }),
    ...(change.stack === undefined ? {} : { stack: change.stack }),
    ...(change.previousStack === undefined ? {} : { previousStack: change.previousStack }),
    reason: change.reason,
  };
  const file = context.files.get(change.path);
  if (file?.spec === undefined || file.problems.length > 0) {
    const plan: SitePlan = {
      ...common,
      status: "invalid",
      counts: noChanges,
      resources: [],
      outputs: {},
      unknownSecrets: [],
      warnings: [],
      durationMs: 0,
    };
    return { plan };
  }
  const target = siteTarget(file.spec, change.path);
  const warnings: string[] = [];
  const started = Date.now();
  context.progress(`[${target.stack}] preview started (${change.reason})`);
  try {
    const outcome = await context.manager.preview(target, {
      missingSecrets: "unknown",
      onEvent: (event) => {
        if (event.type === "output" && isWarning(event.line)) warnings.push(event.line.trim());
      },
    });
    const steps = outcome.summary.changes;
    const counts = countsOf(steps.map((step) => step.op));
    const nextSteps = nextStepsOf(file.spec, {
      stack: target.stack,
      verb: "preview",
      outputs: outcome.outputs,
      platform: context.platform,
    });
    const plan: SitePlan = {
      ...common,
      status: "planned",
      counts,
      resources: steps
        .filter((step) => step.op !== "same")
        .map((step) => ({
          op: step.op,
          counted: countedOf(step.op),
          type: step.type,
          name: nameOfUrn(step.urn),
          diffs: step.diffs,
        })),
      outputs: outcome.outputs,
      ...(nextSteps === undefined ? {} : { nextSteps }),
      unknownSecrets: outcome.unknownSecrets ?? [],
      warnings,
      durationMs: outcome.durationMs,
    };
    context.progress(
      `[${target.stack}] planned in ${(plan.durationMs / 1000).toFixed(1)} s${plan.unknownSecrets.length > 0 ? ` (unknown: ${plan.unknownSecrets.join(", ")})` : ""}`,
    );
    return { plan };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.progress(`[${target.stack}] preview failed: ${message}`);
    const plan: SitePlan = {
      ...common,
      status: "failed",
      counts: noChanges,
      resources: [],
      outputs: {},
      unknownSecrets: [],
      warnings,
      error: message,
      durationMs: Date.now() - started,
    };
    return { plan, error };
  }
}

/** What destroying a deleted file's stack would touch, from the backend (no engine). */
async function planDeletion(
  entry: {
    path: string;
    site: string;
    kind?: string;
    stack?: string;
    change: "deleted" | "renamed";
  },
  manager: StackManager<SiteSpec>,
  reports: readonly StackStatusReport[],
): Promise<DeletionPlan> {
  // A deleted file that did not parse at the base has no known kind: its stack is the deployed
  // one its name may mean (site-x, staging-x), so the plan still says what it would destroy.
  const candidates =
    entry.stack === undefined ? stackNameCandidates(entry.site).slice(1) : [entry.stack];
  const report = reports.find((candidate) => candidates.includes(candidate.stack));
  const stack = entry.stack ?? report?.stack;
  const base = {
    path: entry.path,
    site: entry.site,
    ...(entry.kind === undefined
      ? report === undefined
        ? {}
        : { kind: report.kind }
      : { kind: entry.kind }),
    ...(stack === undefined ? {} : { stack }),
    change: entry.change,
  };
  if (report === undefined) return { ...base, exists: false, resources: [] };
  try {
    const resources = await manager.resources(report.stack);
    return {
      ...base,
      exists: true,
      status: report.status,
      resources: resources.map(({ type, name, retained }) => ({ type, name, retained })),
    };
  } catch (error) {
    return {
      ...base,
      exists: true,
      status: report.status,
      resources: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The site files of the sites folder; none when a pull request deleted the last one (and git the folder). */
function siteFilesIn(folder: string): string[] {
  try {
    return collectSiteFiles([folder]);
  } catch (error) {
    if (error instanceof SitePathNotFound) return [];
    throw error;
  }
}

/** Runs `sitestack ci plan`; returns the exit code (0, 2 invalid files, 5 a failed preview, …). */
export async function runCiPlan(
  options: CiPlanOptions,
  io: CliIo,
  dependencies: CiPlanDependencies = {},
): Promise<number> {
  const started = Date.now();
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const sitesDir = options.sitesDir ?? "sites";
  const progress = (line: string) => io.stderr(`${escapeLine(line)}\n`);
  const { loadSitePrograms, siteStackManager } = await import("../site-stacks.js");
  void loadSitePrograms();

  // Git works in its own processes while this one validates every file.
  const detecting = detectSiteChanges({
    repoDir: projectDir,
    base: options.base,
    ...(options.head === undefined ? {} : { head: options.head }),
    sitesDir,
  }).then(async (found) => {
    if (options.head !== undefined && options.head !== "HEAD") {
      await assertHeadCheckedOut(projectDir, found);
    }
    return found;
  });
  detecting.catch(() => undefined);
  const platformFile = readPlatformFile(projectDir, io.env);
  const siteFiles = siteFilesIn(join(projectDir, sitesDir));
  const loaded = await loadSiteFiles(
    siteFiles,
    platformFile.ok ? { clusters: Object.keys(platformFile.settings.clusters ?? {}) } : {},
  );
  // Problems name files relative to the project, as `validate` run there does.
  const relativeOf = (file: string) =>
    file.startsWith(`${projectDir}/`) ? file.slice(projectDir.length + 1) : file;
  const files = new Map(loaded.files.map((file) => [relativeOf(file.file), file]));
  const problems: PlanProblem[] = [
    ...(platformFile.ok ? [] : platformFile.problems),
    ...loaded.problems,
  ].map((problem) => ({
    file: relativeOf(problem.file),
    line: problem.line,
    col: problem.col,
    path: problem.path,
    message: problem.message,
  }));
  const changes = await detecting;
  progress(
    `${changes.changes.length} site(s) changed against ${options.base} (merge base ${changes.mergeBase.slice(0, 7)}); ${files.size} site file(s), ${problems.length} problem(s)`,
  );

  const manager = dependencies.manager ?? siteStackManager({ projectDir, env: io.env });
  const platform = platformFile.ok ? platformFile.settings : platformFromEnv(io.env);
  const limit = pLimit(Math.max(1, options.concurrency ?? defaultPlanConcurrency));
  const context: PlanContext = { manager, platform, files, progress };
  const previewed = changes.changes.filter((change) => change.change !== "deleted");
  const deleted = [
    ...changes.changes
      .filter((change) => change.change === "deleted")
      .map((change) => ({ ...change, change: "deleted" as const })),
    ...previewed
      .filter((change) => change.previousStack !== undefined)
      .map((change) => ({
        path: change.previousPath ?? change.path,
        site: change.previousPath === undefined ? change.site : siteNameOfPath(change.previousPath),
        ...(change.kind === undefined ? {} : { kind: change.kind }),
        stack: change.previousStack!,
        change: "renamed" as const,
      })),
  ];
  // The backend's listing once (no engine on file:// and S3), while the previews run: deletions
  // and orphans both read it.
  const listing = manager.list();
  const [outcomes, deletions, reports] = await Promise.all([
    Promise.all(previewed.map((change) => limit(() => planSite(change, context)))),
    listing.then((reports) =>
      Promise.all(deleted.map((entry) => planDeletion(entry, manager, reports))),
    ),
    listing,
  ]);
  const sites = outcomes.map((outcome) => outcome.plan);
  const failure = outcomes.find((outcome) => outcome.error !== undefined)?.error;
  // A stack whose file this pull request deletes is listed as a deletion, not as an orphan.
  const explained = new Set(deletions.map((deletion) => deletion.stack));
  const orphans = orphansOf(reports, loaded.files).filter((orphan) => !explained.has(orphan.stack));

  const scrubber = Scrubber.fromEnv(io.env);
  const plan: CiPlan = scrubDeep(
    {
      schemaVersion: planSchemaVersion,
      base: changes.base,
      head: changes.head,
      mergeBase: changes.mergeBase,
      ...(options.pr === undefined ? {} : { pullRequest: options.pr }),
      result: problems.length > 0 ? "invalid" : failure !== undefined ? "failed" : "ok",
      validation: { files: files.size, valid: problems.length === 0, problems },
      changedCharts: changes.changedCharts,
      sites,
      deletions,
      orphans,
      durationMs: Date.now() - started,
    },
    scrubber,
  );

  const out = resolve(projectDir, options.out ?? ".sitestack/plan");
  const outShown = options.out ?? ".sitestack/plan";
  const pointer = pointerOf(io.env, outShown, options.artifactName);
  const full = renderPlanMarkdown(plan);
  const summary = renderPlanMarkdown(plan, { budget: commentBudget, pointer });
  await mkdir(out, { recursive: true });
  await Promise.all([
    writeFile(join(out, planFiles.summary), summary),
    writeFile(join(out, planFiles.fullSummary), full),
    writeFile(join(out, planFiles.json), `${JSON.stringify(plan, null, 2)}\n`),
  ]);
  if (io.env[stepSummaryEnvVar]) {
    // The job summary is the run's page itself: it points at the artifact only.
    await appendJobSummary(
      io.env,
      renderPlanMarkdown(plan, {
        budget: jobSummaryBudget,
        pointer: { artifact: pointer.artifact },
      }),
    );
  }
  if (options.comment === true) {
    const post = dependencies.postComment ?? defaultPostComment;
    progress(await post(summary, io.env, options.pr));
  }

  if (options.json === true) io.stdout(`${JSON.stringify(plan, null, 2)}\n`);
  else {
    for (const site of plan.sites) {
      io.stdout(
        `${escapeLine(site.stack ?? site.path)}\t${site.change}\t${site.status}\tcreate ${site.counts.create} update ${site.counts.update} replace ${site.counts.replace} delete ${site.counts.delete}${site.unknownSecrets.length > 0 ? `\tunknown: ${site.unknownSecrets.join(", ")}` : ""}\n`,
      );
    }
    for (const deletion of plan.deletions) {
      io.stdout(
        `${escapeLine(deletion.stack ?? deletion.path)}\tdeleted\t${deletion.exists ? `would destroy ${deletion.resources.filter((r) => !r.retained).length} resource(s)` : "never deployed"}\n`,
      );
    }
    for (const orphan of plan.orphans)
      io.stdout(`${escapeLine(orphan.stack)}\torphan\t${orphan.status}\n`);
    io.stdout(
      `plan written to ${escapeLine(outShown)}/ (${Object.values(planFiles).join(", ")})\n`,
    );
  }
  if (problems.length > 0) return errorTable.ValidationFailed.exitCode;
  return failure === undefined ? exitOk : exitCodeOf(failure);
}
