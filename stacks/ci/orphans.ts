import { basename } from "node:path";
import { reviewPullRequestLabel, stackNameCandidates, stackNameOf } from "../contract.js";
import type { StackStatusReport } from "../manager/status-view.js";
import type { StackStatus } from "../manager/status.js";
import type { SiteFile } from "../site-model/index.js";

/**
 * Orphans: stacks the backend holds that no site file stands for any more. A deleted site file
 * never destroys anything by itself (the PR pipeline destroys only with an approval), so a stack
 * may outlive its file; every `ci plan` and `ci apply` lists such stacks so they are not forgotten.
 */

/** A stack without a site file. */
export interface OrphanStack {
  readonly stack: string;
  readonly kind: string;
  readonly status: StackStatus;
  /** The site file the stack was last applied from, as recorded in its metadata. */
  readonly file?: string;
  /** When the engine last changed it (ISO), if known. */
  readonly lastChanged?: string;
}

/** The site files' claims on stacks: the stack of each valid file, and every name of each invalid one. */
function claimedStacks(siteFiles: readonly SiteFile[]): Set<string> {
  const claimed = new Set<string>();
  for (const file of siteFiles) {
    if (file.spec !== undefined) claimed.add(stackNameOf(file.spec));
    else {
      // A file that does not parse has no known kind: it keeps every stack its name may mean, so
      // a typo in a PR never makes a live stack look abandoned.
      for (const name of stackNameCandidates(basename(file.file).replace(/\.ya?ml$/, "")).slice(1))
        claimed.add(name);
    }
  }
  return claimed;
}

/**
 * The stacks of `reports` that none of `siteFiles` stands for, sorted by name. Pure. A PR's review
 * staging (`sitestack ci review`, labelled {@link reviewPullRequestLabel}) has no site file on
 * purpose and is never an orphan: its PR's close (or its TTL) removes it.
 */
export function orphansOf(
  reports: readonly StackStatusReport[],
  siteFiles: readonly SiteFile[],
): OrphanStack[] {
  const claimed = claimedStacks(siteFiles);
  return reports
    .filter(
      (report) => !claimed.has(report.stack) && report.labels[reviewPullRequestLabel] === undefined,
    )
    .map((report) => ({
      stack: report.stack,
      kind: report.kind,
      status: report.status,
      ...(report.file === undefined ? {} : { file: report.file }),
      ...(report.lastUpdate === undefined
        ? {}
        : { lastChanged: new Date(report.lastUpdate.endTime).toISOString() }),
    }))
    .sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}

/**
 * The backend's stacks that none of `siteFiles` (every site file of the checkout, as
 * `loadSiteFiles` returns them) stands for. Reads the backend's records through the manager's
 * listing: no engine starts on `file://` and S3 backends.
 */
export async function listOrphanStacks(
  manager: { list(): Promise<StackStatusReport[]> },
  siteFiles: readonly SiteFile[],
): Promise<OrphanStack[]> {
  return orphansOf(await manager.list(), siteFiles);
}
