import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";

/** What is needed to talk to one API server, resolved from a kubeconfig context. */
export interface ClusterConnection {
  readonly contextName: string;
  readonly server: string;
  readonly namespace: string;
  readonly certificateAuthority?: Buffer;
  readonly clientCertificate?: Buffer;
  readonly clientKey?: Buffer;
  readonly token?: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly insecureSkipTlsVerify: boolean;
}

/** A `clusters`/`contexts`/`users` entry: `{ name, cluster | context | user }`. */
type NamedEntry = { readonly name: string } & Readonly<Record<string, unknown>>;

/** A parsed kubeconfig, with the folder its relative file references are resolved against. */
export interface Kubeconfig {
  readonly clusters: NamedEntry[];
  readonly contexts: NamedEntry[];
  readonly users: NamedEntry[];
  readonly currentContext?: string;
  readonly baseDirectory: string;
  /** Where it came from, for messages (`KUBECONFIG`, a path, or `provider config`). */
  readonly source: string;
}

/**
 * Reads the provider's `kubeconfig` setting, which (as for the real provider) is either the
 * kubeconfig's content or a path to it.
 */
export function parseKubeconfigSetting(pathOrContent: string): Kubeconfig {
  const trimmed = pathOrContent.trim();
  const looksLikeContent =
    trimmed.includes("\n") || trimmed.startsWith("{") || /^apiVersion:/m.test(trimmed);
  if (looksLikeContent) return fromText(trimmed, process.cwd(), "provider config `kubeconfig`");
  return fromFile(resolve(trimmed));
}

/**
 * The kubeconfig client-go would load: the files listed in `KUBECONFIG` (merged, first one wins
 * for each name), else `~/.kube/config`; `undefined` when there is none.
 */
export function loadAmbientKubeconfig(
  env: NodeJS.ProcessEnv = process.env,
): Kubeconfig | undefined {
  const listed = (env.KUBECONFIG ?? "").split(delimiter).filter((p) => p !== "");
  const candidates = listed.length > 0 ? listed : [join(env.HOME ?? homedir(), ".kube", "config")];
  const found = candidates.filter((p) => existsSync(p)).map((p) => fromFile(resolve(p)));
  if (found.length === 0) return undefined;
  const first = found[0] as Kubeconfig;
  const merge = (field: "clusters" | "contexts" | "users"): NamedEntry[] => {
    const seen = new Map<string, NamedEntry>();
    for (const config of found) {
      for (const entry of config[field]) if (!seen.has(entry.name)) seen.set(entry.name, entry);
    }
    return [...seen.values()];
  };
  return {
    clusters: merge("clusters"),
    contexts: merge("contexts"),
    users: merge("users"),
    currentContext: found.find((c) => c.currentContext)?.currentContext,
    baseDirectory: first.baseDirectory,
    source: listed.length > 0 ? "KUBECONFIG" : "~/.kube/config",
  };
}

/** Picks the context (the given one or the current one) and resolves its cluster and user. */
export function resolveConnection(
  config: Kubeconfig,
  overrides: { readonly context?: string; readonly cluster?: string } = {},
): ClusterConnection {
  const contextName = overrides.context || config.currentContext;
  if (!contextName) throw new Error(`kubeconfig from ${config.source} has no current-context`);
  const context = section(
    config.contexts.find((c) => c.name === contextName),
    "context",
  );
  if (!context) throw new Error(`kubeconfig from ${config.source} has no context "${contextName}"`);
  const clusterName = overrides.cluster || String(context.cluster ?? "");
  const cluster = section(
    config.clusters.find((c) => c.name === clusterName),
    "cluster",
  );
  if (!cluster || typeof cluster.server !== "string") {
    throw new Error(
      `kubeconfig from ${config.source} has no cluster "${clusterName}" with a server`,
    );
  }
  const user =
    section(
      config.users.find((u) => u.name === context.user),
      "user",
    ) ?? {};
  if (user.exec || user["auth-provider"]) {
    throw new Error(
      `kubeconfig user "${String(context.user)}" uses an exec or auth-provider plugin, which the offline stand-in does not support; use a token or client certificate`,
    );
  }
  const file = (
    dataKey: string,
    pathKey: string,
    from: Record<string, unknown>,
  ): Buffer | undefined => {
    if (typeof from[dataKey] === "string") return Buffer.from(from[dataKey] as string, "base64");
    if (typeof from[pathKey] === "string") {
      const path = from[pathKey] as string;
      return readFileSync(isAbsolute(path) ? path : join(config.baseDirectory, path));
    }
    return undefined;
  };
  const token =
    typeof user.token === "string"
      ? user.token
      : typeof user.tokenFile === "string"
        ? readFileSync(resolve(config.baseDirectory, user.tokenFile), "utf8").trim()
        : undefined;
  return {
    contextName,
    server: cluster.server.replace(/\/+$/, ""),
    namespace:
      typeof context.namespace === "string" && context.namespace !== ""
        ? context.namespace
        : "default",
    certificateAuthority: file("certificate-authority-data", "certificate-authority", cluster),
    clientCertificate: file("client-certificate-data", "client-certificate", user),
    clientKey: file("client-key-data", "client-key", user),
    token,
    basicAuth:
      typeof user.username === "string" && typeof user.password === "string"
        ? { username: user.username, password: user.password }
        : undefined,
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
  };
}

function fromFile(path: string): Kubeconfig {
  return fromText(readFileSync(path, "utf8"), dirname(path), path);
}

function fromText(text: string, baseDirectory: string, source: string): Kubeconfig {
  const doc: unknown = parse(text);
  if (typeof doc !== "object" || doc === null)
    throw new Error(`kubeconfig from ${source} is not a YAML mapping`);
  const record = doc as Record<string, unknown>;
  const list = (key: string): NamedEntry[] =>
    Array.isArray(record[key]) ? (record[key] as NamedEntry[]) : [];
  return {
    clusters: list("clusters"),
    contexts: list("contexts"),
    users: list("users"),
    currentContext:
      typeof record["current-context"] === "string" ? record["current-context"] : undefined,
    baseDirectory,
    source,
  };
}

function section(entry: NamedEntry | undefined, key: string): Record<string, unknown> | undefined {
  const value = entry?.[key];
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}
