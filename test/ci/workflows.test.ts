import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { toolPath } from "../support/tools.js";
import { runCliCaptured } from "../support/run-cli.js";
import { git, repositoryRoot } from "./support/pr-repo.js";

/*
 * The pipeline files themselves: actionlint (built from its Go module, with Debian's shellcheck
 * for the `run:` scripts) finds nothing in .github/, and does find the faults of a deliberately
 * broken workflow, so this test can fail; and every `sitestack …` command the workflows and the
 * GitLab example run names a real verb and real options.
 */

const run = promisify(execFile);
let actionlint: string;

interface Finding {
  readonly message: string;
  readonly kind: string;
  readonly filepath: string;
  readonly line: number;
}

/** actionlint's findings in `dir` (a folder with .github/), as JSON. */
async function lint(dir: string): Promise<Finding[]> {
  const result = await run(actionlint, ["-format", "{{json .}}", "-shellcheck", "shellcheck"], {
    cwd: dir,
  }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
    // Exit 1 means "found problems"; anything else is actionlint failing to run.
    if (error.code !== 1) throw new Error(`actionlint failed: ${error.stderr ?? String(error)}`);
    return { stdout: error.stdout ?? "", stderr: error.stderr ?? "" };
  });
  return JSON.parse(result.stdout || "[]") as Finding[];
}

beforeAll(async () => {
  actionlint = await toolPath("actionlint");
}, 600_000);

describe("actionlint", () => {
  test("shellcheck is there for actionlint to check run: scripts with (tools/system-deps.sh)", async () => {
    const { stdout } = await run("shellcheck", ["--version"]);
    expect(stdout).toMatch(/version: \d+\.\d+/);
  });

  test("finds nothing in the repository's workflows and actions", async () => {
    const files = readdirSync(join(repositoryRoot, ".github", "workflows"));
    expect(files.sort()).toEqual(["main.yml", "pull-request.yml", "review-staging.yml"]);
    expect(await lint(repositoryRoot)).toEqual([]);
  });

  describe("on a broken workflow", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "sitestack-actionlint-"));
      // actionlint finds the workflows of the git repository it runs in.
      git(dir, "init", "--quiet");
      mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
      writeFileSync(
        join(dir, ".github", "workflows", "broken.yml"),
        [
          "on: pull_request_target",
          "jobs:",
          "  plan:",
          "    runs-on: ubuntu-latest",
          "    steps:",
          "      - uses: actions/checkout@v4",
          "      - run: echo ${{ github.event.pull_request.title }}",
          "      - run: npx sitestack ci plan --base $BASE",
          "        env:",
          "          BASE: ${{ secret.SITESTACK_BACKEND_URL }}",
          "",
        ].join("\n"),
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test("reports the untrusted title, the unquoted variable and the unknown context", async () => {
      const kinds = (await lint(dir)).map((finding) => `${finding.line} ${finding.kind}`);
      expect(kinds).toContain("7 expression");
      expect(kinds).toContain("8 shellcheck");
      expect(kinds).toContain("10 expression");
    });
  });
});

/** Every `sitestack …` command line in a script (continuations joined, quotes dropped). */
function sitestackCommands(script: string): string[][] {
  const joined = script.replace(/\\\n\s*/g, " ");
  return [...joined.matchAll(/npx sitestack ([^\n;|&]*)/g)].map((match) =>
    match[1]!
      .replace(/\\"/g, '"')
      .trim()
      .split(/\s+/)
      .filter((word) => word !== ""),
  );
}

/** Every script the pipeline files run: GitHub's `run:` and GitLab's `script:`/`before_script:`. */
function scriptsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(scriptsIn);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    (key === "run" || key === "script" || key === "before_script") && typeof child === "string"
      ? [child]
      : (key === "script" || key === "before_script") && Array.isArray(child)
        ? child.filter((line): line is string => typeof line === "string")
        : scriptsIn(child),
  );
}

const pipelineFiles = [
  ".github/workflows/pull-request.yml",
  ".github/workflows/main.yml",
  ".github/workflows/review-staging.yml",
  ".github/actions/setup-sitestack/action.yml",
  "docs/gitlab-ci.yml",
];

describe("the sitestack commands the pipelines run", () => {
  const commands = pipelineFiles.flatMap((file) =>
    scriptsIn(parse(readFileSync(join(repositoryRoot, file), "utf8"))).flatMap((script) =>
      sitestackCommands(script).map((words) => ({ file, words })),
    ),
  );

  test("are found in every file that runs sitestack", () => {
    expect(new Set(commands.map((command) => command.file))).toEqual(
      new Set(pipelineFiles.filter((file) => !file.includes("actions/"))),
    );
    expect(commands.length).toBeGreaterThanOrEqual(10);
  });

  test("name real verbs and options", async () => {
    const problems: string[] = [];
    for (const { file, words } of commands) {
      const verb = words[0] === "ci" ? words.slice(0, 2) : words.slice(0, 1);
      const help = await runCliCaptured([...verb, "--help"]);
      if (help.code !== 0 || !help.stdout.startsWith(`Usage: sitestack ${verb.join(" ")} `)) {
        problems.push(`${file}: sitestack ${verb.join(" ")} is no verb`);
        continue;
      }
      for (const word of words.slice(verb.length)) {
        if (!word.startsWith("-")) continue;
        const option = word.split("=")[0]!;
        if (!new RegExp(`(^|[ ,])${option}\\b`, "m").test(help.stdout)) {
          problems.push(`${file}: sitestack ${verb.join(" ")} has no option ${option}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
