/**
 * The bounds every site file is held to before and while it is read, so that no input — a huge
 * file, an alias bomb, a device posing as a file — can make `validate` or a lifecycle verb run out
 * of time or memory. Documented with these numbers in docs/site-files.md ("Limits").
 */

/** Largest site file read: 1 MiB. Real site files are a few KB; a Staging's values a few dozen. */
export const maxFileBytes = 1024 * 1024;

/**
 * Deepest nesting of maps and lists, counted from the document's top map (which is level 1), with
 * aliases expanded. Site files need 6 levels; chart values rarely more than 10.
 */
export const maxNestingDepth = 64;

/**
 * Most aliases (`*name`) that repeat a map or a list in one file: the same default as the `yaml`
 * package's `maxAliasCount`. Aliases of plain scalars are bounded by {@link maxExpandedSize}.
 */
export const maxAliasCount = 100;

/**
 * Largest document once aliases are expanded, counted as one per map, list or scalar plus the
 * characters of every key and string: 2 MiB, twice what a file of {@link maxFileBytes} can hold
 * without aliases. A 500-byte alias bomb expands to billions.
 */
export const maxExpandedSize = 2 * 1024 * 1024;

/** Most problems reported per file; the rest are counted in one last line. */
export const maxProblemsPerFile = 100;
