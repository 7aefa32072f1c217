import { formatProblem, type Problem } from "../spec/problem.js";
import type { ValidationReport } from "./report.js";

/** Problems as `file:line:col: field.path: message`, one per line. */
export function humanProblems(report: ValidationReport): string {
  return report.problems.map((problem) => `${formatProblem(problem)}\n`).join("");
}

/** One summary line: how many files were checked and how many are invalid. */
export function humanSummary(report: ValidationReport): string {
  const total = report.files.length;
  const files = `${total} site file${total === 1 ? "" : "s"}`;
  if (total === 0) return "no site files found\n";
  if (report.valid) return `${files} valid\n`;
  const invalid = report.files.filter((file) => !file.valid).length;
  const count = report.problems.length;
  return `${invalid} of ${files} invalid, ${count} problem${count === 1 ? "" : "s"}\n`;
}

/** The whole report as one JSON document. */
export function jsonReport(report: ValidationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// Workflow command escaping, as the Actions runner decodes it (actions/toolkit, command.ts).
function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One GitHub Actions `::error` annotation per problem, so the PR shows each on its line. */
export function githubAnnotations(problems: readonly Problem[]): string {
  return problems
    .map((problem) => {
      const properties = [
        `file=${escapeProperty(problem.file)}`,
        `line=${problem.line}`,
        `col=${problem.col}`,
        ...(problem.path === "" ? [] : [`title=${escapeProperty(problem.path)}`]),
      ].join(",");
      return `::error ${properties}::${escapeData(problem.message)}\n`;
    })
    .join("");
}
