import { describe, expect, test } from "vitest";
import {
  mergeStagingValues,
  mergeValues,
  valueAtPath,
  valuesAtPath,
} from "../../stacks/staging/values.js";

const sitestack = {
  staging: "pr-42",
  secretName: "pr-42-secret-values",
  baseDomain: "staging.x.net",
};

describe("mergeStagingValues", () => {
  test("chart defaults < app overrides < staging values < tag and sitestack globals", () => {
    const merged = mergeStagingValues({
      chartDefaults: {
        image: { repository: "jzbox", tag: "" },
        box: { replicas: 1, port: 8080 },
        database: { storage: { size: "1Gi" } },
      },
      appOverrides: { box: { replicas: 2, port: 9090 }, database: { storage: { size: "5Gi" } } },
      values: { box: { replicas: 3 } },
      tag: "0.4.1",
      sitestack,
    });
    expect(merged).toEqual({
      image: { repository: "jzbox", tag: "0.4.1" },
      box: { replicas: 3, port: 9090 },
      database: { storage: { size: "5Gi" } },
      global: { sitestack },
    });
  });

  test("without chart defaults only the overrides go to Helm", () => {
    expect(
      mergeStagingValues({ appOverrides: {}, values: { site: { id: "42" } }, tag: "0", sitestack }),
    ).toEqual({ site: { id: "42" }, image: { tag: "0" }, global: { sitestack } });
  });

  test("an app override lands under the app's top-level key", () => {
    const merged = mergeStagingValues({
      appOverrides: { sync: { intervalSeconds: 300 } },
      values: {},
      tag: "0",
      sitestack,
    });
    expect(merged.sync).toEqual({ intervalSeconds: 300 });
  });

  test("the tag wins over an image map given in values", () => {
    const merged = mergeStagingValues({
      appOverrides: {},
      values: { image: { repository: "mirror/jzbox" } },
      tag: "pr-42",
      sitestack,
    });
    expect(merged.image).toEqual({ repository: "mirror/jzbox", tag: "pr-42" });
  });
});

describe("mergeValues follows Helm's rules", () => {
  test("lists replace instead of merging", () => {
    expect(mergeValues({ paths: ["/a", "/b"] }, { paths: ["/c"] })).toEqual({ paths: ["/c"] });
  });

  test("null stays so Helm deletes the default", () => {
    expect(
      mergeValues({ box: { podAnnotations: { a: "1" } } }, { box: { podAnnotations: null } }),
    ).toEqual({ box: { podAnnotations: null } });
  });

  test("a scalar replaces a map and a map replaces a scalar", () => {
    expect(mergeValues({ a: { b: 1 }, c: 2 }, { a: 3, c: { d: 4 } })).toEqual({
      a: 3,
      c: { d: 4 },
    });
  });

  test("inputs are not modified", () => {
    const under = { box: { replicas: 1 } };
    mergeValues(under, { box: { replicas: 2 } });
    expect(under).toEqual({ box: { replicas: 1 } });
  });
});

describe("dotted value paths", () => {
  test("valuesAtPath nests the value", () => {
    expect(valuesAtPath("image.tag", "1")).toEqual({ image: { tag: "1" } });
  });

  test.each([
    [{ site: { oidcClientSecret: "x" } }, "site.oidcClientSecret", "x"],
    [{ site: {} }, "site.oidcClientSecret", undefined],
    [{ site: "flat" }, "site.oidcClientSecret", undefined],
    [{ a: { b: null } }, "a.b", null],
  ])("valueAtPath(%j, %s) is %j", (values, path, expected) => {
    expect(valueAtPath(values, path)).toEqual(expected);
  });
});
