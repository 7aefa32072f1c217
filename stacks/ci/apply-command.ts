import { reportFatal } from "../cli/lifecycle/fatal.js";
import type { CliIo } from "../io.js";
import { ciApply } from "./apply.js";
import { renderApplySummary } from "./apply-summary.js";
import { progressLines } from "./progress.js";
import { publishSummary } from "./step-summary.js";

/** The flags of `sitestack ci apply`. */
export interface CiApplyFlags {
  readonly base: string;
  readonly head?: string;
  readonly site?: readonly string[];
  readonly sitesDir?: string;
  readonly out?: string;
  readonly json?: boolean;
  readonly concurrency?: string;
}

/**
 * Runs `sitestack ci apply` in the current folder: progress as `[stack] …` lines on stderr, the
 * Markdown summary (or with `--json` the report) on stdout, the summary also to `--out` and the
 * job summary. Returns the exit code: 0, the first failure's code, or 2 when a deletion was refused.
 */
export async function runCiApplyCommand(flags: CiApplyFlags, io: CliIo): Promise<number> {
  const err = (text: string) => io.stderr(text);
  try {
    const { loadSitePrograms, siteStackManager } = await import("../site-stacks.js");
    void loadSitePrograms();
    const report = await ciApply({
      repoDir: process.cwd(),
      base: flags.base,
      ...(flags.head === undefined ? {} : { head: flags.head }),
      ...(flags.site === undefined || flags.site.length === 0 ? {} : { sites: flags.site }),
      ...(flags.sitesDir === undefined ? {} : { sitesDir: flags.sitesDir }),
      concurrency: Number(flags.concurrency ?? "2"),
      manager: siteStackManager({ env: io.env }),
      onEvent: progressLines(err),
    });
    const markdown = renderApplySummary(report);
    await publishSummary(markdown, {
      ...(flags.out === undefined ? {} : { out: flags.out }),
      env: io.env,
    });
    io.stdout(flags.json === true ? `${JSON.stringify(report, null, 2)}\n` : markdown);
    return report.exitCode;
  } catch (error) {
    return reportFatal(error, flags.json === true ? "json" : "plain", err, (text) =>
      io.stdout(text),
    );
  }
}
