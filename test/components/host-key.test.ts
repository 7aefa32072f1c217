import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { hostKeyProblem, sshTrustProblem } from "../../components/host-route/index.js";

const ed25519 =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM root@vps";
const ed25519Data = ed25519.split(" ")[1]!;

// Keys written by the real OpenSSH ssh-keygen, so the accepted form is what a VPS actually has.
const keyDir = mkdtempSync(join(tmpdir(), "sitestack-hostkey-"));
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

function opensshPublicKey(type: string, bits?: number): string {
  const file = join(keyDir, `${type}-${bits ?? 0}`);
  const size = bits === undefined ? [] : ["-b", String(bits)];
  execFileSync("ssh-keygen", ["-q", "-t", type, ...size, "-N", "", "-C", "root@vps", "-f", file]);
  return readFileSync(`${file}.pub`, "utf8");
}

describe("hostKeyProblem", () => {
  test.each([
    ["ed25519", undefined],
    ["ecdsa", 256],
    ["ecdsa", 384],
    ["ecdsa", 521],
  ])("accepts the .pub line ssh-keygen writes for %s %s", (type, bits) => {
    const line = opensshPublicKey(type, bits);
    expect(line.endsWith("\n")).toBe(true);
    expect(hostKeyProblem(line)).toBeUndefined();
  });

  test("rejects the RSA key ssh-keygen writes, with the reason", () => {
    expect(hostKeyProblem(opensshPublicKey("rsa", 2048))).toBe(
      "must not be an RSA key: the SSH client then offers only SHA-1 RSA signatures, which OpenSSH 8.8 and later refuse; pin the host's ed25519 key (/etc/ssh/ssh_host_ed25519_key.pub)",
    );
  });

  test("accepts a line without a comment", () => {
    expect(hostKeyProblem(`ssh-ed25519 ${ed25519Data}`)).toBeUndefined();
  });

  test.each([
    [
      "a private key, without repeating it",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
      "is a private key; give the host's public key instead, the line of /etc/ssh/ssh_host_ed25519_key.pub on the VPS",
    ],
    [
      "two lines",
      `${ed25519}\n${ed25519}`,
      'must be one line like "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA…", got several lines',
    ],
    [
      "a known_hosts line",
      `203.0.113.40 ${ed25519}`,
      'must start with a host key type, one of ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, got "203.0.113.40" (drop the host name in front: known_hosts form is "<host> <type> <key>")',
    ],
    [
      "a fingerprint",
      "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
      'must start with a host key type, one of ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, got "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMp…"',
    ],
    [
      "key data cut short",
      `ssh-ed25519 ${ed25519Data.slice(0, 40)}`,
      'must have the base64 key data after "ssh-ed25519", as in the host\'s .pub file; the data is cut or not base64',
    ],
    [
      "no key data",
      "ssh-ed25519",
      'must have the base64 key data after "ssh-ed25519", as in the host\'s .pub file; the data is cut or not base64',
    ],
    [
      "an ed25519 key labelled as ECDSA",
      `ecdsa-sha2-nistp256 ${ed25519Data}`,
      'says "ecdsa-sha2-nistp256" but its key data is a "ssh-ed25519" key; copy the whole line from one .pub file',
    ],
  ])("rejects %s", (_what, line, message) => {
    expect(hostKeyProblem(line)).toBe(message);
  });
});

describe("sshTrustProblem", () => {
  test.each([
    [{ hostKey: ed25519 }, undefined],
    [{ trustOnFirstUse: true }, undefined],
    [{ hostKey: ed25519, trustOnFirstUse: false }, undefined],
    [{}, "hostKey"],
    [{ trustOnFirstUse: false }, "hostKey"],
    [{ hostKey: ed25519, trustOnFirstUse: true }, "trustOnFirstUse"],
  ])("%o is reported at %s", (choice, field) => {
    expect(sshTrustProblem(choice)?.field).toBe(field);
  });
});
