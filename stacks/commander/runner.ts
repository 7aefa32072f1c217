import { SitestackError, StackNotFound } from "../errors.js";
import type { ManagerEvent, OperationOutcome, StackManager } from "../manager/manager.js";
import type { Scrubber } from "../manager/scrub.js";
import { pendingStatusFor, type StackStatus } from "../manager/status.js";
import type { StackTarget } from "../manager/target.js";
import type { PlatformSettings } from "../platform/settings.js";
import { nextStepsOf } from "../program/next-steps.js";
import type { SiteSpec } from "../site-model/index.js";
import { reportTarget, reviveSiteSpec, siteTarget } from "../site-target.js";
import { recordJobOutcome } from "./audit.js";
import type { Database } from "./database.js";
import { appendEvent, type CommanderEvent } from "./events.js";
import { finishJob, startJob, type Job } from "./jobs.js";
import type { CommanderMetrics } from "./metrics.js";

/** What a worker needs to run jobs. */
export interface RunnerContext {
  readonly db: Database;
  readonly manager: StackManager<SiteSpec>;
  readonly platform: PlatformSettings;
  readonly scrubber: Scrubber;
  readonly metrics: CommanderMetrics;
  /** This process's name in the job table (`host/pid`). */
  readonly runner: string;
}

/** The status a stack has after `cleanup` removed it: not a backend status, the stream's word. */
export const removedStatus = "Removed";

/** What a finished job's `result` holds. */
export interface JobResult {
  readonly status?: StackStatus;
  readonly summary: OperationOutcome["summary"];
  readonly outputs: OperationOutcome["outputs"];
  readonly durationMs: number;
  readonly recovery?: string;
  /** For a box site after up/preview: the ingress address and the DNS records the admin must create. */
  readonly nextSteps?: ReturnType<typeof nextStepsOf>;
}

/** The stack target of a job: its submitted spec (up, preview) or the backend's last applied one. */
async function targetOf(context: RunnerContext, job: Job): Promise<StackTarget<SiteSpec>> {
  if (job.verb === "up" || job.verb === "preview") {
    return siteTarget(reviveSiteSpec(job.spec, job.stack));
  }
  return reportTarget(await context.manager.status(job.stack));
}

async function statusBefore(
  context: RunnerContext,
  stack: string,
): Promise<StackStatus | undefined> {
  try {
    return (await context.manager.status(stack)).status;
  } catch (error) {
    if (error instanceof StackNotFound) return undefined;
    throw error;
  }
}

/** The progress event of a manager event, or undefined for the ones the status events cover. */
function progressOf(event: ManagerEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case "output":
      return { kind: "output", line: event.line.slice(0, 2_000) };
    case "resource":
      return {
        kind: "resource",
        op: event.op,
        resourceType: event.resourceType,
        urn: event.urn,
        count: event.count,
      };
    case "waiting":
      return { kind: "waiting", holders: event.holders };
    case "recovery":
    case "notice":
      return { kind: event.type, message: event.message };
    case "start":
    case "end":
      return undefined;
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/**
 * Runs one job: claims it (a job that already ended is never run again), calls the stack manager's
 * verb with `wait` (a stack the CLI holds elsewhere is waited for, not failed), writes every status
 * change and progress line to the event log (and so to every `serve` process's event stream), and
 * records the result, the audit outcome and the metrics. An operation that fails is a failed job,
 * not an error: only a failure to reach the database escapes, and pg-boss retries the job.
 */
export async function runJob(
  context: RunnerContext,
  jobId: string,
  signal?: AbortSignal,
): Promise<void> {
  const job = await startJob(context.db, jobId, context.runner);
  if (job === undefined) return;
  const started = performance.now();
  // Events are written one after another, in the order the manager emitted them.
  let written: Promise<unknown> = Promise.resolve();
  const append = (event: Omit<CommanderEvent, "id" | "at" | "stack" | "job">) => {
    written = written.then(() =>
      appendEvent(context.db, { stack: job.stack, job: job.id, ...event }).catch(() => undefined),
    );
  };
  append({
    type: "job",
    data: { state: "running", verb: job.verb, attempt: job.attempts, runner: context.runner },
  });
  const output: string[] = [];
  let outcome: JobResult | undefined;
  let failure: string | undefined;
  let failureName: string | undefined;
  try {
    const previous = await statusBefore(context, job.stack);
    const target = await targetOf(context, job);
    const result = await context.manager.run(job.verb, target, {
      wait: true,
      ...(signal === undefined ? {} : { signal }),
      onEvent: (event) => {
        if (event.type === "output") output.push(event.line);
        if (job.verb !== "preview" && event.type === "start") {
          append({
            type: "status",
            data: {
              status: pendingStatusFor(job.verb, previous !== undefined),
              previous: previous ?? null,
              verb: job.verb,
            },
          });
        } else if (job.verb !== "preview" && event.type === "end") {
          append({
            type: "status",
            data: { status: event.status ?? removedStatus, verb: job.verb, ok: event.ok },
          });
        }
        const progress = progressOf(event);
        if (progress !== undefined) append({ type: "progress", data: progress });
      },
    });
    const nextSteps =
      job.verb === "up" || job.verb === "preview"
        ? nextStepsOf(target.spec, {
            stack: job.stack,
            verb: job.verb,
            outputs: result.outputs,
            platform: context.platform,
          })
        : undefined;
    outcome = {
      ...(result.status === undefined ? {} : { status: result.status }),
      summary: result.summary,
      outputs: result.outputs,
      durationMs: result.durationMs,
      ...(result.recovery === undefined ? {} : { recovery: result.recovery }),
      ...(nextSteps === undefined ? {} : { nextSteps }),
    };
  } catch (error) {
    failure = context.scrubber.scrub(error instanceof Error ? error.message : String(error));
    // The typed error's name, so `sitestack remote` exits with the CLI's code for it.
    failureName = error instanceof SitestackError ? error.name : "Internal";
  }
  await written;
  const state = failure === undefined ? "succeeded" : "failed";
  const finished = await finishJob(context.db, job.id, {
    state,
    result: outcome ?? { errorName: failureName },
    ...(failure === undefined ? {} : { error: failure }),
  });
  const seconds = (performance.now() - started) / 1000;
  context.metrics.jobDuration.observe({ verb: job.verb, result: state }, seconds);
  context.metrics.jobsFinished.inc({ verb: job.verb, result: state });
  await recordJobOutcome(context.db, job.id, {
    result:
      failure === undefined
        ? `succeeded${outcome?.status === undefined ? "" : ` (${outcome.status})`}`
        : `failed: ${failure}`,
    durationMs: seconds * 1000,
    engineOutput: context.scrubber.scrub(output.join("\n")),
  });
  await appendEvent(context.db, {
    stack: job.stack,
    job: job.id,
    type: "job",
    data: {
      state,
      verb: job.verb,
      attempt: finished?.attempts ?? job.attempts,
      ...(failure === undefined ? {} : { error: failure, errorName: failureName }),
      ...(outcome?.status === undefined ? {} : { status: outcome.status }),
    },
  });
}
