import { request as httpsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";

/** How to reach an API server: its URL, a bearer token and the CA that signed its serving cert. */
export interface KubeConnection {
  readonly server: string;
  readonly token: string;
  readonly caPem: string;
}

/** An API answer: the HTTP status and the JSON body (undefined when the body was empty). */
export interface KubeResponse<T = KubeObject> {
  readonly status: number;
  readonly body: T;
}

/** The parts of a Kubernetes object the tests read; everything else stays reachable by index. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly deletionTimestamp?: string;
    readonly ownerReferences?: readonly unknown[];
    readonly managedFields?: readonly { readonly manager?: string }[];
  };
  readonly [key: string]: unknown;
}

/** Where a kind lives in the REST API, as discovery reports it. */
export interface KubeResource {
  readonly path: string;
  readonly namespaced: boolean;
}

/** Raised for any answer outside 2xx that the caller did not ask to accept. */
export class KubeRequestFailed extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${method} ${path}: ${status} ${detail}`);
    this.name = "KubeRequestFailed";
  }
}

/**
 * A small Kubernetes REST client for tests: bearer token, the server's own CA, JSON in and out,
 * server-side apply, discovery of where a kind lives. Uses node:https rather than fetch because
 * fetch cannot trust a private CA without the undici package.
 */
export class KubeClient {
  private readonly resources = new Map<string, KubeResource>();

  constructor(readonly connection: KubeConnection) {}

  /** Sends one request; statuses in `accept` (besides 2xx) are returned instead of thrown. */
  async request<T = KubeObject>(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string; accept?: readonly number[] } = {},
  ): Promise<KubeResponse<T>> {
    const url = new URL(path, this.connection.server);
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body);
    const { status, text } = await new Promise<{ status: number; text: string }>(
      (resolve, reject) => {
        const req = httpsRequest(
          url,
          {
            method,
            ca: this.connection.caPem,
            headers: {
              authorization: `Bearer ${this.connection.token}`,
              accept: "application/json",
              ...(payload === undefined
                ? {}
                : {
                    "content-type": options.contentType ?? "application/json",
                    // Explicit, because Node sends a DELETE body without it and the server then
                    // reads the body as the next request on the kept-alive socket.
                    "content-length": Buffer.byteLength(payload),
                  }),
            },
            timeout: 30_000,
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
            res.on("error", reject);
          },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
        req.on("error", reject);
        req.end(payload);
      },
    );
    const ok = (status >= 200 && status < 300) || (options.accept ?? []).includes(status);
    if (!ok) throw new KubeRequestFailed(method, path, status, statusMessage(text));
    return { status, body: (text && text.startsWith("{") ? JSON.parse(text) : text) as T };
  }

  /** GETs an object; `undefined` when it does not exist. */
  async get(path: string): Promise<KubeObject | undefined> {
    const response = await this.request("GET", path, { accept: [404] });
    return response.status === 404 ? undefined : response.body;
  }

  /** Creates an object with POST to its collection path. */
  async create(collectionPath: string, object: KubeObject): Promise<KubeObject> {
    return (await this.request("POST", collectionPath, { body: object })).body;
  }

  /** Deletes an object; a missing one is not an error. */
  async delete(path: string, propagationPolicy = "Background"): Promise<void> {
    await this.request("DELETE", path, { body: { propagationPolicy }, accept: [404] });
  }

  /**
   * Server-side applies a manifest (any kind discovery knows), as `fieldManager`, forcing
   * conflicts like `kubectl apply --server-side --force-conflicts`.
   */
  async apply(manifest: KubeObject, fieldManager = "sitestack-test"): Promise<KubeObject> {
    const path = await this.objectPath(manifest);
    const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=true`;
    const response = await this.request("PATCH", path + query, {
      body: manifest,
      contentType: "application/apply-patch+yaml",
    });
    return response.body;
  }

  /** The REST path of one object, found through discovery of its apiVersion and kind. */
  async objectPath(manifest: KubeObject): Promise<string> {
    const { apiVersion, kind, metadata } = manifest;
    if (!apiVersion || !kind || !metadata?.name) {
      throw new Error("manifest needs apiVersion, kind and metadata.name");
    }
    const resource = await this.resource(apiVersion, kind);
    const namespace = resource.namespaced ? (metadata.namespace ?? "default") : undefined;
    return objectPathOf(apiVersion, resource, metadata.name, namespace);
  }

  /** Where `kind` of `apiVersion` is served, from discovery (cached per client). */
  async resource(apiVersion: string, kind: string): Promise<KubeResource> {
    const key = `${apiVersion}/${kind}`;
    const known = this.resources.get(key);
    if (known) return known;
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = await this.request<{
      resources: { name: string; kind: string; namespaced: boolean }[];
    }>("GET", base);
    const found = list.body.resources.find((r) => r.kind === kind && !r.name.includes("/"));
    if (!found) throw new Error(`${apiVersion} does not serve kind ${kind}`);
    const resource = { path: found.name, namespaced: found.namespaced };
    this.resources.set(key, resource);
    return resource;
  }

  /** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
  async waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(200);
    }
  }

  /** Waits until GET `path` answers 404. */
  async waitGone(path: string, timeoutMs = 60_000): Promise<void> {
    await this.waitFor(
      `${path} to be gone`,
      async () => ((await this.get(path)) === undefined ? true : undefined),
      timeoutMs,
    );
  }
}

/** `/api/v1/namespaces/ns/configmaps/name` or `/apis/group/version/...` for one object. */
export function objectPathOf(
  apiVersion: string,
  resource: KubeResource,
  name: string,
  namespace: string | undefined,
): string {
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const scope = namespace === undefined ? "" : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${base}${scope}/${resource.path}/${encodeURIComponent(name)}`;
}

function statusMessage(text: string): string {
  try {
    const status = JSON.parse(text) as { message?: string };
    return status.message ?? text;
  } catch {
    return text.slice(0, 500);
  }
}
