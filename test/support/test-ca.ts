import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** Makes a throw-away CA in `dir` (`ca.crt`, `ca.key`) with Debian's openssl. */
export async function writeTestCa(dir: string): Promise<void> {
  await run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    join(dir, "ca.key"),
    "-out",
    join(dir, "ca.crt"),
    "-days",
    "2",
    "-subj",
    "/CN=sitestack-test-ca",
  ]);
}

/**
 * Makes `<name>.crt` and `<name>.key` in `dir`, signed by the CA {@link writeTestCa} made there:
 * a serving certificate for 127.0.0.1 (and `extraNames`), or a client certificate.
 */
export async function writeSignedCert(
  dir: string,
  name: string,
  options: {
    readonly commonName: string;
    readonly usage: "serverAuth" | "clientAuth";
    readonly extraNames?: readonly string[];
  },
): Promise<void> {
  const san =
    options.usage === "serverAuth"
      ? `subjectAltName=IP:127.0.0.1,DNS:localhost${(options.extraNames ?? []).map((extra) => `,DNS:${extra}`).join("")}\n`
      : "";
  await writeFile(
    join(dir, `${name}.ext`),
    `${san}extendedKeyUsage=${options.usage}\nkeyUsage=digitalSignature\nbasicConstraints=CA:FALSE\n`,
  );
  await run("openssl", [
    "req",
    ...ec,
    "-keyout",
    join(dir, `${name}.key`),
    "-out",
    join(dir, `${name}.csr`),
    "-subj",
    `/CN=${options.commonName}`,
  ]);
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    join(dir, `${name}.csr`),
    "-CA",
    join(dir, "ca.crt"),
    "-CAkey",
    join(dir, "ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-out",
    join(dir, `${name}.crt`),
    "-extfile",
    join(dir, `${name}.ext`),
  ]);
}
