import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { crossFileProblems, type CrossFileContext } from "./cross-file.js";
import { parseSiteText, type ParseResult } from "./parse.js";
import { locatorFor, type Locator } from "./positions.js";
import { formatPath, type Problem } from "./problem.js";
import { readSiteFileText } from "./read.js";
import type { SiteSpec } from "./site.js";

/** One site file after loading: its spec when it parsed, and its problems (none when valid). */
export interface SiteFile {
  readonly file: string;
  /** Present when the file parsed; a file with a spec may still have cross-file problems. */
  readonly spec?: SiteSpec;
  readonly problems: readonly Problem[];
  /** Problems found but not listed (see `maxProblemsPerFile`). */
  readonly omittedProblems: number;
}

/** Every file of a load, and all their problems in file order. */
export interface SiteFileSet {
  readonly files: readonly SiteFile[];
  readonly problems: readonly Problem[];
  /** True when no file has any problem. */
  readonly valid: boolean;
}

/** A path given to {@link collectSiteFiles} that is neither a file nor a folder. */
export class SitePathNotFound extends Error {
  /** @param path The path as given. */
  constructor(readonly path: string) {
    super(`no such file or folder: ${path}`);
    this.name = "SitePathNotFound";
  }
}

const siteFileExtension = /\.ya?ml$/;

/**
 * Expands paths to site files: a folder stands for the entries named `*.yaml` and `*.yml` directly
 * in it (sorted, so output and "first file wins" rules are stable); a file stands for itself.
 * Entries are listed whatever their type: a symbolic link, a FIFO or a folder with such a name is
 * reported by the loader as not a regular file, never skipped silently (see `readSiteFileText`).
 * Paths are not followed through symbolic links: a link given as a path is reported the same way.
 * @throws SitePathNotFound when a path does not exist.
 */
export function collectSiteFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = lstatSync(path).isDirectory();
    } catch {
      throw new SitePathNotFound(path);
    }
    if (!isFolder) {
      files.push(path);
      continue;
    }
    const names = readdirSync(path, { withFileTypes: true })
      .filter((entry) => siteFileExtension.test(entry.name))
      .map((entry) => entry.name)
      .sort();
    files.push(...names.map((name) => join(path, name)));
  }
  return [...new Set(files)];
}

/** Reads and validates one site file (the per-file rules only). Never throws. */
export async function loadSiteFile(path: string): Promise<ParseResult> {
  return loadOne(path).result;
}

/**
 * Reads and validates site files, then applies the rules that span files (duplicate names, box codes,
 * site ids and served host names; with `context.clusters`, the platform's clusters). Files are read synchronously on purpose: for a few thousand small
 * files that is several times faster than scheduling each read on the thread pool.
 */
export async function loadSiteFiles(
  paths: readonly string[],
  context: CrossFileContext = {},
): Promise<SiteFileSet> {
  const loaded = paths.map(loadOne);
  const parsed = loaded.flatMap(({ file, result }) =>
    result.ok ? [{ file, spec: result.spec }] : [],
  );
  const texts = new Map(loaded.map((entry) => [entry.file, entry.text]));
  const locators = new Map<string, Locator>();
  const extra = new Map<string, Problem[]>();
  for (const problem of crossFileProblems(parsed, context)) {
    let locate = locators.get(problem.file);
    if (locate === undefined) {
      locate = locatorFor(texts.get(problem.file) ?? "");
      locators.set(problem.file, locate);
    }
    const position = locate(problem.path, "value");
    const list = extra.get(problem.file) ?? [];
    list.push({
      file: problem.file,
      ...position,
      path: formatPath(problem.path),
      message: problem.message,
    });
    extra.set(problem.file, list);
  }
  const files: SiteFile[] = loaded.map(({ file, result }) =>
    result.ok
      ? { file, spec: result.spec, problems: extra.get(file) ?? [], omittedProblems: 0 }
      : { file, problems: result.problems, omittedProblems: result.omitted },
  );
  const problems = files.flatMap((file) => file.problems);
  return { files, problems, valid: problems.length === 0 };
}

function loadOne(file: string): { file: string; text: string; result: ParseResult } {
  const read = readSiteFileText(file);
  if (!read.ok) {
    return {
      file,
      text: "",
      result: {
        ok: false,
        problems: [{ file, line: 1, col: 1, path: "", message: read.message }],
        omitted: 0,
      },
    };
  }
  return { file, text: read.text, result: parseSiteText(read.text, file) };
}
