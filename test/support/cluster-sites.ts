import type { StackManager } from "../../stacks/manager/manager.js";
import { defaultPlatformSettings, type PlatformSettings } from "../../stacks/platform/settings.js";
import type { SiteSpec } from "../../stacks/site-model/index.js";
import { siteStackManager } from "../../stacks/site-stacks.js";
import type { ApiServer } from "./apiserver.js";
import type { TestEngine } from "./engine.js";

/** The default platform with every Kubernetes object applied to the test API server. */
export function clusterPlatform(api: ApiServer): PlatformSettings {
  return {
    ...defaultPlatformSettings,
    kubernetes: { mode: "cluster", kubeconfig: api.kubeconfigPath },
  };
}

/**
 * The site stack manager of the cluster tests: the test engine, the project in `projectDir`, its
 * objects on the test API server, the engine's passphrase plus `env` (the sites' secrets).
 */
export function clusterSiteManager(
  fixture: TestEngine,
  api: ApiServer,
  projectDir: string,
  env: Readonly<Record<string, string>> = {},
): StackManager<SiteSpec> {
  return siteStackManager({
    projectDir,
    engine: fixture.engine,
    platform: clusterPlatform(api),
    env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase, ...env },
  });
}
