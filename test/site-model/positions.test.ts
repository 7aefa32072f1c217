import { describe, expect, test } from "vitest";
import { parseSiteText, type Problem } from "../../stacks/site-model/index.js";

function problemsOf(text: string): Omit<Problem, "file">[] {
  const result = parseSiteText(text, "sites/acme.yaml");
  return result.ok ? [] : result.problems.map(({ file: _file, ...rest }) => rest);
}

const base = `apiVersion: sitestack/v1
kind: HostRoute
metadata:
  name: acme
spec:
  domain: blog.marcosrgz.com
  upstream:
    host: 10.154.30.12
    port: 3000
  publicIp: 203.0.113.40
  host:
    address: 203.0.113.40
    user: deploy
    privateKey: {secret: VPS_SSH_KEY}
    trustOnFirstUse: true
  cloudflare:
    zone: marcosrgz.com
`;

describe("problem positions", () => {
  test("points at the value of a bad field", () => {
    expect(problemsOf(base.replace("port: 3000", "port: 99999"))).toEqual([
      {
        line: 9,
        col: 11,
        path: "spec.upstream.port",
        message: "must be a whole number from 1 to 65535, got the number 99999",
      },
    ]);
  });

  test("points at the key of an unknown field", () => {
    expect(problemsOf(`${base}    plan: free\n`)).toEqual([
      {
        line: 18,
        col: 5,
        path: "spec.cloudflare.plan",
        message: 'unknown field "plan"; allowed fields: zone, proxied, sslMode',
      },
    ]);
  });

  test("points a missing field at the key of the map it belongs in", () => {
    expect(problemsOf(base.replace("    user: deploy\n", ""))).toEqual([
      { line: 11, col: 3, path: "spec.host.user", message: "is required (a string)" },
    ]);
  });

  test("points into flow maps", () => {
    expect(problemsOf(base.replace("{secret: VPS_SSH_KEY}", "{secret: vps}"))).toEqual([
      {
        line: 14,
        col: 26,
        path: "spec.host.privateKey.secret",
        message:
          "must name an upper-case variable like ACME_OIDC_CLIENT_SECRET (A-Z, 0-9 and _, starting with a letter); the given value is not shown, as it may be the secret itself",
      },
    ]);
  });

  test("reports YAML syntax errors where the parser notices them", () => {
    // The unclosed "[" opened on line 7 is noticed at the first mapping inside it, line 9.
    const [problem] = problemsOf(base.replace("  upstream:\n", "  upstream: [\n"));
    expect(problem).toMatchObject({ line: 9, col: 9, path: "" });
    expect(problem!.message).toMatch(/^invalid YAML: /);
  });

  test("reports duplicate keys as YAML errors", () => {
    const [problem] = problemsOf(`${base}  domain: other.marcosrgz.com\n`);
    expect(problem).toEqual({
      line: 18,
      col: 3,
      path: "",
      message: "invalid YAML: duplicated mapping key",
    });
  });

  test("reports an empty file at line 1", () => {
    expect(problemsOf("# nothing here\n")).toEqual([
      {
        line: 1,
        col: 1,
        path: "",
        message: "file is empty; a site file is a map with apiVersion, kind, metadata and spec",
      },
    ]);
  });

  test("orders problems by position", () => {
    const lines = problemsOf(
      base.replace("port: 3000", "port: 0").replace("apiVersion: sitestack/v1", "apiVersion: v1"),
    ).map((problem) => problem.line);
    expect(lines).toEqual([1, 9]);
  });
});

describe("documents that do not come from a site file", () => {
  const request = JSON.stringify({
    apiVersion: "sitestack/v1",
    kind: "Staging",
    metadata: { name: "pr-7" },
    spec: { chart: "box", tag: "pr-7", ttl: "7 days" },
  });

  test("can skip the file name rule and still place problems in JSON text", () => {
    const result = parseSiteText(request, "request body", { matchFileName: false });
    expect(result.ok ? [] : result.problems).toEqual([
      {
        file: "request body",
        line: 1,
        col: 115,
        path: "spec.ttl",
        message: 'must be a duration in hours or days like "72h" or "7d", got "7 days"',
      },
    ]);
  });

  test("apply the file name rule by default", () => {
    const result = parseSiteText(request.replace("7 days", "7d"), "request body");
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'must equal the file name "request body" (request body), got "pr-7"',
    ]);
  });
});
