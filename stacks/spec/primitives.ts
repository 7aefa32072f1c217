import { isIP } from "node:net";
import * as z from "zod";
import { hostnameProblem, nakedDomainProblem } from "./domains.js";
import { describeValue } from "./messages.js";

/** A string schema whose `error` says what was found, for formats with one clear rule. */
function patternString(pattern: RegExp, rule: string) {
  return z.string().regex(pattern, {
    error: (issue) => `${rule}, got ${describeValue(issue.input)}`,
  });
}

/** Adds one custom issue when `problemOf(value)` finds something wrong. */
function checkedString(problemOf: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem, input: value });
  });
}

/**
 * A lowercase DNS label (RFC 1123): used for site names, service names and chart app names, because
 * they become parts of Kubernetes object names, stack names and host names.
 */
export const dnsLabel = patternString(
  /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
  'must be a lowercase DNS label (letters a-z, digits and inner hyphens, at most 63 characters) like "acme"',
);

/** A naked registrable domain (`acme.com`, `acme.com.pe`), per the public suffix list. */
export const nakedDomain = checkedString(nakedDomainProblem).meta({
  description:
    'Naked registrable domain such as "acme.com" or "acme.com.pe" (no www., scheme, path, port or IP).',
});

/** A public host name (`app.example.com`). */
export const hostname = checkedString(hostnameProblem).meta({
  description: 'Lowercase host name under a public suffix, such as "app.example.com".',
});

/** An IPv4 or IPv6 address. */
export const ipAddress = checkedString((value) =>
  isIP(value) === 0
    ? `must be an IPv4 or IPv6 address like "10.0.3.15", got ${describeValue(value)}`
    : undefined,
);

/** An IP address or a host name that resolves inside a private network (`10.0.3.15`, `web1.lxd`). */
export const networkAddress = checkedString((value) =>
  isIP(value) !== 0 ||
  /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(value)
    ? undefined
    : `must be an IP address like "10.0.3.15" or a lowercase host name like "web1.lxd", got ${describeValue(value)}`,
);

/** A TCP port. */
export const port = z
  .number()
  .int({
    error: (issue) => `must be a whole number from 1 to 65535, got ${describeValue(issue.input)}`,
  })
  .min(1, { error: (issue) => `must be a port from 1 to 65535, got ${describeValue(issue.input)}` })
  .max(65535, {
    error: (issue) => `must be a port from 1 to 65535, got ${describeValue(issue.input)}`,
  });

/** A replica count. */
export function replicas(min: number) {
  const rule = `must be a whole number from ${min} to 100`;
  return z
    .number()
    .int({ error: (issue) => `${rule}, got ${describeValue(issue.input)}` })
    .min(min, { error: (issue) => `${rule}, got ${describeValue(issue.input)}` })
    .max(100, { error: (issue) => `${rule}, got ${describeValue(issue.input)}` });
}

/** Upper-case environment variable names, as the env prefix convention expects. */
export const envVarNamePattern = /^[A-Z_][A-Z0-9_]*$/;

/** An environment variable name as POSIX shells and Kubernetes accept it, upper case by convention. */
export const envVarName = patternString(
  envVarNamePattern,
  'must be an upper-case environment variable name (A-Z, 0-9 and _, not starting with a digit) like "MONGO_USER"',
);

/** An e-mail address. */
export const email = z.email({
  error: (issue) =>
    `must be an e-mail address like "tech@acme.com", got ${describeValue(issue.input)}`,
});

/** An http(s) URL. */
export const httpUrl = z.url({
  protocol: /^https?$/,
  hostname: z.regexes.domain,
  error: (issue) => `must be an http:// or https:// URL, got ${describeValue(issue.input)}`,
});

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
