export { App } from "./app.js";
export type { AppArgs, AppServiceArgs } from "./args.js";
export { dockerConfigJson, servicePodSpec, type ServiceConfigRefs } from "./pod.js";
export {
  imageVersion,
  resolveApp,
  routingProblems,
  type ResolvedApp,
  type ResolvedService,
  type RoutingProblem,
} from "./resolve.js";
