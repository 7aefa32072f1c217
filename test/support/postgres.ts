import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPrivatePostgres } from "../../stacks/commander/private-postgres.js";
import { freePort } from "./ports.js";

/** A throw-away PostgreSQL from Debian's binaries on 127.0.0.1, for one test file. */
export interface TestPostgres {
  /** The `sitestack` database as its superuser. */
  readonly url: string;
  readonly port: number;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts a private PostgreSQL in a temporary folder with the same starter `sitestack serve` uses
 * for its one-machine default (stacks/commander/private-postgres.ts), with durability off (the
 * cluster is thrown away): about a second on these machines.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), "sitestack-pg-"));
  try {
    const server = await startPrivatePostgres({ dir, port: await freePort(), disposable: true });
    return {
      url: server.url,
      port: server.port,
      async stop() {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
