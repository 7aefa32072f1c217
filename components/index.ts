/**
 * sitestack's reusable Pulumi components, for programs that want them without site files.
 * Each folder is one component family; see docs/components-*.md.
 */
export * from "./app/index.js";
export * from "./box-site/index.js";
export * from "./container-apps/index.js";
export * from "./dns-record/index.js";
export * from "./env-prefix.js";
export * from "./host-route/index.js";
export * from "./kubernetes/index.js";
export * from "./staging/index.js";
export * from "./value-rules.js";
