/**
 * Debian's nginx on loopback for tests: a private prefix in a temp directory (config, pid, logs, temp
 * files), no root-only paths, ports chosen by the kernel. Tests install routes into it with the same
 * install script the remote command runs on a VPS.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { NginxLayout } from "../../components/host-route/index.js";
import { procStat } from "../../stacks/manager/holder.js";

const run = promisify(execFile);

/** Debian's nginx binary (package `nginx`). */
export const nginxBinary = "/usr/sbin/nginx";

/** Throws a message that says how to get nginx when it is missing, instead of a spawn ENOENT. */
export function requireNginx(): void {
  if (!existsSync(nginxBinary)) {
    throw new Error(`${nginxBinary} not found: install Debian's nginx (apt-get install nginx)`);
  }
}

/** A private nginx prefix: its own nginx.conf that includes `<prefix>/conf.d/*.conf`. */
export interface NginxPrefix {
  /** The temp directory holding everything. */
  readonly dir: string;
  /** Where a route's files go, and the nginx command line that uses this prefix. */
  readonly layout: NginxLayout;
  /** The error log, for diagnostics. */
  readonly errorLog: string;
}

/** Creates a prefix with an empty `conf.d`. */
export async function createNginxPrefix(): Promise<NginxPrefix> {
  requireNginx();
  const dir = await mkdtemp(join(tmpdir(), "sitestack-nginx-"));
  await mkdir(join(dir, "conf.d"));
  await mkdir(join(dir, "tmp"));
  const errorLog = join(dir, "error.log");
  // Running as root, nginx would drop workers to "nobody", who cannot enter a 0700 temp dir.
  const user = process.getuid?.() === 0 ? ["user root;"] : [];
  await writeFile(
    join(dir, "nginx.conf"),
    [
      ...user,
      "worker_processes 1;",
      `pid ${dir}/nginx.pid;`,
      `error_log ${errorLog} notice;`,
      "events { worker_connections 64; }",
      "http {",
      `    access_log ${dir}/access.log;`,
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
        (kind) => `    ${kind}_temp_path ${dir}/tmp/${kind};`,
      ),
      `    include ${dir}/conf.d/*.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  return {
    dir,
    errorLog,
    layout: {
      confDir: join(dir, "conf.d"),
      stateDir: join(dir, "sitestack"),
      nginxCommand: `${nginxBinary} -p ${dir}/ -c ${dir}/nginx.conf`,
    },
  };
}

/** The outcome of `nginx -t` on a prefix. */
export interface CheckResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs `nginx -t` on the prefix's configuration. */
export async function checkNginx(prefix: NginxPrefix): Promise<CheckResult> {
  try {
    const { stderr, stdout } = await run(nginxBinary, [
      "-p",
      `${prefix.dir}/`,
      "-c",
      `${prefix.dir}/nginx.conf`,
      "-t",
    ]);
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

/** A running nginx master on a prefix. */
export interface RunningNginx {
  readonly prefix: NginxPrefix;
  /** The pids of the master's worker processes now. */
  workers(): number[];
  /**
   * Runs `reload` (something that makes nginx reload, e.g. the install script) and, when it
   * succeeds, waits until every worker of the old configuration has exited. A reload is graceful:
   * old workers go on accepting for a moment, so "one request saw the new config" proves nothing.
   */
  afterReload<T>(reload: () => Promise<T>, succeeded: (result: T) => boolean): Promise<T>;
  /** Stops nginx (fast shutdown) and waits for the master to exit. */
  stop(): Promise<void>;
}

/** Starts nginx in the foreground on the prefix and waits until its master has written its pid. */
export async function startNginx(prefix: NginxPrefix): Promise<RunningNginx> {
  const child: ChildProcess = spawn(
    nginxBinary,
    ["-p", `${prefix.dir}/`, "-c", `${prefix.dir}/nginx.conf`, "-g", "daemon off;"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pidFile = join(prefix.dir, "nginx.pid");
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}`);
    return existsSync(pidFile) && (await readFile(pidFile, "utf8")).trim() === String(child.pid);
  }, "nginx to write its pid file");
  const master = child.pid ?? -1;
  const workers = () => childPids(master);
  return {
    prefix,
    workers,
    async afterReload(reload, succeeded) {
      const before = workers();
      const result = await reload();
      if (succeeded(result)) {
        await waitFor(async () => {
          const now = workers();
          return now.length > 0 && now.every((pid) => !before.includes(pid));
        }, "the old nginx workers to exit after the reload");
      }
      return result;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The pids of the processes whose parent is `parent`, from /proc. */
function childPids(parent: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => procStat(pid)?.ppid === parent);
}

/** Removes a prefix directory. */
export async function removeNginxPrefix(prefix: NginxPrefix): Promise<void> {
  await rm(prefix.dir, { recursive: true, force: true });
}

/** A self-signed certificate and its key, PEM. */
export interface TestCertificate {
  readonly certificatePem: string;
  readonly keyPem: string;
}

/** Generates a self-signed P-256 certificate for `domain` with openssl (as `full` mode would). */
export async function selfSignedCertificate(domain: string): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), "sitestack-cert-"));
  try {
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      `/CN=${domain}`,
      "-addext",
      `subjectAltName=DNS:${domain}`,
    ]);
    return { certificatePem: await readFile(cert, "utf8"), keyPem: await readFile(key, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The outcome of running a shell script. */
export interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `script` with `sh -c`, feeding `stdin`: what an SSH server does with the remote command's
 * text and standard input.
 */
export function runShell(script: string, stdin: string): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", script], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Polls `condition` every 50 ms for up to 10 s. */
export async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
