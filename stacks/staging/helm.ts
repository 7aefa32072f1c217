import { spawn } from "node:child_process";
import { parseAllDocuments } from "yaml";
import type { KubernetesObject } from "../../components/staging/index.js";
import type { HelmValues } from "./values.js";

/** What {@link helmTemplate} renders. */
export interface HelmTemplateRequest {
  /** Path of the helm binary. */
  readonly helm: string;
  /** The chart folder. */
  readonly chartDir: string;
  /** Helm release name. */
  readonly release: string;
  /** Namespace the release is rendered for. */
  readonly namespace: string;
  /** Values passed to Helm (no secret value: those never go through Helm). */
  readonly values: HelmValues;
  /**
   * Kubernetes version the chart is rendered for (`.Capabilities.KubeVersion`).
   * @default - helm's built-in version
   */
  readonly kubeVersion?: string;
}

/** Raised when `helm template` fails; the message carries helm's own explanation. */
export class HelmTemplateFailed extends Error {
  constructor(
    readonly chartDir: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`helm template ${chartDir} failed (exit ${exitCode}): ${stderr.trim()}`);
    this.name = "HelmTemplateFailed";
  }
}

/**
 * Renders a chart with `helm template` and returns its objects in the order Helm printed them.
 * The values go in on stdin (`--values -`), so they are never written to a file; helm runs without
 * a cluster (no `--validate`), and tests (`templates/tests/`) are skipped.
 */
export async function helmTemplate(request: HelmTemplateRequest): Promise<KubernetesObject[]> {
  const args = [
    "template",
    request.release,
    request.chartDir,
    "--namespace",
    request.namespace,
    "--values",
    "-",
    "--skip-tests",
    ...(request.kubeVersion === undefined ? [] : ["--kube-version", request.kubeVersion]),
  ];
  const { code, stdout, stderr } = await run(request.helm, args, JSON.stringify(request.values));
  if (code !== 0) throw new HelmTemplateFailed(request.chartDir, code, stderr);
  return parseManifests(stdout);
}

/** The objects of a multi-document YAML stream; empty documents are skipped. */
export function parseManifests(text: string): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(`rendered manifests are not valid YAML: ${document.errors[0]?.message}`);
    }
    const object: unknown = document.toJS();
    if (object !== null && object !== undefined) objects.push(object as KubernetesObject);
  }
  return objects;
}

function run(
  command: string,
  args: readonly string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No kubeconfig and no helm home from the caller's environment can change what is rendered.
    const child = spawn(command, args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", KUBECONFIG: "/dev/null" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
