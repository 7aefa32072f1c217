import type { FastifyInstance } from "fastify";
import { join } from "node:path";
import type { EngineFactory, EngineHandle } from "../manager/engine.js";
import { Scrubber } from "../manager/scrub.js";
import { loadPlatformSettings } from "../platform/file.js";
import type { PlatformSettings } from "../platform/settings.js";
import { siteStackManager } from "../site-stacks.js";
import { commanderApp, type CommanderServerOptions } from "./api/app.js";
import type { CommanderLimits } from "./api/context.js";
import { purgeAudit } from "./audit.js";
import { coalescedReads } from "./coalesced-reads.js";
import { openDatabase, type Database } from "./database.js";
import { EventHub } from "./events.js";
import { commanderMetrics } from "./metrics.js";
import { startPrivatePostgres, type PrivatePostgres } from "./private-postgres.js";
import { JobQueue } from "./queue.js";
import { runJob } from "./runner.js";

/** How a commander process runs (`sitestack serve`'s options). */
export interface CommanderOptions {
  /** The project folder: `sites/`, `config/`, `.sitestack/` (the private PostgreSQL too). */
  readonly projectDir: string;
  /** Secrets (`SITESTACK_SECRET_*`), the passphrase and the backend, as for the CLI. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * The shared database of every `serve` process.
   * @default - a private PostgreSQL under `<projectDir>/.sitestack/postgres/` (one machine)
   */
  readonly databaseUrl?: string;
  /** The API's address, or false for a worker-only process (`--no-api`). */
  readonly api:
    false | { readonly host: string; readonly port: number; readonly limits?: CommanderLimits };
  /** Jobs this process runs at once (0: API only). */
  readonly workers: number;
  /** @default 30 */
  readonly heartbeatSeconds?: number;
  /** How long audit rows and job logs are kept. @default 90 days */
  readonly auditRetentionMs?: number;
  readonly engine?: EngineHandle | EngineFactory;
  readonly platform?: PlatformSettings;
  readonly server?: CommanderServerOptions;
  /** Where background errors of the queue go, already masked. @default - ignored */
  readonly onError?: (message: string) => void;
}

/** A running commander process. */
export interface RunningCommander {
  /** `http(s)://host:port` of the API, when it serves one. */
  readonly url?: string;
  readonly app?: FastifyInstance;
  readonly db: Database;
  readonly queue: JobQueue;
  /** Stops the API, lets running jobs finish (up to `graceMs`), closes the database. */
  stop(graceMs?: number): Promise<void>;
}

const hourMs = 3_600_000;

/**
 * Starts a commander: the database (the private one by default), the queue, the event hub, the
 * workers and the API. `sitestack serve` and the tests start it here.
 */
export async function startCommander(options: CommanderOptions): Promise<RunningCommander> {
  let privatePostgres: PrivatePostgres | undefined;
  let databaseUrl = options.databaseUrl;
  if (databaseUrl === undefined) {
    privatePostgres = await startPrivatePostgres({
      dir: join(options.projectDir, ".sitestack", "postgres"),
    });
    databaseUrl = privatePostgres.url;
  }
  const db = await openDatabase(databaseUrl);
  const platform = options.platform ?? loadPlatformSettings(options.projectDir, options.env);
  const manager = siteStackManager({
    projectDir: options.projectDir,
    env: options.env,
    platform,
    ...(options.engine === undefined ? {} : { engine: options.engine }),
  });
  const scrubber = Scrubber.fromEnv(options.env);
  // The database password never appears in a job's error, an event or a log line either.
  scrubber.add(decodeURIComponent(new URL(databaseUrl).password));
  const metrics = commanderMetrics(db);
  const queue = await JobQueue.open(databaseUrl, db, {
    workers: options.workers,
    onError: (error) => options.onError?.(scrubber.scrub(error.message)),
    ...(options.heartbeatSeconds === undefined
      ? {}
      : { heartbeatSeconds: options.heartbeatSeconds }),
  });
  const hub = new EventHub(databaseUrl, db);
  await hub.start();
  if (options.workers > 0) {
    await queue.work((jobId, signal) =>
      runJob({ db, manager, platform, scrubber, metrics, runner: queue.runner }, jobId, signal),
    );
  }
  const retentionMs = options.auditRetentionMs ?? 90 * 24 * hourMs;
  const purge = () => void purgeAudit(db, retentionMs).catch(() => undefined);
  purge();
  const purgeTimer = setInterval(purge, hourMs);
  purgeTimer.unref();

  let app: FastifyInstance | undefined;
  let url: string | undefined;
  if (options.api !== false) {
    app = await commanderApp(
      {
        db,
        manager: coalescedReads(manager),
        platform,
        projectDir: options.projectDir,
        jobs: queue,
        hub,
        metrics,
        scrubber,
        ...(options.api.limits === undefined ? {} : { limits: options.api.limits }),
      },
      options.server,
    );
    url = await app.listen({ host: options.api.host, port: options.api.port });
  }
  return {
    ...(url === undefined ? {} : { url }),
    ...(app === undefined ? {} : { app }),
    db,
    queue,
    async stop(graceMs = 30_000) {
      clearInterval(purgeTimer);
      await app?.close();
      await queue.stop(graceMs);
      await hub.stop();
      await db.end();
      await privatePostgres?.stop();
    },
  };
}
