import { describe, expect, test } from "vitest";
import { maskSpec, parseRetention } from "../../stacks/commander/audit.js";
import { exitCodeOfAnswer, exitCodeOfJob } from "../../stacks/commander/remote-command.js";
import type { Job } from "../../stacks/commander/jobs.js";
import { allows, parseScopes, tokenHash } from "../../stacks/commander/tokens.js";
import { Scrubber } from "../../stacks/manager/scrub.js";

describe("audit retention", () => {
  test.each([
    ["90d", 90 * 86_400_000],
    ["12h", 12 * 3_600_000],
    ["30m", 30 * 60_000],
  ])("%s is %d ms", (text, ms) => expect(parseRetention(text)).toBe(ms));

  test.each(["0d", "90", "1w", "-1d", "9999999d", ""])("refuses %j", (text) => {
    expect(() => parseRetention(text)).toThrow(
      `retention must be a positive number with a unit m, h or d (like 90d), got "${text}"`,
    );
  });
});

describe("scopes", () => {
  test("parses a list, refusing unknown scopes by name", () => {
    expect(parseScopes("read, preview,read")).toEqual(["read", "preview"]);
    expect(() => parseScopes("read,write")).toThrow(
      "scopes must be a comma-separated list of read, preview, change, destroy, admin; unknown: write",
    );
    expect(() => parseScopes("")).toThrow("scopes must be a comma-separated list");
  });

  test("admin allows every scope; others only their own", () => {
    expect(allows({ name: "a", scopes: ["admin"] }, "destroy")).toBe(true);
    expect(allows({ name: "c", scopes: ["change"] }, "destroy")).toBe(false);
    expect(allows({ name: "c", scopes: ["change"] }, "change")).toBe(true);
  });

  test("a token is stored as its SHA-256", () => {
    // sha256("abc"), the FIPS 180-2 test vector.
    expect(tokenHash("abc").toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("the audited spec", () => {
  test("keeps secret references, masks secret-looking values and known secret values", () => {
    const scrubber = new Scrubber();
    scrubber.add("known-secret-value");
    expect(
      maskSpec(
        {
          spec: {
            oidc: { clientSecret: { secret: "ACME_OIDC" } },
            env: { API_TOKEN: "plain-token", NOTE: "has known-secret-value inside" },
            password: "hunter22",
          },
        },
        scrubber,
      ),
    ).toEqual({
      spec: {
        oidc: { clientSecret: { secret: "ACME_OIDC" } },
        env: { API_TOKEN: "[secret]", NOTE: "has [secret] inside" },
        password: "[secret]",
      },
    });
  });
});

describe("sitestack remote's exit codes", () => {
  const answer = (status: number, error?: string) => ({
    status,
    body: error === undefined ? {} : { error },
    headers: {},
  });
  test.each([
    [answer(422, "ValidationFailed"), 2],
    [answer(409, "StackLocked"), 4],
    [answer(404, "StackNotFound"), 3],
    [answer(409, "OwnedBySiteFile"), 2],
    [answer(403, "Forbidden"), 2],
    [answer(401, "Unauthorized"), 2],
    [answer(404, "JobNotFound"), 3],
    [answer(500, "Internal"), 1],
  ])("%j exits %d", (given, code) => expect(exitCodeOfAnswer(given)).toBe(code));

  test("a failed job exits with its error's code", () => {
    const job = { state: "failed", result: { errorName: "OperationFailed" } } as unknown as Job;
    expect(exitCodeOfJob(job)).toBe(5);
    expect(exitCodeOfJob({ ...job, result: { errorName: "Internal" } })).toBe(1);
    expect(exitCodeOfJob({ ...job, state: "succeeded" })).toBe(0);
  });
});
