import { ArgumentProblems } from "../argument-problems.js";
import { dnsNameProblem } from "../dns-record/names.js";
import { layoutProblems, routeFiles, type NginxLayout } from "./layout.js";

/**
 * The line that ends the server block in the install payload; the origin certificate and key follow
 * it. The server block never contains it (the renderer emits no line starting with "# sitestack:").
 */
export const payloadSeparator = "# sitestack:end-of-server-block";

/**
 * The install script's standard input: server block, separator, certificate chain, private key.
 * Carrying everything on standard input keeps the key out of the command line, the environment and
 * the provider's logs; the caller must treat the result as a secret.
 */
export function renderInstallPayload(
  serverBlock: string,
  certificatePem: string,
  keyPem: string,
): string {
  const lines = [serverBlock, payloadSeparator, certificatePem, keyPem];
  return lines.map((part) => (part.endsWith("\n") ? part : `${part}\n`)).join("");
}

function checked(domain: string, layout: NginxLayout): void {
  const problems = new ArgumentProblems();
  problems.rule(dnsNameProblem(domain), "domain", domain);
  problems.push(...layoutProblems(layout));
  problems.throwIfAny(`nginx install script for ${JSON.stringify(domain)}`);
}

// Shared start of both scripts: strict mode, the route's paths, and a host-wide lock so two stacks
// never test or reload nginx with each other's half-installed files.
function prologue(domain: string, layout: NginxLayout): string[] {
  const files = routeFiles(layout, domain);
  return [
    "set -eu",
    "umask 077",
    `domain='${domain}'`,
    `nginx_cmd='${layout.nginxCommand}'`,
    `live_conf='${files.conf}'`,
    `live_cert='${files.certificate}'`,
    `live_key='${files.key}'`,
    `state_dir='${layout.stateDir}'`,
    'stage="$state_dir/staging/$domain"',
    'backup="$state_dir/backup/$domain"',
    'mkdir -p "$state_dir"',
    'exec 9>"$state_dir/.lock"',
    "if command -v flock >/dev/null 2>&1; then flock -w 300 9; fi",
    // Save what is live now, so a rejected change can be undone file by file.
    "save_live() {",
    '  rm -rf "$backup" && mkdir -p "$backup"',
    '  for f in "$live_conf" "$live_cert" "$live_key"; do',
    '    if [ -e "$f" ]; then cp -p "$f" "$backup/$(basename "$f")"; fi',
    "  done",
    "}",
    "restore_live() {",
    '  for f in "$live_conf" "$live_cert" "$live_key"; do',
    '    if [ -e "$backup/$(basename "$f")" ]; then mv -f "$backup/$(basename "$f")" "$f"; else rm -f "$f"; fi',
    "  done",
    '  rm -rf "$backup"',
    // A rejected first install leaves no empty certificate directory behind.
    '  rmdir "$(dirname "$live_cert")" 2>/dev/null || true',
    "}",
    // nginx -t prints the offending file and line; pass that on, then say what state the host is in.
    "check_or_restore() {",
    "  if ! check_output=$($nginx_cmd -t 2>&1); then",
    "    restore_live",
    '    printf "%s\\n" "$check_output" >&2',
    '    echo "sitestack: nginx -t rejected $1 for $domain; the previous files are back in place and nginx was not reloaded" >&2',
    "    exit 1",
    "  fi",
    "}",
    // The files on disk passed the check; a failed reload (nginx not running?) is reported as such.
    "reload_nginx() {",
    "  if ! reload_output=$($nginx_cmd -s reload 2>&1); then",
    '    printf "%s\\n" "$reload_output" >&2',
    '    echo "sitestack: the configuration for $domain passed nginx -t but nginx could not be reloaded" >&2',
    "    exit 1",
    "  fi",
    "}",
  ];
}

/**
 * The script that installs one domain's route on the host, reading {@link renderInstallPayload} on
 * standard input: stage the files outside nginx's include path, save the live ones, move the staged
 * ones in, run `nginx -t`; on failure put the saved files back (removing the new ones), print nginx's
 * error and exit 1 without reloading, so the running configuration never changes; on success reload.
 * Idempotent, so it serves both create and update. The remote command and the end-to-end test run
 * exactly this text.
 */
export function renderInstallScript(domain: string, layout: NginxLayout): string {
  checked(domain, layout);
  return [
    ...prologue(domain, layout),
    'rm -rf "$stage" && mkdir -p "$stage" "$(dirname "$live_cert")" "$(dirname "$live_conf")"',
    `awk -v conf="$stage/server.conf" -v cert="$stage/origin.crt" -v key="$stage/origin.key" '`,
    `  part == 0 { if ($0 == "${payloadSeparator}") { part = 1; next } print > conf; next }`,
    "  /^-----BEGIN [A-Z ]*PRIVATE KEY-----$/ { part = 2 }",
    "  part == 1 { print > cert; next }",
    "  { print > key }",
    "'",
    "for f in server.conf origin.crt origin.key; do",
    '  if [ ! -s "$stage/$f" ]; then',
    '    rm -rf "$stage"',
    '    echo "sitestack: the install payload for $domain has no $f; nothing was changed" >&2',
    "    exit 2",
    "  fi",
    "done",
    "save_live",
    'mv -f "$stage/origin.crt" "$live_cert"',
    'mv -f "$stage/origin.key" "$live_key"',
    'mv -f "$stage/server.conf" "$live_conf"',
    'chmod 0644 "$live_conf"',
    'rm -rf "$stage"',
    'check_or_restore "the new configuration"',
    "reload_nginx",
    'rm -rf "$backup"',
    'echo "sitestack: nginx configuration for $domain installed and nginx reloaded"',
    "",
  ].join("\n");
}

/**
 * The script that removes one domain's route: remove its files, `nginx -t`, reload. When the check
 * fails (another file on the host is broken) the files are put back and the script exits 1, so the
 * stack still records the route as present.
 */
export function renderRemoveScript(domain: string, layout: NginxLayout): string {
  checked(domain, layout);
  return [
    ...prologue(domain, layout),
    "save_live",
    'rm -f "$live_conf" "$live_cert" "$live_key"',
    'check_or_restore "the removal"',
    "reload_nginx",
    'rm -rf "$backup"',
    'rmdir "$(dirname "$live_cert")" 2>/dev/null || true',
    'echo "sitestack: nginx configuration for $domain removed and nginx reloaded"',
    "",
  ].join("\n");
}

/** `value` as one POSIX shell word: single-quoted, with embedded single quotes spliced in. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line an SSH session runs for `script`: the script itself for root, otherwise the
 * script under `sudo -n sh -c` (non-interactive: a missing sudo rule fails at once instead of
 * waiting for a password). Standard input passes through sudo to the script.
 */
export function renderRemoteCommand(script: string, user: string): string {
  return user === "root" ? script : `sudo -n sh -c ${shellQuote(script)}`;
}
