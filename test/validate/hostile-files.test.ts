import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCliCaptured } from "../support/run-cli.js";
import {
  escapeLine,
  escapeMarkdown,
  escapeWorkflowData,
  escapeWorkflowProperty,
} from "../../stacks/escape.js";
import { maxFileBytes } from "../../stacks/site-model/limits.js";
import { validDocument, withField, yamlOf } from "../site-model/documents.js";

const run = runCliCaptured;

let dir: string;
let odd: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sitestack-hostile-"));
  odd = join(dir, "odd");
  mkdirSync(odd);
  writeFileSync(
    join(odd, "good.yaml"),
    yamlOf(withField(validDocument("BoxSite"), "metadata.name", "good")),
  );
  symlinkSync(join(odd, "good.yaml"), join(odd, "link.yaml"));
  symlinkSync(join(dir, "missing.yaml"), join(odd, "dangling.yaml"));
  symlinkSync("/etc/passwd", join(odd, "passwd.yaml"));
  mkdirSync(join(odd, "folder.yaml"));
  expect(spawnSync("mkfifo", [join(odd, "fifo.yaml")]).status).toBe(0);
  writeFileSync(join(odd, "big.yaml"), `# ${"x".repeat(maxFileBytes)}\n`);
  writeFileSync(join(odd, "notes.txt"), "not a site file");
  writeFileSync(join(dir, "latin1.yaml"), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("validate reads regular files only, within bounds", () => {
  test("reports every entry of a folder that is not a regular file instead of skipping it", async () => {
    const result = await run(["validate", odd]);
    expect(result.code).toBe(2);
    expect(result.stdout.split("\n")).toEqual([
      `${odd}/big.yaml:1:1: is 1048579 bytes; a site file may be at most 1048576 bytes (1 MiB)`,
      `${odd}/dangling.yaml:1:1: is a symbolic link (links are never followed); a site file must be a regular file`,
      `${odd}/fifo.yaml:1:1: is a named pipe (FIFO); a site file must be a regular file`,
      `${odd}/folder.yaml:1:1: is a folder; a site file must be a regular file`,
      `${odd}/link.yaml:1:1: is a symbolic link (links are never followed); a site file must be a regular file`,
      `${odd}/passwd.yaml:1:1: is a symbolic link (links are never followed); a site file must be a regular file`,
      "",
    ]);
    expect(result.stderr).toBe("6 of 7 site files invalid, 6 problems\n");
  });

  test("never follows a symbolic link given as a path, so nothing of its target is shown", async () => {
    const result = await run(["validate", "--json", join(odd, "passwd.yaml")], {
      GITHUB_ACTIONS: "true",
    });
    expect(result.code).toBe(2);
    expect(`${result.stdout}${result.stderr}`).not.toContain("root");
  });

  test("answers at once for a FIFO and a device given as paths", async () => {
    const started = performance.now();
    const result = await run(["validate", join(odd, "fifo.yaml"), "/dev/zero"]);
    expect(result.stdout.split("\n")).toEqual([
      `${odd}/fifo.yaml:1:1: is a named pipe (FIFO); a site file must be a regular file`,
      "/dev/zero:1:1: is a character device; a site file must be a regular file",
      "",
    ]);
    expect(result.code).toBe(2);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test("reports a file that is not UTF-8", async () => {
    const result = await run(["validate", join(dir, "latin1.yaml")]);
    expect(result).toEqual({
      code: 2,
      stdout: `${dir}/latin1.yaml:1:1: is not UTF-8 text; a site file is YAML in UTF-8\n`,
      stderr: "1 of 1 site file invalid, 1 problem\n",
    });
  });
});

describe("user-controlled text in every output format", () => {
  const forged = "a\n::set-output name=approved::true\n\u001b[2K\u202e.yaml";
  let folder: string;
  beforeAll(() => {
    folder = join(dir, "forged");
    mkdirSync(folder);
    writeFileSync(join(folder, forged), "kind: [\n");
  });

  test("plain lines cannot start a new line or carry terminal escapes", async () => {
    const result = await run(["validate", folder]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(
      `${folder}/a\\n::set-output name=approved::true\\n\\x1b[2K\\u202e.yaml:2:1: invalid YAML: unexpected end of the stream within a flow collection\n`,
    );
  });

  test("annotations escape the file name as a property", async () => {
    const result = await run(["validate", "--json", folder], { GITHUB_ACTIONS: "true" });
    expect(result.stderr).toBe(
      `::error file=${folder.replace(/:/g, "%3A")}/a%0A%3A%3Aset-output name=approved%3A%3Atrue%0A\\x1b[2K\\u202e.yaml,line=2,col=1::invalid YAML: unexpected end of the stream within a flow collection\n`,
    );
    expect(result.stderr.split("\n")).toHaveLength(2);
  });

  test("--json keeps the name exact inside one JSON string", async () => {
    const result = await run(["validate", "--json", folder]);
    expect(result.stdout).not.toMatch(/\n::/);
    expect(JSON.parse(result.stdout).problems[0].file).toBe(join(folder, forged));
  });

  test("a missing path is escaped too", async () => {
    const result = await run(["validate", "no\nsuch"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: "sitestack validate: no such file or folder: no\\nsuch\n",
    });
  });

  test.each([
    [
      "escapeLine",
      escapeLine,
      "a\r\n\t\u0000\u007f\u0085\u2028\u202e\\b",
      "a\\r\\n\\t\\x00\\x7f\\x85\\u2028\\u202e\\b",
    ],
    ["escapeWorkflowData", escapeWorkflowData, "50% off\r\nnow\u001b", "50%25 off%0D%0Anow\\x1b"],
    ["escapeWorkflowProperty", escapeWorkflowProperty, "a,b:c\nd", "a%2Cb%3Ac%0Ad"],
    [
      "escapeMarkdown",
      escapeMarkdown,
      "*a* [x](javascript:y) <img> | `c` &amp; #1\n",
      "\\*a\\* \\[x\\]\\(javascript\\:y\\) \\<img\\> \\| \\`c\\` \\&amp\\; \\#1\\\\n",
    ],
  ])("%s", (_name, escape, input, expected) => {
    expect(escape(input)).toBe(expected);
  });
});

describe("nothing that could be a secret value is echoed", () => {
  test("in lines, --json or annotations", async () => {
    const folder = join(dir, "secrets");
    mkdirSync(folder);
    const leak = "sk_live_51HqLyjWDarjtT1zdp7dc";
    const document = withField(validDocument("BoxSite"), "spec.oidc.clientSecret", {
      secret: leak,
      [`${leak}x`]: leak,
    });
    writeFileSync(join(folder, "acme.yaml"), yamlOf(document));
    for (const args of [
      ["validate", folder],
      ["validate", "--json", folder],
    ]) {
      const result = await run(args, { GITHUB_ACTIONS: "true" });
      expect(result.code).toBe(2);
      expect(`${result.stdout}${result.stderr}`).not.toContain("sk_live");
      expect(`${result.stdout}${result.stderr}`).toContain("the given value is not shown");
    }
  });
});

describe("problems per file", () => {
  test("lists 100, counts the rest in one more line, and counts them all in the summary and --json", async () => {
    const folder = join(dir, "many");
    mkdirSync(folder);
    const keys = Array.from({ length: 150 }, (_, i) => `  k${i}: 1\n`).join("");
    writeFileSync(
      join(folder, "acme.yaml"),
      `apiVersion: sitestack/v1\nkind: Staging\nmetadata:\n  name: acme\nspec:\n  chart: box\n  tag: "1"\n${keys}`,
    );
    const lines = await run(["validate", folder]);
    expect(lines.code).toBe(2);
    const printed = lines.stdout.split("\n");
    expect(printed).toHaveLength(102);
    expect(printed[100]).toBe(
      `${folder}/acme.yaml:108:3: …and 50 more problems (at most 100 are listed per file)`,
    );
    expect(lines.stderr).toBe("1 of 1 site file invalid, 150 problems\n");
    const json = JSON.parse((await run(["validate", "--json", folder])).stdout);
    expect(json.files[0].problems).toBe(150);
    expect(json.problems).toHaveLength(101);
  });
});
