/**
 * The cost of one operation (issue 19), measured on whole `sitestack` processes the way a user runs
 * them:
 *
 * 1. a breakdown of `sitestack up` and `sitestack preview` of the example box site (render mode):
 *    time before the first engine process, each engine process, time after (under strace);
 * 2. `up`/`preview` ÷ a bare Automation API script (bench/bare-automation.mjs) doing the same
 *    operation on the same program, and `sitestack status` of one stack;
 * 3. `sitestack up` of the staging sites/pr-42.yaml ÷ `helm upgrade --install` of the same chart
 *    and values on the same API server.
 *
 * Run: `npm run build && npx vitest run --config bench/vitest.config.ts bench/operation-cost.bench.ts`.
 * Figures are printed with "met"/"MISSED" against the issue's targets; nothing fails on a miss.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { median } from "./engine-floor.js";
import {
  breakdown,
  formatBreakdown,
  parseStrace,
  runProcess,
  straceAvailable,
  type ProcessRun,
} from "./process-trace.js";
import { installBuiltKubernetesProvider } from "../stacks/engine/kubernetes-provider.js";
import { platformFromEnv } from "../stacks/platform/env.js";
import { loadSiteFiles, type StagingSpec } from "../stacks/site-model/index.js";
import { renderStaging, repositoryChartsDir } from "../stacks/staging/render.js";
import { sitestackCacheDir } from "../tools/go-tool.js";
import { startApiServer, type ApiServer } from "../test/support/apiserver.js";
import { toolPath } from "../test/support/tools.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cliEntry = join(repo, "bin", "sitestack.js");
const bareScript = join(repo, "bench", "bare-automation.mjs");
const runs = 5;

const report: string[] = [];
const verdict = (target: string, met: boolean) => `target ${target}: ${met ? "met" : "MISSED"}`;
/** The issue's target: one engine process per operation, plus `stack init` for a new stack. */
const engineCount = (verb: string, target: number, ran: number) =>
  verdict(
    `${target} engine process(es) for ${verb} of ${target === 1 ? "an existing" : "a new"} stack (ran ${ran})`,
    ran <= target,
  );
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");
const secondsOf = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const samples = (values: readonly number[]) =>
  `median ${secondsOf(median(values))} (${values.map((ms) => (ms / 1000).toFixed(2)).join(", ")})`;

let dir: string;
let cacheDir: string;
let tracing: boolean;
let api: ApiServer | undefined;

/**
 * The environment of every process the bench starts: the bench's own without Pulumi, sitestack or
 * kubeconfig settings, so nothing of the caller's leaks in; this Node first on PATH.
 */
function baseEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(PULUMI_|SITESTACK_|KUBECONFIG$|HELM_)/.test(key)) continue;
    env[key] = value;
  }
  env.PATH = [dirname(process.execPath), process.env.PATH].filter(Boolean).join(":");
  env.CI = "1";
  return { ...env, ...extra };
}

/** `node bin/sitestack.js …` in `cwd`, timed whole; checks the exit code. */
async function sitestack(
  cwd: string,
  env: Record<string, string>,
  args: readonly string[],
  trace = false,
): Promise<ProcessRun> {
  const run = await runProcess(process.execPath, [cliEntry, ...args], { cwd, env, trace });
  if (run.code !== 0) {
    throw new Error(
      `sitestack ${args.join(" ")} exited ${run.code}: ${(run.stderr || run.stdout).trim().split("\n").slice(-5).join(" | ")}`,
    );
  }
  return run;
}

beforeAll(async () => {
  if (!existsSync(join(repo, "dist", "stacks", "cli", "main.js"))) {
    throw new Error(
      "dist/ is missing: run `npm run build` first (the bench runs bin/sitestack.js)",
    );
  }
  dir = await mkdtemp(join(tmpdir(), "sitestack-opcost-"));
  // The CLI resolves the cached engine through SITESTACK_CACHE_DIR and runs it with
  // PULUMI_HOME=<cache>/pulumi-home (stacks/engine/resolve.ts). A cache of its own, whose bin/ links
  // to the machine's cached binaries, gets the built Kubernetes provider in a plugin cache of its own without
  // touching the machine's shared PULUMI_HOME.
  cacheDir = join(dir, "cache");
  const machineBin = join(sitestackCacheDir(), "bin");
  await mkdir(join(cacheDir, "bin"), { recursive: true });
  for (const entry of await readdir(machineBin)) {
    if (!entry.startsWith("."))
      await symlink(join(machineBin, entry), join(cacheDir, "bin", entry));
  }
  await installBuiltKubernetesProvider({ pulumiHome: join(cacheDir, "pulumi-home") });
  tracing = straceAvailable();
}, 600_000);

afterAll(async () => {
  process.stdout.write(
    `\noperation cost (issue 19), ${new Date().toISOString()}, ${cpus().length} cores, load average ${load()} at the end:\n  ${report.join("\n  ")}\n`,
  );
  await api?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("operation cost", () => {
  test("the strace parser joins split calls, folds threads and finds the engine processes", () => {
    const log = [
      '100 10.000000 execve("/usr/bin/node", ["node", "bin/sitestack.js", "up"], 0x1 /* 3 vars */) = 0',
      "100 10.100000 clone(child_stack=NULL, flags=CLONE_VM|CLONE_THREAD|SIGCHLD) = 101",
      "101 10.500000 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>",
      '102 10.510000 execve("/bin/pulumi", ["pulumi", "up", "--yes"], 0x2 /* 3 vars */) = 0',
      "101 10.520000 <... clone resumed>) = 102",
      '103 11.000000 execve("/p/pulumi-resource-kubernetes", ["x", "127.0.0.1:1"], 0x3) = 0',
      "102 10.900000 clone(child_stack=NULL, flags=SIGCHLD) = 103",
      "103 11.100000 clone(child_stack=NULL, flags=SIGCHLD) = 104",
      "104 11.110000 clone(child_stack=NULL, flags=SIGCHLD) = 105",
      '105 11.120000 execve("/usr/bin/jq", ["jq", "-er"], 0x4 /* 3 vars */) = 0',
      "105 11.200000 +++ exited with 0 +++",
      "104 11.210000 +++ exited with 0 +++",
      "103 11.500000 +++ exited with 0 +++",
      "102 12.510000 +++ exited with 0 +++",
      "100 13.000000 +++ exited with 0 +++",
    ].join("\n");
    const trace = parseStrace(log);
    expect(trace.processes.map((p) => [p.pid, p.parent, p.argv[1]])).toEqual([
      [102, 100, "up"],
      [103, 102, "127.0.0.1:1"],
      [105, 103, "-er"],
    ]);
    const result = breakdown(trace);
    expect(result.engine.map((p) => p.pid)).toEqual([102]);
    expect(result.beforeEngineMs).toBeCloseTo(510, 3);
    expect(result.afterEngineMs).toBeCloseTo(490, 3);
    expect(result.totalMs).toBeCloseTo(3000, 3);
  });

  test("the example box site: breakdown of up and preview, ratios to a bare Automation API script, status", async () => {
    const project = join(dir, "box");
    const siteFile = join(project, "sites", "bodega.yaml");
    await mkdir(dirname(siteFile), { recursive: true });
    const original = readFileSync(join(repo, "sites", "bodega.yaml"), "utf8");
    // A real change for every up: the box's image tag.
    const writeSite = (tag: string) =>
      writeFile(
        siteFile,
        original.replace(
          "    repository: ghcr.io/juntoz/jzbox\n",
          `    repository: ghcr.io/juntoz/jzbox\n    tag: "${tag}"\n`,
        ),
      );
    await writeSite("0.1.0");
    const passphrase = "operation-cost-bench";
    const env = baseEnv({
      SITESTACK_CACHE_DIR: cacheDir,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET: "bench-oidc-secret",
    });
    // The bare script: the same binary (through a root of its own), backend, passphrase and
    // PULUMI_HOME, with the settings sitestack gives the engine so neither waits on the network.
    const bareRoot = join(dir, "bare-root");
    await mkdir(join(bareRoot, "bin"), { recursive: true });
    const pulumiDir = (await readdir(join(cacheDir, "bin"))).find((e) => e.startsWith("pulumi-"));
    expect(pulumiDir, "no cached pulumi build (tools/build-go-tool.sh pulumi)").toBeDefined();
    await symlink(join(cacheDir, "bin", pulumiDir!, "pulumi"), join(bareRoot, "bin", "pulumi"));
    const bareWork = join(project, ".bare-work");
    await mkdir(bareWork, { recursive: true });
    const bareEnv = {
      ...env,
      PULUMI_HOME: join(cacheDir, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${join(project, ".sitestack", "state")}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const bare = async (verb: "up" | "preview", trace = false) => {
      const run = await runProcess(
        process.execPath,
        [bareScript, verb, "sites/bodega.yaml", "bare-bodega", bareWork, bareRoot],
        { cwd: project, env: bareEnv, trace },
      );
      if (run.code !== 0) {
        throw new Error(
          `bare ${verb} exited ${run.code}: ${run.stderr.trim().split("\n").slice(-5).join(" | ")}`,
        );
      }
      return run;
    };

    report.push(`load average at the start: ${load()} (${cpus().length} cores)`);
    // 1. Breakdowns, under strace.
    let tracedUpMs: number | undefined;
    if (tracing) {
      const traced: [string, readonly string[], number, (() => Promise<void>)?][] = [
        // The engine cannot preview a stack that does not exist, and a preview must leave nothing
        // behind: `stack init`, `preview`, `stack rm`.
        [
          "sitestack preview sites/bodega.yaml (new stack: created, previewed, removed)",
          ["preview", "sites/bodega.yaml"],
          3,
        ],
        ["sitestack up sites/bodega.yaml (new stack)", ["up", "sites/bodega.yaml"], 2],
        [
          "sitestack preview sites/bodega.yaml (existing stack)",
          ["preview", "sites/bodega.yaml"],
          1,
        ],
        [
          "sitestack up sites/bodega.yaml (existing stack, new image tag)",
          ["up", "sites/bodega.yaml"],
          1,
          () => writeSite("0.1.1"),
        ],
      ];
      // The engine's version is probed once per binary on a machine, then cached with the binary's
      // identity: a first, untraced command pays it, so the counts below are per operation.
      await sitestack(project, env, ["preview", "sites/bodega.yaml"]);
      for (const [title, args, target, before] of traced) {
        await before?.();
        const run = await sitestack(project, env, args, true);
        const result = breakdown(run.trace!);
        report.push(formatBreakdown(title, result));
        report.push(engineCount(args[0]!, target, result.engine.length));
        if (args[0] === "up") tracedUpMs = run.wallMs;
      }
    } else {
      report.push("no breakdown: strace with --seccomp-bpf is not available here");
      await sitestack(project, env, ["up", "sites/bodega.yaml"]);
    }

    // 2. Whole processes, alternating sitestack and the bare script; one warm-up each.
    const bareUp = await bare("up", tracing);
    const barePreview = await bare("preview", tracing);
    if (bareUp.trace && barePreview.trace) {
      report.push(
        formatBreakdown(
          "bare Automation API up (new stack), for comparison",
          breakdown(bareUp.trace),
        ),
      );
      report.push(
        formatBreakdown(
          "bare Automation API preview (existing stack), for comparison",
          breakdown(barePreview.trace),
        ),
      );
    }
    const times = {
      up: [] as number[],
      bareUp: [] as number[],
      preview: [] as number[],
      barePreview: [] as number[],
    };
    for (let run = 0; run < runs; run += 1) {
      await writeSite(`0.1.${run + 2}`);
      const pairs: [() => Promise<ProcessRun>, number[]][] = [
        [() => sitestack(project, env, ["up", "sites/bodega.yaml"]), times.up],
        [() => bare("up"), times.bareUp],
        [() => sitestack(project, env, ["preview", "sites/bodega.yaml"]), times.preview],
        [() => bare("preview"), times.barePreview],
      ];
      // Odd runs start with the bare script, so neither side always runs first.
      const order = run % 2 === 0 ? [0, 1, 2, 3] : [1, 0, 3, 2];
      for (const index of order) {
        const [work, into] = pairs[index]!;
        into.push((await work()).wallMs);
      }
    }
    const upRatio = median(times.up) / median(times.bareUp);
    const previewRatio = median(times.preview) / median(times.barePreview);
    report.push(`sitestack up (new image tag), whole process: ${samples(times.up)}`);
    report.push(`bare Automation API up (same program, same change): ${samples(times.bareUp)}`);
    report.push(`sitestack preview, whole process: ${samples(times.preview)}`);
    report.push(`bare Automation API preview: ${samples(times.barePreview)}`);
    if (tracedUpMs !== undefined) {
      report.push(
        `strace's cost: the traced up (existing stack) took ${secondsOf(tracedUpMs)} whole, untraced ups ${samples(times.up)}`,
      );
    }
    report.push(
      `ratio up ${upRatio.toFixed(2)}x, preview ${previewRatio.toFixed(2)}x the bare script`,
    );
    report.push(verdict("sitestack up <= 1.2x the bare Automation API script", upRatio <= 1.2));
    report.push(
      verdict("sitestack preview <= 1.2x the bare Automation API script", previewRatio <= 1.2),
    );

    // 3. status of one stack (warm: after one run) and --help, the floor of any CLI process.
    const status: number[] = [];
    const help: number[] = [];
    await sitestack(project, env, ["status", "site-bodega"]);
    for (let run = 0; run < 5; run += 1) {
      status.push((await sitestack(project, env, ["status", "site-bodega"])).wallMs);
      help.push((await sitestack(project, env, ["--help"])).wallMs);
    }
    report.push(
      `sitestack status site-bodega (warm): ${samples(status)}; sitestack --help: ${samples(help)}`,
    );
    report.push(verdict("sitestack status of one stack <= 0.5 s warm", median(status) <= 500));
    // Where the time before the first engine process goes: module loading alone, with Node's compile
    // cache on as in the CLI (stacks/cli/startup.ts).
    const importOnly = async (specifier: string | undefined) => {
      const source = `import { enableCompileCache } from "node:module"; enableCompileCache?.();${specifier === undefined ? "" : ` await import(${JSON.stringify(specifier)});`}`;
      const timesMs: number[] = [];
      for (let run = 0; run < 4; run += 1) {
        const result = await runProcess(process.execPath, ["--input-type=module", "-e", source], {
          cwd: repo,
          env,
        });
        if (result.code !== 0) throw new Error(`importing ${specifier}: ${result.stderr.trim()}`);
        if (run > 0) timesMs.push(result.wallMs);
      }
      return median(timesMs);
    };
    const nodeStart = await importOnly(undefined);
    const imports = [
      ["dist/stacks/site-stacks.js (manager, site programs, SDKs)", "./dist/stacks/site-stacks.js"],
      ["@pulumi/pulumi/automation alone", "@pulumi/pulumi/automation/index.js"],
      ["@pulumi/kubernetes alone", "@pulumi/kubernetes"],
    ];
    const importFigures: string[] = [];
    for (const [label, specifier] of imports) {
      importFigures.push(`${label} +${secondsOf((await importOnly(specifier)) - nodeStart)}`);
    }
    report.push(
      `module loading alone (whole process, median of 3, compile cache on): node start ${secondsOf(nodeStart)}; ${importFigures.join("; ")}`,
    );
    if (tracing) {
      const run = await sitestack(project, env, ["status", "site-bodega"], true);
      report.push(formatBreakdown("sitestack status site-bodega", breakdown(run.trace!)));
    }
    expect(times.up).toHaveLength(runs);
  }, 1_200_000);

  test("the staging sites/pr-42.yaml against an API server: sitestack up vs helm upgrade --install", async () => {
    const project = join(dir, "staging");
    const siteFile = join(project, "sites", "pr-42.yaml");
    await mkdir(dirname(siteFile), { recursive: true });
    const original = readFileSync(join(repo, "sites", "pr-42.yaml"), "utf8");
    const writeSite = (tag: string) =>
      writeFile(siteFile, original.replace("  tag: 0.4.0-pr.42\n", `  tag: ${tag}\n`));
    let helm: string;
    try {
      // Workloads: pods become ready, so the provider's await (and helm's --wait) has an end.
      [api, helm] = await Promise.all([
        startApiServer({ crds: false, workloads: true }),
        toolPath("helm"),
      ]);
    } catch (error) {
      report.push(
        `staging: not measured: the API server or helm could not start: ${String(error)}`,
      );
      return;
    }
    const env = baseEnv({
      SITESTACK_CACHE_DIR: cacheDir,
      PULUMI_CONFIG_PASSPHRASE: "operation-cost-bench",
      SITESTACK_KUBERNETES: "cluster",
      KUBECONFIG: api.kubeconfigPath,
      SITESTACK_SECRET_STAGING_OIDC_CLIENT_SECRET: "bench-staging-oidc",
      SITESTACK_SECRET_STAGING_DB_PASSWORD: "bench-staging-db",
    });
    // helm gets exactly the values sitestack renders the chart with (renderStaging: the staging's
    // values, app overrides, tag and sitestack's globals), in a namespace of its own.
    const helmHome = join(dir, "helm-home");
    const helmEnv = baseEnv({
      KUBECONFIG: api.kubeconfigPath,
      HELM_CACHE_HOME: join(helmHome, "cache"),
      HELM_CONFIG_HOME: join(helmHome, "config"),
      HELM_DATA_HOME: join(helmHome, "data"),
    });
    const helmNamespace = "helm-pr-42";
    // sitestack's up waits until the workloads are ready; `helm --wait` is the like-for-like run,
    // plain helm (returns once the objects are sent) the floor.
    const helmUpgrade = async (tag: string, wait = false) => {
      await writeSite(tag);
      const spec = (await loadSiteFiles([siteFile])).files[0]?.spec as StagingSpec;
      const rendered = await renderStaging(spec, platformFromEnv(env), {
        chartsDir: repositoryChartsDir(),
        helm,
      });
      const valuesFile = join(helmHome, "values.json");
      await mkdir(helmHome, { recursive: true });
      await writeFile(valuesFile, JSON.stringify(rendered.values));
      const run = await runProcess(
        helm,
        [
          "upgrade",
          "--install",
          rendered.names.release,
          rendered.chart.dir,
          "--namespace",
          helmNamespace,
          "--create-namespace",
          "--values",
          valuesFile,
          ...(wait ? ["--wait", "--timeout", "90s"] : []),
        ],
        { cwd: project, env: helmEnv },
      );
      if (run.code !== 0) throw new Error(`helm upgrade exited ${run.code}: ${run.stderr.trim()}`);
      return run;
    };
    const sitestackUp = async (tag: string, trace = false) => {
      await writeSite(tag);
      return sitestack(project, env, ["up", "sites/pr-42.yaml"], trace);
    };

    const helmTimes: number[] = [];
    const helmWaitTimes: number[] = [];
    let helmWaitFailure: string | undefined;
    const sitestackTimes: number[] = [];
    let failure: string | undefined;
    // Warm-up: creates the stack (traced, for its breakdown) and installs the helm release. A
    // preview first: the engine's version is probed once per binary on a machine (then cached with
    // the binary's identity), not per operation, so the new-stack count must not include it.
    try {
      await writeSite("0.4.0-pr.42");
      await sitestack(project, env, ["preview", "sites/pr-42.yaml"]);
      const created = await sitestackUp("0.4.0-pr.42", tracing);
      if (created.trace) {
        const result = breakdown(created.trace);
        report.push(
          formatBreakdown("sitestack up sites/pr-42.yaml (new stack, API server)", result),
        );
        report.push(engineCount("up", 2, result.engine.length));
      }
    } catch (error) {
      failure = String(error);
    }
    await helmUpgrade("0.4.0-pr.42");
    for (let run = 0; run < runs; run += 1) {
      const tag = `0.4.0-pr.42-r${run + 1}`;
      const order =
        run % 2 === 0 ? ["sitestack", "helm", "helm --wait"] : ["helm --wait", "helm", "sitestack"];
      for (const tool of order) {
        if (tool === "helm") helmTimes.push((await helmUpgrade(tag)).wallMs);
        else if (tool === "helm --wait" && helmWaitFailure === undefined) {
          try {
            helmWaitTimes.push((await helmUpgrade(`${tag}-w`, true)).wallMs);
          } catch (error) {
            helmWaitFailure = String(error);
          }
        } else if (failure === undefined) {
          try {
            sitestackTimes.push((await sitestackUp(tag)).wallMs);
          } catch (error) {
            failure = String(error);
          }
        }
      }
    }
    report.push(`helm upgrade --install charts/box (new tag each run): ${samples(helmTimes)}`);
    report.push(
      helmWaitFailure === undefined
        ? `helm upgrade --install --wait (new tag each run): ${samples(helmWaitTimes)}`
        : `helm upgrade --install --wait: not measured: ${helmWaitFailure}`,
    );
    if (failure !== undefined || sitestackTimes.length === 0) {
      report.push(`sitestack up sites/pr-42.yaml: not measured: ${failure ?? "no run"}`);
      report.push(verdict("staging up <= 1.5x helm upgrade --install", false));
      return;
    }
    let engineUpMs: number | undefined;
    if (tracing) {
      const changed = await sitestackUp("0.4.0-pr.42-traced", true);
      const result = breakdown(changed.trace!);
      report.push(
        formatBreakdown("sitestack up sites/pr-42.yaml (existing stack, new tag)", result),
      );
      report.push(engineCount("up", 1, result.engine.length));
      const [engineUp] = result.engine;
      if (engineUp?.endMs !== undefined) engineUpMs = engineUp.endMs - engineUp.startMs;
    }
    const ratio = median(sitestackTimes) / median(helmTimes);
    report.push(`sitestack up sites/pr-42.yaml (new tag each run): ${samples(sitestackTimes)}`);
    report.push(`ratio staging up ${ratio.toFixed(2)}x helm upgrade --install`);
    report.push(verdict("staging up <= 1.5x helm upgrade --install", ratio <= 1.5));
    if (engineUpMs !== undefined) {
      // The floor under any tool on this engine: the one `pulumi up` process alone (program,
      // provider, diff, readiness awaits), without sitestack's process around it.
      report.push(
        `the engine's own pulumi up inside it: ${secondsOf(engineUpMs)} = ${(engineUpMs / median(helmTimes)).toFixed(2)}x helm upgrade --install; sitestack's whole process ${(median(sitestackTimes) / engineUpMs).toFixed(2)}x that engine process`,
      );
    }
    if (helmWaitTimes.length > 0) {
      const waitRatio = median(sitestackTimes) / median(helmWaitTimes);
      report.push(`ratio staging up ${waitRatio.toFixed(2)}x helm upgrade --install --wait`);
      report.push(verdict("staging up <= 1.5x helm upgrade --install --wait", waitRatio <= 1.5));
    }
    expect(helmTimes).toHaveLength(runs);
  }, 1_200_000);
});
