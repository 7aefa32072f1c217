import { gunzipSync } from "node:zlib";
import * as zlib from "node:zlib";
import type { Holder } from "../../contract.js";
import type { StoredObject } from "./store.js";

/**
 * Where a DIY backend keeps each stack's objects (pulumi `pkg/backend/diy/store.go`, project-scoped
 * layout) and where sitestack keeps its own records beside them. Pure: keys and parsers only.
 */
export const backendLayout = {
  /** `.pulumi/stacks/<project>/`: one checkpoint per stack, `<stack>.json[.gz|.zst]`. */
  stacksPrefix: (project: string) => `.pulumi/stacks/${project}/`,
  /** `.pulumi/history/<project>/<stack>/`: `<stack>-<unix nanos>.history.json` per update. */
  historyPrefix: (project: string, stack: string) => `.pulumi/history/${project}/${stack}/`,
  /** `.pulumi/locks/organization/<project>/`: a folder per locked stack, a file per holder. */
  locksPrefix: (project: string) => `.pulumi/locks/organization/${project}/`,
  /** The lock folder of one stack. */
  stackLocksPrefix: (project: string, stack: string) =>
    `.pulumi/locks/organization/${project}/${stack}/`,
  /** sitestack's operation records, one per stack. */
  operationsPrefix: (project: string) => `.sitestack/operations/${project}/`,
  /** sitestack's record of the last operation on a stack (who, which verb, how it ended). */
  operationKey: (project: string, stack: string) =>
    `.sitestack/operations/${project}/${stack}.json`,
} as const;

const checkpointName = /^(?<stack>[^/]+)\.json(?<ext>\.gz|\.zst)?$/;

/** The stack a checkpoint object belongs to, or undefined for anything else under the prefix. */
export function stackOfCheckpointKey(project: string, key: string): string | undefined {
  const rest = key.slice(backendLayout.stacksPrefix(project).length);
  return checkpointName.exec(rest)?.groups?.stack;
}

/** The stack and holder file of a lock object under {@link backendLayout.locksPrefix}. */
export function stackOfLockKey(project: string, key: string): string | undefined {
  const rest = key.slice(backendLayout.locksPrefix(project).length).split("/");
  return rest.length === 2 && rest[1]?.endsWith(".json") === true ? rest[0] : undefined;
}

/** Whether a history object is an update record (not the checkpoint copy beside it). */
export function isHistoryRecord(object: StoredObject): boolean {
  return /\.history\.json(\.gz|\.zst)?$/.test(object.key);
}

/** The bytes of a backend object decompressed the way the engine wrote them. */
export function decodeObject(key: string, data: Buffer): string {
  if (key.endsWith(".gz")) return gunzipSync(data).toString("utf8");
  if (key.endsWith(".zst")) {
    const zstd = (zlib as { zstdDecompressSync?: (data: Buffer) => Buffer }).zstdDecompressSync;
    if (zstd === undefined) throw new Error(`${key}: this Node.js cannot read zstd state`);
    return zstd(data).toString("utf8");
  }
  return data.toString("utf8");
}

/** The engine's signature key that marks a secret value in a checkpoint. */
const secretSignature = "4dabf18193072939515e22adb298388d";

/** What a checkpoint tells about a stack. */
export interface CheckpointFacts {
  /** Non-secret stack outputs as they are; secret ones as `"[secret]"`. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Managed resources besides the stack itself and providers. */
  readonly resourceCount: number;
  /** Operations the engine began and never finished (a killed run). */
  readonly pendingOperations: readonly PendingOperation[];
  /**
   * The salt of the passphrase secrets provider the stack was made with (the `encryptionsalt` its
   * config file must hold), when it uses one: a stale config file shows as a different salt.
   */
  readonly passphraseSalt?: string;
}

/** One operation the engine started and never finished (the process died in between). */
export interface PendingOperation {
  readonly urn: string;
  readonly type: "creating" | "updating" | "deleting" | "reading" | "importing" | string;
}

interface CheckpointResource {
  readonly urn?: string;
  readonly type?: string;
  readonly outputs?: Record<string, unknown>;
  readonly retainOnDelete?: boolean;
  readonly protect?: boolean;
}

/** One resource a stack's state holds (never its inputs or outputs, which may be secret). */
export interface StateResource {
  readonly urn: string;
  /** The resource type token, e.g. `kubernetes:apps/v1:Deployment`. */
  readonly type: string;
  /** The resource's name (the URN's last part). */
  readonly name: string;
  /** Marked `retainOnDelete`: `destroy` leaves it in place (only `cleanup` deletes it). */
  readonly retained: boolean;
  /** Marked `protect`: `destroy` refuses until it is unprotected. */
  readonly protected: boolean;
}

/** The name part of a URN (`urn:pulumi:stack::project::type::name` → `name`). */
export function nameOfUrn(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at < 0 ? urn : urn.slice(at + 2);
}

/**
 * The user's resources in a checkpoint or an exported deployment (`{checkpoint: {latest}}`, or
 * `{deployment}` from `stack export`): everything but the stack itself and providers, in state order.
 */
export function parseStateResources(text: string): StateResource[] {
  const parsed = JSON.parse(text) as {
    checkpoint?: { latest?: { resources?: CheckpointResource[] } };
    deployment?: { resources?: CheckpointResource[] };
  };
  const resources = parsed.checkpoint?.latest?.resources ?? parsed.deployment?.resources ?? [];
  return resources
    .filter(
      (resource) =>
        resource.type !== "pulumi:pulumi:Stack" &&
        resource.type?.startsWith("pulumi:providers:") !== true,
    )
    .map((resource) => ({
      urn: resource.urn ?? "unknown",
      type: resource.type ?? "unknown",
      name: nameOfUrn(resource.urn ?? "unknown"),
      retained: resource.retainOnDelete === true,
      protected: resource.protect === true,
    }));
}

/** Reads a checkpoint (`apitype.VersionedCheckpoint`, version 3). */
export function parseCheckpoint(text: string): CheckpointFacts {
  const parsed = JSON.parse(text) as {
    checkpoint?: {
      latest?: {
        resources?: CheckpointResource[];
        pending_operations?: { resource?: { urn?: string }; type?: string }[];
        secrets_providers?: { type?: string; state?: { salt?: unknown } };
      };
    };
  };
  const latest = parsed.checkpoint?.latest;
  const resources = latest?.resources ?? [];
  const root = resources.find((resource) => resource.type === "pulumi:pulumi:Stack");
  const secrets = latest?.secrets_providers;
  const salt = secrets?.type === "passphrase" ? secrets.state?.salt : undefined;
  return {
    outputs: maskSecrets(root?.outputs ?? {}) as Record<string, unknown>,
    resourceCount: resources.filter(
      (resource) =>
        resource.type !== "pulumi:pulumi:Stack" &&
        resource.type?.startsWith("pulumi:providers:") !== true,
    ).length,
    pendingOperations: (latest?.pending_operations ?? []).map((operation) => ({
      urn: operation.resource?.urn ?? "unknown",
      type: operation.type ?? "unknown",
    })),
    ...(typeof salt === "string" ? { passphraseSalt: salt } : {}),
  };
}

/** A value with every engine secret replaced by `"[secret]"` (they are ciphertext at rest anyway). */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== "object") return value;
  if (secretSignature in value) return "[secret]";
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskSecrets(child)]));
}

/** One update of a stack as the engine recorded it (`backend.UpdateInfo`). */
export interface UpdateRecord {
  /** `update`, `refresh`, `destroy`, `import`, … */
  readonly kind: string;
  readonly result: "succeeded" | "failed" | "in-progress" | string;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly message: string;
  readonly resourceChanges: Readonly<Record<string, number>>;
}

/** Reads one history record. */
export function parseUpdateRecord(text: string): UpdateRecord {
  const raw = JSON.parse(text) as {
    kind?: string;
    result?: string;
    startTime?: number;
    endTime?: number;
    message?: string;
    resourceChanges?: Record<string, number>;
  };
  return {
    kind: raw.kind ?? "update",
    result: raw.result ?? "unknown",
    startTime: new Date((raw.startTime ?? 0) * 1000),
    endTime: new Date((raw.endTime ?? 0) * 1000),
    message: raw.message ?? "",
    resourceChanges: raw.resourceChanges ?? {},
  };
}

/** Parses one DIY lock file (`{pid, username, hostname, timestamp}`, pulumi `diy/lock.go`). */
export function parseLockHolder(text: string): Holder {
  const raw = JSON.parse(text) as {
    pid?: unknown;
    username?: unknown;
    hostname?: unknown;
    timestamp?: unknown;
  };
  return {
    user: typeof raw.username === "string" ? raw.username : "unknown",
    host: typeof raw.hostname === "string" ? raw.hostname : "unknown",
    pid: typeof raw.pid === "number" ? raw.pid : 0,
    since: typeof raw.timestamp === "string" ? new Date(raw.timestamp).toISOString() : "unknown",
  };
}
