import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCliCaptured } from "../support/run-cli.js";
import { validDocument, withField, yamlOf } from "../site-model/documents.js";

const run = runCliCaptured;

let dir: string;
let good: string;
let mixed: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sitestack-cli-"));
  good = join(dir, "good");
  mixed = join(dir, "mixed");
  for (const folder of [good, mixed]) {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
  }
  writeFileSync(join(good, "acme.yaml"), yamlOf(validDocument("BoxSite")));
  writeFileSync(
    join(good, "blog.yaml"),
    yamlOf(withField(validDocument("HostRoute"), "metadata.name", "blog")),
  );
  writeFileSync(join(mixed, "acme.yaml"), yamlOf(validDocument("BoxSite")));
  writeFileSync(
    join(mixed, "bad.yaml"),
    yamlOf(
      withField(
        withField(validDocument("HostRoute"), "metadata.name", "bad"),
        "spec.cloudflare.sslMode",
        "flexible",
      ),
    ),
  );
  writeFileSync(join(mixed, "broken.yml"), "apiVersion: sitestack/v1\nkind: [\n");
  writeFileSync(join(mixed, "notes.txt"), "not a site file");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flexible =
  'must be "full" or "strict"; "flexible" is not allowed: it leaves the Cloudflare-to-origin leg unencrypted and, with an origin that redirects port 80 to https, loops redirects forever. Use "strict" (Cloudflare Origin CA certificate, the default) or "full" (self-signed origin certificate)';

describe("sitestack validate", () => {
  test("exits 0 and says so when every file is valid", async () => {
    expect(await run(["validate", good])).toEqual({
      code: 0,
      stdout: "",
      stderr: "2 site files valid\n",
    });
  });

  test("exits 2 and prints every problem as file:line:col: path: message", async () => {
    const result = await run(["validate", mixed]);
    expect(result.code).toBe(2);
    expect(result.stdout.split("\n")).toEqual([
      `${mixed}/bad.yaml:19:14: spec.cloudflare.sslMode: ${flexible}`,
      `${mixed}/broken.yml:3:1: invalid YAML: unexpected end of the stream within a flow collection`,
      "",
    ]);
    expect(result.stderr).toBe("2 of 3 site files invalid, 2 problems\n");
  });

  test("prints one JSON document with --json", async () => {
    const result = await run(["validate", "--json", mixed]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      files: [
        {
          file: `${mixed}/acme.yaml`,
          valid: true,
          kind: "BoxSite",
          name: "acme",
          stack: "site-acme",
          problems: 0,
        },
        { file: `${mixed}/bad.yaml`, valid: false, problems: 1 },
        { file: `${mixed}/broken.yml`, valid: false, problems: 1 },
      ],
      problems: [
        {
          file: `${mixed}/bad.yaml`,
          line: 19,
          col: 14,
          path: "spec.cloudflare.sslMode",
          message: flexible,
        },
        {
          file: `${mixed}/broken.yml`,
          line: 3,
          col: 1,
          path: "",
          message: "invalid YAML: unexpected end of the stream within a flow collection",
        },
      ],
    });
  });

  test("adds ::error annotations inside GitHub Actions", async () => {
    const result = await run(["validate", join(mixed, "bad.yaml")], { GITHUB_ACTIONS: "true" });
    expect(result.code).toBe(2);
    expect(result.stdout.split("\n")).toEqual([
      `${mixed}/bad.yaml:19:14: spec.cloudflare.sslMode: ${flexible}`,
      `::error file=${mixed}/bad.yaml,line=19,col=14,title=spec.cloudflare.sslMode::${flexible}`,
      "",
    ]);
  });

  test("keeps stdout pure JSON with --json inside GitHub Actions", async () => {
    const result = await run(["validate", "--json", join(mixed, "broken.yml")], {
      GITHUB_ACTIONS: "true",
    });
    expect(JSON.parse(result.stdout).valid).toBe(false);
    expect(result.stderr).toBe(
      `::error file=${mixed}/broken.yml,line=3,col=1::invalid YAML: unexpected end of the stream within a flow collection\n`,
    );
  });

  test("escapes newlines and commas in annotations", async () => {
    const { githubAnnotations } = await import("../../stacks/validate/format.js");
    expect(
      githubAnnotations([
        { file: "a,b.yaml", line: 1, col: 2, path: "x", message: "50% off\nnow" },
      ]),
    ).toBe("::error file=a%2Cb.yaml,line=1,col=2,title=x::50%25 off%0Anow\n");
  });

  test("validates sites/ by default", async () => {
    const result = await run(["validate"]);
    expect(result).toEqual({ code: 0, stdout: "", stderr: "6 site files valid\n" });
  });

  test("exits 1 when a path does not exist", async () => {
    expect(await run(["validate", join(dir, "missing")])).toEqual({
      code: 1,
      stdout: "",
      stderr: `sitestack validate: no such file or folder: ${join(dir, "missing")}\n`,
    });
  });

  test("exits 1 on an unknown option", async () => {
    const result = await run(["validate", "--yes"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: unknown option '--yes'");
  });
});
