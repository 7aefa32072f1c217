/**
 * A small Pulumi mocks harness shared by the component unit tests.
 *
 * - Records every resource registration: type, name, inputs (as the engine would receive them,
 *   secrets still marked), parent and whether it is a custom resource.
 * - Throws on any provider function call (invoke) that has no mock, so nothing passes by accident.
 * - Lets a test add output state per resource type (e.g. an Ingress's `status`), the way a provider
 *   would after create.
 *
 * Usage:
 * ```ts
 * const mocks = await setMocks({ state: { "kubernetes:core/v1:Service": () => ({ ... }) } });
 * beforeEach(() => mocks.reset());
 * test("...", async () => {
 *   new BoxSite("acme", args);
 *   await mocks.settle();
 *   expect(mocks.children()).toEqual([...]);
 * });
 * ```
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { MockMonitor } from "@pulumi/pulumi/runtime/mocks.js";

/** One resource registration seen by the mock engine. */
export interface RecordedResource {
  /** Type token, e.g. `kubernetes:apps/v1:Deployment`. */
  readonly type: string;
  /** Logical (Pulumi) name. */
  readonly name: string;
  /** `type::name`, the form golden lists of children use. */
  readonly key: string;
  /** Inputs as sent to the engine. Secret values are wrapped: test them with {@link isSecret}. */
  readonly inputs: Record<string, unknown>;
  /** The parent's `type::name`, or undefined for the stack's direct children. */
  readonly parent: string | undefined;
  /** The resource's URN. */
  readonly urn: string;
  /** True for provider-managed resources, false for components. */
  readonly custom: boolean;
  /** Whether `destroy` leaves the resource in place (`retainOnDelete`). */
  readonly retainOnDelete: boolean;
  /** True for a read of an existing object (`Resource.get`), which the program does not manage. */
  readonly read: boolean;
}

/** Output state a test adds for a resource type, on top of the inputs echoed back as outputs. */
export type StateMock = (resource: RecordedResource) => Record<string, unknown>;

/** What {@link setMocks} accepts. */
export interface MockOptions {
  /** Extra output state per type token. @default - outputs equal inputs */
  readonly state?: Readonly<Record<string, StateMock>>;
  /** Results of provider function calls per token; any other call throws. @default - none */
  readonly calls?: Readonly<Record<string, (inputs: Record<string, unknown>) => object>>;
  /** Run as a preview (unknown outputs stay unknown). @default false */
  readonly preview?: boolean;
  /** Stack name the program sees. @default "test" */
  readonly stack?: string;
}

/** The handle a test gets back from {@link setMocks}. */
export interface MockHarness {
  /** Every registration since the last {@link MockHarness.reset}, in registration order. */
  readonly resources: readonly RecordedResource[];
  /** Forget the recorded resources (call it in `beforeEach`). */
  reset(): void;
  /** Wait until every pending registration (and the work feeding it) has reached the mocks. */
  settle(): Promise<void>;
  /** Sorted `type::name` of every recorded resource: the golden list of children. */
  children(): string[];
  /** The recorded resource with this type and name; throws, listing what exists, when absent. */
  find(type: string, name: string): RecordedResource;
  /** Every recorded resource of this type, in registration order. */
  ofType(type: string): RecordedResource[];
  /**
   * Where `needle` appears in a plain (non-secret) string of any recorded input, as
   * `type::name:path` entries. An empty list proves a secret value never left Pulumi secrets.
   */
  plainOccurrences(needle: string): string[];
}

type RegisterRequest = {
  getType(): string;
  getName(): string;
  getParent(): string;
  getRetainondelete(): boolean;
};
type Callback = (err: unknown, response: unknown) => void;

const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** True when a recorded input value is a Pulumi secret. */
export function isSecret(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[sigKey] === secretSig
  );
}

/** A recorded input with every secret marker removed (deeply), for comparing plain shapes. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal((value as { value: unknown }).value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

/**
 * The name pulumi-kubernetes would give an object whose `metadata.name` is unset: the logical name
 * plus a suffix. Random in a real run; here derived from the name, so tests and rendered manifests
 * are stable.
 */
export function autoName(logicalName: string): string {
  return `${logicalName}-${createHash("sha256").update(logicalName).digest("hex").slice(0, 8)}`;
}

/** Inputs echoed back as outputs, with `metadata.name` filled in like Kubernetes autonaming. */
function autonamed(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const metadata = inputs.metadata;
  if (!type.startsWith("kubernetes:") || typeof metadata !== "object" || metadata === null) {
    return inputs;
  }
  if ((metadata as Record<string, unknown>).name !== undefined) return inputs;
  return { ...inputs, metadata: { ...metadata, name: autoName(name) } };
}

function typeAndNameOfUrn(urn: string): string {
  const [, , qualifiedType = "", name = ""] = urn.split("::");
  return `${qualifiedType.split("$").pop()}::${name}`;
}

function plainPaths(value: unknown, needle: string, path: string, found: string[]): void {
  if (isSecret(value)) return;
  if (typeof value === "string") {
    if (value.includes(needle)) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => plainPaths(v, needle, `${path}[${i}]`, found));
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) plainPaths(v, needle, `${path}.${k}`, found);
  }
}

/**
 * Installs mocks that record every registration, and returns the handle to read them. Call once per
 * test file (e.g. at module level or in `beforeAll`), before the code under test is constructed.
 */
export async function setMocks(options: MockOptions = {}): Promise<MockHarness> {
  const recorded: RecordedResource[] = [];
  // newResource does not see the parent; the monitor's request does, so keep it per type::name.
  const parents = new Map<
    string,
    { parent: string | undefined; urn: string; retainOnDelete: boolean }
  >();

  const mocks: pulumi.runtime.Mocks = {
    call(args) {
      const mock = options.calls?.[args.token];
      if (mock === undefined) {
        const message = `unexpected provider call ${args.token}: add a mock for it in setMocks`;
        // The SDK rebuilds invoke errors from `details`, as it would from a gRPC status.
        throw Object.assign(new Error(message), { details: message });
      }
      return mock(args.inputs as Record<string, unknown>);
    },
    newResource(args) {
      const key = `${args.type}::${args.name}`;
      const where = parents.get(key);
      const resource: RecordedResource = {
        type: args.type,
        name: args.name,
        key,
        inputs: args.inputs as Record<string, unknown>,
        parent: where?.parent,
        urn: where?.urn ?? "",
        custom: args.custom ?? false,
        retainOnDelete: where?.retainOnDelete ?? false,
        read: args.id !== undefined && args.id !== "",
      };
      recorded.push(resource);
      const extra = options.state?.[args.type]?.(resource) ?? {};
      return {
        id: args.custom ? `${args.name}-id` : undefined,
        state: { ...autonamed(args.type, args.name, args.inputs), ...extra },
      };
    },
  };

  const stack = options.stack ?? "test";
  const preview = options.preview ?? false;

  // setMocks turns on what a real engine supports (secrets, resource references). newResource does
  // not see the parent, the monitor's request does: wrap the mock monitor's registerResource.
  await pulumi.runtime.setMocks(mocks, "project", stack, preview);
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: RegisterRequest, callback: Callback) => {
    const parentUrn = req.getParent();
    const parentType = parentUrn ? `${parentUrn.split("::")[2]?.split("$").pop()}$` : "";
    parents.set(`${req.getType()}::${req.getName()}`, {
      parent: parentUrn ? typeAndNameOfUrn(parentUrn) : undefined,
      // The same URN the mock monitor computes and hands back to the program.
      urn: `urn:pulumi:${stack}::project::${parentType}${req.getType()}::${req.getName()}`,
      retainOnDelete: req.getRetainondelete(),
    });
    return registerResource(req, callback);
  };

  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

  return {
    get resources() {
      return recorded;
    },
    reset() {
      recorded.length = 0;
      parents.clear();
    },
    async settle() {
      await waitForRPCs();
    },
    children() {
      return recorded.map((r) => r.key).sort();
    },
    find(type, name) {
      const hit = recorded.find((r) => r.type === type && r.name === name);
      if (hit === undefined) {
        throw new Error(
          `no ${type}::${name} was registered; registered: ${recorded.map((r) => r.key).join(", ")}`,
        );
      }
      return hit;
    },
    ofType(type) {
      return recorded.filter((r) => r.type === type);
    },
    plainOccurrences(needle) {
      const found: string[] = [];
      for (const r of recorded) plainPaths(r.inputs, needle, `${r.key}:inputs`, found);
      return found;
    },
  };
}
