import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { EngineEvent, PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { buildProgramContext, type SecretSource } from "../platform/program-context.js";
import { defaultPlatformSettings, type PlatformSettings } from "../platform/settings.js";
import { secretConfigKey, secretEnvVarName } from "../contract.js";
import { secretNamePattern } from "../site-model/index.js";
import { OperationFailed, SitestackError, StackLocked, ValidationFailed } from "../errors.js";
import { describeBackend } from "./backend/describe.js";
import { EngineFacts } from "./backend/engine-facts.js";
import type { StackFactsSource } from "./backend/facts-source.js";
import { openStoreFacts } from "./open-status.js";
import { ChangeCollector, type ChangeSummary } from "./changes.js";
import { outputLines, translateEngineEvent, type ManagerEvent } from "./events.js";
import type { StackFacts } from "./derive-status.js";
import type { EngineFactory, EngineHandle } from "./engine.js";
import { runEngine, type EngineRun, type EngineRunResult } from "./engine-run.js";
import { stackError } from "./errors.js";
import { classifyEngineError } from "./failure.js";
import type { Holder } from "../contract.js";
import { currentHolder, isHolderGone } from "./holder.js";
import { KeyedQueue } from "./queue.js";
import { LockHeld, takeLockTurn } from "./lock-turn.js";
import { metadataOf, type RunRequest, type StackMetadata } from "./metadata.js";
import { operationFinished, operationStarted, type OperationRecord } from "./operation-record.js";
import { describeRecovery, withoutRetention } from "./recovery.js";
import { Scrubber } from "./scrub.js";
import { resolveStateSettings, type StateSettings, type StateSettingsInput } from "./settings.js";
import {
  explainSecretsFailure,
  secretsFailureKind,
  type SecretsFailureKind,
} from "./secrets-failure.js";
import { readStackConfigSecrets, stackConfigFile, storedSecretNames } from "./stack-config.js";
import { sitestackProgram } from "./stack-program.js";
import type { LifecycleVerb, MutatingVerb, StackStatus } from "./status.js";
import { projectName, StatusView, type StackStatusReport } from "./status-view.js";
import type { TtlRule } from "./ttl.js";
import { secretNamesIn, type ProgramFactory, type StackTarget } from "./target.js";
import { engineEnvironment, ensureProjectFile, type StackWorkspace } from "./workspace.js";

export { projectName, type ManagerEvent, type StackStatusReport };

/** Options of a {@link StackManager}. */
export interface StackManagerOptions<Spec> {
  /** The project folder: stack config in `<projectDir>/config/`, caches in `.sitestack/`. */
  readonly projectDir: string;
  /** The engine, or how to get it when the first operation needs it (status/list never do). */
  readonly engine: EngineHandle | EngineFactory;
  /** Builds each stack's inline program. */
  readonly program: ProgramFactory<Spec>;
  /**
   * Starts loading what the programs need (their modules), called once the engine process of an
   * operation that runs a program has started: the load then overlaps the engine's start-up
   * instead of delaying it on the one thread that also reads the backend before the engine starts.
   */
  readonly preloadProgram?: () => unknown;
  /**
   * Turns a stack's last applied spec (read back from the backend) into a `Spec` again, validating
   * it: `archive` and `restore` apply it.
   * @default - the raw value, unvalidated (test programs)
   */
  readonly reviveSpec?: (raw: unknown, stack: string) => Spec;
  readonly state?: StateSettingsInput;
  /** @default defaultPlatformSettings */
  readonly platform?: PlatformSettings;
  /**
   * Where `SITESTACK_SECRET_<NAME>` values, the passphrase and backend credentials are read from.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * How status and listings read the backend: its objects directly (`file://` and S3; other
   * backends fall back to the engine), or always through the engine's commands.
   * @default "objects"
   */
  readonly readBackend?: "objects" | "engine";
  /**
   * Which stacks expire and when, for status, listings and `cleanup --expired`.
   * @default neverExpires
   */
  readonly ttl?: TtlRule;
  /**
   * The engine's resource parallelism per operation (`--parallel`); bounded because the engine's
   * memory grows with in-flight steps.
   * @default 8
   */
  readonly parallel?: number;
}

/** Options of one operation. */
export interface OperationOptions {
  /** Wait for another holder of the stack's lock instead of failing with `StackLocked`. */
  readonly wait?: boolean;
  /** @default 1_800_000 (30 minutes) */
  readonly waitTimeoutMs?: number;
  /** Capture the engine's full property diff (preview/up). */
  readonly diff?: boolean;
  readonly onEvent?: (event: ManagerEvent) => void;
  readonly signal?: AbortSignal;
}

/** What an operation did. */
export interface OperationOutcome {
  readonly stack: string;
  readonly verb: LifecycleVerb;
  /** The stack's status afterwards; undefined once `destroy`/`cleanup` removed the stack. */
  readonly status?: StackStatus;
  readonly summary: ChangeSummary;
  /** The site's outputs afterwards (secret ones as `"[secret]"`). */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly durationMs: number;
  /** What recovery did before the operation, if anything was pending. */
  readonly recovery?: string;
  /** The engine's rendered diff, when requested with `diff`. Secrets appear as `[secret]`. */
  readonly diffText?: string;
}

/** One entry of a stack's history. */
export interface HistoryEntry {
  /** 1 for the stack's first update, counting up. */
  readonly version: number;
  readonly kind: string;
  readonly result: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly message: string;
  readonly resourceChanges: Readonly<Record<string, number>>;
}

const requestOf: Readonly<Record<"up" | "preview" | "archive" | "restore", RunRequest>> = {
  up: "apply",
  preview: "apply",
  archive: "archive",
  restore: "restore",
};

/**
 * The stack manager: one Pulumi stack per site file and every lifecycle verb. All it knows about a
 * stack lives in the stack's backend — the engine's checkpoint (with the `sitestack` metadata
 * output: kind, file, labels, lifecycle, last applied spec), history and lock, plus one small
 * operation record of its own — and the shared stack config folder, so any machine that shares the
 * backend sees and continues the same stacks. The CLI, pipelines and the commander all go through
 * this class; it never prints, it emits {@link ManagerEvent}s.
 */
export class StackManager<Spec> {
  readonly settings: StateSettings;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly platform: PlatformSettings;
  private readonly scrubber: Scrubber;
  private resolvedEngine: Promise<EngineHandle> | undefined;
  private openedFacts: Promise<StackFactsSource> | undefined;
  private projectReady: Promise<void> | undefined;
  private readonly queue = new KeyedQueue();

  constructor(private readonly options: StackManagerOptions<Spec>) {
    this.env = options.env ?? process.env;
    this.settings = resolveStateSettings(options.projectDir, options.state, this.env);
    this.platform = options.platform ?? defaultPlatformSettings;
    this.scrubber = Scrubber.fromEnv(this.env);
  }

  /** Shows what `up` would change, without changing anything. Not locked by the engine. */
  preview(target: StackTarget<Spec>, options: OperationOptions = {}): Promise<OperationOutcome> {
    return this.queue.run(target.stack, () => this.runPreview(target, options));
  }

  /** Creates or updates the stack from the target's spec. An archived stack stays archived. */
  up(target: StackTarget<Spec>, options: OperationOptions = {}): Promise<OperationOutcome> {
    return this.mutate(target, "up", options);
  }

  /** Reads the real resources back into the state. */
  refresh(target: StackTarget<Spec>, options: OperationOptions = {}): Promise<OperationOutcome> {
    return this.mutate(target, "refresh", options);
  }

  /**
   * Archives: the program runs with `lifecycle: "archived"` and the last applied spec, so compute
   * goes away and data (volumes, certificates, DNS) stays.
   */
  archive(target: StackTarget<Spec>, options: OperationOptions = {}): Promise<OperationOutcome> {
    return this.mutate(target, "archive", options);
  }

  /** Restores an archived stack with exactly its last applied spec. */
  restore(target: StackTarget<Spec>, options: OperationOptions = {}): Promise<OperationOutcome> {
    return this.mutate(target, "restore", options);
  }

  /**
   * Deletes the stack's resources and removes the stack. Resources a program marks
   * `retainOnDelete` (data: volumes, certificates) are left in place.
   */
  destroy(target: StackTarget<Spec>, options: OperationOptions = {}): Promise<OperationOutcome> {
    return this.mutate(target, "destroy", options);
  }

  /** Deletes everything, retained data included, and removes the stack. */
  cleanup(target: StackTarget<Spec>, options: OperationOptions = {}): Promise<OperationOutcome> {
    return this.mutate(target, "cleanup", options);
  }

  /** Runs one verb by name (what the CLI and fleet operations use). */
  run(
    verb: LifecycleVerb,
    target: StackTarget<Spec>,
    options: OperationOptions = {},
  ): Promise<OperationOutcome> {
    return verb === "preview" ? this.preview(target, options) : this.mutate(target, verb, options);
  }

  /**
   * The status of one stack from the backend's records. Starts no engine.
   * @throws StackNotFound when the backend has no deployed stack of that name.
   */
  async status(stack: string): Promise<StackStatusReport> {
    return (await this.view()).status(stack);
  }

  /** Every deployed stack's status in the backend, sorted by name. Starts no engine. */
  async list(): Promise<StackStatusReport[]> {
    return (await this.view()).list();
  }

  /**
   * The stack's metadata (kind, file, labels, lifecycle, last applied spec) from the backend.
   * @throws StackNotFound when the stack was never deployed.
   */
  async metadata(stack: string): Promise<StackMetadata> {
    const facts = await (await this.facts()).one(stack);
    const metadata = metadataOfFacts(facts);
    if (metadata === undefined) throw stackError({ kind: "not-found" }, stack);
    return metadata;
  }

  /** The stack's current outputs from its checkpoint; secret outputs are `"[secret]"`. */
  async outputs(stack: string): Promise<Record<string, unknown>> {
    return { ...(await this.status(stack)).outputs };
  }

  /** The stack's update history from the backend, newest first. */
  async history(stack: string, limit = 20): Promise<HistoryEntry[]> {
    await this.status(stack);
    const entries = await (await this.facts()).history(stack, limit);
    return entries.map((entry) => ({
      version: entry.version,
      kind: entry.kind,
      result: entry.result,
      startTime: entry.startTime.toISOString(),
      endTime: entry.endTime.toISOString(),
      message: entry.message,
      resourceChanges: entry.resourceChanges,
    }));
  }

  /**
   * Stores a secret value in the stack's shared config (`sitestack:secrets.<NAME>`, encrypted by
   * the stack's secrets provider), creating the stack if needed, so `up` works without
   * `SITESTACK_SECRET_<NAME>` on any machine with the committed config. The value reaches the
   * engine on its standard input: never in a process's arguments or environment, never in a
   * message.
   * @throws ValidationFailed when the name is not an upper-case secret name.
   */
  async setSecret(stack: string, name: string, value: string): Promise<void> {
    if (!secretNamePattern.test(name) || value === "") {
      throw new ValidationFailed([
        {
          file: stack,
          line: 1,
          col: 1,
          path: "",
          message:
            value === ""
              ? `secret ${name} needs a non-empty value`
              : `secret name must be upper-case letters, digits and _ (like ACME_OIDC_CLIENT_SECRET); the given name is not shown`,
        },
      ]);
    }
    this.scrubber.add(value);
    await this.queue.run(stack, async () => {
      const facts = await (await this.facts()).one(stack);
      const workspace = await this.workspace(stack, undefined);
      try {
        if (facts.checkpoint === undefined) await this.initStack(workspace, stack);
        await this.engine(workspace, stack, {
          args: ["config", "set", secretConfigKey(name), "--secret"],
          stdin: value,
        });
      } catch (error) {
        throw await this.failureOf(error, stack, "secret set");
      }
    });
  }

  /**
   * Clears the engine's lock on a stack, only when every holder is provably gone (this host, pid
   * not alive). Returns the holders whose locks were removed.
   * @throws StackLocked naming a holder that may still be running.
   */
  async unlock(stack: string): Promise<Holder[]> {
    return this.queue.run(stack, async () => {
      const facts = await this.facts();
      const removed: Holder[] = [];
      try {
        await takeLockTurn(facts, stack, {
          wait: false,
          deadline: 0,
          onWaiting: () => {},
          onRecovery: () => {},
          isGone: (holder) => {
            const gone = isHolderGone(holder);
            if (gone) removed.push(holder);
            return gone;
          },
        });
      } catch (error) {
        if (error instanceof LockHeld) {
          throw stackError({ kind: "locked", holders: error.holders }, stack);
        }
        throw error;
      }
      const current = await facts.one(stack);
      if (current.operation?.result === "in-progress") {
        await facts.writeOperation(
          stack,
          operationFinished(current.operation, "failed", {
            message: `${current.operation.verb} was interrupted; its lock was removed by unlock`,
          }),
        );
      }
      return removed;
    });
  }

  private async runPreview(
    target: StackTarget<Spec>,
    options: OperationOptions,
  ): Promise<OperationOutcome> {
    const started = Date.now();
    const emit = options.onEvent ?? (() => {});
    emit({ type: "start", stack: target.stack, verb: "preview" });
    try {
      const facts = await (await this.facts()).one(target.stack);
      const exists = facts.checkpoint !== undefined;
      await this.checkSecrets(target.stack, target.spec, "env-or-config");
      const collector = new ChangeCollector();
      const workspace = await this.workspace(target.stack, emit);
      // A preview of a new site needs a stack to preview in; it is removed again, so previews (a
      // pull request's, say) leave nothing in the shared backend.
      if (!exists) await this.initStack(workspace, target.stack);
      let result: EngineRunResult;
      try {
        result = await this.engine(workspace, target.stack, {
          args: [
            "preview",
            "--parallel",
            String(this.parallel),
            ...(options.diff === true ? ["--diff"] : []),
          ],
          program: this.programFor(target, "preview", "env-or-config", metadataOfFacts(facts)),
          onEvent: (event) => translateEngineEvent(target.stack, event, collector, emit),
          onOutput: outputLines(this.scrubber, target.stack, emit),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
      } finally {
        if (!exists) {
          await this.engine(workspace, target.stack, {
            args: ["stack", "rm", "--yes", "--force"],
          }).catch(() => undefined);
        }
      }
      const report = exists ? (await this.view()).reportOf(facts) : undefined;
      const outcome: OperationOutcome = {
        stack: target.stack,
        verb: "preview",
        ...(report === undefined ? {} : { status: report.status }),
        summary: collector.summary(),
        outputs: report?.outputs ?? {},
        durationMs: Date.now() - started,
        ...(options.diff === true ? { diffText: this.scrubber.scrub(result.stdout) } : {}),
      };
      emit({
        type: "end",
        stack: target.stack,
        verb: "preview",
        ok: true,
        ...(report === undefined ? {} : { status: report.status }),
        durationMs: outcome.durationMs,
        summary: outcome.summary,
      });
      return outcome;
    } catch (error) {
      const failure = await this.failureOf(error, target.stack, "preview");
      emit({
        type: "end",
        stack: target.stack,
        verb: "preview",
        ok: false,
        durationMs: Date.now() - started,
        error: failure.message,
      });
      throw failure;
    }
  }

  private mutate(
    target: StackTarget<Spec>,
    verb: MutatingVerb,
    options: OperationOptions,
  ): Promise<OperationOutcome> {
    return this.queue.run(target.stack, () => this.runMutation(target, verb, options));
  }

  private async runMutation(
    target: StackTarget<Spec>,
    verb: MutatingVerb,
    options: OperationOptions,
  ): Promise<OperationOutcome> {
    const started = Date.now();
    const emit = options.onEvent ?? (() => {});
    emit({ type: "start", stack: target.stack, verb });
    const facts = await this.facts();
    const holder = currentHolder();
    const record = operationStarted(verb, holder);
    let engineStarted = false;
    const notes: string[] = [];
    try {
      const before = await facts.one(target.stack);
      const exists = before.checkpoint !== undefined;
      if (!exists && verb !== "up") throw stackError({ kind: "not-found" }, target.stack, verb);
      const previous = metadataOfFacts(before);
      if ((verb === "archive" || verb === "restore") && previous === undefined) {
        throw stackError({ kind: "not-found" }, target.stack, verb);
      }
      const secretSource: SecretSource = "env-or-config";
      if (verb === "up") await this.checkSecrets(target.stack, target.spec, secretSource);
      if ((verb === "archive" || verb === "restore") && previous !== undefined) {
        await this.checkSecrets(target.stack, previous.spec, secretSource);
      }
      notes.push(
        ...(await this.lockTurn(target.stack, options, emit).catch((error: unknown) => {
          if (error instanceof LockHeld) {
            throw stackError({ kind: "locked", holders: error.holders }, target.stack, verb);
          }
          throw error;
        })),
      );
      await facts.writeOperation(target.stack, record);
      engineStarted = true;
      const workspace = await this.workspace(target.stack, emit);
      if (!exists) await this.initStack(workspace, target.stack);
      const recovery = await this.recoverPending(workspace, before, emit);
      if (recovery !== undefined) notes.push(recovery);
      const collector = new ChangeCollector();
      // The lifecycle and last applied spec as the backend holds them now that the turn is ours.
      const current = await facts.one(target.stack);
      const diffText = await this.runVerb(
        workspace,
        verb,
        target,
        metadataOfFacts(current),
        options,
        collector,
        emit,
      );
      const removed = verb === "destroy" || verb === "cleanup";
      const recoveryNote = notes.length > 0 ? notes.join("; ") : undefined;
      if (removed) await facts.removeOperation(target.stack);
      else {
        await facts.writeOperation(
          target.stack,
          operationFinished(
            record,
            "succeeded",
            recoveryNote === undefined ? {} : { recovery: recoveryNote },
          ),
        );
      }
      const report = removed
        ? undefined
        : (await this.view()).reportOf(await facts.one(target.stack));
      const durationMs = Date.now() - started;
      const summary = collector.summary();
      emit({
        type: "end",
        stack: target.stack,
        verb,
        ok: true,
        ...(report === undefined ? {} : { status: report.status }),
        durationMs,
        summary,
      });
      return {
        stack: target.stack,
        verb,
        ...(report === undefined ? {} : { status: report.status }),
        summary,
        outputs: report?.outputs ?? {},
        durationMs,
        ...(recoveryNote === undefined ? {} : { recovery: recoveryNote }),
        ...(diffText === undefined ? {} : { diffText }),
      };
    } catch (error) {
      const failure = await this.failureOf(error, target.stack, verb);
      const locked = failure instanceof StackLocked;
      // A refusal before the engine ran changes nothing; a lock conflict means someone else runs
      // (their operation owns the record). Either way the stack's status stays what it was.
      if (!locked) {
        await facts
          .writeOperation(
            target.stack,
            operationFinished(record, engineStarted ? "failed" : "refused", {
              message: failure.message,
              ...(notes.length > 0 ? { recovery: notes.join("; ") } : {}),
            }),
          )
          .catch(() => undefined);
      }
      // The status after a failure, a lock conflict included (then the holder's operation is in
      // flight): listings say what the stack is, not "-".
      const after = await this.view()
        .then(async (view) => view.reportOf(await facts.one(target.stack)))
        .catch(() => undefined);
      emit({
        type: "end",
        stack: target.stack,
        verb,
        ok: false,
        ...(after === undefined ? {} : { status: after.status }),
        durationMs: Date.now() - started,
        error: failure.message,
      });
      throw failure;
    }
  }

  /** Runs the engine for one verb; returns the rendered diff when asked for. */
  private async runVerb(
    workspace: StackWorkspace,
    verb: MutatingVerb,
    target: StackTarget<Spec>,
    previous: StackMetadata | undefined,
    options: OperationOptions,
    collector: ChangeCollector,
    emit: (event: ManagerEvent) => void,
  ): Promise<string | undefined> {
    const stack = target.stack;
    const common = {
      onEvent: (event: EngineEvent) => translateEngineEvent(stack, event, collector, emit),
      onOutput: outputLines(this.scrubber, stack, emit),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    const run = (args: string[], program?: PulumiFn) =>
      this.withLockRetry(stack, options, emit, () =>
        this.engine(workspace, stack, {
          ...common,
          args: [...args, "--message", `sitestack ${verb}`],
          ...(program === undefined ? {} : { program }),
        }),
      );
    switch (verb) {
      case "up":
      case "archive":
      case "restore": {
        const diff = options.diff === true;
        const result = await run(
          [
            "up",
            "--yes",
            "--skip-preview",
            "--parallel",
            String(this.parallel),
            ...(diff ? ["--diff"] : []),
          ],
          this.programFor(target, verb, "env-or-config", previous),
        );
        return diff ? this.scrubber.scrub(result.stdout) : undefined;
      }
      case "refresh":
        await this.withLockRetry(stack, options, emit, () =>
          this.engine(this.forRefresh(workspace), stack, {
            ...common,
            args: ["refresh", "--yes", "--skip-preview", "--message", `sitestack ${verb}`],
          }),
        );
        return undefined;
      case "destroy":
        await run(["destroy", "--yes", "--skip-preview", "--remove"]);
        return undefined;
      case "cleanup": {
        const exported = await this.engine(workspace, stack, { args: ["stack", "export"] });
        const { deployment, released } = withoutRetention(JSON.parse(exported.stdout));
        if (released > 0) {
          const dir = await mkdtemp(join(tmpdir(), "sitestack-import-"));
          try {
            const file = join(dir, "deployment.json");
            // Ciphertext only: the export holds secrets encrypted, as the state does.
            await writeFile(file, JSON.stringify(deployment), { mode: 0o600 });
            await this.engine(workspace, stack, { args: ["stack", "import", "--file", file] });
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
          emit({
            type: "output",
            stack,
            line: `released ${released} retained resource(s) so cleanup deletes them`,
          });
        }
        await run(["destroy", "--yes", "--skip-preview", "--remove"]);
        return undefined;
      }
      default: {
        const unknownVerb: never = verb;
        throw new Error(`unknown verb ${String(unknownVerb)}`);
      }
    }
  }

  /**
   * Settles operations an interrupted run left pending with a refresh that clears pending creates;
   * says what it did.
   */
  private async recoverPending(
    workspace: StackWorkspace,
    facts: StackFacts,
    emit: (event: ManagerEvent) => void,
  ): Promise<string | undefined> {
    const pending = facts.checkpoint?.pendingOperations ?? [];
    if (pending.length === 0) return undefined;
    await this.engine(this.forRefresh(workspace), facts.stack, {
      args: ["refresh", "--yes", "--skip-preview", "--clear-pending-creates"],
      onOutput: outputLines(this.scrubber, facts.stack, emit),
    });
    const message = describeRecovery(pending);
    emit({ type: "recovery", stack: facts.stack, message });
    return message;
  }

  private lockTurn(
    stack: string,
    options: OperationOptions,
    emit: (event: ManagerEvent) => void,
  ): Promise<string[]> {
    return this.facts().then((facts) =>
      takeLockTurn(facts, stack, {
        wait: options.wait === true,
        deadline: Date.now() + (options.waitTimeoutMs ?? 1_800_000),
        onWaiting: (holders) => emit({ type: "waiting", stack, holders }),
        onRecovery: (message) => emit({ type: "recovery", stack, message }),
      }),
    );
  }

  /** Runs an engine call, retrying lock conflicts (the DIY lock is not compare-and-swap) under `wait`. */
  private async withLockRetry<T>(
    stack: string,
    options: OperationOptions,
    emit: (event: ManagerEvent) => void,
    call: () => Promise<T>,
  ): Promise<T> {
    const deadline = Date.now() + (options.waitTimeoutMs ?? 1_800_000);
    for (;;) {
      try {
        return await call();
      } catch (error) {
        const failure = classifyEngineError(error);
        if (failure.kind !== "locked" || options.wait !== true || Date.now() > deadline)
          throw error;
        emit({ type: "waiting", stack, holders: failure.holders });
        await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1_000));
        await this.lockTurn(stack, options, emit);
      }
    }
  }

  /**
   * Refuses before the engine starts when a secret the spec names has no value: neither
   * `SITESTACK_SECRET_<NAME>` here nor the stack's shared config (read without the engine).
   */
  private async checkSecrets(stack: string, spec: unknown, source: SecretSource): Promise<void> {
    const names = secretNamesIn(spec);
    if (names.length === 0) return;
    const stored = await storedSecretNames(this.settings.configDir, stack);
    const absent = names.filter(
      (name) =>
        !stored.has(name) &&
        (source !== "env-or-config" || this.env[secretEnvVarName(name)] === undefined),
    );
    if (absent.length === 0) return;
    throw new ValidationFailed(
      absent.map((name) => ({
        file: stack,
        line: 1,
        col: 1,
        path: "",
        message: `secret ${name} is not set: export ${secretEnvVarName(name)}, or store it once with \`sitestack secret set ${stack} ${name}\` (reads the value from stdin; stored encrypted in ${relative(this.options.projectDir, stackConfigFile(this.settings.configDir, stack))})`,
      })),
    );
  }

  private programFor(
    target: StackTarget<Spec>,
    verb: "up" | "preview" | "archive" | "restore",
    secrets: SecretSource,
    previous: StackMetadata | undefined,
  ): PulumiFn {
    const revive = this.options.reviveSpec;
    return sitestackProgram<Spec>({
      request: requestOf[verb],
      subject: {
        kind: target.kind,
        labels: target.labels,
        ...(target.file === undefined ? {} : { file: target.file }),
        spec: target.spec,
      },
      revive: (raw) => (revive === undefined ? (raw as Spec) : revive(raw, target.stack)),
      factory: this.options.program,
      previous: async () => previous,
      context: (lifecycle) =>
        buildProgramContext({
          stackName: target.stack,
          platform: this.platform,
          lifecycle,
          secrets,
          env: this.env,
        }),
    });
  }

  private async failureOf(error: unknown, stack: string, verb: string): Promise<SitestackError> {
    let failure: SitestackError;
    if (error instanceof SitestackError) failure = error;
    else {
      const classified = classifyEngineError(error);
      const detail = classified.kind === "failed" ? classified.detail : "";
      const secrets = secretsFailureKind(detail);
      failure =
        secrets === undefined
          ? stackError(classified, stack, verb)
          : new OperationFailed(
              stack,
              verb,
              `${await this.explainSecretsFailure(secrets, stack)}\n  - the engine said: ${detail.replace(/^error: /, "")}`,
            );
    }
    failure.message = this.scrubber.scrub(failure.message);
    return failure;
  }

  /**
   * Why the engine could not open a stack's secrets and what to do, from the stack's config file
   * and the backend's record of the stack (read without the engine).
   */
  private async explainSecretsFailure(kind: SecretsFailureKind, stack: string): Promise<string> {
    const [config, facts] = await Promise.all([
      readStackConfigSecrets(this.settings.configDir, stack),
      this.facts()
        .then((source) => source.one(stack))
        .catch(() => undefined),
    ]);
    const env = { ...process.env, ...this.env };
    const passphraseSource =
      env.PULUMI_CONFIG_PASSPHRASE !== undefined
        ? "PULUMI_CONFIG_PASSPHRASE"
        : env.PULUMI_CONFIG_PASSPHRASE_FILE !== undefined
          ? `PULUMI_CONFIG_PASSPHRASE_FILE=${env.PULUMI_CONFIG_PASSPHRASE_FILE}`
          : this.settings.embeddedDefaultBackend && this.settings.secretsProvider === "passphrase"
            ? "sitestack's .sitestack/passphrase for this checkout's local state"
            : undefined;
    const stateSalt = facts?.checkpoint?.passphraseSalt;
    return explainSecretsFailure({
      kind,
      stack,
      configFile: relative(
        this.options.projectDir,
        stackConfigFile(this.settings.configDir, stack),
      ),
      ...(config.encryptionSalt === undefined ? {} : { configSalt: config.encryptionSalt }),
      storedSecrets: config.secretNames,
      stackExists: facts?.checkpoint !== undefined,
      ...(stateSalt === undefined ? {} : { stateSalt }),
      backend: describeBackend(this.settings, env),
      ...(passphraseSource === undefined ? {} : { passphraseSource }),
    });
  }

  private get parallel(): number {
    return this.options.parallel ?? 8;
  }

  /** Creates a stack in the backend with the configured secrets provider. */
  private async initStack(workspace: StackWorkspace, stack: string): Promise<void> {
    await this.engine(workspace, stack, {
      args: ["stack", "init", "--secrets-provider", this.settings.secretsProvider, "--no-select"],
    }).catch((error: unknown) => {
      // Another machine created it meanwhile: fine, it exists now.
      if (!/already exists/.test(error instanceof Error ? error.message : String(error)))
        throw error;
    });
  }

  private async engine(
    workspace: StackWorkspace,
    stack: string,
    run: Omit<EngineRun, "binary" | "workDir" | "env" | "stack">,
  ): Promise<EngineRunResult> {
    const preload = this.options.preloadProgram;
    return runEngine({
      ...run,
      ...(run.program === undefined || preload === undefined
        ? {}
        : { onStarted: () => void preload() }),
      binary: workspace.binary,
      workDir: workspace.workDir,
      env: workspace.env,
      stack,
    });
  }

  /**
   * The workspace for a refresh. A Kubernetes provider that renders YAML has no cluster to read, and
   * without PULUMI_K8S_SKIP_UPDATE_UNREACHABLE its Read fails ("failed to read resource state due
   * to unreachable cluster"); with it, Read returns the recorded state. Only for refresh: the same
   * switch makes the provider's Check return the old inputs, which breaks every create.
   */
  private forRefresh(workspace: StackWorkspace): StackWorkspace {
    if (this.platform.kubernetes.mode !== "render") return workspace;
    return { ...workspace, env: { ...workspace.env, PULUMI_K8S_SKIP_UPDATE_UNREACHABLE: "true" } };
  }

  private async workspace(
    stack: string,
    emit: ((event: ManagerEvent) => void) | undefined,
  ): Promise<StackWorkspace> {
    const engine = await this.resolveEngine((message) =>
      emit?.({ type: "notice", stack, message }),
    );
    const [, env] = await Promise.all([
      (this.projectReady ??= ensureProjectFile(this.options.projectDir, this.settings)),
      engineEnvironment({ ...process.env, ...this.env }, this.settings, engine, (file) =>
        emit?.({
          type: "notice",
          stack,
          message: `created a passphrase for the local state in ${file}; keep it with .sitestack/state (without it the stacks' secrets cannot be read)`,
        }),
      ),
    ]);
    return { binary: engine.command.command, workDir: this.options.projectDir, env };
  }

  private facts(): Promise<StackFactsSource> {
    this.openedFacts ??= (async () => {
      const direct =
        this.options.readBackend === "engine"
          ? undefined
          : await openStoreFacts(this.settings, this.options.projectDir, this.env);
      return direct ?? new EngineFacts((args, stack) => this.engineStdout(args, stack));
    })();
    return this.openedFacts;
  }

  /** One engine command outside an operation (facts of backends sitestack cannot read). */
  private async engineStdout(args: readonly string[], stack?: string): Promise<string> {
    const workspace = await this.workspace(stack ?? "", undefined);
    return (
      await runEngine({
        binary: workspace.binary,
        workDir: workspace.workDir,
        env: workspace.env,
        args,
        stack,
      })
    ).stdout;
  }

  /** The status view over this manager's backend (the engine's, where objects cannot be read). */
  async statusView(): Promise<StatusView> {
    return this.view();
  }

  private async view(): Promise<StatusView> {
    return new StatusView(await this.facts(), undefined, undefined, this.options.ttl);
  }

  /** The engine; the first caller's `onProgress` hears a one-time build (other callers wait). */
  private async resolveEngine(onProgress?: (line: string) => void): Promise<EngineHandle> {
    const engine = this.options.engine;
    this.resolvedEngine ??=
      typeof engine === "function" ? engine(onProgress) : Promise.resolve(engine);
    return this.resolvedEngine;
  }
}

/** The metadata a stack's checkpoint holds, if the stack exists and has any. */
function metadataOfFacts(facts: StackFacts): StackMetadata | undefined {
  return facts.checkpoint === undefined ? undefined : metadataOf(facts.checkpoint.outputs);
}

export type { OperationRecord };
