import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { ValidationFailed } from "../errors.js";
import { fileBackendDir } from "./backend/file-store.js";
import { envVars } from "../contract.js";
import { quietEngineEnv, type EngineHandle } from "./engine.js";
import { passphraseEnv } from "./passphrase.js";
import { stackConfigDirName, type StateSettings } from "./settings.js";
import { projectName } from "./status-view.js";

/** Where and how the engine runs. */
export interface StackWorkspace {
  readonly binary: string;
  /** The project folder: the engine runs there, as plain `pulumi` does. */
  readonly workDir: string;
  /** The engine process's whole environment. */
  readonly env: Readonly<Record<string, string>>;
}

/** The project file sitestack writes into a project folder that has none (library users). */
export function defaultProjectFile(): string {
  return `name: ${projectName}\nruntime: nodejs\nstackConfigDir: ${stackConfigDirName}\n`;
}

/**
 * Makes sure the project folder has the Pulumi.yaml every engine run (inline or plain `pulumi`)
 * reads: the project name and the shared stack config folder. The engine runs in the project
 * folder itself, so relative paths (rendered manifests) mean the same on every machine and in
 * both ways of running.
 * @throws ValidationFailed when an existing Pulumi.yaml names another project or config folder.
 */
export async function ensureProjectFile(
  projectDir: string,
  settings: StateSettings,
): Promise<void> {
  const configDir = settings.configDir;
  const file = join(projectDir, "Pulumi.yaml");
  const text = await readFile(file, "utf8").catch(() => undefined);
  await mkdir(configDir, { recursive: true });
  // The engine refuses a file:// backend whose folder is missing; the embedded default is ours.
  if (settings.embeddedDefaultBackend) {
    await mkdir(fileBackendDir(settings.backendUrl, projectDir), { recursive: true });
  }
  if (text === undefined) {
    await writeFile(file, defaultProjectFile(), { flag: "wx" }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      },
    );
    return;
  }
  const project = (parse(text) ?? {}) as { name?: unknown; stackConfigDir?: unknown };
  const problems: string[] = [];
  if (project.name !== projectName) problems.push(`name must be ${projectName}`);
  if (project.stackConfigDir !== relative(projectDir, configDir)) {
    problems.push(`stackConfigDir must be ${relative(projectDir, configDir)}`);
  }
  if (problems.length > 0) {
    throw new ValidationFailed([
      {
        file,
        line: 1,
        col: 1,
        path: "",
        message: `${problems.join("; ")} (sitestack and plain pulumi share this file)`,
      },
    ]);
  }
}

/**
 * The environment of engine processes: the caller's environment without sitestack's secret
 * variables (inline programs run in this process, so the engine never needs them), plus the backend
 * URL, the passphrase source, and settings that keep the engine quiet and offline.
 */
export async function engineEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  settings: StateSettings,
  engine: EngineHandle,
  onPassphraseCreated: (file: string) => void,
): Promise<Record<string, string>> {
  const inherited = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !entry[0].startsWith(envVars.secretPrefix),
    ),
  );
  return {
    ...inherited,
    ...quietEngineEnv,
    ...engine.env,
    PULUMI_BACKEND_URL: settings.backendUrl,
    // Enables the engine's `--event-log`, as the Automation API does.
    PULUMI_DEBUG_COMMANDS: "true",
    // A machine whose checkout lacks a stack's config file still opens the stack's secrets with
    // the provider recorded in the state.
    PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
    ...(await passphraseEnv(env, settings, onPassphraseCreated)),
  };
}
