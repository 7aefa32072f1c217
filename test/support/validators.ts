/**
 * Runs the real validators on rendered manifests, for the component manifest tests and the chart
 * tests alike: kubeconform (strict, with schemas derived in ./kubeconform-schemas.ts) and kube-score
 * (the project's strict flags from tools/kube-score-exceptions.json plus one area's justified
 * exceptions).
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { kubeconformSchemaLocation, kubeconformSchemas } from "./kubeconform-schemas.js";
import { toolPath } from "./tools.js";

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The project's kube-score policy; its exceptions are those of the component manifests. */
export const projectKubeScorePolicyFile = join(repoRoot, "tools", "kube-score-exceptions.json");

/** What a tool said: its exit code, its stdout and stderr together, and their non-blank lines. */
export interface ToolReport {
  readonly exitCode: number;
  readonly output: string;
  readonly lines: string[];
}

/** Runs `command` with `stdin` piped in; a non-zero exit is a report, not an exception. */
export async function runTool(
  command: string,
  args: readonly string[],
  stdin?: string,
): Promise<ToolReport> {
  const child = run(command, [...args], { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin?.end(stdin ?? "");
  const { exitCode, output } = await child.then(
    (done) => ({ exitCode: 0, output: done.stdout + done.stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      exitCode: error.code ?? -1,
      output: (error.stdout ?? "") + (error.stderr ?? ""),
    }),
  );
  return { exitCode, output, lines: output.split("\n").filter((l) => l.trim() !== "") };
}

/** kubeconform `-strict` against the built-in, cert-manager and Gateway API schemas; no kind skipped. */
export async function kubeconform(yaml: string): Promise<ToolReport> {
  const [binary, schemas] = await Promise.all([toolPath("kubeconform"), kubeconformSchemas()]);
  const location = kubeconformSchemaLocation(schemas);
  return runTool(
    binary,
    ["-strict", "-summary", "-output", "text", "-schema-location", location, "-"],
    yaml,
  );
}

/** One kube-score flag and why it is passed. */
export interface KubeScoreFlag {
  readonly flag: string;
  readonly reason: string;
}

/** The project's kube-score policy: the Kubernetes version, the strict flags and the exceptions. */
export interface KubeScorePolicy {
  readonly kubernetesVersion: string;
  readonly strictFlags: readonly KubeScoreFlag[];
  readonly exceptions: readonly KubeScoreFlag[];
}

/**
 * The exceptions of an exceptions file (`{ "exceptions": [{ "flag", "reason" }] }`). An entry
 * without a real reason is an error, so no check is waived silently.
 */
export async function kubeScoreExceptions(file: string): Promise<KubeScoreFlag[]> {
  const { exceptions } = JSON.parse(await readFile(file, "utf8")) as {
    exceptions: Partial<KubeScoreFlag>[];
  };
  return exceptions.map((entry) => checkedFlag(file, entry));
}

/** The project's policy (tools/kube-score-exceptions.json), every flag checked for a reason. */
export async function kubeScorePolicy(): Promise<KubeScorePolicy> {
  const policy = JSON.parse(await readFile(projectKubeScorePolicyFile, "utf8")) as {
    kubernetesVersion: string;
    strictFlags: Partial<KubeScoreFlag>[];
  };
  return {
    kubernetesVersion: policy.kubernetesVersion,
    strictFlags: policy.strictFlags.map((entry) => checkedFlag(projectKubeScorePolicyFile, entry)),
    exceptions: await kubeScoreExceptions(projectKubeScorePolicyFile),
  };
}

function checkedFlag(file: string, entry: Partial<KubeScoreFlag>): KubeScoreFlag {
  if (typeof entry.flag !== "string" || !entry.flag.startsWith("--")) {
    throw new Error(`${file}: every entry names a kube-score flag, got ${JSON.stringify(entry)}`);
  }
  if (typeof entry.reason !== "string" || entry.reason.trim().length < 20) {
    throw new Error(`${file}: every entry needs a reason, got ${JSON.stringify(entry)}`);
  }
  return { flag: entry.flag, reason: entry.reason };
}

/**
 * kube-score with the project's strict flags and the exceptions of `exceptionsFile` (by default
 * the project's own, which are the component manifests'); `lines` holds only the findings
 * (CRITICAL and WARNING).
 */
export async function kubeScore(
  yaml: string,
  exceptionsFile: string = projectKubeScorePolicyFile,
): Promise<ToolReport> {
  const [binary, policy, exceptions] = await Promise.all([
    toolPath("kube-score"),
    kubeScorePolicy(),
    kubeScoreExceptions(exceptionsFile),
  ]);
  const report = await runTool(
    binary,
    [
      "score",
      "--output-format",
      "ci",
      "--kubernetes-version",
      policy.kubernetesVersion,
      ...policy.strictFlags.map((f) => f.flag),
      ...exceptions.map((f) => f.flag),
      "-",
    ],
    yaml,
  );
  return { ...report, lines: report.lines.filter((l) => /^\[(CRITICAL|WARNING)\]/.test(l)) };
}
