/**
 * Escaping of user-controlled text (file names, keys, values quoted in messages) for each format
 * sitestack prints in. One module, so every output — the terminal lines, `--json`, GitHub Actions
 * workflow commands, Markdown (PR summaries) — escapes the same way, and a new output picks its
 * escaper here instead of writing one.
 */

// C0 and C1 control characters and DEL (terminal escape sequences, line breaks, NUL), the Unicode
// line and paragraph separators, and the invisible marks that reorder or hide text (bidirectional
// overrides and isolates, "Trojan Source"; the byte order mark).
const unsafeInLine =
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const named: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeCharacter(character: string): string {
  const known = named[character];
  if (known !== undefined) return known;
  const code = character.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Text for one line of terminal or log output: every control character, line break and invisible
 * direction mark becomes a visible escape (`\n`, `\x1b`, `\u202e`), so the text can neither start a
 * new line (a forged `::set-output` workflow command, a fake problem line), nor move the cursor,
 * colour the terminal or reorder what is shown. Backslashes are left as they are.
 */
export function escapeLine(text: string): string {
  return text.replace(unsafeInLine, escapeCharacter);
}

/**
 * The message of a GitHub Actions workflow command (`::error …::<data>`): `%`, CR and LF as the
 * runner decodes them (actions/toolkit, `command.ts`), so the command stays on one line; other
 * control characters as {@link escapeLine} does.
 */
export function escapeWorkflowData(text: string): string {
  return escapeLine(text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}

/** A property value of a GitHub Actions workflow command (`file=`, `title=`). */
export function escapeWorkflowProperty(text: string): string {
  return escapeWorkflowData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * Text for inline Markdown (CommonMark and GitHub's dialect), such as a file name in a PR summary or
 * a table cell: {@link escapeLine}, then a backslash before every ASCII punctuation character, which
 * CommonMark always allows, so no emphasis, link, image, HTML tag, entity, code span, heading or
 * table separator (`|`) can be formed. Mentions (`@user`) and bare URLs are not neutralised: GitHub
 * links them after rendering.
 */
export function escapeMarkdown(text: string): string {
  return escapeLine(text).replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

const htmlEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text inside an HTML element of a Markdown document, such as the `<summary>` of a collapsible
 * section in a PR summary, where Markdown's backslash escapes are not read: {@link escapeLine},
 * then `&`, `<`, `>` and quotes as entities, so no tag, comment or attribute can be formed.
 */
export function escapeHtml(text: string): string {
  return escapeLine(text).replace(/[&<>"']/g, (character) => htmlEntities[character]!);
}
