import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { maskSecrets } from "../../stacks/manager/backend/layout.js";
import { parseS3Url } from "../../stacks/manager/backend/s3-store.js";
import { StoreFacts } from "../../stacks/manager/backend/store-facts.js";
import { Scrubber } from "../../stacks/manager/scrub.js";
import { StatusView } from "../../stacks/manager/status-view.js";
import { fakeBackend, fakeMetadata } from "./support/diy-backend.js";

const yesterday = new Date(Date.now() - 86_400_000);

describe("stack facts straight from a DIY backend", () => {
  test("status, kind, labels, outputs (metadata and secrets hidden) and the last update", async () => {
    const backend = await fakeBackend();
    await backend.put({
      stack: "site-acme",
      metadata: fakeMetadata("BoxSite", { labels: { team: "shop" }, file: "sites/acme.yaml" }),
      outputs: {
        url: "https://acme.com/",
        token: {
          "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
          ciphertext: "v1:x",
        },
      },
      resources: 2,
      updates: [{ kind: "update", result: "succeeded", endTime: yesterday }],
    });
    const report = await new StatusView(backend.facts).status("site-acme");
    expect(report).toMatchObject({
      stack: "site-acme",
      kind: "BoxSite",
      labels: { team: "shop" },
      file: "sites/acme.yaml",
      status: "Running",
      outputs: { url: "https://acme.com/", token: "[secret]" },
      lastUpdate: { kind: "update", result: "succeeded" },
    });
    expect(Object.keys(report.outputs)).toEqual(["url", "token"]);
  });

  test("history is newest first, numbered from the stack's first update", async () => {
    const backend = await fakeBackend();
    await backend.put({
      stack: "site-acme",
      metadata: fakeMetadata("BoxSite"),
      updates: [
        { kind: "update", result: "succeeded", endTime: yesterday },
        { kind: "refresh", result: "succeeded", endTime: yesterday },
        { kind: "update", result: "failed", endTime: yesterday },
      ],
    });
    const history = await backend.facts.history("site-acme", 2);
    expect(history.map((entry) => [entry.version, entry.kind, entry.result])).toEqual([
      [3, "update", "failed"],
      [2, "refresh", "succeeded"],
    ]);
  });

  test("the local cache never wins over the backend: a changed checkpoint is read again", async () => {
    const cacheFile = join(await mkdtemp(join(tmpdir(), "sitestack-cache-")), "status.json");
    const backend = await fakeBackend(cacheFile);
    const updates = [{ kind: "update", result: "succeeded", endTime: yesterday }];
    await backend.put({
      stack: "site-acme",
      metadata: fakeMetadata("BoxSite"),
      resources: 1,
      updates,
    });
    const view = new StatusView(backend.facts);
    expect((await view.list()).map((r) => r.status)).toEqual(["Running"]);
    // Another machine archives the stack: its checkpoint changes in the backend.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await backend.put({
      stack: "site-acme",
      metadata: fakeMetadata("BoxSite", { lifecycle: "archived" }),
      resources: 1,
    });
    expect((await view.list()).map((r) => r.status)).toEqual(["Archived"]);
    // A second reader with the same cache file agrees, and a removed stack leaves listings.
    const again = new StatusView(new StoreFacts(backend.store, "sitestack", cacheFile));
    expect((await again.status("site-acme")).status).toBe("Archived");
    await backend.store.remove(".pulumi/stacks/sitestack/site-acme.json");
    expect(await again.list()).toEqual([]);
  });

  test("a stack created but never deployed is not listed and has no status", async () => {
    const backend = await fakeBackend();
    await backend.put({ stack: "site-new" });
    const view = new StatusView(backend.facts);
    expect(await view.list()).toEqual([]);
    await expect(view.status("site-new")).rejects.toThrow("stack site-new does not exist");
  });
});

describe("S3 backend URLs as Pulumi reads them", () => {
  test("an S3-compatible server on loopback, path style, plain HTTP", () => {
    expect(
      parseS3Url("s3://state?endpoint=127.0.0.1:9000&s3ForcePathStyle=true&disableSSL=true", {}),
    ).toEqual({
      bucket: "state",
      prefix: "",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      forcePathStyle: true,
    });
  });

  test("AWS itself with a key prefix and the region from the environment", () => {
    expect(parseS3Url("s3://state/team-a/", { AWS_REGION: "eu-west-1" })).toEqual({
      bucket: "state",
      prefix: "team-a",
      region: "eu-west-1",
      forcePathStyle: false,
    });
  });
});

describe("secret values never reach sitestack's text", () => {
  test("known values are replaced, longest first; short values are left alone", () => {
    const scrubber = Scrubber.fromEnv({
      SITESTACK_SECRET_A: "hunter2-long",
      SITESTACK_SECRET_B: "hunter2-long-and-more",
      SITESTACK_SECRET_C: "ab",
      HOME: "/root",
    });
    expect(scrubber.scrub("x hunter2-long-and-more y hunter2-long ab /root")).toBe(
      "x [secret] y [secret] ab /root",
    );
  });

  test("engine secrets inside nested outputs are masked", () => {
    expect(
      maskSecrets({
        a: [{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" }],
        b: 1,
      }),
    ).toEqual({ a: ["[secret]"], b: 1 });
  });
});
