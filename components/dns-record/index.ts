export { DnsRecord, type DnsRecordArgs } from "./dns-record.js";
export {
  automaticTtl,
  maxOwnerStackLength,
  ownerComment,
  ownerStackProblem,
  recordTypeFor,
  resolveDnsRecord,
  type AddressRecordType,
  type DnsRecordSettings,
  type DnsRecordType,
  type ResolvedDnsRecord,
} from "./resolve.js";
export { dnsNameProblem, outsideZoneProblem, placeInZone, type NamePlacement } from "./names.js";
export { hostnameProblem, nakedDomainProblem, registrableDomainOf } from "./public-names.js";
export { zoneIdOf, type ZoneRef } from "./zone.js";
