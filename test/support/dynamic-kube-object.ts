/* eslint-disable @typescript-eslint/no-require-imports -- the provider code below is serialized into the dynamic-provider process, where `require` is the only way to load a module */
import * as pulumi from "@pulumi/pulumi";

/** Inputs of `KubeObject`: where the API server is, how to log in, and the object itself. */
export interface KubeObjectArgs {
  readonly server: pulumi.Input<string>;
  readonly caPem: pulumi.Input<string>;
  /** Bearer token; keep it a secret so it is encrypted in state. */
  readonly token: pulumi.Input<string>;
  /** REST path of the object, e.g. `/api/v1/namespaces/default/configmaps/site`; a change replaces it. */
  readonly path: pulumi.Input<string>;
  /** The full manifest, server-side applied on create and update. */
  readonly manifest: pulumi.Input<Record<string, unknown>>;
}

interface KubeObjectState {
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
  readonly path: string;
  readonly manifest: Record<string, unknown>;
  readonly uid?: string;
}

interface Answer {
  readonly status: number;
  readonly body: { metadata?: { uid?: string } };
}

// Everything below runs in the dynamic-provider process, serialized by Pulumi's closure
// serializer: it may only use `require`, its arguments and these two helpers.
function send(
  state: KubeObjectState,
  method: string,
  query: string,
  body?: unknown,
): Promise<Answer> {
  const https = require("node:https") as typeof import("node:https");
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      new URL(state.path + query, state.server),
      {
        method,
        ca: state.caPem,
        headers: {
          authorization: `Bearer ${state.token}`,
          accept: "application/json",
          ...(payload
            ? {
                "content-type": "application/apply-patch+yaml",
                "content-length": Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status >= 400 && status !== 404) {
            reject(new Error(`${method} ${state.path}: ${status} ${text.slice(0, 300)}`));
          } else {
            resolve({ status, body: text.startsWith("{") ? JSON.parse(text) : {} });
          }
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

async function applyObject(state: KubeObjectState): Promise<KubeObjectState> {
  const answer = await send(
    state,
    "PATCH",
    "?fieldManager=sitestack-dynamic&force=true",
    state.manifest,
  );
  return { ...state, uid: answer.body.metadata?.uid };
}

const kubeObjectProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: KubeObjectState) {
    return { id: inputs.path, outs: await applyObject(inputs) };
  },
  async read(id: string, props: KubeObjectState) {
    const answer = await send({ ...props, path: id }, "GET", "");
    if (answer.status === 404) return {};
    return { id, props: { ...props, uid: answer.body.metadata?.uid } };
  },
  async diff(_id: string, olds: KubeObjectState, news: KubeObjectState) {
    const replaces = olds.path !== news.path ? ["path"] : [];
    return {
      changes:
        replaces.length > 0 || JSON.stringify(olds.manifest) !== JSON.stringify(news.manifest),
      replaces,
      deleteBeforeReplace: true,
    };
  },
  async update(_id: string, _olds: KubeObjectState, news: KubeObjectState) {
    return { outs: await applyObject(news) };
  },
  async delete(id: string, props: KubeObjectState) {
    await send({ ...props, path: id }, "DELETE", "");
  },
};

/**
 * One Kubernetes object in a real API server, managed over HTTPS by a dynamic provider (the
 * Kubernetes provider plugin cannot be built here). The token output stays a secret.
 */
export class KubeObject extends pulumi.dynamic.Resource {
  declare readonly uid: pulumi.Output<string>;
  declare readonly manifest: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: KubeObjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      kubeObjectProvider,
      name,
      { ...args, uid: undefined },
      {
        ...opts,
        additionalSecretOutputs: ["token"],
      },
      "sitestack-test",
      "KubeObject",
    );
  }
}
