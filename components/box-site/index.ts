export type { BoxSiteArgs } from "./args.js";
export { BoxSite } from "./box-site.js";
export { boxPodSpec, settingsKeys, siteSettings, syncMarkerFile } from "./pod.js";
export { defaultThemesPath, resolveBoxSite, type ResolvedBoxSite } from "./resolve.js";
