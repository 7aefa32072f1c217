import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { apiGroupOf } from "./kinds.js";
import type { ClusterConnection } from "./kubeconfig.js";
import type { PropertyMap } from "./properties.js";

/** The field manager the real provider uses for server-side apply. */
export const FIELD_MANAGER = "pulumi-kubernetes";

/** How the API serves a kind: its URL name and whether its objects live in a namespace. */
export interface ApiResource {
  readonly plural: string;
  readonly namespaced: boolean;
}

/** An error answer of the API server, with its HTTP status and `Status.message`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface Response {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A small client for the few API calls the stand-in makes, on Node's own http(s) with the
 * kubeconfig's CA, client certificate or token. Discovery answers are cached per group/version
 * and fetched again once when a kind is missing (a CRD created earlier in the same run).
 */
export class ClusterClient {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly discovery = new Map<string, Promise<Map<string, ApiResource> | undefined>>();

  constructor(private readonly connection: ClusterConnection) {
    this.agent = connection.server.startsWith("https:")
      ? new HttpsAgent({
          keepAlive: true,
          ca: connection.certificateAuthority,
          cert: connection.clientCertificate,
          key: connection.clientKey,
          rejectUnauthorized: !connection.insecureSkipTlsVerify,
        })
      : new HttpAgent({ keepAlive: true });
  }

  /** The API server's `/version` answer (proves the connection and the credentials). */
  async version(): Promise<{ gitVersion: string }> {
    return (await this.call("GET", "/version")) as { gitVersion: string };
  }

  /** How the API serves `kind` in `apiVersion`, or `undefined` when the server does not know it. */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const cached = await this.discover(apiVersion);
    if (cached?.has(kind)) return cached.get(kind);
    this.discovery.delete(apiVersion);
    return (await this.discover(apiVersion))?.get(kind);
  }

  /** Server-side apply of the whole object; returns the live object. */
  async apply(object: PropertyMap): Promise<PropertyMap> {
    const path = await this.objectPath(object);
    const query = `?fieldManager=${FIELD_MANAGER}&force=true`;
    return (await this.call(
      "PATCH",
      path + query,
      object,
      "application/apply-patch+yaml",
    )) as PropertyMap;
  }

  /** The live object, or `undefined` when it does not exist. */
  async get(object: PropertyMap): Promise<PropertyMap | undefined> {
    const response = await this.send("GET", await this.objectPath(object));
    if (response.status === 404) return undefined;
    return this.check("GET", response) as PropertyMap;
  }

  /**
   * Deletes with background propagation (dependents are collected by the garbage collector, so
   * nothing waits on a finalizer only a controller removes), then waits until the object is gone.
   */
  async delete(object: PropertyMap, timeoutMs: number): Promise<void> {
    const path = await this.objectPath(object);
    const response = await this.send("DELETE", path, { propagationPolicy: "Background" });
    if (response.status === 404) return;
    this.check("DELETE", response);
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      const current = await this.send("GET", path);
      if (current.status === 404) return;
      this.check("GET", current);
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${path} to be deleted`,
        );
      }
      await sleep(delay);
    }
  }

  private async objectPath(object: PropertyMap): Promise<string> {
    const apiVersion = String(object.apiVersion);
    const kind = String(object.kind);
    const metadata = (object.metadata ?? {}) as PropertyMap;
    const resource = await this.resourceFor(apiVersion, kind);
    if (!resource) {
      throw new Error(
        `the API server does not serve ${kind} in ${apiVersion} (is its CRD installed?)`,
      );
    }
    const base = apiGroupOf(apiVersion) === "" ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
    const namespace = resource.namespaced
      ? `/namespaces/${encodeURIComponent(String(metadata.namespace || "default"))}`
      : "";
    return `${base}${namespace}/${resource.plural}/${encodeURIComponent(String(metadata.name))}`;
  }

  private discover(apiVersion: string): Promise<Map<string, ApiResource> | undefined> {
    let pending = this.discovery.get(apiVersion);
    if (!pending) {
      const path = apiGroupOf(apiVersion) === "" ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
      pending = this.send("GET", path).then((response) => {
        if (response.status === 404) return undefined;
        const list = this.check("GET", response) as {
          resources: { name: string; kind: string; namespaced: boolean }[];
        };
        const byKind = new Map<string, ApiResource>();
        for (const r of list.resources) {
          if (!r.name.includes("/"))
            byKind.set(r.kind, { plural: r.name, namespaced: r.namespaced });
        }
        return byKind;
      });
      pending.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, pending);
    }
    return pending;
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<unknown> {
    return this.check(method, await this.send(method, path, body, contentType));
  }

  private check(method: string, response: Response): unknown {
    if (response.status >= 200 && response.status < 300) return response.body;
    const body = response.body as { message?: string } | undefined;
    const detail = body?.message ?? JSON.stringify(response.body);
    throw new ApiError(`${method} failed with HTTP ${response.status}: ${detail}`, response.status);
  }

  private send(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<Response> {
    const url = new URL(this.connection.server + path);
    const headers: Record<string, string> = { accept: "application/json" };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) {
      headers["content-type"] = contentType;
      // Node frames a DELETE body only with an explicit length; without one the body would be
      // read as the start of the next request on the kept-alive connection.
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    if (this.connection.token) headers.authorization = `Bearer ${this.connection.token}`;
    else if (this.connection.basicAuth) {
      const { username, password } = this.connection.basicAuth;
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text === "" ? undefined : JSON.parse(text);
          } catch {
            // Not JSON (a proxy's error page): keep the text for the error message.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on("error", reject);
      });
      req.on("error", (error) =>
        reject(new Error(`${method} ${url.origin}${path}: ${error.message}`)),
      );
      req.end(payload);
    });
  }
}
