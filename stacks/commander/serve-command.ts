import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CliIo } from "../io.js";
import { parseRetention } from "./audit.js";
import { startCommander } from "./commander.js";
import { openDatabase } from "./database.js";
import { startPrivatePostgres } from "./private-postgres.js";
import { createToken, listTokens, parseScopes, revokeToken } from "./tokens.js";

/** Flags of `sitestack serve`. */
export interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly workers: string;
  /** False with `--no-api`. */
  readonly api: boolean;
  readonly databaseUrl?: string;
  readonly auditRetention: string;
  readonly rateLimit: string;
  readonly jobHeartbeat: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsClientCa?: string;
}

function wholeNumber(name: string, text: string, min: number): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) < min) {
    throw new ServeUsage(`${name} must be a whole number ≥ ${min}, got "${text}"`);
  }
  return Number(text);
}

/** A command-line mistake: exit 2. */
class ServeUsage extends Error {}

/** The database URL without its password, for messages. */
function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "the configured database";
  }
}

/**
 * The API's TLS from `--tls-cert`, `--tls-key` and `--tls-client-ca`: HTTPS, and with a client CA
 * mutual TLS (a client without a certificate signed by that CA cannot even complete the
 * handshake). Undefined for plain HTTP.
 */
export function httpsOptions(
  flags: Pick<ServeFlags, "tlsCert" | "tlsKey" | "tlsClientCa">,
): import("node:https").ServerOptions | undefined {
  if (flags.tlsCert === undefined) {
    if (flags.tlsKey !== undefined || flags.tlsClientCa !== undefined) {
      throw new ServeUsage("--tls-key and --tls-client-ca need --tls-cert");
    }
    return undefined;
  }
  return {
    cert: readFileSync(flags.tlsCert),
    key: readFileSync(flags.tlsKey ?? flags.tlsCert),
    ...(flags.tlsClientCa === undefined
      ? {}
      : { ca: readFileSync(flags.tlsClientCa), requestCert: true, rejectUnauthorized: true }),
  };
}

/**
 * `sitestack serve`: the commander until SIGINT or SIGTERM, then a graceful stop (the API closes,
 * running jobs finish within 30 s).
 */
export async function runServe(
  flags: ServeFlags,
  io: CliIo,
  signals: NodeJS.Process = process,
): Promise<number> {
  try {
    const workers = wholeNumber("--workers", flags.workers, 0);
    if (!flags.api && workers === 0)
      throw new ServeUsage("--no-api with --workers 0 would do nothing");
    const tls = httpsOptions(flags);
    const databaseUrl = flags.databaseUrl ?? io.env.DATABASE_URL;
    const commander = await startCommander({
      projectDir: process.cwd(),
      env: io.env,
      ...(databaseUrl === undefined || databaseUrl === "" ? {} : { databaseUrl }),
      api: flags.api
        ? {
            host: flags.host,
            port: wholeNumber("--port", flags.port, 0),
            limits: { ratePerMinute: wholeNumber("--rate-limit", flags.rateLimit, 1) },
          }
        : false,
      workers,
      heartbeatSeconds: wholeNumber("--job-heartbeat", flags.jobHeartbeat, 10),
      auditRetentionMs: parseRetention(flags.auditRetention),
      server: { logger: false, ...(tls === undefined ? {} : { https: tls }) },
    });
    io.stderr(
      `sitestack serve: ${commander.url === undefined ? "no API (--no-api)" : `API on ${commander.url}`}, ` +
        `${workers} worker${workers === 1 ? "" : "s"} (${commander.queue.runner}), database ${describeDatabase(databaseUrl ?? "postgres://127.0.0.1/.sitestack/postgres")}\n`,
    );
    await new Promise<void>((resolve) => {
      signals.once("SIGINT", () => resolve());
      signals.once("SIGTERM", () => resolve());
    });
    io.stderr("sitestack serve: stopping (running jobs finish first)\n");
    await commander.stop();
    return 0;
  } catch (error) {
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof ServeUsage ||
      (error instanceof Error && /retention must be/.test(error.message))
      ? 2
      : 1;
  }
}

/** `sitestack serve token create|list|revoke`. */
export async function runToken(
  action: "create" | "list" | "revoke",
  name: string | undefined,
  flags: { readonly scopes?: string; readonly databaseUrl?: string },
  io: CliIo,
): Promise<number> {
  const databaseUrl = flags.databaseUrl ?? io.env.DATABASE_URL;
  const server =
    databaseUrl === undefined || databaseUrl === ""
      ? await startPrivatePostgres({ dir: join(process.cwd(), ".sitestack", "postgres") })
      : undefined;
  const db = await openDatabase(server?.url ?? databaseUrl!, 2);
  try {
    switch (action) {
      case "create": {
        const token = await createToken(db, name ?? "", parseScopes(flags.scopes ?? ""));
        io.stderr(`token "${name}" created; it is shown once, store it now:\n`);
        io.stdout(`${token}\n`);
        return 0;
      }
      case "list":
        for (const token of await listTokens(db))
          io.stdout(`${token.name}  ${token.scopes.join(",")}\n`);
        return 0;
      case "revoke":
        if (await revokeToken(db, name ?? "")) return 0;
        io.stderr(`error: no token named "${name}"\n`);
        return 3;
      default: {
        const unknownAction: never = action;
        throw new Error(`unknown token action ${String(unknownAction)}`);
      }
    }
  } catch (error) {
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await db.end();
    await server?.stop();
  }
}
