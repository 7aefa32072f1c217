/**
 * The site-file model: schemas, parsed types, the reader and loader, and the building blocks of
 * documents in the same format (the platform file). The one door of `stacks/site-model/`: code
 * outside it imports from here (ESLint refuses deep imports; tests may reach inside to test the
 * parts).
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
export { boxSiteBody, defaultBoxResources, type BoxSiteBody } from "./box-site.js";
export { appBody } from "./app.js";
export { hostRouteBody } from "./host-route.js";
export { chartNameProblem, stagingBody, ttlHours } from "./staging.js";
export { readinessTimeoutSeconds } from "./readiness.js";
export { secretNamePattern, secretRef, type SecretRef } from "./secret-ref.js";
export { formatPath, formatProblem, type PathSegment, type Problem } from "./problem.js";
export {
  parseDocument,
  parseSiteText,
  type DocumentForm,
  type DocumentResult,
  type ParseOptions,
  type ParseResult,
} from "./parse.js";
export {
  collectSiteFiles,
  loadSiteFile,
  loadSiteFiles,
  SitePathNotFound,
  type SiteFile,
  type SiteFileSet,
} from "./load.js";
export {
  crossFileProblems,
  type CheckedSite,
  type CrossFileContext,
  type CrossFileProblem,
} from "./cross-file.js";
export { readRegularFileText, readSiteFileText, type ReadOutcome } from "./read.js";
export { maxFileBytes } from "./limits.js";
export {
  documentJsonSchema,
  jsonSchemaPath,
  jsonSchemaText,
  siteJsonSchema,
  siteJsonSchemaText,
} from "./json-schema.js";
export {
  cpuQuantity,
  dnsLabel,
  email,
  hostname,
  memoryBytes,
  memoryQuantity,
  nonBlank,
} from "./primitives.js";
export { asRecord, fieldRule, type Report } from "./rules.js";
export { describeValue, listAllowed, siteErrorMap } from "./messages.js";
