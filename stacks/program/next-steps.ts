import { dnsRecordsFor } from "../../components/kubernetes/routing.js";
import type { SiteSpec } from "../site-model/index.js";
import type { PlatformSettings } from "../platform/settings.js";

/** One DNS record the site admin creates at the domain's DNS provider. */
export interface DnsRecordStep {
  readonly name: string;
  /** `A` for an IPv4 address, `AAAA` for IPv6, `CNAME` for a host name; null until the address is known. */
  readonly type: "A" | "AAAA" | "CNAME" | null;
  /** The ingress address; null until it is known. */
  readonly content: string | null;
}

/**
 * What the site admin must do after `preview` or `up` of a box site whose DNS zone is not on
 * Cloudflare (seed 000's onboarding): point the domain at the ingress, and meanwhile use the test
 * domain, which the platform's own zone already serves.
 */
export interface NextSteps {
  /** The site's own domain, whose DNS the site admin manages. */
  readonly domain: string;
  /** The IP or host name to point the domain at; null while not known (see `pending`). */
  readonly ingressAddress: string | null;
  /** Why the address is not known yet, in words: `known after up`, or where objects were rendered. */
  readonly pending?: string;
  /** The records to create (the test domain is the platform's and needs none). */
  readonly dnsRecords: readonly DnsRecordStep[];
  /** The site on its test domain, which works without any DNS change of the site admin. */
  readonly testUrl: string;
  /**
   * When the test URL answers: `now` after an `up` on a cluster, `after up` after a preview, and
   * `once applied to a cluster` when `up` only rendered the objects.
   */
  readonly testUrlWorks: "now" | "after up" | "once applied to a cluster";
}

/** What {@link nextStepsOf} looks at besides the spec. */
export interface NextStepsInput {
  readonly stack: string;
  readonly verb: "preview" | "up";
  /** The stack's outputs: after `up` its new ones, after `preview` its current ones (if any). */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly platform: PlatformSettings;
}

function isDnsRecord(value: unknown): value is { name: string; type: string; content: string } {
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.name === "string" &&
    typeof record.type === "string" &&
    typeof record.content === "string"
  );
}

/**
 * The next steps of a site after `preview` or `up`, or undefined when there are none: every kind
 * but a box site, and a box site whose domain's records sitestack creates itself (`dns.cloudflare`).
 * Values a preview cannot know yet say so (`known after up`).
 */
export function nextStepsOf(spec: SiteSpec, input: NextStepsInput): NextSteps | undefined {
  if (spec.kind !== "BoxSite" || spec.spec.dns !== undefined) return undefined;
  const domain = spec.spec.domain;
  const urls = Array.isArray(input.outputs.urls) ? input.outputs.urls : [];
  const testUrl =
    urls.find((url): url is string => typeof url === "string" && !url.includes(`//${domain}/`)) ??
    `https://${spec.spec.code}.${input.platform.testDomainBase}/`;
  const address =
    typeof input.outputs.ingressAddress === "string" && input.outputs.ingressAddress !== ""
      ? input.outputs.ingressAddress
      : null;
  const target = input.platform.kubernetes;
  const rendered = target.mode === "render";
  // Rendered objects never reach a cluster, so no ingress ever reports an address for them: not
  // even after `up`.
  const pending =
    address !== null
      ? undefined
      : rendered
        ? `not known: ${input.verb === "up" ? "the objects were rendered" : "up renders the objects"} to ${target.directory}/${input.stack}/, not applied to a cluster`
        : input.verb === "preview"
          ? "known after up"
          : `not assigned yet: \`sitestack outputs ${input.stack}\` shows it once the ingress has one`;
  const recorded = Array.isArray(input.outputs.dnsRecords)
    ? input.outputs.dnsRecords.filter(isDnsRecord).filter((record) => record.name === domain)
    : [];
  const dnsRecords: DnsRecordStep[] =
    address === null
      ? [{ name: domain, type: null, content: null }]
      : (recorded.length > 0 ? recorded : dnsRecordsFor([domain], address)).map((record) => ({
          name: record.name,
          type: record.type as DnsRecordStep["type"],
          content: record.content,
        }));
  return {
    domain,
    ingressAddress: address,
    ...(pending === undefined ? {} : { pending }),
    dnsRecords,
    testUrl,
    testUrlWorks: rendered
      ? "once applied to a cluster"
      : input.verb === "preview"
        ? "after up"
        : "now",
  };
}
