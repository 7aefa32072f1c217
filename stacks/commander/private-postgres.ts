import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdir, readFile, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { dirname, join } from "node:path";
import pg from "pg";

/**
 * A PostgreSQL server of sitestack's own, started from the distribution's binaries (Debian's
 * `postgresql` package: `/usr/lib/postgresql/<version>/bin`) in a folder of its own. `sitestack
 * serve` starts one under `.sitestack/postgres/` when no `DATABASE_URL` is given (the one-machine
 * default that needs no set-up), and the tests start one per suite in a temporary folder.
 */
export interface PrivatePostgres {
  /** `postgres://sitestack:…@127.0.0.1:<port>/sitestack`. Holds the password: never log it. */
  readonly url: string;
  readonly port: number;
  /** Whether this call started the server (false: one started earlier was still running). */
  readonly started: boolean;
  /** Stops the server if this call started it (a fast shutdown: clients are disconnected). */
  stop(): Promise<void>;
}

/** Options of {@link startPrivatePostgres}. */
export interface PrivatePostgresOptions {
  /** The folder of the server: `data/` (the cluster), `settings.json` (port, password), `log`. */
  readonly dir: string;
  /**
   * The TCP port on 127.0.0.1, used when the cluster is made; later starts keep the first one.
   * @default - a free port chosen by the system
   */
  readonly port?: number;
  /**
   * Trade durability for speed (fsync, synchronous commit and full-page writes off): for tests,
   * whose clusters are thrown away. Never for the server that holds a commander's jobs and audit.
   * @default false
   */
  readonly disposable?: boolean;
  /** @default - the newest version under /usr/lib/postgresql, or `SITESTACK_POSTGRES_BIN` */
  readonly binDir?: string;
  /** @default 30_000 */
  readonly startTimeoutMs?: number;
}

interface Settings {
  readonly port: number;
  readonly password: string;
}

/** The database and role sitestack creates in its private cluster. */
export const privateDatabase = "sitestack";

/** The folder of `initdb` and `postgres`: the newest installed Debian version, unless set. */
export function postgresBinDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const configured = env.SITESTACK_POSTGRES_BIN;
  if (configured !== undefined && configured !== "") return configured;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error(
      "PostgreSQL's server binaries are not installed (no /usr/lib/postgresql/<version>/bin/postgres): " +
        "install Debian's `postgresql` package (tools/system-deps.sh does), set SITESTACK_POSTGRES_BIN, " +
        "or give `sitestack serve` a DATABASE_URL",
    );
  }
  return join(root, versions[0], "bin");
}

/**
 * PostgreSQL refuses to run as root. As root the server runs as the `postgres` user Debian's
 * package creates (else `nobody`), through util-linux's `setpriv`; otherwise as ourselves.
 */
interface RunAs {
  readonly uid: number;
  readonly gid: number;
  readonly prefix: readonly string[];
}

function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ["postgres", "nobody"]) {
    const id = spawnSync("id", ["-u", user], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", user], { encoding: "utf8" });
    if (id.status === 0 && gid.status === 0) {
      const uid = Number(id.stdout.trim());
      const group = Number(gid.stdout.trim());
      return {
        uid,
        gid: group,
        prefix: ["setpriv", `--reuid=${uid}`, `--regid=${group}`, "--clear-groups", "--"],
      };
    }
  }
  throw new Error(
    "running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as",
  );
}

/** As root: the folder must be reachable by the user the server runs as. */
async function ensureReachable(dir: string, as: RunAs): Promise<void> {
  await chown(dir, as.uid, as.gid);
  const [binary, args] = command(as, "test", ["-w", dir, "-a", "-x", dir]);
  if (spawnSync(binary, args, { env: serverEnv() }).status !== 0) {
    throw new Error(
      `PostgreSQL cannot run as root, so it runs as uid ${as.uid}, which cannot reach ${dir}: ` +
        "let that user traverse its parent folders (chmod o+x), or give `sitestack serve` a DATABASE_URL",
    );
  }
}

/** Only what the server needs: no secret of ours reaches its environment. */
function serverEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", TZ: "UTC" };
}

function command(
  as: RunAs | undefined,
  binary: string,
  args: readonly string[],
): [string, string[]] {
  if (as === undefined) return [binary, [...args]];
  const [first, ...rest] = as.prefix;
  return [first!, [...rest, binary, ...args]];
}

async function freeLoopbackPort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

async function readSettings(dir: string): Promise<Settings | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, "settings.json"), "utf8")) as Settings;
  } catch {
    return undefined;
  }
}

function urlOf(settings: Settings, database = privateDatabase): string {
  return `postgres://${privateDatabase}:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/${database}`;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Makes the cluster: `initdb` with a password-protected superuser `sitestack` (SCRAM on TCP). */
async function initCluster(
  dir: string,
  binDir: string,
  as: RunAs | undefined,
  port: number,
): Promise<Settings> {
  const settings: Settings = { port, password: randomBytes(24).toString("base64url") };
  const pwfile = join(dir, "initdb-password");
  await writeFile(pwfile, `${settings.password}\n`, { mode: 0o600 });
  if (as !== undefined) await chown(pwfile, as.uid, as.gid);
  const [binary, args] = command(as, join(binDir, "initdb"), [
    "-D",
    join(dir, "data"),
    "-U",
    privateDatabase,
    "--auth=scram-sha-256",
    `--pwfile=${pwfile}`,
    "-E",
    "UTF8",
    "--locale=C",
    "--no-instructions",
  ]);
  const result = spawnSync(binary, args, { encoding: "utf8", env: serverEnv(), cwd: dir });
  await writeFile(pwfile, "").catch(() => undefined);
  if (result.status !== 0) {
    throw new Error(
      `initdb failed in ${dir}: ${(result.stderr || result.stdout || String(result.error)).trim()}`,
    );
  }
  await writeFile(join(dir, "settings.json"), `${JSON.stringify(settings)}\n`, { mode: 0o600 });
  return settings;
}

/**
 * Starts (making it first if needed) a private PostgreSQL in `options.dir`, listening on
 * 127.0.0.1 only (no Unix socket), and makes sure the `sitestack` database exists. When a server of
 * this folder already answers (another `serve` on this machine started it), it is used as it is.
 */
export async function startPrivatePostgres(
  options: PrivatePostgresOptions,
): Promise<PrivatePostgres> {
  const dir = options.dir;
  // Only the server's own folder is private: its parents keep the usual mode, so the user the
  // server runs as (as root: `postgres`) can reach it.
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const binDir = options.binDir ?? postgresBinDir();
  const as = runAs();
  if (as !== undefined) await ensureReachable(dir, as);
  let settings = await readSettings(dir);
  if (settings !== undefined && (await answers(urlOf(settings, "postgres")))) {
    return {
      url: urlOf(settings),
      port: settings.port,
      started: false,
      stop: async () => undefined,
    };
  }
  settings ??= await initCluster(dir, binDir, as, options.port ?? (await freeLoopbackPort()));
  const fast =
    options.disposable === true
      ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
      : [];
  const [binary, args] = command(as, join(binDir, "postgres"), [
    "-D",
    join(dir, "data"),
    "-p",
    String(settings.port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
    "-c",
    "max_connections=200",
    ...fast,
  ]);
  const child = spawn(binary, args, {
    cwd: dir,
    env: serverEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => void (log = (log + chunk.toString("utf8")).slice(-8_192));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = once(child, "exit");
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  const adminUrl = urlOf(settings, "postgres");
  while (!(await answers(adminUrl))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(
        `PostgreSQL did not start in ${dir} on 127.0.0.1:${settings.port}:\n${log.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await ensureDatabase(adminUrl);
  return {
    url: urlOf(settings),
    port: settings.port,
    started: true,
    stop: () => stopServer(child, exited),
  };
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [
      privateDatabase,
    ]);
    if (found.rowCount === 0) await client.query(`create database ${privateDatabase}`);
  } finally {
    await client.end();
  }
}

async function stopServer(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, the cluster is left consistent.
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
