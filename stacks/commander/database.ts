import pg from "pg";

/**
 * The commander's tables, in a schema of their own beside pg-boss's `pgboss` schema. Every
 * statement is idempotent so any number of `serve` processes may start at once; they take turns on
 * an advisory lock.
 */
const schemaStatements = [
  `create schema if not exists sitestack`,
  // Bearer tokens: only the SHA-256 of each (see tokens.ts for why not bcrypt).
  `create table if not exists sitestack.tokens (
     name text primary key,
     hash bytea not null unique,
     scopes text[] not null,
     created_at timestamptz not null default now()
   )`,
  // One row per job the API accepted: what was asked, by whom, and what became of it. pg-boss
  // holds the same id in its own table for delivery; this table is the record.
  `create table if not exists sitestack.jobs (
     id uuid primary key,
     seq bigserial unique,
     stack text not null,
     verb text not null,
     state text not null default 'queued',
     spec jsonb,
     requested_by text not null,
     idempotency_key text,
     request_hash text not null,
     attempts integer not null default 0,
     runner text,
     created_at timestamptz not null default now(),
     started_at timestamptz,
     finished_at timestamptz,
     result jsonb,
     error text,
     unique (requested_by, idempotency_key)
   )`,
  `create index if not exists jobs_stack on sitestack.jobs (stack, seq)`,
  // The event log: job state changes, stack status changes and progress lines. Its ids are the
  // SSE event ids a client resumes from (Last-Event-ID).
  `create table if not exists sitestack.events (
     id bigserial primary key,
     at timestamptz not null default now(),
     stack text not null,
     job_id uuid,
     type text not null,
     data jsonb not null
   )`,
  `create index if not exists events_job on sitestack.events (job_id, id)`,
  `create index if not exists events_stack on sitestack.events (stack, id)`,
  // Who did what, from where, with what result: one row per mutating request (and per refused
  // one), completed by the worker when the job ends.
  `create table if not exists sitestack.audit (
     id bigserial primary key,
     at timestamptz not null default now(),
     token_name text,
     ip text not null,
     method text not null,
     route text not null,
     stack text,
     verb text,
     job_id uuid,
     spec jsonb,
     status_code integer not null,
     result text not null,
     duration_ms integer,
     job_duration_ms integer,
     engine_output text
   )`,
  `create index if not exists audit_at on sitestack.audit (at)`,
  `create index if not exists audit_job on sitestack.audit (job_id)`,
];

/** Any number: the advisory lock key the schema set-up takes turns on. */
const schemaLockKey = 7_105_115_116;

/** The commander's connection pool. */
export type Database = pg.Pool;

/** Opens a pool on `url` and makes sure the commander's tables exist. */
export async function openDatabase(url: string, max = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, application_name: "sitestack-commander" });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", () => undefined);
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock($1)", [schemaLockKey]);
    for (const statement of schemaStatements) await client.query(statement);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return pool;
}

/** Runs `work` in one transaction on one client. */
export async function inTransaction<T>(
  db: Database,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
