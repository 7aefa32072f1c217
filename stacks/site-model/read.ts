import { isUtf8 } from "node:buffer";
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  type Stats,
} from "node:fs";
import { maxFileBytes } from "./limits.js";

/** The text of a site file, or why it was not read (a message for a problem at `file:1:1`). */
export type ReadOutcome =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

const scratch = Buffer.allocUnsafe(64 * 1024);

/** What a non-regular file is, in words, for "… is not a regular file" problems. */
function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return "a symbolic link (links are never followed)";
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "not a regular file";
}

/** What is read, for messages: "site file" gives "a site file must be a regular file". */
export interface ReadLimits {
  readonly what: string;
  readonly maxBytes: number;
}

function notRegular(stats: Stats, { what }: ReadLimits): ReadOutcome {
  return { ok: false, message: `is ${kindOf(stats)}; a ${what} must be a regular file` };
}

function tooBig(bytes: number, { what, maxBytes }: ReadLimits): ReadOutcome {
  return {
    ok: false,
    message: `is ${bytes} bytes; a ${what} may be at most ${maxBytes} bytes (${maxBytes / 1048576} MiB)`,
  };
}

/**
 * Reads a site file's text within the bounds of a site file: a regular file (never a symbolic
 * link, folder, FIFO or device: the type is checked with `lstat` before opening, and the file is
 * opened with `O_NOFOLLOW | O_NONBLOCK` so a swap in between can neither follow a link nor block),
 * at most `maxBytes` (checked with `fstat` before reading, and again while reading, for a file that
 * grows), and valid UTF-8. Never throws.
 */
export function readSiteFileText(path: string, maxBytes: number = maxFileBytes): ReadOutcome {
  return readRegularFileText(path, { what: "site file", maxBytes });
}

/**
 * Reads a text file of the repository (a site file, a chart's `Chart.yaml`) as
 * {@link readSiteFileText} describes; `what` names it in messages.
 */
export function readRegularFileText(path: string, limits: ReadLimits): ReadOutcome {
  const { what, maxBytes } = limits;
  let fd: number | undefined;
  try {
    const linkStats = lstatSync(path);
    if (!linkStats.isFile()) return notRegular(linkStats, limits);
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return notRegular(stats, limits);
    if (stats.size > maxBytes) return tooBig(stats.size, limits);
    // One byte more than allowed tells a file that grew since fstat from one that did not. Small
    // files (nearly all) are read into one reused buffer: the text is copied out of it anyway.
    const wanted = Math.min(stats.size, maxBytes) + 1;
    let buffer = wanted <= scratch.length ? scratch : Buffer.allocUnsafe(wanted);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) return tooBig(length, limits);
    }
    const bytes = buffer.subarray(0, length);
    if (!isUtf8(bytes)) {
      return { ok: false, message: `is not UTF-8 text; a ${what} is YAML in UTF-8` };
    }
    // A byte order mark is not part of the text (js-yaml and the yaml package drop it as well).
    const start =
      length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return { ok: true, text: bytes.toString("utf8", start) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: `cannot read file: ${code ?? "unknown error"}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
