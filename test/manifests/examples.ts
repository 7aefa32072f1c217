/**
 * Every example-like site rendered to Kubernetes manifests through the real program mapping and
 * components, under Pulumi mocks. The validators in this folder check all of them.
 */
import * as pulumi from "@pulumi/pulumi";
import { App } from "../../components/app/index.js";
import { BoxSite } from "../../components/box-site/index.js";
import { appKubernetesArgs } from "../../stacks/program/app-kubernetes.js";
import { boxSiteArgs, boxSiteProgram } from "../../stacks/program/box-site.js";
import { type ProgramContext } from "../../stacks/platform/program-context.js";
import { defaultPlatformSettings, type PlatformSettings } from "../../stacks/platform/settings.js";
import type { MockHarness } from "../support/mocks.js";
import { renderManifests, type Manifest } from "../support/render-manifests.js";
import { repositorySite } from "../support/site-files.js";

/** The state an Ingress would get from a controller; the rendered manifests leave status out. */
export const exampleMockState = {
  "kubernetes:networking.k8s.io/v1:Ingress": () => ({
    status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
  }),
  "kubernetes:gateway.networking.k8s.io/v1:Gateway": () => ({
    status: { addresses: [{ type: "IPAddress", value: "203.0.113.20" }] },
  }),
};

/** Invokes the examples make (the Cloudflare zone lookup of a site's DNS record). */
export const exampleMockCalls = {
  "cloudflare:index/getZone:getZone": (inputs: Record<string, unknown>) => ({
    id: "zone-id",
    name: (inputs.filter as { name?: string } | undefined)?.name,
  }),
};

const gatewayRouting: PlatformSettings["routing"] = {
  kind: "gateway",
  gatewayName: "public",
  gatewayNamespace: "gateway-system",
};

function context(stackName: string, platform: Partial<PlatformSettings> = {}): ProgramContext {
  return {
    stackName,
    secret: (name) => pulumi.secret(`test-value-of-${name}`),
    platform: { ...defaultPlatformSettings, ...platform },
  };
}

/** One example: a name for test titles, and how to declare it. */
export interface Example {
  readonly name: string;
  readonly declare: () => Promise<void>;
}

/** The examples: the repository's site files as the program maps them, and their variants. */
export function examples(): Example[] {
  const acme = () => repositorySite("acme.yaml", "BoxSite");
  const fiuba = () => repositorySite("fiuba.yaml", "App");
  return [
    {
      name: "sites/acme.yaml (BoxSite, Ingress)",
      declare: async () => {
        await boxSiteProgram(await acme(), context("site-acme"))();
      },
    },
    {
      name: "sites/acme.yaml on a Gateway, with NetworkPolicy",
      declare: async () => {
        const ctx = context("site-acme", { routing: gatewayRouting, acmeEnvironment: "staging" });
        const spec = await acme();
        new BoxSite(spec.metadata.name, {
          ...boxSiteArgs(spec, ctx),
          networkPolicy: { ingressControllerNamespace: "gateway-system" },
        });
      },
    },
    {
      name: "sites/acme.yaml with one replica, pinned by digest",
      declare: async () => {
        const spec = await acme();
        const args = boxSiteArgs(spec, context("site-acme"));
        new BoxSite(spec.metadata.name, {
          ...args,
          replicas: 1,
          image: { ...args.image, tag: "0.1.3", digest: `sha256:${"0f".repeat(32)}` },
        });
      },
    },
    {
      name: "sites/fiuba.yaml (App, Ingress)",
      declare: async () => {
        const spec = await fiuba();
        new App(spec.metadata.name, appKubernetesArgs(spec, context("site-fiuba")));
      },
    },
    {
      name: "sites/fiuba.yaml on a Gateway, with TLS, registry and NetworkPolicy",
      declare: async () => {
        const spec = await fiuba();
        const ctx = context("site-fiuba", { routing: gatewayRouting });
        const args = appKubernetesArgs(spec, ctx);
        new App(spec.metadata.name, {
          ...args,
          ingress: { host: spec.spec.ingress!.host, tls: { email: "ops@fiufit.example.com" } },
          registry: {
            server: "registry.example.net",
            username: "ci",
            password: ctx.secret("REGISTRY"),
          },
          networkPolicy: { ingressControllerNamespace: "gateway-system" },
        });
      },
    },
  ];
}

/** Declares one example under the given mocks and returns its manifests. */
export async function renderExample(mocks: MockHarness, example: Example): Promise<Manifest[]> {
  mocks.reset();
  await example.declare();
  await mocks.settle();
  return renderManifests(mocks.resources);
}
