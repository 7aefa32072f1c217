import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  collectSiteFiles,
  formatProblem,
  loadSiteFile,
  loadSiteFiles,
  type SiteSpec,
} from "../../site-model/index.js";
import { resolveStackOperand, stackNameOf } from "../../contract.js";
import { dnsLabelProblem } from "../../../components/value-rules.js";
import { escapeLine } from "../../escape.js";
import { reportTarget, siteTarget } from "../../site-target.js";
import type { StackStatusReport } from "../../manager/status-view.js";
import { matchesSelector, parseSelector, type LabelRequirement } from "../../manager/selector.js";
import type { StackTarget } from "../../manager/target.js";
import {
  looksLikePath,
  missingFileMessage,
  missingStackMessage,
  type LookedIn,
} from "./not-found.js";

/** How the user picked stacks on the command line. */
export interface Selection {
  /** Site files, folders of site files, or stack/site names (`site-acme`, `acme`). */
  readonly operands: readonly string[];
  /** Every site file in the sites folder (verbs that apply a spec) or every stack in the backend. */
  readonly all: boolean;
  /** `team=shop,tier!=gold`. */
  readonly selector?: string;
  /** Every staging in the backend past its `ttl` (`cleanup --expired`). */
  readonly expired?: boolean;
  /** @default "sites" */
  readonly sitesDir: string;
  /** The backend and whether it is this checkout's default, for messages about names it lacks. */
  readonly backend?: Pick<LookedIn, "backend" | "embeddedDefaultBackend">;
}

/**
 * The selection cannot run: the site files did not validate (`site-files`), or the command line
 * names nothing or something that does not exist (`command-line`). Nothing is applied.
 */
export class SelectionInvalid extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly source: "site-files" | "command-line" = "site-files",
  ) {
    super(
      source === "site-files"
        ? `site files are not valid; nothing was applied:\n${problems.join("\n")}`
        : problems.length === 1
          ? (problems[0] ?? "")
          : `${problems.length} problems on the command line; nothing was run:${problems.map((problem) => `\n  - ${problem}`).join("")}`,
    );
    this.name = "SelectionInvalid";
  }
}

/**
 * Turns a selection into stack targets. Files are parsed and validated together (cross-file rules
 * included); a name is looked up among the backend's stacks, whose last applied spec stands in for
 * the file. `specRequired` verbs (`preview`, `up`) read `--all` as every file in the sites folder;
 * the others as every stack in the backend.
 */
export async function resolveTargets(
  selection: Selection,
  listStacks: () => Promise<readonly StackStatusReport[]>,
  specRequired: boolean,
): Promise<StackTarget<SiteSpec>[]> {
  const paths: string[] = [];
  const names: string[] = [];
  const missing: string[] = [];
  for (const operand of selection.operands) {
    if (existsSync(operand)) paths.push(operand);
    else if (looksLikePath(operand)) missing.push(missingFileMessage(operand, selection.sitesDir));
    else names.push(operand);
  }
  if (selection.all && specRequired) paths.push(selection.sitesDir);
  const targets = new Map<string, StackTarget<SiteSpec>>();
  if (paths.length > 0) {
    const loaded = await loadSiteFiles(collectSiteFiles(paths));
    if (!loaded.valid) throw new SelectionInvalid(loaded.problems.map(formatProblem));
    for (const file of loaded.files) {
      if (file.spec === undefined) continue;
      const target = siteTarget(file.spec, file.file);
      targets.set(target.stack, target);
    }
  }
  const inBackend =
    names.length > 0 || (selection.all && !specRequired) || selection.expired === true
      ? await listStacks()
      : [];
  for (const name of names) {
    const stack = await resolveStackOperand(name, {
      deployed: async (candidate) => inBackend.some((r) => r.stack === candidate),
      stackOfSiteFile: (site) => stackOfSiteFile(selection.sitesDir, site),
    });
    const record = inBackend.find((r) => r.stack === stack);
    if (record === undefined) {
      missing.push(
        `${escapeLine(name)}: ${missingStackMessage(name, {
          backend: selection.backend?.backend ?? "in use",
          embeddedDefaultBackend: selection.backend?.embeddedDefaultBackend ?? false,
          stacks: inBackend.map((r) => r.stack),
          sitesDir: selection.sitesDir,
        })}`,
      );
      continue;
    }
    targets.set(record.stack, reportTarget(record));
  }
  if (missing.length > 0) throw new SelectionInvalid(missing, "command-line");
  if (selection.all && !specRequired) {
    for (const record of inBackend)
      if (!targets.has(record.stack)) targets.set(record.stack, reportTarget(record));
  }
  if (selection.expired === true) {
    for (const record of inBackend) {
      if (record.ttl.state === "expired" && !targets.has(record.stack)) {
        targets.set(record.stack, reportTarget(record));
      }
    }
  }
  const requirements = selectorRequirements(selection.selector);
  return [...targets.values()].filter((target) => matchesSelector(target.labels, requirements));
}

/** The requirements of a `--selector`, a bad one reported as a command-line problem (exit 2). */
export function selectorRequirements(selector: string | undefined): LabelRequirement[] {
  if (selector === undefined) return [];
  try {
    return parseSelector(selector);
  } catch (error) {
    throw new SelectionInvalid([`--selector: ${(error as Error).message}`], "command-line");
  }
}

/** The stack of the valid site file `<sitesDir>/<site>.yaml`, if there is one. */
export async function stackOfSiteFile(sitesDir: string, site: string): Promise<string | undefined> {
  // Only a site name can name a file: nothing like "../x" reaches the file system.
  if (dnsLabelProblem(site) !== undefined) return undefined;
  const loaded = await loadSiteFile(join(sitesDir, `${site}.yaml`));
  return loaded.ok ? stackNameOf(loaded.spec) : undefined;
}
