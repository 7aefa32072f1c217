export { Staging, type StagingArgs } from "./staging.js";
export { archivedObject, archiveProblem } from "./archive.js";
export { plainSecretLeaks, shortestSearchedSecret } from "./leaks.js";
export {
  maxStagingNameLength,
  stagingNameProblem,
  stagingNames,
  type StagingNames,
} from "./names.js";
export { describeObject, typeToken, type KubernetesObject } from "./objects.js";
export { resolveStaging, type ResolvedStaging } from "./resolve.js";
