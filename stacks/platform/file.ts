import { lstatSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import * as z from "zod";
import { envVars } from "../contract.js";
import { ValidationFailed } from "../errors.js";
import {
  apiVersion,
  asRecord,
  cpuQuantity,
  describeValue,
  dnsLabel,
  type DocumentForm,
  type DocumentResult,
  email,
  fieldRule,
  hostname,
  listAllowed,
  maxFileBytes,
  memoryBytes,
  memoryQuantity,
  nonBlank,
  parseDocument,
  type Problem,
  readRegularFileText,
} from "../site-model/index.js";
import { platformFromEnv } from "./env.js";
import { defaultPlatformSettings, type PlatformSettings } from "./settings.js";

/** The platform file's name, beside `Pulumi.yaml` in the project folder. */
export const platformFileName = "sitestack.yaml";

const defaults = defaultPlatformSettings;

/** How HTTP traffic reaches sites on Kubernetes. */
const routing = z
  .discriminatedUnion(
    "kind",
    [
      z.strictObject({
        kind: z.literal("ingress"),
        className: dnsLabel.meta({ description: "The IngressClass, e.g. nginx." }),
      }),
      z.strictObject({
        kind: z.literal("gateway"),
        gatewayName: dnsLabel.meta({ description: "The platform's Gateway." }),
        gatewayNamespace: dnsLabel.meta({ description: "The Gateway's namespace." }),
      }),
    ],
    {
      // Reported at routing.kind, like a site file's kind.
      error: (issue) => {
        if (issue.code !== "invalid_union") return undefined;
        const kind = asRecord(issue.input).kind;
        const allowed = listAllowed(["ingress", "gateway"]);
        return kind === undefined
          ? `is required (${allowed})`
          : `must be ${allowed}, got ${describeValue(kind)}`;
      },
    },
  )
  .default(defaults.routing)
  .meta({
    description:
      "Ingress ({kind: ingress, className}) or Gateway API ({kind: gateway, gatewayName, gatewayNamespace}).",
  });

/** One cluster by name: a kubeconfig file, a context of it, or both. */
const cluster = z
  .strictObject({
    kubeconfig: nonBlank.optional().meta({
      description: "Kubeconfig file; relative to the project folder, or ~/…",
    }),
    context: nonBlank.optional().meta({ description: "A context of the kubeconfig." }),
  })
  .superRefine(
    ...fieldRule((value, report) => {
      const { kubeconfig, context } = asRecord(value);
      if (kubeconfig === undefined && context === undefined) {
        report([], "needs a kubeconfig, a context or both");
      }
    }),
  );

/** `spec` of the platform file. Every field has the default of `defaultPlatformSettings`. */
export const platformSpec = z
  .strictObject({
    testDomainBase: hostname.default(defaults.testDomainBase).meta({
      description: "Base domain of the automatic test domains <code>.<testDomainBase>.",
    }),
    routing,
    acme: z
      .strictObject({
        environment: z
          .enum(["staging", "production"])
          .default(defaults.acmeEnvironment)
          .meta({ description: "Let's Encrypt environment of every site's certificates." }),
        email: email.optional().meta({
          description:
            "ACME account e-mail of sites without their own (App ingresses get TLS with it); box sites use their techEmail.",
        }),
      })
      .prefault({}),
    ingressControllerNamespace: dnsLabel.optional().meta({
      description:
        "Namespace of the ingress controller (or Gateway data plane); with it every box site and App service pod gets a NetworkPolicy admitting traffic only from there.",
    }),
    clusters: z
      .record(dnsLabel, cluster)
      .default({})
      .meta({ description: "Clusters by name; a site file chooses one with spec.cluster." }),
    defaultCluster: dnsLabel
      .optional()
      .meta({ description: "The cluster of sites that name none (a key of clusters)." }),
    resources: z
      .strictObject({
        requests: z
          .strictObject({ cpu: cpuQuantity.optional(), memory: memoryQuantity.optional() })
          .optional(),
        limits: z.strictObject({ memory: memoryQuantity.optional() }).optional(),
      })
      .optional()
      .meta({
        description: "Container resources of box sites and App services whose site file sets none.",
      }),
  })
  .superRefine(
    ...fieldRule((value, report) => {
      const spec = asRecord(value);
      const clusters = Object.keys(asRecord(spec.clusters));
      if (typeof spec.defaultCluster === "string" && !clusters.includes(spec.defaultCluster)) {
        report(
          ["defaultCluster"],
          `must be one of clusters (${clusters.length === 0 ? "there are none" : clusters.join(", ")}), got ${describeValue(spec.defaultCluster)}`,
        );
      }
      const resources = asRecord(spec.resources);
      const requested = asRecord(resources.requests).memory;
      const limit = asRecord(resources.limits).memory;
      if (
        typeof requested === "string" &&
        typeof limit === "string" &&
        memoryBytes(requested) > memoryBytes(limit)
      ) {
        report(
          ["resources", "requests", "memory"],
          `must not exceed limits.memory (${limit}), got ${JSON.stringify(requested)}`,
        );
      }
    }),
  );

/** The platform file `sitestack.yaml`: `apiVersion`, `kind: Platform` and `spec`. */
export const platformSchema = z
  .strictObject({
    apiVersion: z.literal(apiVersion, {
      error: (issue) =>
        issue.input === undefined
          ? `is required (${JSON.stringify(apiVersion)})`
          : `must be ${JSON.stringify(apiVersion)}, got ${describeValue(issue.input)}`,
    }),
    kind: z.literal("Platform"),
    spec: platformSpec.prefault({}),
  })
  .meta({ id: "Platform" });

/** A parsed platform file, defaults applied. */
export type PlatformFile = z.output<typeof platformSchema>;

const platformForm: DocumentForm<PlatformFile> = {
  schema: platformSchema,
  what: "platform file",
  shape: "a map with apiVersion, kind: Platform and spec",
};

/** Parses and validates the text of a platform file, with positions like a site file's. */
export function parsePlatformText(text: string, fileName: string): DocumentResult<PlatformFile> {
  return parseDocument(text, fileName, platformForm);
}

/**
 * The platform settings of a parsed file, besides `kubernetes` (which the environment decides:
 * see `platformFromEnv`). Kubeconfig paths are made absolute: relative to the project folder, `~/`
 * to the home folder.
 */
export function settingsOfPlatformFile(
  file: PlatformFile,
  projectDir: string,
): Omit<PlatformSettings, "kubernetes"> {
  const spec = file.spec;
  const resources = spec.resources;
  const path = (value: string) =>
    value.startsWith("~/") ? join(homedir(), value.slice(2)) : resolve(projectDir, value);
  return {
    testDomainBase: spec.testDomainBase,
    routing: spec.routing,
    acmeEnvironment: spec.acme.environment,
    ...(spec.acme.email === undefined ? {} : { acmeEmail: spec.acme.email }),
    ...(spec.ingressControllerNamespace === undefined
      ? {}
      : { ingressControllerNamespace: spec.ingressControllerNamespace }),
    clusters: Object.fromEntries(
      Object.entries(spec.clusters).map(([name, connection]) => [
        name,
        {
          ...(connection.kubeconfig === undefined
            ? {}
            : { kubeconfig: path(connection.kubeconfig) }),
          ...(connection.context === undefined ? {} : { context: connection.context }),
        },
      ]),
    ),
    ...(spec.defaultCluster === undefined ? {} : { defaultCluster: spec.defaultCluster }),
    ...(resources === undefined
      ? {}
      : {
          resources: {
            ...(resources.requests?.cpu === undefined
              ? {}
              : { cpuRequest: resources.requests.cpu }),
            ...(resources.requests?.memory === undefined
              ? {}
              : { memoryRequest: resources.requests.memory }),
            ...(resources.limits?.memory === undefined
              ? {}
              : { memoryLimit: resources.limits.memory }),
          },
        }),
  };
}

/**
 * The platform file of a project: `SITESTACK_PLATFORM_FILE` (relative to the project folder) when
 * set, else `sitestack.yaml` in the project folder.
 */
export function platformFilePath(
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return resolve(projectDir, env[envVars.platformFile] ?? platformFileName);
}

/** The platform file of a project as read: its settings, or its problems. */
export type PlatformFileOutcome =
  | { readonly ok: true; readonly settings: PlatformSettings; readonly file?: string }
  | { readonly ok: false; readonly file: string; readonly problems: readonly Problem[] };

/**
 * Reads a project's platform file (optional: without one, `defaultPlatformSettings`), then applies
 * the environment's Kubernetes target (`platformFromEnv`). Never throws for a bad file: its problems
 * come back with their lines and columns (`validate` lists them with the site files').
 */
export function readPlatformFile(
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): PlatformFileOutcome {
  const path = platformFilePath(projectDir, env);
  const named = env[envVars.platformFile] !== undefined;
  if (!named && !exists(path)) {
    return { ok: true, settings: withProjectCharts(platformFromEnv(env), projectDir) };
  }
  // Problems name the file as the user knows it: `sitestack.yaml`, relative to the project.
  const inProject = relative(projectDir, path);
  const file = inProject.startsWith("..") || isAbsolute(inProject) ? path : inProject;
  const read = readRegularFileText(path, { what: "platform file", maxBytes: maxFileBytes });
  if (!read.ok) {
    return {
      ok: false,
      file,
      problems: [{ file, line: 1, col: 1, path: "", message: read.message }],
    };
  }
  const parsed = parsePlatformText(read.text, file);
  if (!parsed.ok) return { ok: false, file, problems: parsed.problems };
  const settings = platformFromEnv(env, {
    ...defaultPlatformSettings,
    ...settingsOfPlatformFile(parsed.value, projectDir),
  });
  return { ok: true, settings: withProjectCharts(settings, projectDir), file };
}

/** The project's `charts/` folder as the stagings' charts, when the project has one. */
function withProjectCharts(settings: PlatformSettings, projectDir: string): PlatformSettings {
  const chartsDir = join(projectDir, "charts");
  return exists(chartsDir) ? { ...settings, chartsDir } : settings;
}

/**
 * The platform settings of a project, the one function every door calls (the CLI and library
 * through `siteStackManager`, `Pulumi.yaml`'s program): see {@link readPlatformFile}.
 * @throws ValidationFailed with every problem of the platform file, each with its line and column;
 * or when `SITESTACK_PLATFORM_FILE` names a file that does not exist.
 */
export function loadPlatformSettings(
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): PlatformSettings {
  const outcome = readPlatformFile(projectDir, env);
  if (!outcome.ok) throw new ValidationFailed(outcome.problems);
  return outcome.settings;
}

/** Whether anything is at `path` (a link included: the reader then says what is wrong with it). */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
