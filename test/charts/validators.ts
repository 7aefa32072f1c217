import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What a validator said: its exit code and its combined output. */
export interface ValidatorResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a validator with `input` on stdin; a non-zero exit is a result, not an exception. */
export async function runValidator(
  command: string,
  args: readonly string[],
  input?: string,
): Promise<ValidatorResult> {
  const child = run(command, [...args], { maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: (failed.stdout ?? "") + (failed.stderr ?? "") };
  }
}

/** One justified kube-score exception of a chart. */
interface KubeScoreException {
  readonly flag?: string;
  readonly ignoreTest?: string;
  readonly reason: string;
}

/**
 * The kube-score arguments a chart's `ci/kube-score-exceptions.json` asks for. Every exception must
 * carry a reason; one without is an error, so no check is waived silently.
 */
export async function kubeScoreExceptionArgs(file: string): Promise<string[]> {
  const { exceptions } = JSON.parse(await readFile(file, "utf8")) as {
    exceptions: KubeScoreException[];
  };
  return exceptions.flatMap((exception) => {
    if (exception.reason.trim().length < 20) {
      throw new Error(`${file}: every exception needs a reason, got ${JSON.stringify(exception)}`);
    }
    if (exception.flag !== undefined) return [exception.flag];
    if (exception.ignoreTest !== undefined) return ["--ignore-test", exception.ignoreTest];
    throw new Error(`${file}: an exception names a flag or an ignoreTest`);
  });
}
