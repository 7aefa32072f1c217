import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

/** A Cloudflare zone: its name always (names are validated against it), its id when known. */
export interface ZoneRef {
  /** The zone apex in Punycode, e.g. `acme.com`. Plain: record names are validated against it. */
  readonly name: string;
  /**
   * The zone id.
   * @default - looked up by `name` with Cloudflare's `getZone` (needs Zone:Read on the token)
   */
  readonly id?: pulumi.Input<string>;
}

/**
 * The zone id: the given one, or one looked up by exact name. The lookup is an invoke, not a
 * resource, so it adds nothing to the stack's state.
 */
export function zoneIdOf(zone: ZoneRef, parent: pulumi.Resource): pulumi.Output<string> {
  if (zone.id !== undefined) return pulumi.output(zone.id);
  return cloudflare.getZoneOutput({ filter: { name: zone.name, match: "all" } }, { parent }).id;
}
