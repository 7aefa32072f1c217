import * as z from "zod";
import { dnsNamePattern } from "../../components/dns-record/names.js";
import {
  hostnamePattern,
  hostnameProblem,
  maxHostnameLength,
  nakedDomainProblem,
} from "../../components/dns-record/public-names.js";
import { envKeyPattern, envKeyProblem } from "../../components/env-prefix.js";
import {
  dnsLabelPattern,
  dnsLabelProblem,
  emailPattern,
  emailProblem,
  httpUrlPattern,
  httpUrlProblem,
  nonBlankPattern,
  nonBlankProblem,
  portProblem,
} from "../../components/value-rules.js";
import { describeValue } from "./messages.js";

/** A string schema whose `error` says what was found, for formats with one clear rule. */
function patternString(pattern: RegExp, rule: string) {
  return z.string().regex(pattern, {
    error: (issue) => `${rule}, got ${describeValue(issue.input)}`,
  });
}

/**
 * A value checked by a component's own rule (one rule per fact, see `components/value-rules.ts`):
 * `problemOf` says what is allowed, and the value found is added the way site-file messages show
 * values.
 */
export function ruleIssue<T>(problemOf: (value: T) => string | undefined) {
  return (value: T, ctx: z.core.$RefinementCtx<T>) => {
    const problem = problemOf(value);
    if (problem !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `${problem}, got ${describeValue(value)}`,
        input: value,
      });
    }
  };
}

/** A string schema checked by a component's rule (see {@link ruleIssue}). */
export function ruledString(problemOf: (value: string) => string | undefined) {
  return z.string().superRefine(ruleIssue(problemOf));
}

/**
 * A lowercase DNS label (RFC 1123): used for site names, service names and chart app names, because
 * they become parts of Kubernetes object names, stack names and host names.
 */
export const dnsLabel = ruledString((value) => dnsLabelProblem(value)).meta({
  pattern: dnsLabelPattern.source,
});

/** A naked registrable domain (`acme.com`, `acme.com.pe`), per the public suffix list. */
export const nakedDomain = ruledString(nakedDomainProblem).meta({
  pattern: hostnamePattern.source,
  maxLength: maxHostnameLength,
  description:
    'Naked registrable domain such as "acme.com" or "acme.com.pe" (no www., scheme, path, port or IP).',
});

/** A public host name (`app.example.com`). */
export const hostname = ruledString(hostnameProblem).meta({
  pattern: hostnamePattern.source,
  maxLength: maxHostnameLength,
  description: 'Lowercase host name under a public suffix, such as "app.example.com".',
});

/** A TCP port. */
export const port = z
  .number()
  .superRefine(ruleIssue(portProblem))
  .meta({ type: "integer", minimum: 1, maximum: 65535 });

/** A replica count. */
export function replicas(min: number) {
  const rule = `must be a whole number from ${min} to 100`;
  return z
    .number()
    .int({ error: (issue) => `${rule}, got ${describeValue(issue.input)}` })
    .min(min, { error: (issue) => `${rule}, got ${describeValue(issue.input)}` })
    .max(100, { error: (issue) => `${rule}, got ${describeValue(issue.input)}` });
}

/** An environment variable name: upper case, as the env prefix convention expects. */
export const envVarName = ruledString(envKeyProblem).meta({ pattern: envKeyPattern.source });

/** An e-mail address. */
export const email = ruledString((value) => emailProblem(value)).meta({
  format: "email",
  pattern: emailPattern.source,
});

/** An http(s) URL. */
export const httpUrl = ruledString(httpUrlProblem).meta({
  format: "uri",
  pattern: httpUrlPattern.source,
});

/** A text that must say something (not empty, not only spaces). */
export const nonBlank = ruledString(nonBlankProblem).meta({
  minLength: 1,
  pattern: nonBlankPattern.source,
});

/** An IPv4 or IPv6 address, as JSON Schema says it (the rule itself is `ipAddressProblem`). */
export const ipAddressSchema = { anyOf: [{ format: "ipv4" }, { format: "ipv6" }] };

/**
 * An IP address or a DNS name, as JSON Schema says it (the rule itself is
 * `networkAddressProblem`).
 */
export const networkAddressSchema = {
  anyOf: [
    ...ipAddressSchema.anyOf,
    { const: "localhost" },
    { pattern: dnsNamePattern.source, maxLength: maxHostnameLength },
  ],
};

/** A CPU quantity in Kubernetes notation: `250m` or `0.5` or `2`. */
export const cpuQuantity = patternString(
  /^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/,
  'must be a CPU quantity like "250m" (millicores) or "1" (cores)',
);

/** A memory quantity in Kubernetes notation with a binary unit: `128Mi`, `1Gi`. */
export const memoryQuantity = patternString(
  /^[1-9][0-9]*(Ki|Mi|Gi|Ti)$/,
  'must be a memory quantity with a binary unit like "256Mi" or "1Gi"',
);

/** Bytes in a memory quantity accepted by {@link memoryQuantity}. */
export function memoryBytes(quantity: string): number {
  const match = /^([0-9]+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (match === null) return Number.NaN;
  const power = { Ki: 1, Mi: 2, Gi: 3, Ti: 4 }[match[2] as "Ki" | "Mi" | "Gi" | "Ti"];
  return Number(match[1]) * 1024 ** power;
}

/** Labels in Kubernetes syntax, used to select stacks (`sitestack status --selector team=shops`). */
export const labels = z.record(
  patternString(
    /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/,
    'must be a label key like "team" or "acme.com/team"',
  ),
  patternString(
    /^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/,
    'must be a label value of at most 63 letters, digits, "-", "_" or "." like "shops"',
  ),
  {
    error: (issue) =>
      issue.code === "invalid_type"
        ? `must be a map of label names to string values, got ${describeValue(issue.input)}`
        : undefined,
  },
);

/** `spec.cluster` of a site on Kubernetes: one of the platform file's clusters. */
export const clusterName = dnsLabel.optional().meta({
  description:
    "The cluster the site runs on: a name of the platform file's clusters (sitestack.yaml). Default: its defaultCluster.",
});
