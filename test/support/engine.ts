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
  /** `file://<dir>/state` */
  readonly backendUrl: string;
  /** The passphrase that encrypts this fixture's secrets. */
  readonly passphrase: string;
  /** Environment every workspace of this fixture gets (engine env + backend + passphrase). */
  readonly envVars: Readonly<Record<string, string>>;
  /** Creates (or selects) a stack running `program` inline, in its own workspace directory. */
  inlineStack(projectName: string, stackName: string, program: PulumiFn): Promise<Stack>;
  /** Removes every file the fixture wrote. */
  dispose(): Promise<void>;
}

/**
 * Resolves the engine the way sitestack does (configured, PATH, cached build, installer, Go build)
 * and gives each test its own backend and PULUMI_HOME, so runs never see each other's state.
 */
export async function startTestEngine(): Promise<TestEngine> {
  const dir = await mkdtemp(join(tmpdir(), "sitestack-engine-"));
  const pulumiHome = join(dir, "home");
  const backendUrl = `file://${join(dir, "state")}`;
  await mkdir(join(dir, "state"), { recursive: true });
  const passphrase = "sitestack-test-passphrase";
  const engine = await resolveEngine({
    pulumiHome,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  const envVars = {
    ...engine.env,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
  };
  return {
    engine,
    dir,
    backendUrl,
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
