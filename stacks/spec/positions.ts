import { createRequire } from "node:module";
import type { Document, Node } from "yaml";
import type { PathSegment } from "./problem.js";

/** A 1-based position in a file. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Which part of a `key: value` pair a problem is about. */
export type Anchor = "key" | "value";

/** Finds where a path of a parsed document is written in the source text. */
export type Locator = (path: readonly PathSegment[], anchor: Anchor) => Position;

const startOfFile: Position = { line: 1, col: 1 };

// `yaml` is loaded on first use: importing it costs about as much as validating a few hundred files,
// and a run where every file is valid never needs it.
let yamlModule: typeof import("yaml") | undefined;
function loadYaml(): typeof import("yaml") {
  yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yamlModule;
}

/**
 * Builds a locator for `text` with the `yaml` package, which keeps source ranges. It is only used for
 * files that have problems: keeping ranges costs several times more than a plain parse, and valid
 * files (nearly all of them) need none.
 *
 * A path that does not exist in the text (a missing field) is located at the deepest part of it that
 * does: where the missing field would have to be written.
 */
export function locatorFor(text: string): Locator {
  const { isAlias, isMap, isPair, isSeq, LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  let doc: Document.Parsed | undefined;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch {
    doc = undefined;
  }
  const at = (offset: number | undefined): Position => {
    if (offset === undefined) return startOfFile;
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), col: Math.max(1, col) };
  };

  return (path, anchor) => {
    if (doc === undefined) return startOfFile;
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      let next: unknown;
      let nextKey: Node | undefined;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && scalarKey(item.key) === String(segment),
        );
        if (pair !== undefined) {
          nextKey = pair.key as Node;
          next = pair.value ?? undefined;
        }
      } else if (isSeq(node) && typeof segment === "number") {
        next = node.items[segment];
      }
      if (next === undefined && nextKey === undefined) {
        // Missing: point at the key that holds the map it belongs in, or at the map itself.
        return at(keyNode?.range?.[0] ?? (node as Node | undefined)?.range?.[0]);
      }
      keyNode = nextKey;
      node = next;
    }
    if (anchor === "key" && keyNode !== undefined) return at(keyNode.range?.[0]);
    const valueOffset = (node as Node | null | undefined)?.range?.[0];
    return at(valueOffset ?? keyNode?.range?.[0]);
  };
}

function scalarKey(key: unknown): string | undefined {
  if (loadYaml().isScalar(key)) return String((key as { value: unknown }).value);
  return undefined;
}
