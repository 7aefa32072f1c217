import { execFile } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TextFile } from "../support/dynamic-file.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { isLoopback, tcpSocketsOf } from "../support/ports.js";
import { s3LegacyBackendUrl, startS3Server, type S3Server } from "../support/s3.js";

// A real Pulumi DIY backend in a real S3-compatible store (SeaweedFS on loopback), used by two
// "machines": fixtures that share nothing but the bucket (each its own PULUMI_HOME and workspace).

const run = promisify(execFile);
const project = "s3proof";
const stackName = "dev";
const fullName = `organization/${project}/${stackName}`;

let s3: S3Server;
let machineA: TestEngine;
let machineB: TestEngine;

beforeAll(async () => {
  s3 = await startS3Server();
  process.stderr.write(`SeaweedFS answered S3 in ${Math.round(s3.startupMs)} ms\n`);
  const backend = { url: s3.backendUrl, env: s3.env };
  // One after the other: both resolve (and on a cold machine build) the same engine.
  machineA = await startTestEngine({ backend });
  machineB = await startTestEngine({ backend });
});

afterAll(async () => {
  await machineA?.dispose();
  await machineB?.dispose();
  await s3?.stop();
});

interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The `pulumi` CLI of `machine`, with its PULUMI_HOME and the bucket's credentials but without
 * PULUMI_BACKEND_URL, so the backend comes from `pulumi login` alone. Runs in an empty directory:
 * no Pulumi.yaml names a backend either.
 */
async function cli(machine: TestEngine, args: readonly string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...machine.envVars };
  delete env.PULUMI_BACKEND_URL;
  const cwd = join(machine.dir, "cli");
  await mkdir(cwd, { recursive: true });
  return run(machine.engine.command.command, [...args, "--non-interactive"], { cwd, env });
}

interface StackSummary {
  readonly name: string;
  readonly resourceCount?: number;
}

async function listStacks(machine: TestEngine): Promise<StackSummary[]> {
  const { stdout } = await cli(machine, ["stack", "ls", "--all", "--json"]);
  return JSON.parse(stdout) as StackSummary[];
}

/** The lock objects in the bucket while the program of the last update ran. */
let locksDuringUpdate: string[] | undefined;

/**
 * An inline program with one real resource (a file, through the dynamic-provider plugin). It lists
 * the bucket's locks first: the program runs inside the update, so the engine holds the lock then.
 */
function program(machine: TestEngine, greeting: string) {
  return async () => {
    locksDuringUpdate = await s3.listKeys(".pulumi/locks/");
    const file = new TextFile("greeting", {
      path: join(machine.dir, "files", "greeting.txt"),
      content: greeting,
    });
    return { greeting: file.content };
  };
}

describe("Pulumi DIY backend in SeaweedFS", () => {
  test("SeaweedFS listens on loopback only, and every connection it holds is loopback", async () => {
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pid = s3.pid;
    expect(pid).toBeGreaterThan(0);
    const sockets = await tcpSocketsOf(pid);
    const listening = sockets.filter((socket) => socket.state === "LISTEN");
    // HTTP and gRPC of master, volume server, filer, S3 and the admin server: nothing else.
    expect(listening).toHaveLength(10);
    expect(listening.map((socket) => socket.local.port)).toContain(
      Number(new URL(s3.endpoint).port),
    );
    expect(sockets.filter((socket) => !isLoopback(socket.local))).toEqual([]);
    expect(
      sockets.filter((socket) => socket.state !== "LISTEN" && !isLoopback(socket.remote)),
    ).toEqual([]);
  });

  test("pulumi login stores the bucket as machine A's backend", async () => {
    await cli(machineA, ["login", s3.backendUrl]);
    const credentials = JSON.parse(
      await readFile(join(machineA.pulumiHome, "credentials.json"), "utf8"),
    ) as { current?: string };
    expect(credentials.current).toBe(s3.backendUrl);
    const { stdout } = await cli(machineA, ["whoami", "--verbose"]);
    expect(stdout).toContain(`Backend URL: ${s3.backendUrl}`);
    expect(await s3.listKeys()).toEqual([".pulumi/meta.yaml"]);
  });

  let stackA: Stack;

  test("stack init writes the stack's checkpoint into the bucket", async () => {
    stackA = await machineA.inlineStack(project, stackName, program(machineA, "hello"));
    expect(await s3.listKeys(".pulumi/stacks/")).toEqual([
      `.pulumi/stacks/${project}/dev.json`,
      `.pulumi/stacks/${project}/dev.json.bak`,
    ]);
  });

  test("up holds a lock object during the update, then writes state and history", async () => {
    const result = await stackA.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.outputs.greeting?.value).toBe("hello");
    expect(locksDuringUpdate).toEqual([
      expect.stringMatching(new RegExp(`^\\.pulumi/locks/${fullName}/[0-9a-f-]{36}\\.json$`)),
    ]);
    expect(await s3.listKeys(".pulumi/locks/")).toEqual([]);
    // The whole layout a reader of the bucket (sitestack's status, later) can rely on.
    expect(await s3.listKeys()).toEqual([
      expect.stringMatching(new RegExp(`^\\.pulumi/backups/${project}/dev/dev\\.\\d+\\.json$`)),
      expect.stringMatching(
        new RegExp(`^\\.pulumi/history/${project}/dev/dev-\\d+\\.checkpoint\\.json$`),
      ),
      expect.stringMatching(
        new RegExp(`^\\.pulumi/history/${project}/dev/dev-\\d+\\.history\\.json$`),
      ),
      ".pulumi/meta.yaml",
      `.pulumi/stacks/${project}/dev.json`,
      `.pulumi/stacks/${project}/dev.json.bak`,
    ]);
    expect(await readFile(join(machineA.dir, "files", "greeting.txt"), "utf8")).toBe("hello");
  });

  test("stack ls through the login alone lists the stack with its resources", async () => {
    expect(await listStacks(machineA)).toEqual([
      { name: fullName, current: false, lastUpdate: expect.any(String), resourceCount: 3 },
    ]);
  });

  test("the URL without disableSSL means HTTPS, which a plain-HTTP endpoint refuses", async () => {
    const url = `s3://${s3.bucket}?endpoint=${new URL(s3.endpoint).host}&s3ForcePathStyle=true`;
    await expect(cli(machineB, ["login", url])).rejects.toThrow(
      /server gave HTTP response to HTTPS client/,
    );
  });

  test("a second PULUMI_HOME sees the same stack, and its update reaches the first", async () => {
    // Machine B logs in with the v1-era form of the URL: the same bucket, the same stacks.
    await cli(machineB, ["login", s3LegacyBackendUrl(s3.bucket, s3.endpoint)]);
    expect(await listStacks(machineB)).toEqual([
      { name: fullName, current: false, lastUpdate: expect.any(String), resourceCount: 3 },
    ]);
    // The same program as A's with a new greeting: the file resource keeps its path (A's folder).
    const stackB = await machineB.inlineStack(project, stackName, program(machineA, "hello again"));
    expect((await stackB.outputs()).greeting?.value).toBe("hello");
    const result = await stackB.up();
    expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
    expect((await stackA.outputs()).greeting?.value).toBe("hello again");
    expect((await stackA.history()).map((update) => update.kind)).toEqual(["update", "update"]);
  });
});
