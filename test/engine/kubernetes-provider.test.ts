import { existsSync, readFileSync, realpathSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  ensureKubernetesProvider,
  sdkKubernetesProviderVersion,
} from "../../stacks/engine/kubernetes-provider.js";
import { goToolPath, goToolVersion } from "../../tools/go-tool.js";

const version = sdkKubernetesProviderVersion();

async function emptyHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), "sitestack-home-"));
}

describe("the Kubernetes provider an engine gets", () => {
  test("a provider already in the plugin cache is used as it is, whatever the engine", async () => {
    const home = await emptyHome();
    const dir = join(home, "plugins", `resource-kubernetes-v${version}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "pulumi-resource-kubernetes"), "#!/bin/sh\n", { mode: 0o755 });
    const resolved = await ensureKubernetesProvider({ engineSource: "build", pulumiHome: home });
    expect(resolved).toEqual({ source: "plugin-cache", version, pluginDirectory: dir });
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
    "an offline engine (%s) gets the real provider built from its Go module, at the SDK's exact version",
    async (engineSource) => {
      const home = await emptyHome();
      const resolved = await ensureKubernetesProvider({ engineSource, pulumiHome: home });
      expect(resolved.source).toBe("go-build");
      expect(resolved.pluginDirectory).toBe(
        join(home, "plugins", `resource-kubernetes-v${version}`),
      );
      const executable = join(resolved.pluginDirectory, "pulumi-resource-kubernetes");
      expect(realpathSync(executable)).toBe(
        realpathSync(await goToolPath("pulumi-resource-kubernetes")),
      );
    },
  );

  test("the SDK asks for exactly the provider version sitestack builds and stamps", async () => {
    const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(packageJson.dependencies["@pulumi/kubernetes"]).toBe(version);
    expect(await goToolVersion("pulumi-resource-kubernetes")).toBe(version);
  });

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
