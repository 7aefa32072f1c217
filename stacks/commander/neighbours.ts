import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { ValidationFailed } from "../errors.js";
import type { StackManager } from "../manager/manager.js";
import {
  collectSiteFiles,
  crossFileProblems,
  formatPath,
  loadSiteFiles,
  type CheckedSite,
  type SiteSpec,
} from "../site-model/index.js";

/**
 * Checks a submitted spec against every other site as `validate` checks files against each other:
 * its name, box code, siteId and host names must not be another site's. The others are the
 * commander's `sites/` files and every stack in the backend (their last applied specs), so a site
 * created through the API cannot take the namespace or the domain of one made from a file or by
 * another client.
 * @throws ValidationFailed naming the field and the site that already has the value.
 */
export async function checkAgainstOtherSites(
  spec: SiteSpec,
  stack: string,
  projectDir: string,
  manager: StackManager<SiteSpec>,
): Promise<void> {
  const others: CheckedSite[] = [];
  const sitesDir = join(projectDir, "sites");
  if (existsSync(sitesDir)) {
    const files = await loadSiteFiles(collectSiteFiles([sitesDir]));
    for (const file of files.files) {
      if (file.spec !== undefined)
        others.push({ file: relative(projectDir, file.file), spec: file.spec });
    }
  }
  for (const report of await manager.list()) {
    if (report.stack !== stack && report.spec !== undefined && report.spec !== null) {
      others.push({ file: `stack ${report.stack}`, spec: report.spec as SiteSpec });
    }
  }
  const submitted = "request body";
  const problems = crossFileProblems([...others, { file: submitted, spec }])
    .filter((problem) => problem.file === submitted)
    .map((problem) => ({
      file: "request",
      line: 1,
      col: 1,
      path: formatPath(problem.path),
      message: problem.message,
    }));
  if (problems.length > 0) throw new ValidationFailed(problems);
}
