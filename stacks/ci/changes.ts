import { basename, posix } from "node:path";
import { stackNameOf } from "../contract.js";
import { maxFileBytes, parseSiteText, type SiteKind, type SiteSpec } from "../site-model/index.js";
import {
  assertGitRepository,
  gitText,
  mergeBase,
  readBlobs,
  resolveCommit,
  runGit,
  GitFailed,
} from "./git.js";

export { GitFailed, GitRefInvalid, NotAGitRepository } from "./git.js";
export { listOrphanStacks, orphansOf, type OrphanStack } from "./orphans.js";

/**
 * What a pull request changes in the sites: the site files it adds, changes, renames and deletes
 * against the merge base, and the stagings it changes through a chart they use. The PR pipeline's
 * `ci plan` previews the first three and lists what the deleted ones would destroy; `ci apply`
 * applies them on the main branch. Only git and the site model are asked: no engine, no backend.
 */

/** How a site file changed. */
export type SiteChangeKind = "added" | "changed" | "renamed" | "deleted";

/** One site whose stack a pull request affects. */
export interface SiteChange {
  /** How the site changed: `changed` also for a staging whose chart changed. */
  readonly change: SiteChangeKind;
  /** The site file (relative to the project folder): at the head, or at the base when deleted. */
  readonly path: string;
  /** A renamed file's path at the base. */
  readonly previousPath?: string;
  /** The site name: the file's base name (the site model requires `metadata.name` to equal it). */
  readonly site: string;
  /** The site's kind, from the head's file (the base's when deleted); undefined when it does not parse. */
  readonly kind?: SiteKind;
  /** The site's stack (`site-acme`), from kind and name; undefined when the file does not parse. */
  readonly stack?: string;
  /**
   * A renamed file's stack at the base when it differs from {@link stack}: that stack loses its
   * site file (a rename is a new site, and the old stack is deleted only with approval).
   */
  readonly previousStack?: string;
  /** Why the site is listed, in words: `added`, `renamed from sites/old.yaml`, `chart box changed`. */
  readonly reason: string;
  /** The charts (folder names under `charts/`) whose change marks this staging. */
  readonly charts?: readonly string[];
}

/** Everything {@link detectSiteChanges} found. */
export interface SiteChanges {
  /** The base ref as given, and the commit it names. */
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: { readonly ref: string; readonly commit: string };
  /** The merge base the head is compared with. */
  readonly mergeBase: string;
  /** Every affected site, sorted by path. */
  readonly changes: readonly SiteChange[];
  /** Chart folders under `charts/` with any changed file, sorted. */
  readonly changedCharts: readonly string[];
}

/** Options of {@link detectSiteChanges}. */
export interface DetectSiteChangesOptions {
  /** The project folder: a git working tree or a folder inside one; paths are relative to it. */
  readonly repoDir: string;
  /** The branch the pull request goes into (`origin/main`). */
  readonly base: string;
  /** @default "HEAD" */
  readonly head?: string;
  /** @default "sites" */
  readonly sitesDir?: string;
  /** @default "charts" */
  readonly chartsDir?: string;
}

/** One entry of `git diff --name-status -z`. */
interface DiffEntry {
  readonly status: string;
  readonly path: string;
  readonly previousPath?: string;
}

/** Parses `git diff --name-status -z` output: `S\0path\0`, or `Rnn\0old\0new\0` for renames. */
export function parseNameStatus(output: string): DiffEntry[] {
  const fields = output.split("\0");
  const entries: DiffEntry[] = [];
  let index = 0;
  while (index < fields.length) {
    const status = fields[index] ?? "";
    if (status === "") break;
    if (status.startsWith("R") || status.startsWith("C")) {
      entries.push({
        status: status[0]!,
        previousPath: fields[index + 1]!,
        path: fields[index + 2]!,
      });
      index += 3;
    } else {
      entries.push({ status: status[0]!, path: fields[index + 1]! });
      index += 2;
    }
  }
  return entries;
}

/** Whether `path` is a site file: `*.yaml`/`*.yml` directly in the sites folder (as `validate` reads it). */
function isSiteFile(path: string, sitesDir: string): boolean {
  return posix.dirname(path) === sitesDir && /\.ya?ml$/.test(path);
}

/** The chart folder a path lies in (`charts/box/values.yaml` → `box`), if any. */
function chartOf(path: string, chartsDir: string): string | undefined {
  const prefix = `${chartsDir}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf("/");
  return slash > 0 ? rest.slice(0, slash) : undefined;
}

/** The site name of a site file: its base name without `.yaml`/`.yml`. */
export function siteNameOfPath(path: string): string {
  return basename(path).replace(/\.ya?ml$/, "");
}

/** The spec of a site file's text, or undefined when it does not parse (validation reports why). */
function specOf(text: Buffer | undefined, path: string): SiteSpec | undefined {
  if (text === undefined || text.length > maxFileBytes) return undefined;
  const parsed = parseSiteText(text.toString("utf8"), path);
  return parsed.ok ? parsed.spec : undefined;
}

function identity(spec: SiteSpec | undefined): { kind?: SiteKind; stack?: string } {
  return spec === undefined ? {} : { kind: spec.kind, stack: stackNameOf(spec) };
}

/**
 * The sites a pull request affects: site files added, changed, renamed or deleted between the merge
 * base of `base` and `head`, and stagings whose chart (any file under `charts/<chart>/`) changed.
 * Runs `git diff --name-status -M -z` (renames detected, paths NUL-separated so no name needs
 * quoting) and reads file contents from git, not from the working tree, so `head` need not be
 * checked out. A deleted file's kind and stack come from its content at the merge base.
 * @throws NotAGitRepository when `repoDir` is not in a git working tree.
 * @throws GitRefInvalid when `base` or `head` names no commit, or they share no history.
 * @throws GitFailed when git itself fails.
 */
export async function detectSiteChanges(options: DetectSiteChangesOptions): Promise<SiteChanges> {
  const dir = options.repoDir;
  const sitesDir = posix.normalize(options.sitesDir ?? "sites").replace(/\/$/, "");
  const chartsDir = posix.normalize(options.chartsDir ?? "charts").replace(/\/$/, "");
  const headRef = options.head ?? "HEAD";
  // Three git processes at once; "not a repository" is the answer that explains the others.
  const refs = Promise.all([
    resolveCommit(dir, "--base", options.base),
    resolveCommit(dir, "--head", headRef),
  ]);
  refs.catch(() => undefined);
  await assertGitRepository(dir);
  const [baseCommit, headCommit] = await refs;
  const since = await mergeBase(
    dir,
    { option: "--base", ref: options.base, commit: baseCommit },
    headCommit,
  );
  // --relative: paths relative to the project folder, and nothing outside it.
  const diffArgs = [
    "diff",
    "--name-status",
    "-M",
    "-z",
    "--relative",
    "--no-ext-diff",
    since,
    headCommit,
    "--",
  ];
  const diff = await runGit(dir, diffArgs);
  if (diff.code !== 0) throw new GitFailed(diffArgs, diff.stderr);
  const entries = parseNameStatus(diff.stdout.toString("utf8"));

  const changedCharts = new Set<string>();
  for (const entry of entries) {
    for (const path of [entry.path, entry.previousPath]) {
      const chart = path === undefined ? undefined : chartOf(path, chartsDir);
      if (chart !== undefined) changedCharts.add(chart);
    }
  }

  // Each entry as the file changes it: a rename across the sites folder's edge is an add or a delete.
  const pending: { entry: DiffEntry; change: SiteChangeKind }[] = [];
  for (const entry of entries) {
    const inNew = isSiteFile(entry.path, sitesDir);
    const inOld = entry.previousPath !== undefined && isSiteFile(entry.previousPath, sitesDir);
    if (entry.status === "R") {
      if (inNew && inOld) pending.push({ entry, change: "renamed" });
      else if (inNew) pending.push({ entry: { status: "A", path: entry.path }, change: "added" });
      else if (inOld)
        pending.push({ entry: { status: "D", path: entry.previousPath! }, change: "deleted" });
      continue;
    }
    if (!inNew) continue;
    if (entry.status === "A" || entry.status === "C") pending.push({ entry, change: "added" });
    else if (entry.status === "D") pending.push({ entry, change: "deleted" });
    else pending.push({ entry, change: "changed" }); // M, T (type change)
  }

  const blobs = await readBlobs(
    dir,
    pending.flatMap(({ entry, change }) => [
      { commit: change === "deleted" ? since : headCommit, path: entry.path },
      ...(entry.previousPath === undefined ? [] : [{ commit: since, path: entry.previousPath }]),
    ]),
  );
  const changes: SiteChange[] = [];
  let next = 0;
  for (const { entry, change } of pending) {
    const spec = specOf(blobs[next++], entry.path);
    const previous =
      entry.previousPath === undefined ? undefined : specOf(blobs[next++], entry.previousPath);
    const { kind, stack } = identity(spec);
    const previousStack = identity(previous).stack;
    changes.push({
      change,
      path: entry.path,
      ...(entry.previousPath === undefined ? {} : { previousPath: entry.previousPath }),
      site: siteNameOfPath(entry.path),
      ...(kind === undefined ? {} : { kind }),
      ...(stack === undefined ? {} : { stack }),
      ...(previousStack !== undefined && previousStack !== stack ? { previousStack } : {}),
      reason:
        change === "renamed"
          ? `renamed from ${entry.previousPath}`
          : change === "changed"
            ? "site file changed"
            : `site file ${change}`,
    });
  }

  if (changedCharts.size > 0) {
    changes.push(...(await stagingsOfCharts(dir, headCommit, sitesDir, changedCharts, changes)));
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    base: { ref: options.base, commit: baseCommit },
    head: { ref: headRef, commit: headCommit },
    mergeBase: since,
    changes,
    changedCharts: [...changedCharts].sort(),
  };
}

/**
 * The stagings at the head that use a changed chart, each marked `changed`; a staging whose file
 * the pull request changes too keeps its entry and gains the chart in it.
 */
async function stagingsOfCharts(
  dir: string,
  headCommit: string,
  sitesDir: string,
  charts: ReadonlySet<string>,
  fileChanges: SiteChange[],
): Promise<SiteChange[]> {
  const listing = await gitText(dir, [
    "ls-tree",
    "-z",
    "--name-only",
    headCommit,
    "--",
    `${sitesDir}/`,
  ]);
  const paths = listing.split("\0").filter((path) => path !== "" && isSiteFile(path, sitesDir));
  const blobs = await readBlobs(
    dir,
    paths.map((path) => ({ commit: headCommit, path })),
  );
  const marked: SiteChange[] = [];
  paths.forEach((path, index) => {
    const spec = specOf(blobs[index], path);
    if (spec?.kind !== "Staging" || !charts.has(spec.spec.chart)) return;
    const chartReason = `chart ${spec.spec.chart} changed`;
    const existing = fileChanges.findIndex((change) => change.path === path);
    if (existing >= 0) {
      const known = fileChanges[existing]!;
      fileChanges[existing] = {
        ...known,
        reason: `${known.reason}; ${chartReason}`,
        charts: [spec.spec.chart],
      };
      return;
    }
    marked.push({
      change: "changed",
      path,
      site: siteNameOfPath(path),
      kind: spec.kind,
      stack: stackNameOf(spec),
      reason: chartReason,
      charts: [spec.spec.chart],
    });
  });
  return marked;
}
