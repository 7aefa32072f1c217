import { describe, expect, test } from "vitest";
import {
  envPrefix,
  prefixEnv,
  prefixedEnvProblems,
  prefixedName,
} from "../../components/env-prefix.js";

describe("env prefix convention", () => {
  test.each([
    ["users", "USERS_"],
    ["metrics-consumer", "METRICS_CONSUMER_"],
    ["api.v2", "API_V2_"],
    ["2fa", "_2FA_"],
  ])("service %s gets prefix %s", (service, prefix) => {
    expect(envPrefix(service)).toBe(prefix);
  });

  test("rejects a service name without letters or digits", () => {
    expect(() => envPrefix("--")).toThrow(
      'env prefix: service name "--" has no letters or digits to build a prefix from',
    );
  });

  test("prefixes a key with the service name", () => {
    expect(prefixedName("users", "MONGO_USER")).toBe("USERS_MONGO_USER");
  });

  test("rejects a key that is not an env var name", () => {
    expect(() => prefixedName("users", "mongo-user")).toThrow(
      'env var name "mongo-user" must be an upper-case environment variable name (A-Z, 0-9 and _, not starting with a digit) like "MONGO_USER"',
    );
  });

  test("keeps a key that already carries the prefix as written", () => {
    expect(prefixedName("users", "USERS_MONGO_USER")).toBe("USERS_MONGO_USER");
  });

  test("prefixes every key and keeps values untouched", () => {
    const secret = { secret: true };
    expect(prefixEnv("users", { MONGO_USER: "app", PASSWORD: secret })).toEqual({
      USERS_MONGO_USER: "app",
      USERS_PASSWORD: secret,
    });
  });

  test("reports every bad key at once", () => {
    expect(() => prefixEnv("users", { "1X": "a", "a-b": "b", OK: "c" })).toThrow(
      'service "users":\n  env.1X: env var name "1X" must be an upper-case environment variable name (A-Z, 0-9 and _, not starting with a digit) like "MONGO_USER"\n  env.a-b: env var name "a-b" must be an upper-case environment variable name (A-Z, 0-9 and _, not starting with a digit) like "MONGO_USER"',
    );
  });

  test("detects the same variable set as plain and as secret", () => {
    expect(
      prefixedEnvProblems("users", { env: ["MONGO_USER", "PORT"], secretEnv: ["MONGO_USER"] }),
    ).toEqual([
      "secretEnv.MONGO_USER: becomes USERS_MONGO_USER, which env.MONGO_USER already sets; keep only one of them",
    ]);
  });

  test("detects a key written with and without the prefix", () => {
    expect(prefixedEnvProblems("users", { env: ["MONGO_USER", "USERS_MONGO_USER"] })).toEqual([
      "env.USERS_MONGO_USER: becomes USERS_MONGO_USER, which env.MONGO_USER already sets; keep only one of them",
    ]);
  });

  test("reports nothing for distinct valid keys", () => {
    expect(prefixedEnvProblems("users", { env: ["A"], secretEnv: ["B"] })).toEqual([]);
  });
});
