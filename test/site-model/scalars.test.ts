import { describe, expect, test } from "vitest";
import { parseSiteText, type Problem } from "../../stacks/site-model/index.js";
import { validDocument, withField, yamlOf } from "./documents.js";

function problemsOf(text: string): Omit<Problem, "file">[] {
  const result = parseSiteText(text, "sites/acme.yaml");
  return result.ok ? [] : result.problems.map(({ file: _file, ...rest }) => rest);
}

const hostRoute = (port: string) =>
  yamlOf(validDocument("HostRoute")).replace("port: 3000", `port: ${port}`);

describe("numbers are YAML 1.2 core, and whole-number fields take plain decimal digits", () => {
  test.each([
    ["0x10", "like 16, got 0x10"],
    ["0o17", "like 15, got 0o17"],
    ["1e3", "like 1000, got 1e3"],
    ["3000.0", "like 3000, got 3000.0"],
    ["080", "like 80, got 080"],
    ["+80", "like 80, got +80"],
  ])("rejects port: %s", (written, rest) => {
    expect(problemsOf(hostRoute(written))).toEqual([
      {
        line: 9,
        col: 11,
        path: "spec.upstream.port",
        message: `must be a whole number written in plain decimal digits ${rest}`,
      },
    ]);
  });

  test.each([
    ["0b101", 'must be a number, got "0b101"'],
    ["1_000", 'must be a number, got "1_000"'],
  ])("reads %s as text, as YAML 1.2 core does", (written, message) => {
    expect(problemsOf(hostRoute(written)).map((p) => p.message)).toEqual([message]);
  });

  test("rejects a whole number beyond the safe range instead of rounding it", () => {
    const text = yamlOf(validDocument("BoxSite")).replace(
      "siteId: 1042",
      "siteId: 9007199254740993",
    );
    expect(problemsOf(text)).toEqual([
      {
        line: 6,
        col: 11,
        path: "spec.siteId",
        message:
          "must be a whole number from -9007199254740991 to 9007199254740991 to be read exactly, got 9007199254740993; quote it if it is text",
      },
    ]);
  });

  test("reads free-form chart values by YAML 1.2 core: other number forms stand, YAML 1.1 forms are text", () => {
    const text = `${yamlOf(validDocument("Staging"))}  values:\n    hex: 0x10\n    octal: 0o17\n    exp: 1e3\n    zero: 007\n    binary: 0b101\n    grouped: 1_000\n    yes: yes\n    half: 0.5\n`;
    const result = parseSiteText(text, "sites/acme.yaml");
    expect(result.ok && result.spec.kind === "Staging" && result.spec.spec.values).toEqual({
      hex: 16,
      octal: 15,
      exp: 1000,
      zero: 7,
      binary: "0b101",
      grouped: "1_000",
      yes: "yes",
      half: 0.5,
    });
  });

  test("rejects an unsafe whole number in chart values too", () => {
    const text = `${yamlOf(validDocument("Staging"))}  values:\n    big: 12345678901234567890\n`;
    expect(problemsOf(text)).toEqual([
      {
        line: 9,
        col: 10,
        path: "spec.values.big",
        message:
          "must be a whole number from -9007199254740991 to 9007199254740991 to be read exactly, got 12345678901234567890; quote it if it is text",
      },
    ]);
  });

  test("reports a domain longer than 253 characters by the total-length rule", () => {
    const domain = `${Array(3).fill("a".repeat(62)).join(".")}.${"a".repeat(61)}.com`;
    expect(domain).toHaveLength(254);
    const text = yamlOf(withField(validDocument("BoxSite"), "spec.domain", domain));
    expect(problemsOf(text).map((p) => p.message)).toEqual([
      `must be at most 253 characters long (it has 254), got "${"a".repeat(60)}…"`,
    ]);
  });
});
