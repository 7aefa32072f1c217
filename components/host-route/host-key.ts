/**
 * SSH host key rules shared by the HostRoute component and the site-file schema. Pure: no Pulumi,
 * no I/O, so `sitestack validate` can load it without the Pulumi SDK.
 */
import { Buffer } from "node:buffer";

/**
 * Host key types a route can pin: the ones OpenSSH writes to `/etc/ssh/ssh_host_*_key.pub`, minus
 * RSA. The command provider pins exactly the key's own type as the only host key algorithm, which
 * for `ssh-rsa` means SHA-1 signatures, and OpenSSH 8.8 and later refuse those by default.
 */
export const pinnableHostKeyTypes = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
] as const;

/** Where OpenSSH keeps the host's ed25519 public key; read once by a trust-on-first-use route. */
export const ed25519HostKeyPath = "/etc/ssh/ssh_host_ed25519_key.pub";

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The shape of a pinnable host key line: a type of {@link pinnableHostKeyTypes}, base64 key data
 * and an optional comment. Whether the data decodes to a key of that type only
 * {@link hostKeyProblem} can tell.
 */
export const hostKeyPattern = new RegExp(
  `^\\s*(${pinnableHostKeyTypes.join("|")})\\s+${base64Pattern.source.slice(1, -1)}(\\s+\\S.*)?\\s*$`,
);
const cutData = (type: string) =>
  `must have the base64 key data after "${type}", as in the host's .pub file; the data is cut or not base64`;

/** The first string field of an SSH wire-format key blob (its type), or undefined. */
function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  return blob.subarray(4, 4 + length).toString("latin1");
}

/**
 * Why `line` is not a public host key the route can pin, or `undefined` when it is one. The form
 * is one line of a `.pub` file or of `ssh-keyscan` output without the host name:
 * `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… [comment]`. The key data must decode and name the same
 * type as the line. The messages never repeat the value: a private key pasted by mistake must not
 * end up in an error.
 */
export function hostKeyProblem(line: string): string | undefined {
  if (/PRIVATE KEY/.test(line)) {
    return `is a private key; give the host's public key instead, the line of ${ed25519HostKeyPath} on the VPS`;
  }
  if (/[\r\n]/.test(line.trim())) {
    return 'must be one line like "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA…", got several lines';
  }
  const fields = line.trim().split(/\s+/);
  const [type = "", data = ""] = fields;
  if (type === "ssh-rsa") {
    return `must not be an RSA key: the SSH client then offers only SHA-1 RSA signatures, which OpenSSH 8.8 and later refuse; pin the host's ed25519 key (${ed25519HostKeyPath})`;
  }
  if (!(pinnableHostKeyTypes as readonly string[]).includes(type)) {
    const shown = type.length > 40 ? `${type.slice(0, 40)}…` : type;
    const hint = (pinnableHostKeyTypes as readonly string[]).includes(data)
      ? ` (drop the host name in front: known_hosts form is "<host> <type> <key>")`
      : "";
    return `must start with a host key type, one of ${pinnableHostKeyTypes.join(", ")}, got ${JSON.stringify(shown)}${hint}`;
  }
  const blob =
    base64Pattern.test(data) && data.length % 4 === 0 ? Buffer.from(data, "base64") : undefined;
  const inBlob = blob === undefined ? undefined : blobType(blob);
  if (inBlob === undefined) return cutData(type);
  if (inBlob !== type) {
    return `says "${type}" but its key data is a "${inBlob}" key; copy the whole line from one .pub file`;
  }
  // ed25519: type string, then a 32-byte key; anything else is a cut or padded copy.
  if (type === "ssh-ed25519" && blob!.length !== 4 + type.length + 4 + 32) return cutData(type);
  return undefined;
}

/** The SSH trust settings of a route, as the component and the site file both have them. */
export interface SshTrustChoice {
  /** The pinned host key line, when known up front. */
  readonly hostKey?: unknown;
  /** Accept the key the host presents on the first connection, and pin it from then on. */
  readonly trustOnFirstUse?: boolean;
}

/**
 * Why the SSH trust settings are not an explicit choice, or `undefined` when they are: a route
 * either pins the host key or says `trustOnFirstUse: true`, never neither (an unchecked first
 * connection must be chosen, not a default) and never both. Returns the field the problem is
 * reported at and the message; the caller adds its own field prefix.
 */
export function sshTrustProblem(
  choice: SshTrustChoice,
): { field: "hostKey" | "trustOnFirstUse"; message: string } | undefined {
  const pinned = choice.hostKey !== undefined;
  if (pinned && choice.trustOnFirstUse === true) {
    return {
      field: "trustOnFirstUse",
      message:
        "must not be true when hostKey is set: the pinned key is checked from the first connection",
    };
  }
  if (!pinned && choice.trustOnFirstUse !== true) {
    return {
      field: "hostKey",
      message: `is required: pin the VPS's SSH host key (the line of ${ed25519HostKeyPath} on the VPS, read over a channel you trust), or set trustOnFirstUse: true to accept the key the VPS presents on the first connection and pin that one from then on`,
    };
  }
  return undefined;
}
