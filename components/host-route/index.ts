export { cloudflareIpRanges, cloudflareRanges } from "./cloudflare-ips.js";
export {
  debianNginxLayout,
  layoutProblems,
  routeFiles,
  type NginxLayout,
  type RouteFiles,
} from "./layout.js";
export {
  connectionUpgradeVariable,
  networkAddressProblem,
  renderServerBlock,
  serverBlockProblems,
  type ListenSettings,
  type ServerBlockSettings,
  type Upstream,
} from "./server-block.js";
export {
  payloadSeparator,
  renderInstallPayload,
  renderInstallScript,
  renderRemoveScript,
} from "./install-script.js";
export { shellQuote, renderRemoteCommand } from "./install-script.js";
export {
  originCertificate,
  originCertificateValidityDays,
  type OriginCertificate,
  type OriginSslMode,
} from "./origin-certificate.js";
export {
  HostRoute,
  hostRouteProblems,
  routeZone,
  type HostRouteArgs,
  type HostRouteCloudflare,
  type SshTarget,
} from "./host-route.js";
export {
  ed25519HostKeyPath,
  hostKeyProblem,
  pinnableHostKeyTypes,
  sshTrustProblem,
  type SshTrustChoice,
} from "./host-key.js";
export { proxiedProblem, sslModeProblem, unixUserProblem } from "./rules.js";
