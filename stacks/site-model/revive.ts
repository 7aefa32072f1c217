import { ValidationFailed } from "../errors.js";
import { parseSiteText } from "./parse.js";
import type { SiteSpec } from "./site.js";

/**
 * A last applied spec read back from the backend, validated again like a site file: `archive` and
 * `restore` apply it, and the backend is shared with other machines and other sitestack versions.
 * @throws ValidationFailed naming the stack when the stored spec no longer validates.
 */
export function reviveSiteSpec(raw: unknown, stack: string): SiteSpec {
  const parsed = parseSiteText(JSON.stringify(raw), `${stack} (last applied spec)`, {
    matchFileName: false,
  });
  if (!parsed.ok) throw new ValidationFailed(parsed.problems);
  return parsed.spec;
}
