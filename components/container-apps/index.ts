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
  acrPullRoleDefinitionId,
  acrPullRoleGuid,
  managedCertificateName,
  registryPasswordSecretName,
} from "./render.js";
export { ingressKind, serviceDefaults } from "./service-defaults.js";
export type { IngressKind } from "./service-defaults.js";
export {
  acrHostSuffix,
  containerAppName,
  containerAppServiceNameProblem,
  customDomainBindingProblem,
  customDomainBindings,
  customDomainRoutingProblems,
  isAzureRegistryHost,
  minReplicasProblem,
  privateRegistryServerProblem,
  regionProblem,
  registryChoiceProblem,
  registryNameProblem,
  registrySkus,
  resourceGroupNameProblem,
  secretNameCollisions,
  validateContainerAppsApp,
} from "./validate.js";
