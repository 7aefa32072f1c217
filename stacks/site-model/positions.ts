import { createRequire } from "node:module";
import type { Alias, Document, Node, Pair, YAMLMap } from "yaml";
import type { PathSegment } from "./problem.js";
import {
  FastLocatorGaveUp,
  fastLocatorFor,
  locatorFromFrames,
  type FrameRecorder,
} from "./fast-positions.js";
import { parserDepthGuard, plainDecimalInteger } from "./yaml-core.js";

/** A 1-based position in a file. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Which part of a `key: value` pair a problem is about. */
export type Anchor = "key" | "value";

/** Finds where a path of a parsed document is written in the source text. */
export type Locator = (path: readonly PathSegment[], anchor: Anchor) => Position;

/** A number written in a form other than plain decimal digits within the safe integer range. */
export interface IrregularNumber {
  readonly path: readonly PathSegment[];
  /** As written: `0x10`, `1e3`, `9007199254740993`. */
  readonly source: string;
  readonly value: number;
}

/** Where a document's paths are written, and what only the source text tells. */
export interface SourceIndex {
  readonly locate: Locator;
  /** The numbers of the document not written as plain safe decimal integers, in source order. */
  irregularNumbers(): IrregularNumber[];
}

const startOfFile: Position = { line: 1, col: 1 };

// `yaml` is loaded on first use: importing it costs about as much as validating a few hundred files,
// and a run where every file is valid never needs it.
let yamlModule: typeof import("yaml") | undefined;
function loadYaml(): typeof import("yaml") {
  yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yamlModule;
}

/**
 * Indexes `text` with the `yaml` package, which keeps source ranges. It is only used for files that
 * have problems (or unusual numbers): keeping ranges costs several times more than a plain parse,
 * and valid files (nearly all of them) need none.
 *
 * Every lookup costs the depth of its path: each map's keys are indexed once, on first use, and
 * aliases are resolved through one table built in one walk, so placing all the problems of a file
 * takes one pass over it however many there are.
 *
 * A path that does not exist in the text (a missing field) is located at the deepest part of it that
 * does: where the missing field would have to be written.
 */
export function sourceIndexFor(text: string): SourceIndex {
  const { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } = loadYaml();
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

  // The node each alias stands for: the last node before it with that anchor (YAML 1.2, 7.1).
  const aliasTargets = new Map<Alias, Node>();
  if (doc !== undefined) {
    const anchored = new Map<string, Node>();
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node)) {
          const target = anchored.get(node.source);
          if (target !== undefined) aliasTargets.set(node, target);
        } else if (node.anchor !== undefined) {
          anchored.set(node.anchor, node);
        }
      },
    });
  }
  const resolved = (node: unknown): unknown =>
    isAlias(node) ? (aliasTargets.get(node) ?? node) : node;

  const keysOf = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let keys = keysOf.get(map);
    if (keys === undefined) {
      keys = new Map();
      for (const item of map.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const name = String(item.key.value);
        if (!keys.has(name)) keys.set(name, item);
      }
      keysOf.set(map, keys);
    }
    return keys.get(key);
  };

  const locate: Locator = (path, anchor) => {
    if (doc === undefined) return startOfFile;
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    for (const segment of path) {
      node = resolved(node);
      let next: unknown;
      let nextKey: Node | undefined;
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
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

  const irregularNumbers = (): IrregularNumber[] => {
    const found: IrregularNumber[] = [];
    // Aliases are not followed: each number is reported once, where it is written.
    const walk = (node: unknown, path: PathSegment[]) => {
      if (isScalar(node)) {
        const { value, source } = node as { value: unknown; source?: string };
        if (
          typeof value === "number" &&
          typeof source === "string" &&
          (Number.isInteger(value) || !Number.isFinite(value)) &&
          !(plainDecimalInteger.test(source) && Number.isSafeInteger(value))
        ) {
          found.push({ path: [...path], source, value });
        }
      } else if (isMap(node)) {
        for (const item of node.items) {
          if (!isPair(item) || !isScalar(item.key)) continue;
          path.push(String(item.key.value));
          walk(item.value, path);
          path.pop();
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => {
          path.push(index);
          walk(item, path);
          path.pop();
        });
      }
    };
    if (doc !== undefined) walk(doc.contents, []);
    return found;
  };

  return { locate, irregularNumbers };
}

/**
 * A locator for `text`: the js-yaml one (`fastLocatorFor`) while it can pair up what it meets, the
 * `yaml` package's ({@link sourceIndexFor}) from the first path it cannot. Both place a path at the
 * same line and column. `recorded` holds the frames of a js-yaml parse of `text` already made.
 */
export function locatorFor(text: string, recorded?: FrameRecorder): Locator {
  const fast =
    recorded === undefined
      ? fastLocatorFor(text, parserDepthGuard)
      : locatorFromFrames(text, recorded);
  let slow: Locator | undefined;
  const fallback: Locator = (path, anchor) => (slow ??= sourceIndexFor(text).locate)(path, anchor);
  if (fast === undefined) return fallback;
  let gaveUp = false;
  return (path, anchor) => {
    if (!gaveUp) {
      try {
        return fast(path, anchor);
      } catch (error) {
        if (!(error instanceof FastLocatorGaveUp)) throw error;
        gaveUp = true;
      }
    }
    return fallback(path, anchor);
  };
}
