import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { join } from "node:path";
import { load } from "js-yaml";
import { stringify } from "yaml";
import { describe, expect, test } from "vitest";
import { FastLocatorGaveUp, fastLocatorFor } from "../../stacks/site-model/fast-positions.js";
import { sourceIndexFor } from "../../stacks/site-model/positions.js";
import type { PathSegment } from "../../stacks/site-model/problem.js";
import { strictCoreSchema } from "../../stacks/site-model/yaml-core.js";

/** Every path in a document, and one missing field under every map. */
function pathsOf(data: unknown): PathSegment[][] {
  const paths: PathSegment[][] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: PathSegment[]) => {
    paths.push(path);
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else {
      paths.push([...path, "missing"]);
      for (const [key, value] of Object.entries(node)) walk(value, [...path, key]);
    }
  };
  walk(data, []);
  return paths;
}

const sites = readdirSync("sites")
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => [name, readFileSync(join("sites", name), "utf8")] as const);

const tricky: Array<readonly [string, string]> = [
  ["flow maps and lists", "a: {b: 1, c: [x, {d: 2}], e}\nf: [1, 2, [3]]\n"],
  [
    "anchors, aliases and tags",
    "base: &base {x: 1, y: [1, 2]}\nuse: *base\nlist: [*base, !!str 3]\n",
  ],
  [
    "comments and blank lines",
    "a:   # one\n\n  # two\n  b: 1 # three\n  c:\n    - 1\n    # four\n    - 2\n",
  ],
  ["null values and quoted keys", "a:\nb: ~\n\"c.d\": 1\n'e f': {}\ng: null\n"],
  ["lists of maps, compact", "items:\n- a: 1\n  b: 2\n- - x\n  - y\n- c: {d: [e]}\n"],
  ["explicit keys", "? a\n: 1\n? b\n: [2]\n"],
  ["block scalars", "a: |\n  text\n  more\nb: >-\n  folded\nc: 1\n"],
  ["numbers as keys", "1: a\n0x10: b\nx: {2: c, y: d}\n"],
  ["a document start and multi-line flow", "---\na: [\n  1,\n  {b: 2,\n   c: 3}\n]\nd: 'x: y'\n"],
  ["values as would-be keys", "a: [1, 2]\nb: {c: d}\ne:\n  - {f: g}\n  - [h]\n"],
  ["aliases as block values", "a: &a\n  x: [1]\nb: *a\nc:\n  - *a\n  - &d {y: *a}\ne: [*d]\n"],
  ["an alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: {e: *c}\n"],
];

describe("the js-yaml locator", () => {
  test.each([...sites, ...tricky])(
    "places every path of %s where the yaml package does",
    (_name, text) => {
      const fast = fastLocatorFor(text, 256);
      expect(fast).toBeDefined();
      const slow = sourceIndexFor(text).locate;
      for (const path of pathsOf(load(text, { schema: strictCoreSchema }))) {
        for (const anchor of ["key", "value"] as const) {
          expect({ path, anchor, at: fast!(path, anchor) }).toEqual({
            path,
            anchor,
            at: slow(path, anchor),
          });
        }
      }
    },
  );

  test("gives up, instead of guessing, on a single-pair map in a flow list", () => {
    const fast = fastLocatorFor("a: [b: 1, c]\n", 256)!;
    expect(() => fast(["a", 0, "b"], "value")).toThrow(FastLocatorGaveUp);
  });

  test(
    "agrees with the yaml package on generated documents, block and flow",
    { timeout: 120_000 },
    () => {
      const scalar = fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom("", "a: b", "- x", "#", "&a", "null", "1", "0x10", "{", "'"),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
      );
      const value = fc.letrec((tie) => ({
        value: fc.oneof({ depthSize: "small" }, scalar, tie("list"), tie("map")),
        list: fc.array(tie("value"), { maxLength: 4 }),
        map: fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 4 }),
      })).value;
      let placedFast = 0;
      fc.assert(
        fc.property(
          fc.dictionary(fc.string({ maxLength: 8 }), value, { minKeys: 1, maxKeys: 4 }),
          fc.boolean(),
          (document, flow) => {
            const text = stringify(document, { collectionStyle: flow ? "flow" : "block" });
            const fast = fastLocatorFor(text, 256);
            if (fast === undefined) return;
            const slow = sourceIndexFor(text).locate;
            for (const path of pathsOf(load(text, { schema: strictCoreSchema }))) {
              for (const anchor of ["key", "value"] as const) {
                let at;
                try {
                  at = fast(path, anchor);
                } catch (error) {
                  if (error instanceof FastLocatorGaveUp) return;
                  throw error;
                }
                expect({ text, path, anchor, at }).toEqual({
                  text,
                  path,
                  anchor,
                  at: slow(path, anchor),
                });
              }
            }
            placedFast += 1;
          },
        ),
        { numRuns: 1000 },
      );
      // Nearly every generated document is placed by the fast locator, not given up on.
      expect(placedFast).toBeGreaterThan(900);
    },
  );
});
