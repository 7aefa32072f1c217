import * as z from "zod";
import { hostKeyProblem, sshTrustProblem } from "../../components/host-route/host-key.js";
import { hostnameProblem, isInZone, nakedDomainProblem } from "./domains.js";
import { describeValue } from "./messages.js";
import { hostname, ipAddress, nakedDomain, networkAddress, port } from "./primitives.js";
import { asRecord, fieldRule } from "./rules.js";
import { secretRef } from "./secret-ref.js";

const flexibleMessage =
  'must be "full" or "strict"; "flexible" is not allowed: it leaves the Cloudflare-to-origin leg unencrypted and, with an origin that redirects port 80 to https, loops redirects forever. Use "strict" (Cloudflare Origin CA certificate, the default) or "full" (self-signed origin certificate)';

/** Cloudflare's SSL/TLS encryption mode for the zone. */
const sslMode = z.enum(["full", "strict"], {
  error: (issue) =>
    issue.input === "flexible"
      ? flexibleMessage
      : `must be "full" or "strict", got ${describeValue(issue.input)}`,
});

/** `spec` of a `kind: HostRoute` file: one domain served by the VPS's nginx (seed 001). */
export const hostRouteBody = z
  .strictObject({
    domain: hostname.meta({ description: 'Host name served, e.g. "app.example.com".' }),
    upstream: z.strictObject({
      host: networkAddress.meta({ description: "The container's private IP (or host name)." }),
      port: port.meta({ description: "Port the container listens on." }),
    }),
    publicIp: ipAddress.meta({ description: "Public IP of the VPS; the DNS record points here." }),
    host: z
      .strictObject({
        address: networkAddress.meta({ description: "SSH address of the VPS." }),
        port: port.default(22),
        user: z
          .string()
          .regex(/^[a-z_][a-z0-9_-]{0,31}$/, {
            error: (issue) =>
              `must be a Unix user name like "deploy", got ${describeValue(issue.input)}`,
          })
          .meta({ description: "SSH user allowed to write nginx config and reload nginx." }),
        privateKey: secretRef,
        hostKey: z
          .string()
          .superRefine((line, ctx) => {
            const problem = hostKeyProblem(line);
            if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
          })
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
      zone: nakedDomain.meta({ description: "Cloudflare zone that contains the domain." }),
      proxied: z.boolean().default(true).meta({ description: "Proxy traffic through Cloudflare." }),
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
        nakedDomainProblem(zone) === undefined &&
        !isInZone(route.domain, zone)
      ) {
        report(
          ["domain"],
          `must be in the Cloudflare zone ${JSON.stringify(zone)} (that name or a name under it), got ${JSON.stringify(route.domain)}`,
        );
      }
    }),
  );
