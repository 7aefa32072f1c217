import * as z from "zod";
import { outsideZoneProblem } from "../../components/dns-record/names.js";
import {
  hostKeyPattern,
  hostKeyProblem,
  sshTrustProblem,
} from "../../components/host-route/host-key.js";
import {
  proxiedProblem,
  sslModeProblem,
  unixUserPattern,
  unixUserProblem,
} from "../../components/host-route/rules.js";
import { networkAddressProblem } from "../../components/host-route/server-block.js";
import { ipAddressProblem } from "../../components/value-rules.js";
import { hostnameProblem, nakedDomainProblem } from "../../components/dns-record/public-names.js";
import { describeValue } from "./messages.js";
import {
  hostname,
  ipAddressSchema,
  nakedDomain,
  networkAddressSchema,
  port,
  ruledString,
  ruleIssue,
} from "./primitives.js";
import { asRecord, fieldRule } from "./rules.js";
import { secretRef } from "./secret-ref.js";

// Every field HostRoute itself checks is checked here with the component's own function (one rule
// per fact), so a route `validate` accepts is one `up` renders.

/** Cloudflare's SSL/TLS encryption mode for the zone. */
const sslMode = z.enum(["full", "strict"], {
  error: (issue) => {
    const problem = sslModeProblem(String(issue.input)) ?? 'must be "full" or "strict"';
    // The message about "flexible" names it already.
    return issue.input === "flexible" ? problem : `${problem}, got ${describeValue(issue.input)}`;
  },
});

/** An address sitestack reaches: an IP address or a host name with a domain. */
const networkAddress = ruledString(networkAddressProblem).meta(networkAddressSchema);

/** `spec` of a `kind: HostRoute` file: one domain served by the VPS's nginx (seed 001). */
export const hostRouteBody = z
  .strictObject({
    domain: hostname.meta({ description: 'Host name served, e.g. "app.example.com".' }),
    upstream: z.strictObject({
      host: networkAddress.meta({ description: "The container's private IP (or host name)." }),
      port: port.meta({ description: "Port the container listens on." }),
    }),
    publicIp: ruledString((value) => ipAddressProblem(value, "203.0.113.40")).meta({
      ...ipAddressSchema,
      description: "Public IP of the VPS; the DNS record points here.",
    }),
    host: z
      .strictObject({
        address: networkAddress.meta({ description: "SSH address of the VPS." }),
        port: port.default(22),
        user: ruledString(unixUserProblem).meta({
          pattern: unixUserPattern.source,
          description: "SSH user allowed to write nginx config and reload nginx.",
        }),
        privateKey: secretRef,
        hostKey: z
          .string()
          .superRefine((line, ctx) => {
            const problem = hostKeyProblem(line);
            if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
          })
          .meta({ pattern: hostKeyPattern.source })
          .optional()
          .meta({
            description:
              'The VPS\'s SSH host key, one line of its .pub file: "ssh-ed25519 AAAA…". Required unless trustOnFirstUse is true.',
          }),
        trustOnFirstUse: z.boolean().default(false).meta({
          description:
            "Accept the host key the VPS presents on the first connection and pin it from then on, instead of hostKey.",
        }),
      })
      .superRefine(
        ...fieldRule((value, report) => {
          const problem = sshTrustProblem(asRecord(value));
          if (problem !== undefined) report([problem.field], problem.message);
        }),
      )
      .meta({ description: "How sitestack reaches the VPS over SSH." }),
    cloudflare: z.strictObject({
      zone: nakedDomain.optional().meta({
        description:
          "Cloudflare zone that contains the domain; a naked domain, so the domain's registrable domain, the default.",
      }),
      proxied: z.boolean().superRefine(ruleIssue(proxiedProblem)).default(true).meta({
        const: true,
        description:
          "Proxy traffic through Cloudflare; always true (the origin certificate is trusted by Cloudflare only).",
      }),
      sslMode: sslMode
        .default("strict")
        .meta({ description: '"strict" (Origin CA certificate) or "full" (self-signed).' }),
    }),
  })
  .superRefine(
    ...fieldRule((value, report) => {
      const route = asRecord(value);
      const zone = asRecord(route.cloudflare).zone;
      if (
        typeof route.domain === "string" &&
        typeof zone === "string" &&
        hostnameProblem(route.domain) === undefined &&
        nakedDomainProblem(zone) === undefined
      ) {
        const problem = outsideZoneProblem(route.domain, zone);
        if (problem !== undefined) {
          report(["domain"], `${problem}, got ${describeValue(route.domain)}`);
        }
      }
    }),
  );
