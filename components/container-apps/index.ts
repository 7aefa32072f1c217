/** Azure Container Apps target of the app model (seed 003): components and their argument types. */
export { ContainerAppsApp, type CustomDomainRecord } from "./app.js";
export type {
  ContainerAppsCustomDomain,
  CustomDomainBinding,
  ContainerAppProbes,
  ContainerAppServiceArgs,
  ContainerAppsAppArgs,
  ContainerAppsEnvironmentArgs,
  PrivateRegistryCredentials,
  RegistryChoice,
  RegistrySku,
  ResourceGroupChoice,
  RevisionsMode,
} from "./args.js";
export { ContainerAppsEnvironment, environmentDefaults } from "./environment.js";
export {
  acrHostSuffix,
  isAzureRegistryHost,
  registryNameProblem,
  registrySkus,
  resourceGroupNameProblem,
} from "./names.js";
export {
  acrPullRoleDefinitionId,
  acrPullRoleGuid,
  managedCertificateName,
  registryPasswordSecretName,
} from "./render.js";
export { ingressKind, serviceDefaults } from "./service-defaults.js";
export type { IngressKind } from "./service-defaults.js";
export { containerAppName, validateContainerAppsApp } from "./validate.js";
