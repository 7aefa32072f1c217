export { DnsRecord, type DnsRecordArgs } from "./dns-record.js";
export {
  automaticTtl,
  ownerComment,
  resolveDnsRecord,
  type DnsRecordSettings,
  type DnsRecordType,
  type ResolvedDnsRecord,
} from "./resolve.js";
export { hostnameProblem, placeInZone, type NamePlacement } from "./names.js";
export { zoneIdOf, type ZoneRef } from "./zone.js";
