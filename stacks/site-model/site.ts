import * as z from "zod";
import { stackNameOf, stackPrefixes, type StackKind } from "../contract.js";
import { maxOwnerStackLength, ownerStackProblem } from "../../components/dns-record/resolve.js";
import { maxStagingNameLength, stagingNameProblem } from "../../components/staging/names.js";
import { dnsLabelProblem } from "../../components/value-rules.js";
import { appBody } from "./app.js";
import { boxSiteBody } from "./box-site.js";
import { hostRouteBody } from "./host-route.js";
import { describeValue, listAllowed } from "./messages.js";
import { dnsLabel, labels } from "./primitives.js";
import { asRecord, fieldRule, type Report } from "./rules.js";
import { stagingBody } from "./staging.js";

/** The only `apiVersion` this release reads. */
export const apiVersion = "sitestack/v1";

/** Every `kind` a site file can have. */
export const siteKinds = ["BoxSite", "App", "HostRoute", "Staging"] as const;

/** One of {@link siteKinds}. */
export type SiteKind = (typeof siteKinds)[number];

// The stack contract names a stack prefix for every kind of site file, and for no other kind.
type SameKinds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyKindHasAStack: SameKinds<SiteKind, StackKind> = true;
void everyKindHasAStack;

/**
 * `metadata` of a site file. `maxNameLength` is the JSON Schema's part of a kind's own name rule
 * (checked with its message by the kind's document rule below).
 */
function metadataOf(maxNameLength?: number) {
  return z.strictObject({
    name: dnsLabel.meta({
      ...(maxNameLength === undefined ? {} : { maxLength: maxNameLength }),
      description: "Site name; must equal the file name (sites/<name>.yaml). Names the stack.",
    }),
    labels: labels.default({}).meta({ description: "Labels used to select stacks." }),
  });
}

/** `metadata` of every site file. */
export const siteMetadata = metadataOf();

/** The longest name of a site of `kind` whose stack is named in its DNS records' comments. */
function maxRecordOwnerNameLength(kind: SiteKind): number {
  return maxOwnerStackLength - `${stackPrefixes[kind]}-`.length;
}

function document<K extends SiteKind, B extends z.ZodType>(
  kind: K,
  body: B,
  metadata: typeof siteMetadata = siteMetadata,
) {
  return z.strictObject({
    apiVersion: z.literal(apiVersion, {
      error: (issue) =>
        issue.input === undefined
          ? `is required (${JSON.stringify(apiVersion)})`
          : `must be ${JSON.stringify(apiVersion)}, got ${describeValue(issue.input)}`,
    }),
    kind: z.literal(kind),
    metadata,
    spec: body,
  });
}

/** The site's name, when it is a valid one (a bad name has its own problem already). */
function validName(value: unknown): string | undefined {
  const name = asRecord(asRecord(value).metadata).name;
  return typeof name === "string" && dnsLabelProblem(name) === undefined ? name : undefined;
}

/**
 * The stack of a site that creates DNS records is named in each record's comment, which the
 * DnsRecord component (and Cloudflare) limit: the same rule, asked with the stack name.
 */
function checkRecordOwner(kind: SiteKind, name: string, report: Report): void {
  const stack = stackNameOf({ kind, metadata: { name } });
  const problem = ownerStackProblem(stack);
  if (problem === undefined) return;
  const longest = maxRecordOwnerNameLength(kind);
  report(
    ["metadata", "name"],
    `is too long (${name.length} characters): the stack name ${describeValue(stack)} ${problem}; a ${kind} with a DNS record can have a name of at most ${longest} characters`,
  );
}

/** A whole `kind: BoxSite` file. */
export const boxSiteSchema = document("BoxSite", boxSiteBody)
  .superRefine(
    ...fieldRule((value, report) => {
      const name = validName(value);
      const dns = asRecord(asRecord(value).spec).dns;
      if (name !== undefined && dns !== undefined) checkRecordOwner("BoxSite", name, report);
    }),
  )
  .meta({ id: "BoxSite" });
/** A whole `kind: App` file. */
export const appSchema = document("App", appBody).meta({ id: "App" });
/** A whole `kind: HostRoute` file. */
export const hostRouteSchema = document(
  "HostRoute",
  hostRouteBody,
  metadataOf(maxRecordOwnerNameLength("HostRoute")),
)
  .superRefine(
    ...fieldRule((value, report) => {
      const name = validName(value);
      if (name !== undefined) checkRecordOwner("HostRoute", name, report);
    }),
  )
  .meta({ id: "HostRoute" });
/** A whole `kind: Staging` file. */
export const stagingSchema = document("Staging", stagingBody, metadataOf(maxStagingNameLength))
  .superRefine(
    ...fieldRule((value, report) => {
      const name = validName(value);
      const problem = name === undefined ? undefined : stagingNameProblem(name);
      if (problem !== undefined) {
        report(["metadata", "name"], `${problem}, got ${describeValue(name)}`);
      }
    }),
  )
  .meta({ id: "Staging" });

/** Any site file, discriminated by `kind`. */
export const siteSchema = z.discriminatedUnion(
  "kind",
  [boxSiteSchema, appSchema, hostRouteSchema, stagingSchema],
  {
    error: (issue) => {
      // The union also raises invalid_type for a non-map document, which its issue type omits.
      const code: string = issue.code;
      if (code === "invalid_type") {
        // A whole file of plain text is not quoted back: it may be any file given by mistake.
        const found = typeof issue.input === "string" ? "plain text" : describeValue(issue.input);
        return `a site file must be a map with apiVersion, kind, metadata and spec, got ${found}`;
      }
      if (code === "invalid_union") {
        const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
        return kind === undefined
          ? `is required (one of ${listAllowed(siteKinds)})`
          : `must be one of ${listAllowed(siteKinds)}, got ${describeValue(kind)}`;
      }
      return undefined;
    },
  },
);

/** A parsed BoxSite file, defaults applied. */
export type BoxSiteSpec = z.output<typeof boxSiteSchema>;
/** A parsed App file, defaults applied. */
export type AppSpec = z.output<typeof appSchema>;
/** A parsed HostRoute file, defaults applied. */
export type HostRouteSpec = z.output<typeof hostRouteSchema>;
/** A parsed Staging file, defaults applied. */
export type StagingSpec = z.output<typeof stagingSchema>;
/** Any parsed site file; switch on `kind`. */
export type SiteSpec = z.output<typeof siteSchema>;
/** A site file as written, before defaults (what editors and generators produce). */
export type SiteInput = z.input<typeof siteSchema>;
