import * as pulumi from "@pulumi/pulumi";
import { describe, expect, test } from "vitest";
import { boxSiteArgs, boxSiteProgram } from "../../stacks/program/box-site.js";
import type { ProgramContext } from "../../stacks/platform/program-context.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { setMocks } from "../support/mocks.js";
import { recordingContext, repositorySite } from "../support/site-files.js";

const mocks = await setMocks({
  state: {
    "kubernetes:networking.k8s.io/v1:Ingress": () => ({
      status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
    }),
  },
  calls: { "cloudflare:index/getZone:getZone": () => ({ id: "zone-1" }) },
});

const acmeSpec = () => repositorySite("acme.yaml", "BoxSite");
const contextFor = (overrides: Partial<ProgramContext> = {}) =>
  recordingContext("site-acme", overrides);

describe("BoxSite program", () => {
  test("maps the site file, the platform settings and the secret references to the component", async () => {
    const context = contextFor({
      platform: {
        testDomainBase: "box.example.org",
        routing: { kind: "ingress", className: "public-nginx" },
        acmeEnvironment: "staging",
        kubernetes: { mode: "cluster" },
      },
    });
    const args = boxSiteArgs(await acmeSpec(), context);
    expect(context.asked).toEqual(["ACME_OIDC_CLIENT_SECRET", "THEMES_REDIS_URL"]);
    expect({ ...args, oidc: undefined, themes: { ...args.themes, pubsub: undefined } }).toEqual({
      siteId: 1042,
      code: "acme",
      domain: "acme.com.pe",
      testDomainBase: "box.example.org",
      techEmail: "tech@acme.com.pe",
      oidc: undefined,
      image: { repository: "ghcr.io/juntoz/jzbox", tag: "0" },
      themes: {
        source: "https://sitecentral.juntoz.com/api/sites/1042/themes",
        intervalSeconds: 60,
        pubsub: undefined,
      },
      replicas: 2,
      resources: { cpuRequest: "250m", memoryRequest: "256Mi", memoryLimit: "512Mi" },
      routing: { kind: "ingress", className: "public-nginx" },
      acmeEnvironment: "staging",
      dns: { cloudflare: { ownerStack: "site-acme" } },
    });
    expect(args.oidc.clientId).toBe("acme-box-interactive");
    expect(args.themes.pubsub?.channel).toBe("themes.acme");
  });

  test("gets a NetworkPolicy when the platform names the ingress controller's namespace", async () => {
    const platform = { ...defaultPlatformSettings, ingressControllerNamespace: "ingress-nginx" };
    expect(boxSiteArgs(await acmeSpec(), contextFor({ platform })).networkPolicy).toEqual({
      ingressControllerNamespace: "ingress-nginx",
    });
    expect(boxSiteArgs(await acmeSpec(), contextFor()).networkPolicy).toBeUndefined();
  });

  test("takes its resources from its file, else the platform file, else the box defaults", async () => {
    const acme = await acmeSpec();
    const bare = { ...acme, spec: { ...acme.spec, resources: undefined } };
    const platform = { ...defaultPlatformSettings, resources: { memoryRequest: "384Mi" } };
    expect(boxSiteArgs(acme, contextFor({ platform })).resources).toEqual({
      cpuRequest: "250m",
      memoryRequest: "256Mi",
      memoryLimit: "512Mi",
    });
    expect(boxSiteArgs(bare, contextFor({ platform })).resources).toEqual({
      cpuRequest: "100m",
      memoryRequest: "384Mi",
      memoryLimit: "512Mi",
    });
    expect(boxSiteArgs(bare, contextFor()).resources).toEqual({
      cpuRequest: "100m",
      memoryRequest: "256Mi",
      memoryLimit: "512Mi",
    });
  });

  test("goes to the cluster its file names, through an explicit provider", async () => {
    mocks.reset();
    const acme = await acmeSpec();
    const platform = {
      ...defaultPlatformSettings,
      clusters: { qa: { kubeconfig: "/etc/kube/qa.yaml", context: "qa" } },
    };
    await boxSiteProgram(
      { ...acme, spec: { ...acme.spec, cluster: "qa" } },
      contextFor({ platform }),
    )();
    await mocks.settle();
    expect(mocks.find("pulumi:providers:kubernetes", "kubernetes").inputs).toMatchObject({
      kubeconfig: "/etc/kube/qa.yaml",
      context: "qa",
    });
  });

  test("scales the box to zero while the stack is archived", async () => {
    expect(boxSiteArgs(await acmeSpec(), contextFor({ lifecycle: "archived" })).replicas).toBe(0);
  });

  test("returns the namespace, URLs, ingress address and DNS records as stack outputs", async () => {
    mocks.reset();
    const outputs = (await boxSiteProgram(await acmeSpec(), contextFor())()) as Record<
      string,
      unknown
    >;
    await mocks.settle();
    const resolve = <T>(o: unknown) => new Promise<T>((r) => (o as pulumi.Output<T>).apply(r));
    expect(outputs.namespace).toBe("box-acme");
    expect(outputs.urls).toEqual(["https://acme.com.pe/", "https://acme.sites.example.net/"]);
    expect(await resolve(outputs.ingressAddress)).toBe("203.0.113.10");
    expect(await resolve(outputs.dnsRecords)).toEqual([
      { name: "acme.com.pe", type: "A", content: "203.0.113.10" },
      { name: "acme.sites.example.net", type: "A", content: "203.0.113.10" },
    ]);
  });
});
