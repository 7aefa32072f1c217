import * as z from "zod";
import { nakedDomainProblem } from "./domains.js";
import { describeValue } from "./messages.js";
import {
  cpuQuantity,
  email,
  httpUrl,
  memoryBytes,
  memoryQuantity,
  nakedDomain,
  replicas,
} from "./primitives.js";
import { asRecord, fieldRule } from "./rules.js";
import { secretRef } from "./secret-ref.js";

/** Image tags follow semver and sites track the major tag by default (seed 000: `jzbox:0`). */
const semverTag = z.string().regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$/, {
  error: (issue) =>
    `must be a semver tag "MAJOR", "MAJOR.MINOR" or "MAJOR.MINOR.PATCH" like "0", "0.1" or "0.1.3", got ${describeValue(issue.input)}`,
});

/**
 * An image repository without tag or digest: `jzbox`, `ghcr.io/juntoz/jzbox`, `localhost:5000/jzbox`.
 * A registry port must be followed by a path, which is what tells it apart from a tag.
 */
export const imageRepositoryPattern =
  /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?\/)?[a-z0-9]([a-z0-9._-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/;

/** An image repository without tag or digest. */
export const imageRepository = z.string().regex(imageRepositoryPattern, {
  error: (issue) =>
    `must be a lowercase image repository without a tag like "ghcr.io/juntoz/jzbox" (put the tag in image.tag), got ${describeValue(issue.input)}`,
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
      channel: z.string().min(1).meta({ description: "Redis channel announcing theme changes." }),
      redisUrl: secretRef,
    })
    .optional()
    .meta({ description: "Sync at once on a Redis pub/sub event, besides the interval." }),
});

/** CPU and memory for the box container. */
export const boxResources = z
  .strictObject({
    requests: z
      .strictObject({
        cpu: cpuQuantity.default("100m"),
        memory: memoryQuantity.default("256Mi"),
      })
      .prefault({}),
    limits: z.strictObject({ memory: memoryQuantity.default("512Mi") }).prefault({}),
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
    siteId: z
      .number()
      .int({
        error: (issue) => `must be a positive whole number, got ${describeValue(issue.input)}`,
      })
      .positive({
        error: (issue) => `must be a positive whole number, got ${describeValue(issue.input)}`,
      })
      .meta({ description: "Site id in the platform's site catalogue." }),
    code: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/, {
        error: (issue) =>
          `must be a short lowercase code of 1 to 20 letters, digits and inner hyphens like "acme", got ${describeValue(issue.input)}`,
      })
      .meta({
        description: "Short site code; also names the automatic test domain <code>.<base>.",
      }),
    domain: nakedDomain,
    techEmail: email.meta({
      description: "Technical contact; receives certificate and domain notices (ACME account).",
    }),
    oidc: z.strictObject({
      clientId: z.string().min(1).meta({ description: "OpenID client id (interactive client)." }),
      clientSecret: secretRef,
    }),
    image: boxImage,
    themes: boxThemes,
    dns: z
      .strictObject({
        cloudflare: z.strictObject({
          zone: nakedDomain.meta({ description: "Cloudflare zone; must equal spec.domain." }),
        }),
      })
      .optional()
      .meta({ description: "Create the site's DNS record automatically." }),
    replicas: replicas(1).default(1),
    resources: boxResources.prefault({}),
  })
  .superRefine(
    ...fieldRule((value, report) => {
      const spec = asRecord(value);
      const zone = asRecord(asRecord(spec.dns).cloudflare).zone;
      // Compare only a valid domain: a bad one has its own problem already.
      if (
        typeof zone === "string" &&
        typeof spec.domain === "string" &&
        nakedDomainProblem(spec.domain) === undefined &&
        zone !== spec.domain
      ) {
        report(
          ["dns", "cloudflare", "zone"],
          `must be the site's domain ${JSON.stringify(spec.domain)} (the record is created at the zone apex), got ${JSON.stringify(zone)}`,
        );
      }
    }),
  );

/** A parsed BoxSite `spec`, defaults applied. */
export type BoxSiteBody = z.output<typeof boxSiteBody>;
