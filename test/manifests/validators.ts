/**
 * Runs the real validators on rendered manifests: kubeconform (strict, with schemas derived in
 * ./schemas.ts) and kube-score (flags and justified exceptions in tools/kube-score-exceptions.json).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { toolPath } from "../support/tools.js";
import { kubeconformSchemaLocation, kubeconformSchemas } from "./schemas.js";

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** What a validator said: its exit code and its report lines. */
export interface ValidatorReport {
  readonly exitCode: number;
  readonly lines: string[];
}

async function runOn(
  yaml: string,
  command: string,
  args: (file: string) => string[],
): Promise<ValidatorReport> {
  const dir = await mkdtemp(join(tmpdir(), "sitestack-manifests-"));
  const file = join(dir, "manifests.yaml");
  try {
    await writeFile(file, yaml);
    const { stdout, exitCode } = await run(command, args(file), {
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      (r) => ({ stdout: r.stdout, exitCode: 0 }),
      (e: { stdout?: string; code?: number }) => ({
        stdout: e.stdout ?? "",
        exitCode: e.code ?? -1,
      }),
    );
    return { exitCode, lines: stdout.split("\n").filter((l) => l.trim() !== "") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** kubeconform `-strict` against the built-in, cert-manager and Gateway API schemas; no kind skipped. */
export async function kubeconform(yaml: string): Promise<ValidatorReport> {
  const [binary, schemas] = await Promise.all([toolPath("kubeconform"), kubeconformSchemas()]);
  return runOn(yaml, binary, (file) => [
    "-strict",
    "-summary",
    "-output",
    "text",
    "-schema-location",
    kubeconformSchemaLocation(schemas),
    file,
  ]);
}

interface KubeScorePolicy {
  kubernetesVersion: string;
  strictFlags: { flag: string; reason: string }[];
  exceptions: { flag: string; reason: string }[];
}

/** The kube-score policy: every flag, each with its reason. */
export async function kubeScorePolicy(): Promise<KubeScorePolicy> {
  return JSON.parse(
    await readFile(join(repoRoot, "tools", "kube-score-exceptions.json"), "utf8"),
  ) as KubeScorePolicy;
}

/** kube-score with the project's policy; `lines` holds only findings (CRITICAL and WARNING). */
export async function kubeScore(yaml: string): Promise<ValidatorReport> {
  const [binary, policy] = await Promise.all([toolPath("kube-score"), kubeScorePolicy()]);
  const report = await runOn(yaml, binary, (file) => [
    "score",
    "--output-format",
    "ci",
    "--kubernetes-version",
    policy.kubernetesVersion,
    ...policy.strictFlags.map((f) => f.flag),
    ...policy.exceptions.map((f) => f.flag),
    file,
  ]);
  return { ...report, lines: report.lines.filter((l) => /^\[(CRITICAL|WARNING)\]/.test(l)) };
}
