import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { escapeLine } from "../../escape.js";
import { siteNameOfStack, stackNameCandidates } from "../../contract.js";

/** Where the CLI looked for what an operand names. */
export interface LookedIn {
  /** The backend, as `describeBackend` names it. */
  readonly backend: string;
  /** Whether that backend is this checkout's own default (stacks made elsewhere are not in it). */
  readonly embeddedDefaultBackend: boolean;
  /** The stacks the backend holds. */
  readonly stacks: readonly string[];
  /** The sites folder, `sites` by default. */
  readonly sitesDir: string;
}

/** At most `limit` names, then how many more. */
function someOf(names: readonly string[], limit = 8): string {
  const shown = names.slice(0, limit).join(", ");
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}

/** The site files of a folder, by file name. */
function siteFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort();
  } catch {
    return [];
  }
}

/** Whether an operand is written as a path (a folder in it, or a site file's extension). */
export function looksLikePath(operand: string): boolean {
  return operand.includes("/") || /\.ya?ml$/.test(operand);
}

/**
 * Why a path operand names no site file, and what is there instead: `sites/nope.yaml: no such
 * file; the site files in sites/ are acme.yaml, bodega.yaml`.
 */
export function missingFileMessage(operand: string, sitesDir: string): string {
  const files = siteFilesIn(sitesDir);
  const there =
    files.length > 0
      ? `the site files in ${sitesDir}/ are ${someOf(files)}`
      : existsSync(sitesDir)
        ? `${sitesDir}/ has no site files`
        : `there is no ${sitesDir}/ folder here: run sitestack in the project folder`;
  return `${escapeLine(operand)}: no such file; ${there}`;
}

/**
 * Why a name operand names no stack, and the command that fixes it: which backend was looked in
 * and which stacks it has, and whether the site file of that name exists (then `up` creates the
 * stack) or not.
 */
export function missingStackMessage(operand: string, where: LookedIn): string {
  // `site-nope` means that stack; `nope` may be any kind's (site-nope, staging-nope).
  const candidates =
    siteNameOfStack(operand) === undefined ? stackNameCandidates(operand) : [operand];
  const names = candidates.map(escapeLine);
  const looked = `${names.slice(0, -1).join(", ")}${names.length > 1 ? " or " : ""}${names.at(-1) ?? ""}`;
  const has =
    where.stacks.length > 0
      ? `it has ${someOf(where.stacks)} (see \`sitestack list\`)`
      : `it has no stacks yet${where.embeddedDefaultBackend ? "" : " (stacks stay in the backend they were made in)"}`;
  const site = siteNameOfStack(operand) ?? operand;
  const file = [join(where.sitesDir, `${site}.yaml`), join(where.sitesDir, `${site}.yml`)].find(
    (path) => existsSync(path),
  );
  if (file === undefined) {
    const expected = escapeLine(join(where.sitesDir, `${site}.yaml`));
    return `no stack named ${looked} in the backend ${where.backend} and no site file ${expected}; ${has}`;
  }
  return (
    `no stack named ${looked} in the backend ${where.backend}; ${has}; ${escapeLine(file)} was ` +
    `never applied there: \`sitestack up ${escapeLine(file)}\` creates its stack`
  );
}
