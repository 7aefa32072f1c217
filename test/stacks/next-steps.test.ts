import { describe, expect, test } from "vitest";
import { defaultPlatformSettings, type PlatformSettings } from "../../stacks/platform/settings.js";
import { nextStepsOf } from "../../stacks/program/next-steps.js";
import { repositorySite } from "../support/site-files.js";

const cluster: PlatformSettings = { ...defaultPlatformSettings, kubernetes: { mode: "cluster" } };
const rendered: PlatformSettings = {
  ...defaultPlatformSettings,
  kubernetes: { mode: "render", directory: ".sitestack/rendered" },
};
const urls = ["https://bodegadelbarrio.pe/", "https://bodega.sites.example.net/"];

describe("the next steps of a box site whose zone is not on Cloudflare", () => {
  test("a preview on a cluster cannot know the address: `known after up`", async () => {
    const bodega = await repositorySite("bodega.yaml", "BoxSite");
    expect(
      nextStepsOf(bodega, {
        stack: "site-bodega",
        verb: "preview",
        outputs: {},
        platform: cluster,
      }),
    ).toEqual({
      domain: "bodegadelbarrio.pe",
      ingressAddress: null,
      pending: "known after up",
      dnsRecords: [{ name: "bodegadelbarrio.pe", type: null, content: null }],
      testUrl: "https://bodega.sites.example.net/",
      testUrlWorks: "after up",
    });
  });

  test.each([
    ["203.0.113.7", "A"],
    ["2001:db8::7", "AAAA"],
    ["lb-7.cloud.example", "CNAME"],
  ])("after up the ingress address %s makes an %s record", async (address, type) => {
    const bodega = await repositorySite("bodega.yaml", "BoxSite");
    expect(
      nextStepsOf(bodega, {
        stack: "site-bodega",
        verb: "up",
        outputs: { urls, ingressAddress: address },
        platform: cluster,
      }),
    ).toEqual({
      domain: "bodegadelbarrio.pe",
      ingressAddress: address,
      dnsRecords: [{ name: "bodegadelbarrio.pe", type, content: address }],
      testUrl: "https://bodega.sites.example.net/",
      testUrlWorks: "now",
    });
  });

  test("the records come from the dnsRecords output, the platform's test domain left out", async () => {
    const bodega = await repositorySite("bodega.yaml", "BoxSite");
    const steps = nextStepsOf(bodega, {
      stack: "site-bodega",
      verb: "up",
      outputs: {
        urls,
        ingressAddress: "203.0.113.7",
        dnsRecords: [
          { name: "bodegadelbarrio.pe", type: "A", content: "203.0.113.7" },
          { name: "bodega.sites.example.net", type: "A", content: "203.0.113.7" },
        ],
      },
      platform: cluster,
    });
    expect(steps?.dnsRecords).toEqual([
      { name: "bodegadelbarrio.pe", type: "A", content: "203.0.113.7" },
    ]);
  });

  test("rendered objects never get an address, not even after up, and the test URL waits for a cluster", async () => {
    const bodega = await repositorySite("bodega.yaml", "BoxSite");
    const up = nextStepsOf(bodega, {
      stack: "site-bodega",
      verb: "up",
      outputs: { urls, dnsRecords: [] },
      platform: rendered,
    });
    expect(up?.pending).toBe(
      "not known: the objects were rendered to .sitestack/rendered/site-bodega/, not applied to a cluster",
    );
    expect(up?.testUrlWorks).toBe("once applied to a cluster");
    const preview = nextStepsOf(bodega, {
      stack: "site-bodega",
      verb: "preview",
      outputs: {},
      platform: rendered,
    });
    expect(preview?.pending).toBe(
      "not known: up renders the objects to .sitestack/rendered/site-bodega/, not applied to a cluster",
    );
  });

  test("on a cluster whose ingress has no address yet, the outputs command shows it later", async () => {
    const bodega = await repositorySite("bodega.yaml", "BoxSite");
    expect(
      nextStepsOf(bodega, {
        stack: "site-bodega",
        verb: "up",
        outputs: { urls },
        platform: cluster,
      })?.pending,
    ).toBe("not assigned yet: `sitestack outputs site-bodega` shows it once the ingress has one");
  });

  test("none for a box site whose records sitestack creates on Cloudflare, nor for other kinds", async () => {
    const input = { stack: "x", verb: "up" as const, outputs: {}, platform: cluster };
    expect(nextStepsOf(await repositorySite("acme.yaml", "BoxSite"), input)).toBeUndefined();
    expect(nextStepsOf(await repositorySite("fiuba.yaml", "App"), input)).toBeUndefined();
    expect(nextStepsOf(await repositorySite("blog.yaml", "HostRoute"), input)).toBeUndefined();
  });
});
