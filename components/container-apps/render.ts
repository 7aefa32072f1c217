import type * as inputs from "@pulumi/azure-native/types/input.js";
import * as pulumi from "@pulumi/pulumi";
import { prefixedName } from "../env-prefix.js";
import { secretName } from "./validate.js";
import type { CustomDomainBinding, PrivateRegistryCredentials } from "./args.js";
import type { ResolvedService } from "./service-defaults.js";

export { secretName };

/** The built-in `AcrPull` role: pull images from a registry, nothing else. Same GUID in every tenant. */
export const acrPullRoleGuid = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

/** Full id of the `AcrPull` role definition in a subscription, as role assignments want it. */
export function acrPullRoleDefinitionId(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${acrPullRoleGuid}`;
}

/**
 * The Container App secret holding the password of a {@link PrivateRegistryCredentials}. The "."
 * keeps it apart from every secret made from an env var name (those have letters, digits and "-").
 */
export const registryPasswordSecretName = "pull.registry-password";

/**
 * The registries a Container App pulls from: the app's registry through the managed identity (no
 * password anywhere), plus a private registry whose password is a Container App secret.
 */
export function renderRegistries(
  loginServer: pulumi.Input<string>,
  pullIdentityId: pulumi.Input<string>,
  privateRegistry: PrivateRegistryCredentials | undefined,
): { registries: inputs.app.RegistryCredentialsArgs[]; secrets: inputs.app.SecretArgs[] } {
  const registries: inputs.app.RegistryCredentialsArgs[] = [
    { server: loginServer, identity: pullIdentityId },
  ];
  if (privateRegistry === undefined) return { registries, secrets: [] };
  registries.push({
    server: privateRegistry.server,
    username: privateRegistry.username,
    passwordSecretRef: registryPasswordSecretName,
  });
  return {
    registries,
    secrets: [{ name: registryPasswordSecretName, value: pulumi.secret(privateRegistry.password) }],
  };
}

/**
 * Ingress of a service per the shared rule; undefined for workers and for every service while the
 * app is archived (without ingress there is no HTTP trigger that could wake a replica). The custom
 * domains, if any, are those of the service the host is bound to.
 */
export function renderIngress(
  service: ResolvedService,
  archived: boolean,
  customDomains?: inputs.app.CustomDomainArgs[],
): inputs.app.IngressArgs | undefined {
  if (service.ingress === "none" || archived) return undefined;
  return {
    external: service.ingress === "external",
    targetPort: service.port,
    transport: "auto",
    // Plain http on the public name would carry session cookies in the clear.
    allowInsecure: false,
    ...(customDomains === undefined ? {} : { customDomains }),
  };
}

/**
 * The `customDomains` entry of a host at a binding step: none before the host is added, the host
 * without a certificate while the certificate is requested, then the host with the certificate.
 */
export function renderCustomDomains(
  host: string,
  binding: CustomDomainBinding,
  certificateId: pulumi.Input<string> | undefined,
): inputs.app.CustomDomainArgs[] | undefined {
  switch (binding) {
    case "none":
      return undefined;
    case "hostname":
      return [{ name: host, bindingType: "Disabled" }];
    case "certificate":
      if (certificateId === undefined) {
        throw new Error(`the custom domain ${host} is bound with a certificate but has none`);
      }
      return [{ name: host, bindingType: "SniEnabled", certificateId }];
    default: {
      const unknown: never = binding;
      throw new Error(`unknown custom domain binding ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The Azure name of the managed certificate of a host (`api.chefcito.com.ar` →
 * `api-chefcito-com-ar`): fixed by the host, so the same arguments always name the same
 * certificate.
 */
export function managedCertificateName(host: string): string {
  return host.replace(/\./g, "-");
}

/**
 * Env vars and the Container App secrets behind them. Plain values go in `value`; secret values
 * become Container App secrets (values wrapped as Pulumi secrets) referenced by `secretRef`, so no
 * secret value ever sits in an env entry.
 */
export function renderEnvAndSecrets(service: ResolvedService): {
  env: inputs.app.EnvironmentVarArgs[];
  secrets: inputs.app.SecretArgs[];
} {
  const env: inputs.app.EnvironmentVarArgs[] = Object.entries(service.env).map(([key, value]) => ({
    name: prefixedName(service.name, key),
    value,
  }));
  const secrets: inputs.app.SecretArgs[] = [];
  for (const [key, value] of Object.entries(service.secretEnv)) {
    const name = secretName(service.name, key);
    secrets.push({ name, value: pulumi.secret(value) });
    env.push({ name: prefixedName(service.name, key), secretRef: name });
  }
  return { env, secrets };
}

/** Liveness and readiness probes of a service with a port; none for workers. */
export function renderProbes(service: ResolvedService): inputs.app.ContainerAppProbeArgs[] {
  if (service.probes === undefined || service.port === undefined) return [];
  const port = service.port;
  if ("tcp" in service.probes) {
    return (["Liveness", "Readiness"] as const).map((type) => ({ type, tcpSocket: { port } }));
  }
  const { path, initialDelaySeconds, periodSeconds, failureThreshold } = service.probes;
  return (["Liveness", "Readiness"] as const).map((type) => ({
    type,
    httpGet: { path, port, scheme: "HTTP" },
    initialDelaySeconds,
    periodSeconds,
    failureThreshold,
  }));
}

/**
 * Replica bounds, and for services with ingress an HTTP rule on concurrent requests. Workers get
 * no rule: with no trigger they stay at `minReplicas`.
 *
 * Archived: `minReplicas: 0` and `maxReplicas: 1` (Azure's lowest maximum), and an empty rule
 * list. With no ingress (see {@link renderIngress}) and no rule nothing can scale an app up from
 * zero, so no replica runs; `minReplicas: 0` alone would not do, since a request to an app with
 * ingress wakes it.
 */
export function renderScale(service: ResolvedService, archived: boolean): inputs.app.ScaleArgs {
  if (archived) return { minReplicas: 0, maxReplicas: 1, rules: [] };
  const scale: inputs.app.ScaleArgs = {
    minReplicas: service.minReplicas,
    maxReplicas: service.maxReplicas,
  };
  if (service.ingress === "none") return scale;
  return {
    ...scale,
    rules: [
      {
        name: "http-concurrency",
        http: { metadata: { concurrentRequests: String(service.concurrentRequests) } },
      },
    ],
  };
}

/** The Container Apps name of the revision mode. */
export function activeRevisionsMode(service: ResolvedService): "Single" | "Multiple" {
  return service.revisionsMode === "single" ? "Single" : "Multiple";
}
