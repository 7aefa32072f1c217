import { resolve } from "node:path";
import { checkResource, type CheckInput, type CheckOutput } from "./check.js";
import { ClusterClient } from "./cluster-client.js";
import {
  checkProviderInputs,
  diffProviderInputs,
  settingsFromVariables,
  type ProviderDiff,
  type ProviderSettings,
} from "./config.js";
import {
  diffResource,
  STATE_INITIAL_API_VERSION_KEY,
  STATE_INPUTS_KEY,
  type DiffOutput,
} from "./diff.js";
import { gvkFromTypeToken, isNamespacedOffline } from "./kinds.js";
import {
  loadAmbientKubeconfig,
  parseKubeconfigSetting,
  resolveConnection,
  type ClusterConnection,
} from "./kubeconfig.js";
import {
  carrySecretness,
  isObject,
  makeSecret,
  stripSecretsFromMap,
  type PropertyMap,
} from "./properties.js";
import { removeRenderedObject, writeRenderedObject } from "./render.js";

/** How long a delete waits for the object to disappear when the engine gives no timeout (as the real provider). */
const DEFAULT_DELETE_TIMEOUT_MS = 10 * 60 * 1000;

type Mode =
  | { readonly kind: "render"; readonly directory: string }
  | {
      readonly kind: "cluster";
      readonly client: ClusterClient;
      readonly connection: ClusterConnection;
    }
  | { readonly kind: "unknown" };

/** A resource's recorded state as the engine hands it back. */
export interface ResourceState {
  readonly id: string;
  readonly outputs: PropertyMap;
  readonly inputs: PropertyMap;
}

/** Receives the provider's messages for the user (shown by the engine). */
export type ProviderLog = (severity: "info" | "warning", message: string, urn?: string) => void;

/**
 * The Kubernetes provider's resource operations, in render mode (one YAML file per object) or
 * against an API server (server-side apply). Plain objects in and out; `server.ts` does the gRPC.
 */
export class StandinKubernetesProvider {
  private mode: Mode | undefined;
  private settings: ProviderSettings | undefined;

  constructor(
    readonly version: string,
    private readonly log: ProviderLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** CheckConfig: the real provider's rules for combining settings with a render directory. */
  checkConfig(news: PropertyMap): CheckOutput {
    return { inputs: news, failures: checkProviderInputs(news, this.env) };
  }

  /** DiffConfig: see {@link diffProviderInputs}. */
  diffConfig(olds: PropertyMap, news: PropertyMap): ProviderDiff {
    return diffProviderInputs(olds, news, (settings) => this.connectionFor(settings)?.server);
  }

  /**
   * Configure: picks render mode (a render directory is set) or a cluster (the `kubeconfig`
   * setting, else `KUBECONFIG`, else `~/.kube/config`). No network call is made here.
   */
  configure(variables: ReadonlyMap<string, string>): void {
    const settings = settingsFromVariables(variables, this.env);
    this.settings = settings;
    if (settings.renderYamlToDirectory) {
      this.mode = { kind: "render", directory: resolve(settings.renderYamlToDirectory) };
      this.warnInUse(`rendering YAML to ${this.mode.directory}`);
      return;
    }
    const connection = this.connectionFor(settings);
    if (connection) {
      this.mode = { kind: "cluster", client: new ClusterClient(connection), connection };
      this.warnInUse(
        `server-side apply to ${connection.server} (context "${connection.contextName}")`,
      );
      return;
    }
    if (settings.hasUnknowns) {
      this.mode = { kind: "unknown" };
      return;
    }
    throw new Error(
      "no Kubernetes cluster is configured: set the provider's `kubeconfig` (or KUBECONFIG, or ~/.kube/config) or `renderYamlToDirectory`",
    );
  }

  /** Check: validation, autonaming and the default namespace. */
  async check(args: Omit<CheckInput, "defaultNamespace" | "namespaced">): Promise<CheckOutput> {
    return checkResource({
      ...args,
      defaultNamespace: this.defaultNamespace(),
      namespaced: await this.isNamespaced(args.type),
    });
  }

  /** Diff: see {@link diffResource}. */
  async diff(args: {
    readonly type: string;
    readonly oldInputs: PropertyMap;
    readonly oldState: PropertyMap;
    readonly news: PropertyMap;
    readonly ignoreChanges: readonly string[];
  }): Promise<DiffOutput> {
    return diffResource({
      ...args,
      namespaced: await this.isNamespaced(args.type),
      configMapMutable: this.settings?.enableConfigMapMutable,
      secretMutable: this.settings?.enableSecretMutable,
    });
  }

  /**
   * Create: writes the file or applies the object; a preview only predicts the state. Like the
   * real provider in server-side apply mode, an object that already exists is not adopted.
   */
  async create(args: {
    readonly inputs: PropertyMap;
    readonly preview: boolean;
  }): Promise<ResourceState> {
    const mode = this.requireMode();
    if (!args.preview && mode.kind === "cluster") {
      const object = stripSecretsFromMap(args.inputs);
      if (await mode.client.get(object)) {
        throw new Error(
          `${String(object.kind)} "${objectId(object)}" already exists in the cluster; delete it or import it first`,
        );
      }
    }
    return this.applyOrRender(args.inputs, args.preview);
  }

  /** Update: rewrites the file or applies the object again (server-side apply drops removed fields). */
  async update(args: {
    readonly news: PropertyMap;
    readonly preview: boolean;
  }): Promise<ResourceState> {
    return this.applyOrRender(args.news, args.preview);
  }

  /**
   * Read (refresh): the recorded state in render mode, the live object against a cluster;
   * `undefined` when the object is gone.
   */
  async read(args: {
    readonly id: string;
    readonly state: PropertyMap;
    readonly inputs: PropertyMap;
  }): Promise<ResourceState | undefined> {
    const mode = this.requireMode();
    const inputs =
      Object.keys(args.inputs).length > 0 ? args.inputs : asMap(args.state[STATE_INPUTS_KEY]);
    if (mode.kind !== "cluster") return { id: args.id, outputs: args.state, inputs };
    const identity = identityOf(args.id, stripSecretsFromMap(args.state), args.inputs);
    const live = await mode.client.get(identity);
    return live ? { ...this.stateOf(live, inputs), inputs } : undefined;
  }

  /** Delete: removes the file, or deletes the object and waits until the API server no longer has it. */
  async delete(args: {
    readonly id: string;
    readonly state: PropertyMap;
    readonly timeoutSeconds: number;
  }): Promise<void> {
    const mode = this.requireMode();
    const object = stripSecretsFromMap(args.state);
    if (mode.kind === "render") {
      await removeRenderedObject(asMap(object[STATE_INPUTS_KEY] ?? object), mode.directory);
    } else if (mode.kind === "cluster") {
      const timeoutMs =
        args.timeoutSeconds > 0 ? args.timeoutSeconds * 1000 : DEFAULT_DELETE_TIMEOUT_MS;
      await mode.client.delete(identityOf(args.id, object, {}), timeoutMs);
    }
  }

  private async applyOrRender(inputs: PropertyMap, preview: boolean): Promise<ResourceState> {
    const mode = this.requireMode();
    const object = stripSecretsFromMap(inputs);
    if (preview || mode.kind === "unknown") return this.stateOf(object, inputs);
    if (mode.kind === "render") {
      await writeRenderedObject(inputs, mode.directory);
      return this.stateOf(object, inputs);
    }
    return this.stateOf(await mode.client.apply(object), inputs);
  }

  // The state the real provider records: the live object (secret where its inputs were secret,
  // and a Secret's data always), plus the inputs and the first apiVersion.
  private stateOf(live: PropertyMap, inputs: PropertyMap): ResourceState {
    const outputs = carrySecretness(live, inputs);
    if (live.apiVersion === "v1" && live.kind === "Secret") {
      for (const field of ["data", "stringData"]) {
        const value = outputs[field];
        if (value !== undefined && value !== null) outputs[field] = makeSecret(value);
      }
    }
    outputs[STATE_INPUTS_KEY] = inputs;
    outputs[STATE_INITIAL_API_VERSION_KEY] = live.apiVersion ?? null;
    return { id: objectId(live), outputs, inputs };
  }

  private async isNamespaced(type: string): Promise<boolean> {
    const gvk = gvkFromTypeToken(type);
    if (!gvk) return false;
    if (this.mode?.kind === "cluster") {
      const served = await this.mode.client.resourceFor(gvk.apiVersion, gvk.kind);
      if (served) return served.namespaced;
    }
    return isNamespacedOffline(gvk.apiVersion, gvk.kind);
  }

  private defaultNamespace(): string {
    if (this.settings?.namespace) return this.settings.namespace;
    return this.mode?.kind === "cluster" ? this.mode.connection.namespace : "default";
  }

  private connectionFor(settings: ProviderSettings): ClusterConnection | undefined {
    const kubeconfig = settings.kubeconfig
      ? parseKubeconfigSetting(settings.kubeconfig)
      : loadAmbientKubeconfig(this.env);
    if (!kubeconfig) return undefined;
    return resolveConnection(kubeconfig, { context: settings.context, cluster: settings.cluster });
  }

  private requireMode(): Mode {
    if (!this.mode) throw new Error("the Kubernetes provider was used before it was configured");
    return this.mode;
  }

  private warnInUse(what: string): void {
    this.log(
      "warning",
      `pulumi-resource-kubernetes ${this.version} is sitestack's offline stand-in (${what}): no readiness awaiting, simplified diff; see docs/kubernetes-standin.md`,
    );
  }
}

/** `namespace/name` for namespaced objects, `name` otherwise (the real provider's resource ID). */
export function objectId(object: PropertyMap): string {
  const metadata = asMap(object.metadata);
  const name = String(metadata.name ?? "");
  return typeof metadata.namespace === "string" && metadata.namespace !== ""
    ? `${metadata.namespace}/${name}`
    : name;
}

// The apiVersion/kind/name/namespace to address an object: from the recorded state, or from the
// ID and the inputs for an import.
function identityOf(id: string, state: PropertyMap, inputs: PropertyMap): PropertyMap {
  const source = state.apiVersion ? state : stripSecretsFromMap(inputs);
  const metadata = asMap(source.metadata);
  const [namespace, name] = id.includes("/") ? id.split("/", 2) : [metadata.namespace, id];
  return {
    apiVersion: source.apiVersion ?? null,
    kind: source.kind ?? null,
    metadata: {
      name: (metadata.name as string | undefined) ?? name ?? null,
      namespace: (metadata.namespace as string | undefined) ?? namespace ?? null,
    },
  };
}

function asMap(value: unknown): PropertyMap {
  return isObject(value) ? value : {};
}
