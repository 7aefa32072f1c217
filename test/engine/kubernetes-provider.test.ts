import { existsSync, readlinkSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ensureKubernetesProvider } from "../../stacks/engine/kubernetes-provider.js";
import { standinProviderVersion } from "../../stacks/engine/kubernetes-standin/version.js";

const version = standinProviderVersion();

async function emptyHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), "sitestack-home-"));
}

describe("the Kubernetes provider an engine gets", () => {
  test("a provider already in the plugin cache is used as it is, whatever the engine", async () => {
    const home = await emptyHome();
    const dir = join(home, "plugins", `resource-kubernetes-v${version}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "pulumi-resource-kubernetes"), "#!/bin/sh\n", { mode: 0o755 });
    const warnings: string[] = [];
    const resolved = await ensureKubernetesProvider({
      engineSource: "build",
      pulumiHome: home,
      warn: (line) => warnings.push(line),
    });
    expect(resolved).toEqual({ source: "plugin-cache", version, pluginDirectory: dir });
    expect(warnings).toEqual([]);
  });

  test.each(["path", "installer", "configured"] as const)(
    "an engine from %s downloads the real provider itself: nothing is placed",
    async (engineSource) => {
      const home = await emptyHome();
      const resolved = await ensureKubernetesProvider({ engineSource, pulumiHome: home });
      expect(resolved.source).toBe("engine-download");
      expect(existsSync(join(home, "plugins"))).toBe(false);
    },
  );

  test.each(["cache", "build"] as const)(
    "an offline engine (%s) gets the stand-in at the SDK's exact version, with a warning",
    async (engineSource) => {
      const home = await emptyHome();
      const warnings: string[] = [];
      const resolved = await ensureKubernetesProvider({
        engineSource,
        pulumiHome: home,
        warn: (line) => warnings.push(line),
      });
      expect(resolved.source).toBe("offline-stand-in");
      const executable = join(resolved.pluginDirectory, "pulumi-resource-kubernetes");
      expect(readlinkSync(executable)).toMatch(
        /stacks\/engine\/kubernetes-standin\/pulumi-resource-kubernetes$/,
      );
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(
        `the real pulumi-resource-kubernetes ${version} is not available`,
      );
    },
  );

  test("a half-downloaded provider (.partial marker) does not count as installed", async () => {
    const home = await emptyHome();
    const dir = join(home, "plugins", `resource-kubernetes-v${version}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "pulumi-resource-kubernetes"), "", { mode: 0o755 });
    await writeFile(`${dir}.partial`, "");
    const resolved = await ensureKubernetesProvider({
      engineSource: "path",
      pulumiHome: home,
    });
    expect(resolved.source).toBe("engine-download");
  });
});
