import { maxAliasCount, maxExpandedSize, maxNestingDepth } from "./limits.js";
import type { Anchor } from "./positions.js";
import type { PathSegment } from "./problem.js";

/** A problem with the shape of a parsed document, at a path into it. */
export interface ShapeProblem {
  readonly path: readonly PathSegment[];
  readonly anchor: Anchor;
  readonly message: string;
  /**
   * Whether the document is too big or cyclic to be checked any further: the schema is not run on
   * it, and nothing may walk it.
   */
  readonly fatal: boolean;
}

/** What a walked map or list expands to; kept per object, since an alias repeats the same one. */
interface Expansion {
  readonly size: number;
  /** Levels of maps and lists, this one included. */
  readonly height: number;
}

const inProgress: Expansion = { size: 0, height: 0 };

/**
 * Checks what js-yaml gives for a site file against the bounds of {@link ./limits.ts}, in one walk
 * that visits every map and list once however often aliases repeat it: aliases that repeat maps or
 * lists (at most {@link maxAliasCount}), the expanded size (at most {@link maxExpandedSize}), the
 * nesting depth with aliases expanded ({@link maxNestingDepth}; js-yaml bounds it without them), an
 * alias inside the node it names (a cycle), and `__proto__` keys, which a JavaScript object cannot
 * carry as data (the schema would drop them silently).
 */
export function shapeProblems(data: unknown): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const seen = new Map<object, Expansion>();
  let aliases = 0;
  let stopped = false;

  const stop = (path: readonly PathSegment[], message: string) => {
    problems.push({ path: [...path], anchor: "value", message, fatal: true });
    stopped = true;
  };

  const walk = (node: unknown, path: PathSegment[], depth: number): Expansion => {
    if (typeof node !== "object" || node === null) {
      return { size: 1 + (typeof node === "string" ? node.length : 0), height: 0 };
    }
    const known = seen.get(node);
    if (known === inProgress) {
      stop(
        path,
        "is an alias of a map or list that contains it; aliases may only repeat a finished node",
      );
      return inProgress;
    }
    if (known !== undefined) {
      aliases += 1;
      if (aliases > maxAliasCount) {
        stop(
          path,
          `is alias number ${aliases} of a map or list; a site file may have at most ${maxAliasCount}`,
        );
      } else if (depth - 1 + known.height > maxNestingDepth) {
        stop(
          path,
          `nests maps and lists deeper than ${maxNestingDepth} levels once this alias is expanded`,
        );
      }
      return known;
    }
    if (depth > maxNestingDepth) {
      stop(path, `nests maps and lists deeper than ${maxNestingDepth} levels`);
      return inProgress;
    }
    seen.set(node, inProgress);
    let size = 1;
    let height = 0;
    const visit = (key: PathSegment, child: unknown, keyLength: number) => {
      path.push(key);
      const inner = walk(child, path, depth + 1);
      path.pop();
      size += keyLength + inner.size;
      height = Math.max(height, inner.height);
    };
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length && !stopped; i++) visit(i, node[i], 0);
    } else {
      for (const key of Object.keys(node)) {
        if (stopped) break;
        if (key === "__proto__") {
          problems.push({
            path: [...path, key],
            anchor: "key",
            message:
              'is a key named "__proto__", which cannot be carried through as data; rename it',
            fatal: false,
          });
        }
        visit(key, (node as Record<string, unknown>)[key], key.length);
      }
    }
    const expansion = { size, height: height + 1 };
    seen.set(node, expansion);
    // A shared node's size counts at every use, so each size is what that node expands to.
    if (!stopped && size > maxExpandedSize) {
      stop(
        path,
        `expands to more than ${maxExpandedSize} characters and nodes once its aliases are expanded; a site file may not be bigger than that`,
      );
    }
    return expansion;
  };

  walk(data, [], 1);
  return problems;
}
