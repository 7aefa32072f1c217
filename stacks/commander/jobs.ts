import { createHash, randomUUID } from "node:crypto";
import type pg from "pg";
import type { Database } from "./database.js";

/** The verbs a job runs: `up` is a submitted spec (create or update). */
export const jobVerbs = ["up", "preview", "refresh", "archive", "restore", "cleanup"] as const;

/** One job verb. */
export type JobVerb = (typeof jobVerbs)[number];

/** Where a job is. */
export type JobState = "queued" | "running" | "succeeded" | "failed";

/** A job as the API shows it. */
export interface Job {
  readonly id: string;
  readonly stack: string;
  readonly verb: JobVerb;
  readonly state: JobState;
  /** The token that asked for it. */
  readonly requestedBy: string;
  /** How many times a worker started it (more than 1 only after a worker died mid-job). */
  readonly attempts: number;
  /** The `serve` process that ran it last (`host/pid`). */
  readonly runner?: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /**
   * The outcome: status, change summary, outputs and, for box sites, the ingress address and the
   * DNS records the admin must create (`nextSteps`).
   */
  readonly result?: unknown;
  /** Why it failed (masked), when it did. */
  readonly error?: string;
  /** The spec submitted (`up`, `preview`): secret references only. */
  readonly spec?: unknown;
}

interface JobRow {
  id: string;
  stack: string;
  verb: JobVerb;
  state: JobState;
  requested_by: string;
  attempts: number;
  runner: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  result: unknown;
  error: string | null;
  spec: unknown;
  request_hash: string;
}

const columns =
  "id, stack, verb, state, requested_by, attempts, runner, created_at, started_at, finished_at, result, error, spec, request_hash";

function jobOf(row: JobRow): Job {
  return {
    id: row.id,
    stack: row.stack,
    verb: row.verb,
    state: row.state,
    requestedBy: row.requested_by,
    attempts: row.attempts,
    ...(row.runner === null ? {} : { runner: row.runner }),
    createdAt: row.created_at.toISOString(),
    ...(row.started_at === null ? {} : { startedAt: row.started_at.toISOString() }),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at.toISOString() }),
    ...(row.result === null ? {} : { result: row.result }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.spec === null ? {} : { spec: row.spec }),
  };
}

/** What a client asks for. */
export interface JobRequest {
  readonly stack: string;
  readonly verb: JobVerb;
  readonly spec?: unknown;
  readonly requestedBy: string;
  readonly idempotencyKey?: string;
}

/** The outcome of {@link insertJob}: a new job, or the first job of a repeated idempotency key. */
export type Submitted =
  | { readonly kind: "new"; readonly job: Job }
  | { readonly kind: "replayed"; readonly job: Job }
  | { readonly kind: "key-reused"; readonly job: Job };

function requestHash(request: JobRequest): string {
  return createHash("sha256")
    .update(JSON.stringify([request.stack, request.verb, request.spec ?? null]))
    .digest("hex");
}

/**
 * Records a job in the caller's transaction, unless the same token already sent the same
 * idempotency key: then the first job comes back (`replayed`), or `key-reused` when the key came
 * with a different request.
 */
export async function insertJob(client: pg.PoolClient, request: JobRequest): Promise<Submitted> {
  const hash = requestHash(request);
  const inserted = await client.query<JobRow>(
    `insert into sitestack.jobs (id, stack, verb, spec, requested_by, idempotency_key, request_hash)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (requested_by, idempotency_key) do nothing
     returning ${columns}`,
    [
      randomUUID(),
      request.stack,
      request.verb,
      request.spec === undefined ? null : JSON.stringify(request.spec),
      request.requestedBy,
      request.idempotencyKey ?? null,
      hash,
    ],
  );
  if (inserted.rows[0] !== undefined) return { kind: "new", job: jobOf(inserted.rows[0]) };
  const first = await client.query<JobRow>(
    `select ${columns} from sitestack.jobs where requested_by = $1 and idempotency_key = $2`,
    [request.requestedBy, request.idempotencyKey],
  );
  const row = first.rows[0]!;
  return { kind: row.request_hash === hash ? "replayed" : "key-reused", job: jobOf(row) };
}

/** One job, or undefined. */
export async function getJob(db: Database, id: string): Promise<Job | undefined> {
  const result = await db.query<JobRow>(`select ${columns} from sitestack.jobs where id = $1`, [
    id,
  ]);
  return result.rows[0] === undefined ? undefined : jobOf(result.rows[0]);
}

/** Jobs, newest first, of one stack or of all. */
export async function listJobs(
  db: Database,
  stack: string | undefined,
  limit: number,
): Promise<Job[]> {
  const result = await db.query<JobRow>(
    `select ${columns} from sitestack.jobs where ($1::text is null or stack = $1) order by seq desc limit $2`,
    [stack ?? null, limit],
  );
  return result.rows.map(jobOf);
}

/** How many jobs wait or run, for the queue-depth gauge. */
export async function countJobs(db: Database): Promise<Record<"queued" | "running", number>> {
  const result = await db.query<{ state: string; count: string }>(
    "select state, count(*) from sitestack.jobs where state in ('queued', 'running') group by state",
  );
  const count = (state: string) =>
    Number(result.rows.find((row) => row.state === state)?.count ?? 0);
  return { queued: count("queued"), running: count("running") };
}

/**
 * Claims a job for a run: `running`, one more attempt, this runner. Undefined when the job already
 * ended (a duplicate delivery must not run it again).
 */
export async function startJob(db: Database, id: string, runner: string): Promise<Job | undefined> {
  const result = await db.query<JobRow>(
    `update sitestack.jobs set state = 'running', attempts = attempts + 1, runner = $2, started_at = now()
     where id = $1 and state in ('queued', 'running') returning ${columns}`,
    [id, runner],
  );
  return result.rows[0] === undefined ? undefined : jobOf(result.rows[0]);
}

/** Records how a job ended. */
export async function finishJob(
  db: Database,
  id: string,
  outcome: {
    readonly state: "succeeded" | "failed";
    readonly result?: unknown;
    readonly error?: string;
  },
): Promise<Job | undefined> {
  const result = await db.query<JobRow>(
    `update sitestack.jobs set state = $2, result = $3, error = $4, finished_at = now()
     where id = $1 returning ${columns}`,
    [
      id,
      outcome.state,
      outcome.result === undefined ? null : JSON.stringify(outcome.result),
      outcome.error ?? null,
    ],
  );
  return result.rows[0] === undefined ? undefined : jobOf(result.rows[0]);
}
