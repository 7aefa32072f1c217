/**
 * The domain rules of site files are the components' own (one rule per fact): a name `validate`
 * accepts is a name the components accept at `up`.
 */
import { placeInZone } from "../../components/dns-record/names.js";

export {
  nakedDomainProblem,
  publicHostnameProblem as hostnameProblem,
} from "../../components/dns-record/public-names.js";

/** Whether `host` is `zone` itself or a name under it (`shop.acme.com` is under `acme.com`). */
export function isInZone(host: string, zone: string): boolean {
  return placeInZone(host, zone) !== "outside";
}
