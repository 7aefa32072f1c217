import { goToolPath, type GoToolName } from "../../tools/go-tool.js";

export type { GoToolName } from "../../tools/go-tool.js";

/**
 * The absolute path of a tool from `tools/versions.json` (kubeconform, kube-score, helm, etcd,
 * kube-apiserver, SeaweedFS's weed, …), built from Go modules into the per-user cache when missing.
 * Build progress is copied to stderr, because a cold build takes minutes and a silent test looks
 * hung.
 */
export function toolPath(name: GoToolName): Promise<string> {
  return goToolPath(name, { onProgress: (line) => process.stderr.write(`${line}\n`) });
}
