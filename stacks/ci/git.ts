import { spawn } from "node:child_process";
import { ValidationFailed } from "../errors.js";

/**
 * Git, as the PR pipeline asks it: one `git` process per question, started without a shell (refs
 * and paths come from pull requests and must never be read as shell syntax) and with every path
 * after `--`. Failures become typed errors whose messages say what to do.
 */

/** Largest output read from one git command: 64 MiB (a diff of thousands of files is a few KB). */
const maxGitOutputBytes = 64 * 1024 * 1024;

/** The folder given to the pipeline is not inside a git working tree. */
export class NotAGitRepository extends ValidationFailed {
  /** @param dir The folder that was asked. */
  constructor(readonly dir: string) {
    super([
      {
        file: "<command line>",
        line: 1,
        col: 1,
        path: "",
        message: `${dir} is not inside a git repository: run \`sitestack ci plan\` in a checkout (actions/checkout with fetch-depth: 0)`,
      },
    ]);
    this.message = this.problems[0]!.message;
  }
}

/** A ref given to the pipeline (`--base`, `--head`) names no commit, or has no merge base. */
export class GitRefInvalid extends ValidationFailed {
  /**
   * @param option The option that gave the ref (`--base`).
   * @param ref The ref as given.
   * @param detail What is wrong and what to do.
   */
  constructor(
    readonly option: string,
    readonly ref: string,
    detail: string,
  ) {
    super([{ file: "<command line>", line: 1, col: 1, path: option, message: detail }]);
    this.message = `${option} ${JSON.stringify(ref)}: ${detail}`;
  }
}

/** Git could not run, or failed in a way the pipeline has no words for (exit code 1). */
export class GitFailed extends Error {
  /**
   * @param args The git arguments (refs and paths only: never secrets).
   * @param detail Git's own message.
   */
  constructor(
    readonly args: readonly string[],
    readonly detail: string,
  ) {
    super(`git ${args.join(" ")} failed: ${detail}`);
    this.name = "GitFailed";
  }
}

/** What a finished git command printed and how it ended. */
export interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * The environment git runs with: only what it needs to find itself, its user's settings (HOME,
 * and the `GIT_CONFIG_*` that CI systems use to mark a checkout safe) and a temp folder, so the
 * pipeline's secrets (`SITESTACK_SECRET_*`, the passphrase, `GITHUB_TOKEN`) never reach a process
 * that has no use for them. Git must not page, prompt for credentials or speak another language.
 */
export function gitEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (["PATH", "HOME", "TMPDIR", "USER"].includes(key) || /^GIT_CONFIG_/.test(key)) {
      kept[key] = value;
    }
  }
  return { ...kept, GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
}

/**
 * Runs `git <args>` in `dir` with `input` on its standard input and returns its exit code and
 * output (never throws on a non-zero exit: callers tell "unknown ref" from "failed").
 * @throws GitFailed when git cannot be started or prints more than 64 MiB.
 */
export function runGit(dir: string, args: readonly string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: dir,
      stdio: ["pipe", "pipe", "pipe"],
      env: gitEnvironment(process.env),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let failed = false;
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxGitOutputBytes) {
        failed = true;
        child.kill();
        reject(new GitFailed(args, `printed more than ${maxGitOutputBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      failed = true;
      reject(new GitFailed(args, error.message));
    });
    child.on("close", (code) => {
      if (failed) return;
      resolve({ code: code ?? 1, stdout: Buffer.concat(chunks), stderr: stderr.trim() });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

/** Runs git and returns its standard output as text; a non-zero exit is a {@link GitFailed}. */
export async function gitText(dir: string, args: readonly string[]): Promise<string> {
  const result = await runGit(dir, args);
  if (result.code !== 0) throw new GitFailed(args, result.stderr);
  return result.stdout.toString("utf8");
}

/**
 * Checks that `dir` is inside a git working tree.
 * @throws NotAGitRepository when it is not.
 */
export async function assertGitRepository(dir: string): Promise<void> {
  const result = await runGit(dir, ["rev-parse", "--is-inside-work-tree"]);
  if (result.code !== 0 || result.stdout.toString("utf8").trim() !== "true") {
    throw new NotAGitRepository(dir);
  }
}

// A ref with a leading "-" would be read as an option; git's own ref rules forbid it anyway.
function refArgument(option: string, ref: string): string {
  if (ref === "" || ref.startsWith("-") || ref.includes("\0")) {
    throw new GitRefInvalid(option, ref, "is not a git ref (a branch, tag or commit)");
  }
  return ref;
}

/**
 * The commit a ref names.
 * @throws GitRefInvalid naming the option when it names none (say, a shallow clone without it).
 */
export async function resolveCommit(dir: string, option: string, ref: string): Promise<string> {
  const result = await runGit(dir, [
    "rev-parse",
    "--verify",
    "--quiet",
    `${refArgument(option, ref)}^{commit}`,
  ]);
  if (result.code !== 0) {
    throw new GitRefInvalid(
      option,
      ref,
      `names no commit in this repository; fetch it first (actions/checkout with fetch-depth: 0, or \`git fetch origin ${ref}\`)`,
    );
  }
  return result.stdout.toString("utf8").trim();
}

/**
 * The merge base of two commits: where the pull request's branch left the base branch, so changes
 * made on the base branch since then are not counted as the pull request's.
 * @throws GitRefInvalid when the two have no common history (a shallow clone).
 */
export async function mergeBase(
  dir: string,
  base: { option: string; ref: string; commit: string },
  head: string,
): Promise<string> {
  const result = await runGit(dir, ["merge-base", base.commit, head]);
  if (result.code !== 0) {
    throw new GitRefInvalid(
      base.option,
      base.ref,
      `has no common history with the head commit; the clone is probably shallow (actions/checkout with fetch-depth: 0)`,
    );
  }
  return result.stdout.toString("utf8").trim();
}

/** A blob to read: `<commit>:./<path>` (relative to the folder git runs in). */
export interface BlobRequest {
  readonly commit: string;
  readonly path: string;
}

/**
 * Reads many files of given commits with one `git cat-file --batch` process (one process per file
 * costs ~2 ms each: 0.4 s for 200 site files). Undefined for a path the commit does not have.
 */
export async function readBlobs(
  dir: string,
  requests: readonly BlobRequest[],
): Promise<(Buffer | undefined)[]> {
  // `cat-file --batch` reads one request per line: a path with a line break (legal in git, and a
  // pull request may add one) cannot be asked for, and reads as absent.
  const askable = requests.filter(({ path }) => !/[\n\r]/.test(path));
  if (askable.length === 0) return requests.map(() => undefined);
  const lines = askable.map(({ commit, path }) => `${commit}:./${path}\n`);
  const args = ["cat-file", "--batch"];
  const result = await runGit(dir, args, lines.join(""));
  if (result.code !== 0) throw new GitFailed(args, result.stderr);
  const out = result.stdout;
  const found = new Map<BlobRequest, Buffer | undefined>();
  let at = 0;
  for (const request of askable) {
    const end = out.indexOf(0x0a, at);
    if (end < 0) throw new GitFailed(args, "ended early");
    const header = out.subarray(at, end).toString("utf8");
    at = end + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (match === null) {
      found.set(request, undefined); // "<object> missing" or "ambiguous"
      continue;
    }
    const size = Number(match[2]);
    found.set(request, match[1] === "blob" ? out.subarray(at, at + size) : undefined);
    at += size + 1;
  }
  return requests.map((request) => found.get(request));
}
