import { appendFile } from "node:fs/promises";
import { reportFatal } from "../cli/lifecycle/fatal.js";
import { dnsLabelProblem } from "../../components/value-rules.js";
import type { CliIo } from "../io.js";
import { detectSiteChanges, type SiteChanges } from "./changes.js";

/** One job of the main-branch workflow's matrix: a site and the stack its concurrency group names. */
export interface ApplyMatrixEntry {
  readonly site: string;
  readonly stack: string;
  readonly change: string;
}

/**
 * The matrix of the main-branch workflow (pure): one entry per changed site, deletions included
 * (their job refuses or, approved, cleans up). Only site names that are DNS labels: any other file
 * name is an invalid site file that `ci apply` refuses anyway, and keeping it out means no
 * user-made string reaches the workflow's expressions.
 */
export function applyMatrix(changes: SiteChanges): { include: ApplyMatrixEntry[] } {
  const seen = new Set<string>();
  const include: ApplyMatrixEntry[] = [];
  for (const change of changes.changes) {
    if (dnsLabelProblem(change.site) !== undefined || seen.has(change.site)) continue;
    seen.add(change.site);
    const stack = change.stack ?? change.previousStack ?? change.site;
    include.push({ site: change.site, stack, change: change.change });
  }
  return { include };
}

/**
 * `sitestack ci changes`: the changed sites as JSON on stdout and, in GitHub Actions, as the step
 * outputs `matrix` (for `strategy.matrix`) and `count` in `$GITHUB_OUTPUT`.
 */
export async function runCiChangesCommand(
  flags: { readonly base: string; readonly head?: string; readonly sitesDir?: string },
  io: CliIo,
): Promise<number> {
  try {
    const changes = await detectSiteChanges({
      repoDir: process.cwd(),
      base: flags.base,
      ...(flags.head === undefined ? {} : { head: flags.head }),
      ...(flags.sitesDir === undefined ? {} : { sitesDir: flags.sitesDir }),
    });
    const matrix = applyMatrix(changes);
    io.stdout(`${JSON.stringify({ ...changes, matrix, count: matrix.include.length }, null, 2)}\n`);
    const output = io.env.GITHUB_OUTPUT;
    if (output !== undefined && output !== "") {
      // JSON.stringify keeps it on one line: no value can start another output.
      await appendFile(
        output,
        `matrix=${JSON.stringify(matrix)}\ncount=${matrix.include.length}\n`,
      );
    }
    return 0;
  } catch (error) {
    return reportFatal(
      error,
      "json",
      (text) => io.stderr(text),
      (text) => io.stdout(text),
    );
  }
}
