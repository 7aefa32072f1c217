import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeAcmeWithoutCloudflare } from "../support/site-files.js";
import { toolPath } from "../support/tools.js";

// The library as another Node service gets it: `npm pack`, the tarball installed into an empty
// project outside the repository, and a consumer that only knows `import … from "sitestack"`
// creating and operating a real stack with a real engine.
const repoRoot = resolve(import.meta.dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  engines: { node: string };
  exports: Record<string, string | Record<string, string>>;
  devDependencies: Record<string, string>;
};
// npm and the consumer run on the Node that runs this test (the project's Node 24), never on
// whatever older `node` comes first on the machine's PATH.
const nodeFirst = [dirname(process.execPath), process.env.PATH].join(delimiter);
const oidcSecret = "package-oidc-secret-3d1a";
const redisUrl = "redis://:package-redis-pass-91b4@redis.internal:6379/0";

let work: string;
let consumer: string;
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
let install: { status: number | null; output: string };

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { status: number | null; output: string; stdout: string } {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    output: `${result.stdout}${result.stderr}${result.error ? `\n${result.error.message}` : ""}`,
  };
}

// The consumer's whole program: what the README's "As a library" section shows, plus a status
// check after destroy. Run by Node's own type stripping, and type-checked against the package's
// declarations by the test below.
const consumerSource = `import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  loadSiteFile,
  siteStackManager,
  siteTarget,
  StackNotFound,
  type ManagerEvent,
  type OperationOutcome,
  type StackStatus,
} from "sitestack";

const loaded = await loadSiteFile("sites/acme.yaml");
if (!loaded.ok) throw new Error(loaded.problems.map((problem) => problem.message).join("\\n"));
const manager = siteStackManager({ projectDir: process.cwd() });
const target = siteTarget(loaded.spec, "sites/acme.yaml");
const events: ManagerEvent["type"][] = [];
const options = { onEvent: (event: ManagerEvent) => void events.push(event.type) };
const summary = (outcome: OperationOutcome) => ({ status: outcome.status, totals: outcome.summary.totals });

const preview = summary(await manager.preview(target, options));
const up = summary(await manager.up(target, options));
const status: StackStatus = (await manager.status(target.stack)).status;
const rendered = renderedKinds();
const destroy = summary(await manager.destroy(target, options));
let afterDestroy = "still there";
try {
  await manager.status(target.stack);
} catch (error) {
  afterDestroy = error instanceof StackNotFound ? "StackNotFound" : String(error);
}
console.log(JSON.stringify({ stack: target.stack, preview, up, status, rendered, destroy, afterDestroy, events }));

function renderedKinds(): string[] {
  return readdirSync(".sitestack/rendered/site-acme", { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => /^kind: (\\w+)$/m.exec(readFileSync(join(entry.parentPath, entry.name), "utf8"))?.[1] ?? entry.name)
    .sort();
}
`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "sitestack-package-"));
  const npmEnv = { ...process.env, PATH: nodeFirst };
  const build = run("npm", ["run", "build"], repoRoot, npmEnv);
  expect(build.status, build.output).toBe(0);
  const pack = run(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", work],
    repoRoot,
    npmEnv,
  );
  expect(pack.status, pack.output).toBe(0);
  [packed] = JSON.parse(pack.stdout) as [typeof packed];

  consumer = join(work, "consumer");
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`,
  );
  install = run(
    "npm",
    ["install", join(work, packed.filename), "--prefer-offline", "--no-audit", "--no-fund"],
    consumer,
    // The Pulumi packages' install scripts try `pulumi plugin install`: keep them off the user's home.
    { ...npmEnv, PULUMI_HOME: join(work, "pulumi-home") },
  );
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the packed library", { timeout: 600_000 }, () => {
  test("holds the library, its declarations, the CLI and the tool builders, nothing from tests", () => {
    const paths = packed.files.map((file) => file.path);
    for (const target of [
      ...Object.values(manifest.exports).flatMap((entry) =>
        typeof entry === "string" ? [entry] : Object.values(entry),
      ),
      "bin/sitestack.js",
      "dist/stacks/cli/main.js",
      "tools/go/pulumi-kubernetes/go.mod",
      "tools/go/pulumi-kubernetes/pulumi-resource-kubernetes/main.go",
      "tools/build-go-tool.sh",
      "tools/go/pulumi/go.mod",
      "charts/box/Chart.yaml",
    ]) {
      expect(paths, target).toContain(target.replace(/^\.\//, ""));
    }
    const stray = paths.filter(
      (path) =>
        /^(test|bench|sites|config|docs|dist\/test|dist\/bench)\//.test(path) ||
        /\.map$/.test(path) ||
        (/\.ts$/.test(path) && !/\.d\.ts$/.test(path)),
    );
    expect(stray).toEqual([]);
  });

  test("installs into an empty project outside the repository without engine warnings", () => {
    expect(consumer.startsWith(repoRoot)).toBe(false);
    expect(install.status, install.output).toBe(0);
    expect(install.output).not.toContain("EBADENGINE");
    expect(
      existsSync(join(consumer, "node_modules", "sitestack", "dist", "stacks", "index.d.ts")),
    ).toBe(true);
  });

  test("engines.node admits no Node a runtime dependency refuses, and excludes none without one", () => {
    const semver = createRequire(join(consumer, "package.json"))("semver") as {
      subset(sub: string, dom: string): boolean;
      satisfies(version: string, range: string): boolean;
      minVersion(range: string): { major: number; minor: number };
    };
    const ranges = installedPackages(join(consumer, "node_modules"))
      .filter((pkg) => pkg.name !== "sitestack" && typeof pkg.engines?.node === "string")
      .map((pkg) => ({ name: pkg.name, range: pkg.engines?.node as string }));
    expect(ranges.length).toBeGreaterThan(50);
    const ours = manifest.engines.node;
    expect(ranges.filter((pkg) => !semver.subset(ours, pkg.range))).toEqual([]);
    // The newest Node below our floor must be refused by some runtime dependency, or the floor is
    // higher than anything needs. Node 20 is out because @pulumi/pulumi says so.
    const floor = semver.minVersion(ours);
    const justBelow =
      floor.minor > 0 ? `${floor.major}.${floor.minor - 1}.99` : `${floor.major - 1}.99.99`;
    expect(ranges.filter((pkg) => !semver.satisfies(justBelow, pkg.range))).not.toEqual([]);
    const refusingNode20 = ranges.filter((pkg) => !semver.satisfies("20.99.99", pkg.range));
    expect(refusingNode20.map((pkg) => pkg.name)).toContain("@pulumi/pulumi");
  });

  test("the README's Node 20 first step brings the same Node as the devDependency", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain(
      `npm exec --yes --package=node@${manifest.devDependencies.node} -- npm ci`,
    );
  });

  test("a TypeScript consumer type-checks against the package's declarations", () => {
    writeFileSync(join(consumer, "consumer.ts"), consumerSource);
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [join(repoRoot, "node_modules", "@types")],
        },
        files: ["consumer.ts"],
      }),
    );
    const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const check = run(process.execPath, [tsc, "-p", "tsconfig.json"], consumer, {
      ...process.env,
      PATH: nodeFirst,
    });
    expect(check.status, check.output).toBe(0);
  });

  test("preview → up → status → destroy of a box site from the installed package", async () => {
    writeAcmeWithoutCloudflare(consumer);
    const pulumiHome = join(work, "pulumi-home");
    // This machine cannot download the real Kubernetes provider: the installed package builds it
    // from its Go module (cached per version) and places it in the consumer's plugin cache, as the
    // engine resolver does for an offline engine.
    const installed = join(consumer, "node_modules", "sitestack");
    const provider = (await import(
      pathToFileURL(join(installed, "dist", "stacks", "engine", "kubernetes-provider.js")).href
    )) as typeof import("../../stacks/engine/kubernetes-provider.js");
    const placed = await provider.installBuiltKubernetesProvider({ pulumiHome });
    expect(placed.startsWith(pulumiHome)).toBe(true);
    mkdirSync(join(work, "state"));
    // Nothing from this process's environment but PATH (with this Node first) and TMPDIR: the
    // engine by SITESTACK_PULUMI, state in a file:// backend, a home of its own.
    const env: NodeJS.ProcessEnv = {
      PATH: [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(delimiter),
      HOME: join(work, "home"),
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      SITESTACK_PULUMI: await toolPath("pulumi"),
      SITESTACK_CACHE_DIR: join(work, "cache"),
      PULUMI_HOME: pulumiHome,
      // Offline machine: a missing plugin must fail at once rather than try a download.
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_BACKEND_URL: pathToFileURL(join(work, "state")).href,
      PULUMI_CONFIG_PASSPHRASE: "package-test-passphrase",
      SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET: oidcSecret,
      SITESTACK_SECRET_THEMES_REDIS_URL: redisUrl,
    };
    mkdirSync(env.HOME as string);
    const started = performance.now();
    const consumed = run(process.execPath, ["consumer.ts"], consumer, env);
    expect(consumed.status, consumed.output).toBe(0);
    const report = JSON.parse(consumed.stdout.trim().split("\n").at(-1) ?? "") as {
      stack: string;
      preview: { status?: string; totals: Record<string, number> };
      up: { status?: string; totals: Record<string, number> };
      status: string;
      rendered: string[];
      destroy: { status?: string; totals: Record<string, number> };
      afterDestroy: string;
      events: string[];
    };
    process.stderr.write(
      `package consumer: preview → up → status → destroy in ${Math.round(performance.now() - started)} ms\n`,
    );
    expect(report.stack).toBe("site-acme");
    expect(report.preview.status).toBeUndefined();
    expect(report.preview.totals.create).toBeGreaterThan(3);
    expect(report.up.status).toBe("Running");
    expect(report.up.totals.create).toBe(report.preview.totals.create);
    expect(report.status).toBe("Running");
    expect(report.rendered).toContain("Deployment");
    expect(report.rendered.length).toBeGreaterThan(3);
    // destroy keeps what the box site retains (its Namespace, holding cert-manager's Secrets).
    expect(renderedKinds(join(consumer, ".sitestack", "rendered", "site-acme"))).toEqual([
      "Namespace",
    ]);
    expect(report.destroy.status).toBeUndefined();
    expect(report.afterDestroy).toBe("StackNotFound");
    expect(report.events).toContain("resource");
    expect(report.events.filter((type) => type === "end")).toHaveLength(3);
    expect(consumed.output).not.toContain(oidcSecret);
    expect(consumed.output).not.toContain(redisUrl);
  });
});

interface InstalledPackage {
  readonly name: string;
  readonly engines?: { readonly node?: unknown };
}

/** Every package.json under a node_modules tree (scoped and nested ones included). */
function installedPackages(nodeModules: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  if (!existsSync(nodeModules)) return found;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith(".")) continue;
    const dirs = entry.startsWith("@")
      ? readdirSync(join(nodeModules, entry)).map((name) => join(nodeModules, entry, name))
      : [join(nodeModules, entry)];
    for (const dir of dirs) {
      const file = join(dir, "package.json");
      if (existsSync(file)) found.push(JSON.parse(readFileSync(file, "utf8")) as InstalledPackage);
      found.push(...installedPackages(join(dir, "node_modules")));
    }
  }
  return found;
}

/** The `kind` of every file rendered under `dir`, sorted; none when the folder is gone. */
function renderedKinds(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map(
      (entry) =>
        /^kind: (\w+)$/m.exec(readFileSync(join(entry.parentPath, entry.name), "utf8"))?.[1] ??
        entry.name,
    )
    .sort();
}
