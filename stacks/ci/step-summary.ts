import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Where a pipeline command's Markdown summary goes: the file named by `--out` (uploaded as an
 * artifact, or read by a later step), and the job summary GitHub Actions shows on the run's page
 * (`$GITHUB_STEP_SUMMARY`, appended to, as the runner expects). Both are optional.
 */

/** The environment variable GitHub Actions sets to the job summary's file. */
export const stepSummaryEnvVar = "GITHUB_STEP_SUMMARY";

/** GitHub refuses a step summary over 1 MiB; a longer one is cut with a pointer to `--out`. */
export const stepSummaryLimitBytes = 1024 * 1024;

/** Writes `markdown` to `out` (when given) and appends it to the job summary (when in Actions). */
export async function publishSummary(
  markdown: string,
  options: { readonly out?: string; readonly env: Readonly<Record<string, string | undefined>> },
): Promise<void> {
  if (options.out !== undefined) {
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, markdown);
  }
  await appendJobSummary(options.env, fitStepSummary(markdown, options.out));
}

/** Appends `markdown` (already within the limit) to the job summary, when run in Actions. */
export async function appendJobSummary(
  env: Readonly<Record<string, string | undefined>>,
  markdown: string,
): Promise<void> {
  const jobSummary = env[stepSummaryEnvVar];
  if (jobSummary !== undefined && jobSummary !== "") await appendFile(jobSummary, markdown);
}

/** The text as the job summary can take it (pure). */
export function fitStepSummary(markdown: string, out?: string): string {
  if (Buffer.byteLength(markdown) <= stepSummaryLimitBytes) return markdown;
  const note = `\n\n…cut at GitHub's 1 MiB job summary limit${out === undefined ? "" : `; the whole text is in ${out}`}.\n`;
  let text = markdown.slice(0, stepSummaryLimitBytes - Buffer.byteLength(note) - 4);
  while (Buffer.byteLength(text) + Buffer.byteLength(note) > stepSummaryLimitBytes) {
    text = text.slice(0, -1024);
  }
  return `${text}${note}`;
}
