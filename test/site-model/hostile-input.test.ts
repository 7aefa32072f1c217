import { describe, expect, test } from "vitest";
import { parseSiteText, type Problem } from "../../stacks/site-model/index.js";
import {
  maxAliasCount,
  maxExpandedSize,
  maxNestingDepth,
  maxProblemsPerFile,
} from "../../stacks/site-model/limits.js";

function problemsOf(text: string, fileName = "sites/acme.yaml"): Omit<Problem, "file">[] {
  const result = parseSiteText(text, fileName);
  return result.ok ? [] : result.problems.map(({ file: _file, ...rest }) => rest);
}

const staging = (values: string) => `apiVersion: sitestack/v1
kind: Staging
metadata:
  name: acme
spec:
  chart: box
  tag: "1.0"
  values:
${values}`;

/** The classic "billion laughs": each level repeats the previous one nine times, in 500 bytes. */
const aliasBomb = [
  `    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`,
  ...["b", "c", "d", "e", "f", "g", "h", "i"].map(
    (name, i) => `    ${name}: &${name} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(", ")}]`,
  ),
].join("\n");

describe("bounds of a parsed document", () => {
  test("the limits are the documented numbers", () => {
    expect({ maxAliasCount, maxExpandedSize, maxNestingDepth, maxProblemsPerFile }).toEqual({
      maxAliasCount: 100,
      maxExpandedSize: 2097152,
      maxNestingDepth: 64,
      maxProblemsPerFile: 100,
    });
  });

  test("rejects a 500-byte alias bomb in a Staging's values at the alias that crosses the bound", () => {
    const text = staging(aliasBomb);
    expect(text.length).toBeLessThan(700);
    const started = performance.now();
    expect(problemsOf(text)).toEqual([
      {
        line: 14,
        col: 11,
        path: "spec.values.f",
        message:
          "expands to more than 2097152 characters and nodes once its aliases are expanded; a site file may not be bigger than that",
      },
    ]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("rejects a document that expands past the size bound with few aliases", () => {
    const big = "x".repeat(100_000);
    const text = staging(`    a: &a ["${big}"]\n    b: [${Array(30).fill("*a").join(", ")}]`);
    expect(problemsOf(text)).toEqual([
      {
        line: 10,
        col: 8,
        path: "spec.values.b",
        message:
          "expands to more than 2097152 characters and nodes once its aliases are expanded; a site file may not be bigger than that",
      },
    ]);
  });

  test("accepts 100 aliases of maps or lists and rejects the 101st", () => {
    const aliases = (count: number) =>
      problemsOf(staging(`    a: &a {x: 1}\n    b: [${Array(count).fill("*a").join(", ")}]`));
    expect(aliases(100)).toEqual([]);
    expect(aliases(101)).toEqual([
      {
        line: 10,
        col: 409,
        path: "spec.values.b[100]",
        message: "is alias number 101 of a map or list; a site file may have at most 100",
      },
    ]);
  });

  test("rejects an alias inside the node it names", () => {
    expect(problemsOf(staging("    a: &a [1, *a]"))).toEqual([
      {
        line: 9,
        col: 15,
        path: "spec.values.a[1]",
        message:
          "is an alias of a map or list that contains it; aliases may only repeat a finished node",
      },
    ]);
  });

  test.each([
    ["flow", (depth: number) => `x: ${"[".repeat(depth)}${"]".repeat(depth)}`],
    ["block", (depth: number) => `x:\n${"- ".repeat(depth)}1`],
  ])("accepts %s nesting of 64 levels and rejects 65, also 100,000 deep", (_form, nested) => {
    // The document's map, `spec` and `values` (the map around x) are three levels.
    const at = (levels: number) =>
      problemsOf(staging(`    ${nested(levels - 3).replace("\n", "\n    ")}`));
    expect(at(64)).toEqual([]);
    expect(at(65).map((p) => p.message)).toEqual(["nests maps and lists deeper than 64 levels"]);
    expect(at(100_000).map((p) => p.message)).toEqual([
      "nests maps and lists deeper than 64 levels",
    ]);
  });

  test("rejects nesting past the bound reached through aliases", () => {
    const deep = `${"[".repeat(40)}${"]".repeat(40)}`;
    const text = staging(
      `    a: &a ${deep}\n    b: [[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]`,
    );
    expect(problemsOf(text)).toEqual([
      {
        line: 10,
        col: 33,
        path: `spec.values.b${"[0]".repeat(25)}`,
        message: "nests maps and lists deeper than 64 levels once this alias is expanded",
      },
    ]);
  });

  test("lists 100 problems per file, counts the rest in one more, and finds them in one pass", () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1\n`).join("");
    const text = `apiVersion: sitestack/v1\nkind: Staging\nmetadata:\n  name: acme\nspec:\n  chart: box\n  tag: "1"\n${keys}`;
    const started = performance.now();
    const result = parseSiteText(text, "sites/acme.yaml");
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.omitted).toBe(39_900);
    expect(result.problems).toHaveLength(101);
    expect(result.problems[0]).toEqual({
      file: "sites/acme.yaml",
      line: 8,
      col: 3,
      path: "spec.k0",
      message:
        'unknown field "k0"; allowed fields: chart, tag, values, secretValues, appOverrides, ttl, cluster, readinessTimeout',
    });
    expect(result.problems[100]).toEqual({
      file: "sites/acme.yaml",
      line: 108,
      col: 3,
      path: "",
      message: "…and 39900 more problems (at most 100 are listed per file)",
    });
    // A linear search per problem took 53 s on a quiet machine; one pass takes a few seconds on
    // a busy one.
    expect(elapsed).toBeLessThan(20_000);
  });

  test('rejects "__proto__" keys instead of dropping them', () => {
    expect(problemsOf(staging("    __proto__: {admin: true}\n    site: {__proto__: 1}"))).toEqual([
      {
        line: 9,
        col: 5,
        path: "spec.values.__proto__",
        message: 'is a key named "__proto__", which cannot be carried through as data; rename it',
      },
      {
        line: 10,
        col: 12,
        path: "spec.values.site.__proto__",
        message: 'is a key named "__proto__", which cannot be carried through as data; rename it',
      },
    ]);
  });

  test("holds text that comes from no file (a request body) to the file size bound", () => {
    const text = `${staging("    a: 1")}#${"é".repeat(524_288)}\n`;
    const started = performance.now();
    expect(problemsOf(text)).toEqual([
      {
        line: 1,
        col: 1,
        path: "",
        message: "is 1048690 bytes; a site file may be at most 1048576 bytes (1 MiB)",
      },
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("clips a parser's reason that quotes the input", () => {
    const [problem] = problemsOf(`a: *${"x".repeat(5000)}\n`);
    expect(problem!.message).toBe(`invalid YAML: unidentified alias "${"x".repeat(180)}…`);
  });
});
