import type { Scrubber } from "../manager/scrub.js";
import { secretMask } from "../manager/scrub.js";
import type { Database } from "./database.js";

/** One audited request, as the API records it when it answers. */
export interface AuditRequest {
  readonly tokenName?: string;
  readonly ip: string;
  readonly method: string;
  readonly route: string;
  readonly stack?: string;
  readonly verb?: string;
  readonly jobId?: string;
  readonly spec?: unknown;
  readonly statusCode: number;
  /** `accepted`, `replayed`, `rejected: <why>`, `unauthenticated`, `forbidden`… */
  readonly result: string;
  readonly durationMs: number;
}

/** One row of the audit log. */
export interface AuditEntry extends AuditRequest {
  readonly id: number;
  readonly at: string;
  readonly jobDurationMs?: number;
  /** The job's engine output, masked. */
  readonly engineOutput?: string;
}

/**
 * Keys whose string values are masked in the audited spec even though a site spec holds secret
 * references only: a value a client put where it does not belong must not reach the log.
 */
const secretLikeKey = /(password|passwd|secret|token|credential|private.?key|api.?key)/i;

/**
 * The spec as the audit log keeps it: `{secret: NAME}` references stay (they name, never hold, a
 * value), string values under secret-looking keys become `[secret]`, and known secret values
 * (the scrubber's) are masked anywhere.
 */
export function maskSpec(spec: unknown, scrubber: Scrubber): unknown {
  const visit = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === "string") {
      return key !== undefined && secretLikeKey.test(key) && key !== "secret"
        ? secretMask
        : scrubber.scrub(value);
    }
    if (Array.isArray(value)) return value.map((item) => visit(item, key));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, visit(child, name)]),
      );
    }
    return value;
  };
  return visit(spec, undefined);
}

/** Writes one audited request. */
export async function recordAudit(db: Database, entry: AuditRequest): Promise<void> {
  await db.query(
    `insert into sitestack.audit (token_name, ip, method, route, stack, verb, job_id, spec, status_code, result, duration_ms)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      entry.tokenName ?? null,
      entry.ip,
      entry.method,
      entry.route,
      entry.stack ?? null,
      entry.verb ?? null,
      entry.jobId ?? null,
      entry.spec === undefined ? null : JSON.stringify(entry.spec),
      entry.statusCode,
      entry.result,
      Math.round(entry.durationMs),
    ],
  );
}

/** The longest engine output kept per job in the audit log. */
const maxEngineOutput = 256 * 1024;

/** Completes the audit rows of a job once it ended: result, run time and the (masked) engine output. */
export async function recordJobOutcome(
  db: Database,
  jobId: string,
  outcome: { readonly result: string; readonly durationMs: number; readonly engineOutput: string },
): Promise<void> {
  await db.query(
    `update sitestack.audit set result = $2, job_duration_ms = $3, engine_output = $4 where job_id = $1`,
    [
      jobId,
      outcome.result,
      Math.round(outcome.durationMs),
      outcome.engineOutput.slice(-maxEngineOutput),
    ],
  );
}

interface AuditRow {
  id: string;
  at: Date;
  token_name: string | null;
  ip: string;
  method: string;
  route: string;
  stack: string | null;
  verb: string | null;
  job_id: string | null;
  spec: unknown;
  status_code: number;
  result: string;
  duration_ms: number | null;
  job_duration_ms: number | null;
  engine_output: string | null;
}

/** The audit log, newest first, optionally of one stack. */
export async function listAudit(
  db: Database,
  stack: string | undefined,
  limit: number,
): Promise<AuditEntry[]> {
  const result = await db.query<AuditRow>(
    `select * from sitestack.audit where ($1::text is null or stack = $1) order by id desc limit $2`,
    [stack ?? null, limit],
  );
  return result.rows.map((row) => ({
    id: Number(row.id),
    at: row.at.toISOString(),
    ...(row.token_name === null ? {} : { tokenName: row.token_name }),
    ip: row.ip,
    method: row.method,
    route: row.route,
    ...(row.stack === null ? {} : { stack: row.stack }),
    ...(row.verb === null ? {} : { verb: row.verb }),
    ...(row.job_id === null ? {} : { jobId: row.job_id }),
    ...(row.spec === null ? {} : { spec: row.spec }),
    statusCode: row.status_code,
    result: row.result,
    durationMs: row.duration_ms ?? 0,
    ...(row.job_duration_ms === null ? {} : { jobDurationMs: row.job_duration_ms }),
    ...(row.engine_output === null ? {} : { engineOutput: row.engine_output }),
  }));
}

/**
 * Deletes audit rows older than the retention, and the events of jobs that ended before it (the
 * job rows themselves stay: they are what idempotency keys point at). Returns the rows removed.
 */
export async function purgeAudit(
  db: Database,
  retentionMs: number,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionMs);
  const audit = await db.query("delete from sitestack.audit where at < $1", [cutoff]);
  await db.query("delete from sitestack.events where at < $1", [cutoff]);
  return audit.rowCount ?? 0;
}

const units: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a retention such as `90d`, `12h` or `30m`.
 * @throws Error saying the accepted form.
 */
export function parseRetention(text: string): number {
  const match = /^(\d{1,5})([mhd])$/.exec(text.trim());
  if (match === null || Number(match[1]) === 0) {
    throw new Error(
      `retention must be a positive number with a unit m, h or d (like 90d), got "${text}"`,
    );
  }
  return Number(match[1]) * units[match[2]!]!;
}
