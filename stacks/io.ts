/**
 * Where a command writes and what environment it sees: the CLI's verbs and `validate` (which the PR
 * pipeline runs too) take one. The real process streams in production; string buffers in tests, so
 * commands run in-process without spawning. Below every door, so none imports another to get it.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams and environment. */
export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
};
