import type { Problem, SiteFileSet, SiteKind } from "../site-model/index.js";
import { stackNameOf } from "../contract.js";

/** The outcome for one file, as `--json` prints it. */
export interface FileOutcome {
  readonly file: string;
  readonly valid: boolean;
  /** Present when the file parsed. */
  readonly kind?: SiteKind;
  readonly name?: string;
  readonly stack?: string;
  /** Problems found, including those past `maxProblemsPerFile` that are not listed. */
  readonly problems: number;
}

/** The outcome of one `sitestack validate` run. */
export interface ValidationReport {
  readonly valid: boolean;
  readonly files: readonly FileOutcome[];
  readonly problems: readonly Problem[];
}

/** Summarises a loaded set of site files for output. */
export function reportOf(set: SiteFileSet): ValidationReport {
  return {
    valid: set.valid,
    files: set.files.map((file) => ({
      file: file.file,
      valid: file.problems.length === 0,
      ...(file.spec === undefined
        ? {}
        : { kind: file.spec.kind, name: file.spec.metadata.name, stack: stackNameOf(file.spec) }),
      problems: file.problems.length - (file.omittedProblems > 0 ? 1 : 0) + file.omittedProblems,
    })),
    problems: set.problems,
  };
}
