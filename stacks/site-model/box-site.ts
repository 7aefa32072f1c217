import * as z from "zod";
import { readinessTimeoutField } from "./readiness.js";
import {
  boxImageTagPattern,
  boxImageTagProblem,
  siteCodePattern,
  siteCodeProblem,
  siteIdProblem,
  siteZoneProblem,
} from "../../components/box-site/resolve.js";
import { imageRepositoryPattern, imageRepositoryProblem } from "../../components/images.js";
import { nakedDomainProblem } from "../../components/dns-record/public-names.js";
import {
  cpuQuantity,
  email,
  httpUrl,
  memoryBytes,
  memoryQuantity,
  clusterName,
  nakedDomain,
  nonBlank,
  replicas,
  ruledString,
  ruleIssue,
} from "./primitives.js";
import { asRecord, fieldRule } from "./rules.js";
import { secretRef } from "./secret-ref.js";

// Every field BoxSite itself checks is checked here with the component's own function (one rule per
// fact), so a site `validate` accepts is one `up` renders.

/** Image tags follow semver and sites track the major tag by default (seed 000: `jzbox:0`). */
const semverTag = ruledString(boxImageTagProblem).meta({ pattern: boxImageTagPattern.source });

/** An image repository without tag or digest. */
export const imageRepository = ruledString(imageRepositoryProblem).meta({
  pattern: imageRepositoryPattern.source,
});

/** The box's container image. */
export const boxImage = z.strictObject({
  repository: imageRepository.meta({ description: "Image repository of the box, without tag." }),
  tag: semverTag
    .default("0")
    .meta({ description: 'Semver tag; a major tag ("0") follows every minor and patch release.' }),
});

/** How themes reach the pod's disk (seed 000: box-sync). */
export const boxThemes = z.strictObject({
  source: httpUrl.meta({ description: "URL box-sync downloads the theme list and files from." }),
  interval: z
    .enum(["1m", "5m"])
    .default("5m")
    .meta({ description: "How often the in-pod sidecar syncs themes." }),
  pubsub: z
    .strictObject({
      channel: nonBlank.meta({ description: "Redis channel announcing theme changes." }),
      redisUrl: secretRef,
    })
    .optional()
    .meta({ description: "Sync at once on a Redis pub/sub event, besides the interval." }),
});

/**
 * The box container's resources when neither its site file nor the platform file says: a PHP box
 * needs more memory than the components' generic default.
 */
export const defaultBoxResources = {
  cpuRequest: "100m",
  memoryRequest: "256Mi",
  memoryLimit: "512Mi",
} as const;

/** CPU and memory for the box container; what a file leaves out is {@link defaultBoxResources}. */
export const boxResources = z
  .strictObject({
    requests: z
      .strictObject({
        cpu: cpuQuantity.default(defaultBoxResources.cpuRequest),
        memory: memoryQuantity.default(defaultBoxResources.memoryRequest),
      })
      .prefault({}),
    limits: z
      .strictObject({ memory: memoryQuantity.default(defaultBoxResources.memoryLimit) })
      .prefault({}),
  })
  .superRefine(
    ...fieldRule((value, report) => {
      const requested = asRecord(asRecord(value).requests).memory;
      const limit = asRecord(asRecord(value).limits).memory;
      if (typeof requested !== "string" || typeof limit !== "string") return;
      if (memoryBytes(requested) > memoryBytes(limit)) {
        report(
          ["requests", "memory"],
          `must not exceed limits.memory (${limit}), got ${JSON.stringify(requested)}`,
        );
      }
    }),
  );

/** `spec` of a `kind: BoxSite` file: one e-commerce box (seed 000). */
export const boxSiteBody = z
  .strictObject({
    siteId: z.number().superRefine(ruleIssue(siteIdProblem)).meta({
      type: "integer",
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "Site id in the platform's site catalogue.",
    }),
    code: ruledString(siteCodeProblem).meta({
      pattern: siteCodePattern.source,
      description: "Short site code; also names the automatic test domain <code>.<base>.",
    }),
    domain: nakedDomain,
    techEmail: email.meta({
      description: "Technical contact; receives certificate and domain notices (ACME account).",
    }),
    oidc: z.strictObject({
      clientId: nonBlank.meta({ description: "OpenID client id (interactive client)." }),
      clientSecret: secretRef,
    }),
    image: boxImage,
    themes: boxThemes,
    dns: z
      .strictObject({
        cloudflare: z.strictObject({
          zone: nakedDomain.optional().meta({
            description:
              "Cloudflare zone; the record sits at its apex, so it can only be spec.domain, the default.",
          }),
        }),
      })
      .optional()
      .meta({ description: "Create the site's DNS record automatically." }),
    replicas: replicas(1).default(1),
    resources: boxResources.optional().meta({
      description:
        "CPU and memory of the box; without it, the platform file's resources, else 100m / 256Mi, limit 512Mi.",
    }),
    cluster: clusterName,
    readinessTimeout: readinessTimeoutField("BoxSite"),
  })
  .superRefine(
    ...fieldRule((value, report) => {
      const spec = asRecord(value);
      const zone = asRecord(asRecord(spec.dns).cloudflare).zone;
      // Compare only a valid domain: a bad one has its own problem already.
      if (
        typeof zone === "string" &&
        typeof spec.domain === "string" &&
        nakedDomainProblem(spec.domain) === undefined
      ) {
        const problem = siteZoneProblem(zone, spec.domain);
        if (problem !== undefined) {
          report(["dns", "cloudflare", "zone"], `${problem}, got ${JSON.stringify(zone)}`);
        }
      }
    }),
  );

/** A parsed BoxSite `spec`, defaults applied. */
export type BoxSiteBody = z.output<typeof boxSiteBody>;
