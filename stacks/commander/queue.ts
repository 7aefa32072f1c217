import { hostname } from "node:os";
import { PgBoss, type Job as BossJob } from "pg-boss";
import type pg from "pg";
import { inTransaction, type Database } from "./database.js";
import { appendEvent } from "./events.js";
import { finishJob, insertJob, type JobRequest, type Submitted } from "./jobs.js";

/** pg-boss's queue of sitestack jobs; its dead-letter queue holds jobs whose workers kept dying. */
export const jobQueueName = "sitestack-jobs";
const deadLetterQueueName = "sitestack-jobs-dead";

/** What a queued job carries: only its id; the job table holds the rest. */
interface JobData {
  readonly jobId: string;
}

/** Settings of the queue. */
export interface QueueSettings {
  /** Jobs this process runs at once (each on a different stack). @default 2 */
  readonly workers?: number;
  /**
   * A running job's heartbeat: a worker that misses it for this long (killed, frozen, its machine
   * gone) loses the job, which another worker retries. @default 30
   */
  readonly heartbeatSeconds?: number;
  /**
   * Runs of a job whose worker died before it is marked failed (the stack's next jobs then go
   * on). @default 3
   */
  readonly attempts?: number;
  /** This process's name in the job table: `host/pid`. */
  readonly runner?: string;
}

/**
 * The durable job queue on PostgreSQL, with pg-boss 12 (why pg-boss: docs/commander.md):
 * - its `key_strict_fifo` policy with the stack as the key gives FIFO per stack and one job per
 *   stack at a time, across every process sharing the database; other stacks run in parallel up to
 *   `workers` per process;
 * - fetching uses `FOR UPDATE SKIP LOCKED`, so no two processes get one job;
 * - a running job sends heartbeats; when they stop (the worker was SIGKILLed or its machine died)
 *   pg-boss's supervisor puts the job back for retry, ahead of the stack's later jobs; the manager
 *   recovers the interrupted operation (stacks/manager/recovery.ts) on the next run.
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly db: Database,
    readonly runner: string,
    private readonly workers: number,
  ) {}

  /** Connects to the database, installs or migrates pg-boss's schema, and creates the queues. */
  static async open(url: string, db: Database, settings: QueueSettings = {}): Promise<JobQueue> {
    const heartbeatSeconds = Math.max(10, settings.heartbeatSeconds ?? 30);
    const boss = new PgBoss({
      connectionString: url,
      max: 5,
      application_name: "sitestack-queue",
      // Missed heartbeats are noticed by the supervisor's monitor pass, which runs each queue at
      // most every monitorIntervalSeconds (60 s by default): check a few times per heartbeat, so a
      // dead worker's job is back within about 1.25 heartbeats.
      superviseIntervalSeconds: Math.max(1, Math.floor(heartbeatSeconds / 4)),
      monitorIntervalSeconds: Math.max(1, Math.floor(heartbeatSeconds / 4)),
    });
    boss.on("error", () => undefined);
    await boss.start();
    const queueOptions = {
      policy: "key_strict_fifo",
      heartbeatSeconds,
      // Operations may wait up to 30 min for a lock held elsewhere and then run long; the
      // heartbeat, not the expiry, is what notices a dead worker.
      expireInSeconds: 6 * 3600,
      retryLimit: Math.max(0, (settings.attempts ?? 3) - 1),
      retryDelay: 0,
      retryBackoff: false,
      deadLetter: deadLetterQueueName,
    } as const;
    for (const [name, options] of [
      [deadLetterQueueName, { policy: "standard" }],
      [jobQueueName, queueOptions],
    ] as const) {
      if ((await boss.getQueue(name)) === null)
        await boss.createQueue(name, options).catch(async (error: unknown) => {
          // Another process created it between the check and here.
          if ((await boss.getQueue(name)) === null) throw error;
        });
    }
    return new JobQueue(
      boss,
      db,
      settings.runner ?? `${hostname()}/${process.pid}`,
      Math.max(1, settings.workers ?? 2),
    );
  }

  /**
   * Records a job and queues it in one transaction, with its `queued` event: a job is in both
   * tables or in neither. A repeated idempotency key queues nothing.
   */
  async submit(request: JobRequest): Promise<Submitted> {
    return inTransaction(this.db, async (client) => {
      const submitted = await insertJob(client, request);
      if (submitted.kind !== "new") return submitted;
      const job = submitted.job;
      await this.boss.send(jobQueueName, { jobId: job.id } satisfies JobData, {
        id: job.id,
        singletonKey: job.stack,
        db: transactionDb(client),
      });
      await appendEvent(client, {
        stack: job.stack,
        job: job.id,
        type: "job",
        data: { state: "queued", verb: job.verb },
      });
      return submitted;
    });
  }

  /**
   * Starts this process's workers: `run` gets each job id and an abort signal. It must not throw
   * for a failed operation (that is a result, recorded by `run`): a throw means the job could not
   * be run and is retried.
   */
  async work(run: (jobId: string, signal: AbortSignal) => Promise<void>): Promise<void> {
    await this.boss.work<JobData>(
      jobQueueName,
      { localConcurrency: this.workers, pollingIntervalSeconds: 0.5, batchSize: 1 },
      async (jobs: BossJob<JobData>[]) => {
        for (const job of jobs) await run(job.data.jobId, job.signal);
      },
    );
    // A job whose workers kept dying: record it failed and free its stack's queue (a failed job
    // would hold back the stack's later jobs under key_strict_fifo).
    await this.boss.work<JobData>(
      deadLetterQueueName,
      { pollingIntervalSeconds: 1 },
      async (jobs) => {
        for (const job of jobs) {
          const finished = await finishJob(this.db, job.data.jobId, {
            state: "failed",
            error:
              "the workers running this job stopped (killed or their machine lost) on every attempt",
          });
          if (finished !== undefined) {
            await appendEvent(this.db, {
              stack: finished.stack,
              job: finished.id,
              type: "job",
              data: { state: "failed", verb: finished.verb, error: finished.error },
            });
          }
          await this.boss.deleteJob(jobQueueName, job.data.jobId);
        }
      },
    );
  }

  /** Stops taking jobs; running ones finish first, up to `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}

/** pg-boss's database interface on the caller's transaction. */
function transactionDb(client: pg.PoolClient) {
  return {
    executeSql: async (text: string, values?: unknown[]) => ({
      rows: (await client.query(text, values)).rows,
    }),
  };
}
