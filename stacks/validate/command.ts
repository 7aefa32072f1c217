import { escapeLine } from "../escape.js";
import { errorTable, exitOk } from "../errors.js";
import { collectSiteFiles, loadSiteFiles, SitePathNotFound } from "../site-model/index.js";
import type { CliIo } from "../io.js";
import { readPlatformFile } from "../platform/file.js";
import { githubAnnotations, humanProblems, humanSummary, jsonReport } from "./format.js";
import { reportOf } from "./report.js";

/** Options of `sitestack validate`. */
export interface ValidateOptions {
  /** Print one JSON document instead of lines. */
  readonly json?: boolean;
}

/** The folder validated when no path is given. */
export const defaultSitesFolder = "sites";

/**
 * `sitestack validate [paths…]`: validates files and folders, and the project's platform file
 * (`sitestack.yaml`, whose clusters are the ones a site may choose), and prints every problem. Returns the
 * exit code: 0 when all files are valid, 2 when any is invalid, 1 when validation itself could not
 * run (a path that does not exist, an internal error).
 *
 * Inside GitHub Actions (`GITHUB_ACTIONS=true`) each problem is also printed as an `::error`
 * annotation: on stdout normally, on stderr with `--json` so stdout stays one JSON document.
 */
export async function runValidate(
  paths: readonly string[],
  options: ValidateOptions,
  io: CliIo,
): Promise<number> {
  let files: string[];
  try {
    files = collectSiteFiles(paths.length === 0 ? [defaultSitesFolder] : paths);
  } catch (error) {
    if (error instanceof SitePathNotFound) {
      io.stderr(`sitestack validate: ${escapeLine(error.message)}\n`);
      return 1;
    }
    throw error;
  }

  // The platform file is checked too, and its clusters are the ones a site may choose.
  const platform = readPlatformFile(process.cwd(), io.env);
  const loaded = await loadSiteFiles(
    files,
    platform.ok ? { clusters: Object.keys(platform.settings.clusters ?? {}) } : {},
  );
  const report = reportOf(
    platform.ok
      ? loaded
      : {
          files: [
            { file: platform.file, problems: platform.problems, omittedProblems: 0 },
            ...loaded.files,
          ],
          problems: [...platform.problems, ...loaded.problems],
          valid: false,
        },
  );
  const annotations = io.env.GITHUB_ACTIONS === "true" ? githubAnnotations(report.problems) : "";
  if (options.json) {
    io.stdout(jsonReport(report));
    if (annotations !== "") io.stderr(annotations);
  } else {
    io.stdout(humanProblems(report) + annotations);
    io.stderr(humanSummary(report));
  }
  return report.valid ? exitOk : errorTable.ValidationFailed.exitCode;
}
