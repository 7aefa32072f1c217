import { load, type LoadOptions } from "js-yaml";
import type { Locator, Position } from "./positions.js";
import { strictCoreSchema } from "./yaml-core.js";

/** One node as js-yaml composed it: where it starts, what it became, and the nodes inside it. */
export interface Frame {
  start: number;
  result: unknown;
  children: Frame[] | undefined;
}

interface Entry {
  readonly key: Frame;
  readonly value: Frame | undefined;
}

/** js-yaml's node events; its types predate the option. */
export type NodeListener = (
  event: "open" | "close",
  state: { position: number; result: unknown },
) => void;

/** The frames of one js-yaml parse, filled by its `listener` while js-yaml parses. */
export interface FrameRecorder {
  readonly listener: NodeListener;
  /** The frame of the document's top node, once the parse is done. */
  top(): Frame | undefined;
}

/** A new {@link FrameRecorder}: pass its listener to one js-yaml parse. */
export function recordFrames(): FrameRecorder {
  const root: Frame = { start: 0, result: undefined, children: undefined };
  const stack: Frame[] = [root];
  return {
    listener: (event, state) => {
      if (event === "open") {
        const frame: Frame = { start: state.position, result: undefined, children: undefined };
        (stack[stack.length - 1]!.children ??= []).push(frame);
        stack.push(frame);
      } else {
        stack.pop()!.result = state.result;
      }
    },
    top: () => root.children?.[0],
  };
}

/**
 * A locator built from a js-yaml parse with its node listener, several times cheaper than the
 * position-keeping `yaml` package on big files (a file with 40,000 problems). It trusts only what
 * it can check: every map's keys must pair up with the map js-yaml built and every list's items
 * with its list, else it gives up on the file and the caller uses the `yaml` package: `undefined`
 * at once for a file it cannot parse or one with a leading byte order mark, {@link
 * FastLocatorGaveUp} from a lookup that meets a key that is not a scalar or a single-pair map inside
 * a flow list (`[a: b]`).
 */
export function fastLocatorFor(text: string, maxDepth: number): Locator | undefined {
  const recorder = recordFrames();
  const options: LoadOptions & { maxDepth: number; listener: NodeListener } = {
    schema: strictCoreSchema,
    maxDepth,
    listener: recorder.listener,
  };
  try {
    load(text, options);
  } catch {
    return undefined;
  }
  return locatorFromFrames(text, recorder);
}

/**
 * A locator from the frames a parse of `text` recorded (see {@link fastLocatorFor}), for a caller
 * that parsed with the recorder already.
 */
export function locatorFromFrames(text: string, recorder: FrameRecorder): Locator | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  const top = recorder.top();
  if (top === undefined) return undefined;

  let failed = false;
  const entriesOf = new Map<Frame, Map<string, Entry>>();
  const entries = (frame: Frame): Map<string, Entry> | undefined => {
    const known = entriesOf.get(frame);
    if (known !== undefined) return known;
    const built = pairUp(frame);
    if (built === undefined) failed = true;
    else entriesOf.set(frame, built);
    return built;
  };
  // The frame that built each map or list, for aliases (whose own frame has no children); the
  // builder of the first of them is kept, as a map or list appears first where it is written.
  let builders: Map<unknown, Frame> | undefined;
  const builderOf = (given: Frame): Frame => {
    const frame = unwrapped(given);
    const result = frame.result;
    if (frame.children !== undefined || typeof result !== "object" || result === null) return frame;
    if (Array.isArray(result) ? result.length === 0 : Object.keys(result).length === 0) {
      return frame;
    }
    if (builders === undefined) {
      builders = new Map();
      const visit = [top];
      for (let next = visit.pop(); next !== undefined; next = visit.pop()) {
        if (next.children === undefined) continue;
        if (typeof next.result === "object" && next.result !== null && !builders.has(next.result)) {
          builders.set(next.result, next);
        }
        // In reverse, so that frames are taken in document order.
        for (let i = next.children.length - 1; i >= 0; i -= 1) visit.push(next.children[i]!);
      }
    }
    return unwrapped(builders.get(result) ?? frame);
  };

  const lineStarts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) {
    lineStarts.push(at + 1);
  }
  const at = (frame: Frame): Position => {
    const start = contentStart(text, frame.start, frame.result === null);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= start) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, col: start - lineStarts[low]! + 1 };
  };

  return (path, anchor) => {
    let frame: Frame = top;
    let keyFrame: Frame | undefined;
    for (const segment of path) {
      const node = builderOf(frame);
      let next: Frame | undefined;
      let nextKey: Frame | undefined;
      if (Array.isArray(node.result)) {
        const items = node.children ?? [];
        if (items.length !== node.result.length) failed = true;
        else if (typeof segment === "number") next = items[segment];
      } else if (typeof node.result === "object" && node.result !== null) {
        const entry = entries(node)?.get(String(segment));
        nextKey = entry?.key;
        next = entry?.value;
      }
      if (failed) throw new FastLocatorGaveUp();
      if (next === undefined && nextKey === undefined) return at(keyFrame ?? frame);
      if (next === undefined) return at(nextKey!);
      keyFrame = nextKey;
      frame = next;
    }
    if (anchor === "key" && keyFrame !== undefined) return at(keyFrame);
    return at(frame);
  };
}

/** Thrown by a fast locator that met a node it cannot pair up; see {@link fastLocatorFor}. */
export class FastLocatorGaveUp extends Error {
  constructor() {
    super("the js-yaml locator cannot place this file");
  }
}

/**
 * The frame that holds a collection's own items. js-yaml composes a value in a block map first as
 * a would-be key, so a list or map there sits in a frame of its own inside the value's frame.
 */
function unwrapped(frame: Frame): Frame {
  let inner = frame;
  while (
    inner.children?.length === 1 &&
    Object.is(inner.children[0]!.result, inner.result) &&
    typeof inner.result === "object" &&
    inner.result !== null
  ) {
    inner = inner.children[0]!;
  }
  return inner;
}

/** Pairs a map frame's child frames into key and value, checked against the map js-yaml built. */
function pairUp(frame: Frame): Map<string, Entry> | undefined {
  const map = frame.result as Record<string, unknown>;
  const children = frame.children ?? [];
  const entries = new Map<string, Entry>();
  for (let i = 0; i < children.length;) {
    const key = children[i++]!;
    const name = key.result;
    if (typeof name !== "string" && typeof name !== "number" && typeof name !== "boolean") {
      // js-yaml composes one more, empty, node where a block map ends.
      if (name === null && i === children.length) break;
      return undefined;
    }
    const field = String(name);
    if (!Object.hasOwn(map, field) || entries.has(field)) return undefined;
    const value = map[field];
    const next = children[i];
    let valueFrame: Frame | undefined;
    if (next !== undefined && Object.is(next.result, value)) {
      valueFrame = next;
      i += 1;
    } else if (value !== null) {
      return undefined;
    }
    entries.set(field, { key, value: valueFrame });
  }
  return entries.size === Object.keys(map).length ? entries : undefined;
}

/**
 * Where a node's content starts: js-yaml reports a node before the spaces, line breaks and comments
 * in front of it, and before its anchor or tag, which the `yaml` package's ranges leave out. An
 * empty value (`key:` and nothing) is placed right after the colon, as the `yaml` package does.
 */
function contentStart(text: string, offset: number, isNull: boolean): number {
  let i = offset;
  for (;;) {
    const code = text.charCodeAt(i);
    if (isNull && (code === 0x0a || code === 0x0d || code === 0x23)) return i;
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      i += 1;
    } else if (code === 0x23) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i += 1;
    } else if (code === 0x26 || code === 0x21) {
      while (i < text.length && !/[\s,[\]{}]/.test(text[i]!)) i += 1;
    } else {
      return i;
    }
  }
}
