import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startCommander, type RunningCommander } from "../../stacks/commander/commander.js";
import { callCommander, CommanderUnreachable } from "../../stacks/commander/remote-client.js";
import { httpsOptions } from "../../stacks/commander/serve-command.js";
import { createToken } from "../../stacks/commander/tokens.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { writeSignedCert, writeTestCa } from "../support/test-ca.js";

let postgres: TestPostgres;
let commander: RunningCommander;
let dir: string;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sitestack-mtls-"));
  mkdirSync(join(dir, "project", "sites"), { recursive: true });
  await writeTestCa(dir);
  await writeSignedCert(dir, "server", { commonName: "commander", usage: "serverAuth" });
  await writeSignedCert(dir, "client", { commonName: "ci-bot", usage: "clientAuth" });
  postgres = await startTestPostgres();
  commander = await startCommander({
    projectDir: join(dir, "project"),
    env: {},
    databaseUrl: postgres.url,
    api: { host: "127.0.0.1", port: 0 },
    workers: 0,
    platform: defaultPlatformSettings,
    server: {
      https: httpsOptions({
        tlsCert: join(dir, "server.crt"),
        tlsKey: join(dir, "server.key"),
        tlsClientCa: join(dir, "ca.crt"),
      }),
    },
  });
  token = await createToken(commander.db, "ci-bot", ["read"]);
}, 60_000);

/** TLS of a client that trusts the test CA, with the client certificate unless told otherwise. */
function clientTls(withCertificate = true) {
  return {
    ca: readFileSync(join(dir, "ca.crt"), "utf8"),
    ...(withCertificate
      ? {
          cert: readFileSync(join(dir, "client.crt"), "utf8"),
          key: readFileSync(join(dir, "client.key"), "utf8"),
        }
      : {}),
  };
}

afterAll(async () => {
  await commander?.stop(1_000);
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("with mutual TLS, a client with a certificate of the CA and a token is answered", async () => {
  expect(commander.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const answer = await callCommander(
    {
      url: commander.url!,
      token,
      tls: clientTls(),
    },
    "GET",
    "/v1/jobs",
  );
  expect(answer.status).toBe(200);
});

test("a client without a certificate does not get past the handshake, token or not", async () => {
  const failure = await callCommander(
    { url: commander.url!, token, tls: clientTls(false) },
    "GET",
    "/v1/jobs",
  ).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(CommanderUnreachable);
});

test("the certificate alone is not enough: without a token the answer is 401", async () => {
  const answer = await callCommander(
    {
      url: commander.url!,
      token: "",
      tls: clientTls(),
    },
    "GET",
    "/v1/jobs",
  );
  expect(answer.status).toBe(401);
});
