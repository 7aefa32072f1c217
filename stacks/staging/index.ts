export {
  appsAnnotation,
  readChartContract,
  secretValuesAnnotation,
  type ChartContract,
} from "./chart.js";
export { assertFitsChart, chartMismatches, type ChartMismatch } from "./check.js";
export {
  helmTemplate,
  HelmTemplateFailed,
  parseManifests,
  type HelmTemplateRequest,
} from "./helm.js";
export {
  renderStaging,
  repositoryChartsDir,
  stagingBaseDomain,
  type RenderedStaging,
  type StagingRenderTools,
} from "./render.js";
export { stackTtlStatus, ttlStatus } from "./ttl.js";
export {
  mergeStagingValues,
  mergeValues,
  sitestackValuePath,
  tagValuePath,
  valueAtPath,
  valuesAtPath,
  type HelmValues,
  type SitestackGlobals,
  type StagingValueLayers,
} from "./values.js";
