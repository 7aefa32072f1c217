/**
 * The site file format: schemas, parsed types and the loader. Everything
 * outside `stacks/site-model/` imports from here.
 */
export {
  apiVersion,
  appSchema,
  boxSiteSchema,
  hostRouteSchema,
  siteKinds,
  siteMetadata,
  siteSchema,
  stagingSchema,
  type AppSpec,
  type BoxSiteSpec,
  type HostRouteSpec,
  type SiteInput,
  type SiteKind,
  type SiteSpec,
  type StagingSpec,
} from "./site.js";
export { boxSiteBody, type BoxSiteBody } from "./box-site.js";
export { appBody } from "./app.js";
export { hostRouteBody } from "./host-route.js";
export { stagingBody, ttlHours } from "./staging.js";
export { secretNamePattern, secretRef, type SecretRef } from "./secret-ref.js";
export { formatPath, formatProblem, type PathSegment, type Problem } from "./problem.js";
export { parseSiteText, type ParseOptions, type ParseResult } from "./parse.js";
export {
  collectSiteFiles,
  loadSiteFile,
  loadSiteFiles,
  SitePathNotFound,
  type SiteFile,
  type SiteFileSet,
} from "./load.js";
