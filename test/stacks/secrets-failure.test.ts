import { describe, expect, test } from "vitest";
import {
  explainSecretsFailure,
  secretsFailureKind,
  type SecretsFailureContext,
} from "../../stacks/manager/secrets-failure.js";
import { describeBackend, redactBackendUrl } from "../../stacks/manager/backend/describe.js";

const base = {
  stack: "site-bodega",
  configFile: "config/Pulumi.site-bodega.yaml",
  storedSecrets: [],
  backend: "file:///b2 (PULUMI_BACKEND_URL)",
  passphraseSource: "PULUMI_CONFIG_PASSPHRASE",
} as const;
const setPassphrase =
  "export PULUMI_CONFIG_PASSPHRASE=<passphrase> (or PULUMI_CONFIG_PASSPHRASE_FILE=<file>)";

describe("a stack's secrets the engine cannot open", () => {
  test.each([
    [
      "could not create secrets manager for new stack: incorrect passphrase",
      "incorrect-passphrase",
    ],
    [
      "getting stack configuration: get stack secrets manager: incorrect passphrase",
      "incorrect-passphrase",
    ],
    [
      "failed to decrypt: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase",
      "incorrect-passphrase",
    ],
    [
      "could not create secrets manager for new stack: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables",
      "passphrase-missing",
    ],
    ["resource web: connection refused", undefined],
  ])("the engine's %j is %s", (detail, kind) => {
    expect(secretsFailureKind(detail)).toBe(kind);
  });

  test("a new stack in another backend, kept out by the salt of the old backend's config file", () => {
    expect(
      explainSecretsFailure({
        ...base,
        kind: "incorrect-passphrase",
        configSalt: "v1:A",
        stackExists: false,
      }),
    ).toBe(
      [
        "config/Pulumi.site-bodega.yaml holds the encryption salt (encryptionsalt) of a site-bodega made with another passphrase (in another backend, or before the passphrase changed), and the passphrase in use (PULUMI_CONFIG_PASSPHRASE) cannot open it; site-bodega does not exist in file:///b2 (PULUMI_BACKEND_URL) yet, so nothing else is in the way",
        "  - remove the stale salt and run again: sed -i '/^encryptionsalt:/d' config/Pulumi.site-bodega.yaml (the file holds no stored secrets; the engine writes a new one)",
      ].join("\n"),
    );
  });

  test("stored secrets are never thrown away silently: the fix names each one to store again", () => {
    expect(
      explainSecretsFailure({
        ...base,
        kind: "incorrect-passphrase",
        configSalt: "v1:A",
        stackExists: false,
        storedSecrets: ["BODEGA_OIDC_CLIENT_SECRET"],
      })
        .split("\n")
        .slice(1),
    ).toEqual([
      `  - use the passphrase the file was made with: ${setPassphrase}`,
      "  - or remove the file and store its secrets (BODEGA_OIDC_CLIENT_SECRET) again: rm config/Pulumi.site-bodega.yaml; sitestack secret set site-bodega BODEGA_OIDC_CLIENT_SECRET",
    ]);
  });

  test("an existing stack whose salt differs from the config file's: the file is stale", () => {
    expect(
      explainSecretsFailure({
        ...base,
        kind: "incorrect-passphrase",
        configSalt: "v1:A",
        stateSalt: "v1:B",
        stackExists: true,
      }),
    ).toBe(
      [
        "config/Pulumi.site-bodega.yaml holds an encryption salt (encryptionsalt) that is not the one of site-bodega in file:///b2 (PULUMI_BACKEND_URL): the file was made for the stack in another backend, or for an earlier stack of this name",
        "  - with this backend's passphrase set, remove the stale salt and run again: sed -i '/^encryptionsalt:/d' config/Pulumi.site-bodega.yaml (the file holds no stored secrets; the engine takes the stack's own salt from the backend)",
      ].join("\n"),
    );
  });

  test("an existing stack whose salt matches the config file's: the passphrase is wrong", () => {
    expect(
      explainSecretsFailure({
        ...base,
        kind: "incorrect-passphrase",
        configSalt: "v1:B",
        stateSalt: "v1:B",
        stackExists: true,
      }),
    ).toBe(
      [
        "the passphrase in use (PULUMI_CONFIG_PASSPHRASE) is not the one site-bodega in file:///b2 (PULUMI_BACKEND_URL) was made with: config/Pulumi.site-bodega.yaml and the backend agree on the salt, so the passphrase is what differs",
        `  - set that one: ${setPassphrase}`,
      ].join("\n"),
    );
  });

  test("when the backend's salt is not known, both causes and both fixes", () => {
    const context: SecretsFailureContext = {
      ...base,
      kind: "incorrect-passphrase",
      configSalt: "v1:A",
      stackExists: true,
    };
    expect(explainSecretsFailure(context).split("\n").slice(1)).toEqual([
      "  - if the file is stale: with this backend's passphrase set, remove the stale salt and run again: sed -i '/^encryptionsalt:/d' config/Pulumi.site-bodega.yaml (the file holds no stored secrets; the engine takes the stack's own salt from the backend)",
      `  - if the passphrase is wrong: ${setPassphrase}`,
    ]);
  });

  test("no passphrase for a shared backend: set the one of its stacks, sitestack invents none", () => {
    expect(explainSecretsFailure({ ...base, kind: "passphrase-missing", stackExists: false })).toBe(
      [
        "the secrets of site-bodega need a passphrase and none is set: sitestack makes one up only for this checkout's own .sitestack/state, and the backend now is file:///b2 (PULUMI_BACKEND_URL)",
        `  - set the passphrase of that backend's stacks: ${setPassphrase}`,
        "  - for a new shared backend, choose one and give it to everybody who uses the backend",
      ].join("\n"),
    );
  });
});

describe("the backend a message names", () => {
  test("says where the choice came from", () => {
    const url = "s3://team-state?region=us-east-1";
    expect(
      describeBackend(
        { backendUrl: url, embeddedDefaultBackend: false },
        { PULUMI_BACKEND_URL: url },
      ),
    ).toBe("s3://team-state?region=us-east-1 (PULUMI_BACKEND_URL)");
    expect(describeBackend({ backendUrl: "file:///x", embeddedDefaultBackend: true }, {})).toBe(
      ".sitestack/state (this checkout's local default)",
    );
  });

  test.each([
    [
      "postgres://bob:hunter2@db:5432/pulumi?sslmode=disable",
      "postgres://bob:***@db:5432/pulumi?sslmode=disable",
    ],
    [
      "azblob://state?storage_account=x&sas_token=abc",
      "azblob://state?storage_account=x&sas_token=***",
    ],
    [
      "s3://b?endpoint=http://127.0.0.1:9000&region=x",
      "s3://b?endpoint=http://127.0.0.1:9000&region=x",
    ],
  ])("never shows a credential: %s", (url, shown) => {
    expect(redactBackendUrl(url)).toBe(shown);
  });
});
