import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseSiteText, type ParseResult } from "../../stacks/site-model/index.js";
import { validDocument, yamlOf } from "./documents.js";

const kinds = ["BoxSite", "App", "HostRoute", "Staging"] as const;

/** The validator's contract: a result, never a throw; every problem placed at line ≥ 1, col ≥ 1. */
function expectWellFormed(result: ParseResult, text: string): void {
  if (result.ok) return;
  expect(result.problems.length).toBeGreaterThan(0);
  const lines = text.split("\n").length;
  for (const problem of result.problems) {
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lines + 1);
    expect(problem.col).toBeGreaterThanOrEqual(1);
    expect(problem.message).not.toBe("");
  }
}

// A JSON-like value with the scalars YAML users mistype most.
const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "",
    "sitestack/v1",
    "BoxSite",
    "App",
    "acme.com",
    "www.acme.com",
    "flexible",
    "0",
  ),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, tie("list"), tie("map")),
  list: fc.array(tie("value"), { maxLength: 4 }),
  map: fc.dictionary(fc.string({ maxLength: 12 }), tie("value"), { maxKeys: 5 }),
})).value;

/** Paths of every value inside a document, to pick one to mutate. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function mutate(
  document: unknown,
  path: (string | number)[],
  replacement: unknown,
  remove: boolean,
): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

// 5,000 documents in all; generous timeouts because CI machines here are shared and busy.
describe("the validator never throws", { timeout: 120_000 }, () => {
  test("on valid documents with one field replaced or removed", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.nat(),
        anyValue,
        fc.boolean(),
        (kind, pick, replacement, remove) => {
          const document = validDocument(kind);
          const paths = pathsOf(document);
          const text = yamlOf(mutate(document, paths[pick % paths.length]!, replacement, remove));
          expectWellFormed(parseSiteText(text, "sites/acme.yaml"), text);
        },
      ),
      { numRuns: 1500 },
    );
  });

  test("on random documents", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const text = yamlOf(value);
        expectWellFormed(parseSiteText(text, "sites/acme.yaml"), text);
      }),
      { numRuns: 1000 },
    );
  });

  test("on valid files with characters inserted or deleted", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.nat(),
        fc.nat({ max: 5 }),
        fc.string({
          unit: fc.constantFrom(
            ":",
            "-",
            " ",
            "\n",
            "{",
            "}",
            "[",
            "]",
            "'",
            '"',
            "&",
            "*",
            "!",
            "#",
            "|",
            ">",
            "\t",
            "a",
            "%",
            "@",
            "`",
          ),
          maxLength: 6,
        }),
        (kind, at, deleteCount, inserted) => {
          const original = yamlOf(validDocument(kind));
          const position = at % (original.length + 1);
          const text =
            original.slice(0, position) + inserted + original.slice(position + deleteCount);
          expectWellFormed(parseSiteText(text, "sites/acme.yaml"), text);
        },
      ),
      { numRuns: 1500 },
    );
  });

  test("on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expectWellFormed(parseSiteText(text, "sites/acme.yaml"), text);
      }),
      { numRuns: 1000 },
    );
  });
});
