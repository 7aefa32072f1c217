import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { buildScriptPath } from "../../tools/go-tool.js";

/**
 * A first build of the Kubernetes provider takes half an hour: tools/build-go-tool.sh must say what
 * it builds, with an estimate, and keep saying it is still going. Proven with the real script on a
 * tiny module, and a `go` first on PATH whose `build` sleeps a few seconds before the real one runs.
 */
const dir = mkdtempSync(join(tmpdir(), "sitestack-build-progress-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode });
}

test("a build names the tool and its estimate, then reports the elapsed time until it is done", () => {
  const tools = join(dir, "tools");
  mkdirSync(tools, { recursive: true });
  copyFileSync(buildScriptPath(), join(tools, "build-go-tool.sh"));
  write(
    join(tools, "versions.json"),
    JSON.stringify({
      tools: [
        {
          name: "hello",
          version: "1.0.0",
          wrapper: "hello",
          module: "example.test/hello",
          package: "example.test/hello",
          tags: [],
          ldflags: [],
          buildMinutes: 1,
        },
      ],
    }),
  );
  write(join(dir, "hello", "go.mod"), "module example.test/hello\n\ngo 1.26\n");
  write(
    join(dir, "hello", "main.go"),
    'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n',
  );
  write(
    join(tools, "go", "hello", "go.mod"),
    "module sitestack.local/tools/hello\n\ngo 1.26\n\nrequire example.test/hello v1.0.0\n\n" +
      "replace example.test/hello => ../../../hello\n",
  );
  const realGo = spawnSync("bash", ["-c", "command -v go"], { encoding: "utf8" }).stdout.trim();
  write(
    join(dir, "fake-bin", "go"),
    `#!/bin/sh\n[ "$1" = build ] && sleep 3\nexec ${realGo} "$@"\n`,
    0o755,
  );

  const run = spawnSync("bash", [join(tools, "build-go-tool.sh"), "hello"], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: [join(dir, "fake-bin"), process.env.PATH].join(delimiter),
      SITESTACK_CACHE_DIR: join(dir, "cache"),
      SITESTACK_BUILD_HEARTBEAT_SECONDS: "1",
    },
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout.trim()).toBe(join(dir, "cache", "bin", "hello-1.0.0", "hello"));
  expect(run.stderr).toContain(
    "[build-go-tool] building hello 1.0.0 from Go modules (once per version, about 1 min on 2 cores)",
  );
  const heartbeats = run.stderr.match(/still building hello: 0m0\ds elapsed of about 1m/g) ?? [];
  expect(heartbeats.length).toBeGreaterThanOrEqual(2);
  expect(run.stderr).toMatch(/built hello 1\.0\.0 in \d+s/);
  // The heartbeat stops with the build: nothing comes after the last line.
  expect(run.stderr.trim().split("\n").at(-1)).toMatch(/built hello 1\.0\.0/);
}, 120_000);
