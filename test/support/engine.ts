import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace, type PulumiFn, type Stack } from "@pulumi/pulumi/automation/index.js";
import { resolveEngine, type ResolvedEngine } from "../../stacks/engine/resolve.js";

/** A real Pulumi engine with throw-away state: a `file://` backend and passphrase secrets. */
export interface TestEngine {
  readonly engine: ResolvedEngine;
  /** Root of everything this fixture writes (backend, PULUMI_HOME, workspaces). */
  readonly dir: string;
  /** `file://<dir>/state`, or the backend the fixture was given. */
  readonly backendUrl: string;
  /** PULUMI_HOME of this fixture: `<dir>/home`. */
  readonly pulumiHome: string;
  /** The passphrase that encrypts this fixture's secrets. */
  readonly passphrase: string;
  /** Environment every workspace of this fixture gets (engine env + backend + passphrase). */
  readonly envVars: Readonly<Record<string, string>>;
  /** Creates (or selects) a stack running `program` inline, in its own workspace directory. */
  inlineStack(projectName: string, stackName: string, program: PulumiFn): Promise<Stack>;
  /** Removes every file the fixture wrote. */
  dispose(): Promise<void>;
}

/** Where a test engine keeps its state. */
export interface TestEngineOptions {
  /**
   * A backend shared with other fixtures, e.g. the bucket of `startS3Server()`
   * (test/support/s3.ts).
   * @default - a fresh `file://<dir>/state` of this fixture only
   */
  readonly backend?: {
    readonly url: string;
    /** What the engine needs to reach it (credentials, region). */
    readonly env?: Readonly<Record<string, string>>;
  };
}

/**
 * Resolves the engine the way sitestack does (configured, PATH, cached build, installer, Go build)
 * and gives each test its own PULUMI_HOME and (unless `options.backend` is given) its own backend,
 * so runs never see each other's state.
 */
export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const dir = await mkdtemp(join(tmpdir(), "sitestack-engine-"));
  const pulumiHome = join(dir, "home");
  const backendUrl = options.backend?.url ?? `file://${join(dir, "state")}`;
  if (!options.backend) await mkdir(join(dir, "state"), { recursive: true });
  const passphrase = "sitestack-test-passphrase";
  const engine = await resolveEngine({
    pulumiHome,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  }).catch(async (error: unknown) => {
    // No engine, no fixture: leave no empty directory behind in /tmp.
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const envVars = {
    ...options.backend?.env,
    ...engine.env,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
  };
  return {
    engine,
    dir,
    backendUrl,
    pulumiHome,
    passphrase,
    envVars,
    async inlineStack(projectName, stackName, program) {
      const workDir = join(dir, "work", projectName, stackName);
      await mkdir(workDir, { recursive: true });
      return LocalWorkspace.createOrSelectStack(
        { projectName, stackName, program },
        {
          workDir,
          pulumiCommand: engine.command,
          envVars,
          secretsProvider: "passphrase",
          projectSettings: { name: projectName, runtime: "nodejs", backend: { url: backendUrl } },
        },
      );
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
