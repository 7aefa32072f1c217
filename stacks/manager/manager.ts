import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  LocalWorkspace,
  type ConfigMap,
  type EngineEvent,
  type PulumiFn,
  type Stack,
} from "@pulumi/pulumi/automation/index.js";
import { defaultPlatformSettings, type PlatformSettings } from "../program/context.js";
import { secretConfigKey, secretEnvVarName, secretNamePattern } from "../spec/secret-ref.js";
import { ChangeCollector, type ChangeSummary } from "./changes.js";
import { quietEngineEnv, type EngineHandle } from "./engine.js";
import { classifyEngineError, type EngineFailure } from "./failure.js";
import { currentHolder, isHolderGone, type Holder } from "./holder.js";
import { removeEngineLock, type EngineLock } from "./lock.js";
import { KeyedQueue } from "./queue.js";
import { describeRecovery, pendingOperationsOf, withoutRetention } from "./recovery.js";
import type { StackRegistry, StackRecord } from "./registry.js";
import { projectName, StatusView, type StackStatusReport } from "./status-view.js";

export { projectName, type StackStatusReport };
import { buildProgramContext, type SecretSource } from "../program/build-context.js";
import { passphraseEnv } from "./passphrase.js";
import { resolveStateSettings, type StateSettings, type StateSettingsInput } from "./settings.js";
import {
  pendingStatusFor,
  restingStatusAfter,
  type Lifecycle,
  type LifecycleVerb,
  type MutatingVerb,
  type StackStatus,
} from "./status.js";
import { secretNamesIn, type ProgramFactory, type StackTarget } from "./target.js";
import { stackError } from "./errors.js";
import { SitestackError, StackLocked, ValidationFailed } from "../errors.js";

/** The stack config key that tells a program (and plain `pulumi up`) it is archived. */
export const lifecycleConfigKey = "sitestack:lifecycle";

/** Options of a {@link StackManager}. */
export interface StackManagerOptions<Spec> {
  /** The project folder; state defaults to `<projectDir>/.sitestack/`. */
  readonly projectDir: string;
  /** The engine, or how to get it when the first operation needs it (status/list never do). */
  readonly engine: EngineHandle | (() => Promise<EngineHandle>);
  /** Builds each stack's inline program. */
  readonly program: ProgramFactory<Spec>;
  readonly state?: StateSettingsInput;
  /** @default defaultPlatformSettings */
  readonly platform?: PlatformSettings;
  /**
   * Where `SITESTACK_SECRET_<NAME>` values and the passphrase are read from.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Plain stack config per stack, e.g. the Kubernetes provider's `kubernetes:renderYamlToDirectory`
   * (render mode) or `kubernetes:context`. Written before each operation when it changed.
   * @default - none
   */
  readonly stackConfig?: (stack: string) => Readonly<Record<string, string>>;
  /**
   * The engine's resource parallelism per operation (`--parallel`); bounded because the engine's
   * memory grows with in-flight steps.
   * @default 8
   */
  readonly parallel?: number;
}

/** Something that happened during an operation, for progress output and JSON event streams. */
export type ManagerEvent =
  | { readonly type: "start"; readonly stack: string; readonly verb: LifecycleVerb }
  | { readonly type: "waiting"; readonly stack: string; readonly holders: readonly Holder[] }
  | { readonly type: "recovery"; readonly stack: string; readonly message: string }
  | {
      readonly type: "resource";
      readonly stack: string;
      readonly op: string;
      readonly resourceType: string;
      readonly urn: string;
      /** Resource steps seen so far in this operation. */
      readonly count: number;
    }
  | { readonly type: "output"; readonly stack: string; readonly line: string }
  | {
      readonly type: "end";
      readonly stack: string;
      readonly verb: LifecycleVerb;
      readonly ok: boolean;
      readonly status?: StackStatus;
      readonly durationMs: number;
      readonly summary?: ChangeSummary;
      readonly error?: string;
    };

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
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly durationMs: number;
  /** What recovery did before the operation, if anything was pending. */
  readonly recovery?: string;
  /** The engine's rendered diff, when requested with `diff`. Secrets appear as `[secret]`. */
  readonly diffText?: string;
}

/** One entry of a stack's history. */
export interface HistoryEntry {
  readonly version: number;
  readonly kind: string;
  readonly result: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly message: string;
  readonly resourceChanges: Readonly<Record<string, number>>;
}

const secretMask = "[secret]";

/**
 * The stack manager: one Pulumi stack per site file, each in its own workspace folder, every
 * lifecycle verb, the registry that makes `status`/`list` cheap, locking and recovery. The CLI,
 * pipelines and the commander all go through this class.
 */
export class StackManager<Spec> {
  readonly settings: StateSettings;
  readonly registry: StackRegistry;
  private readonly view: StatusView;
  private resolvedEngine: Promise<EngineHandle> | undefined;
  private readonly queue = new KeyedQueue();
  private readonly env: NodeJS.ProcessEnv;
  private readonly platform: PlatformSettings;

  constructor(private readonly options: StackManagerOptions<Spec>) {
    this.env = options.env ?? process.env;
    this.settings = resolveStateSettings(options.projectDir, options.state, this.env);
    this.view = new StatusView(this.settings);
    this.registry = this.view.registry;
    this.platform = options.platform ?? defaultPlatformSettings;
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

  /** Restores an archived stack with exactly its last applied spec and config. */
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
   * The status of one stack from the registry, reconciled with the facts (a dead holder makes a
   * Pending record a Failure). Reads no checkpoint.
   * @throws StackNotFound when the stack was never registered.
   */
  status(stack: string): Promise<StackStatusReport> {
    return this.view.status(stack);
  }

  /** Every registered stack's status, reconciled, sorted by name. */
  list(): Promise<StackStatusReport[]> {
    return this.view.list();
  }

  /** The stack's current outputs from the engine; secret outputs are `"[secret]"`. */
  async outputs(stack: string): Promise<Record<string, unknown>> {
    const workspaceStack = await this.selectExisting(stack);
    try {
      return maskOutputs(await workspaceStack.outputs());
    } catch (error) {
      throw stackError(classifyEngineError(error), stack);
    }
  }

  /** The stack's update history from the engine, newest first. */
  async history(stack: string, limit = 20): Promise<HistoryEntry[]> {
    const workspaceStack = await this.selectExisting(stack);
    try {
      const entries = await workspaceStack.history(limit);
      return entries.map((entry) => ({
        version: entry.version,
        kind: entry.kind,
        result: entry.result,
        startTime: new Date(entry.startTime).toISOString(),
        endTime: new Date(entry.endTime).toISOString(),
        message: entry.message,
        resourceChanges: { ...(entry.resourceChanges ?? {}) } as Record<string, number>,
      }));
    } catch (error) {
      throw stackError(classifyEngineError(error), stack);
    }
  }

  /**
   * Stores a secret value in a stack's encrypted config (`sitestack:secrets.<NAME>`), creating the
   * stack if needed, so `up` works without `SITESTACK_SECRET_<NAME>` in the environment. The value
   * is passed to the engine through its config command and never logged.
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
              : `secret name must be upper-case letters, digits and _ (like ACME_OIDC_CLIENT_SECRET), got "${name}"`,
        },
      ]);
    }
    await this.queue.run(stack, async () => {
      const workspaceStack = await this.workspaceStack(stack, async () => {});
      try {
        await workspaceStack.setConfig(secretConfigKey(name), { value, secret: true });
      } catch (error) {
        throw stackError(classifyEngineError(error), stack, "secret set");
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
      const locks = await this.engineLocks(stack);
      if (locks === undefined) {
        throw stackError(
          {
            kind: "failed",
            detail: `unlock reads lock files only on a file:// backend; this stack's backend is ${this.settings.backendUrl}`,
          },
          stack,
        );
      }
      const alive = locks.filter((lock) => !isHolderGone(lock.holder));
      if (alive.length > 0) {
        throw stackError({ kind: "locked", holders: alive.map((l) => l.holder) }, stack);
      }
      await Promise.all(locks.map(removeEngineLock));
      const record = await this.registry.get(stack);
      if (record !== undefined) await this.registry.put(await this.reconciled(record));
      return locks.map((lock) => lock.holder);
    });
  }

  private async runPreview(
    target: StackTarget<Spec>,
    options: OperationOptions,
  ): Promise<OperationOutcome> {
    const started = Date.now();
    const emit = options.onEvent ?? (() => {});
    emit({ type: "start", stack: target.stack, verb: "preview" });
    const record = await this.registry.get(target.stack);
    const lifecycle = record?.lifecycle ?? "active";
    const collector = new ChangeCollector();
    try {
      const program = this.programFor(target.spec, target.stack, lifecycle, "env-or-config");
      const workspaceStack = await this.workspaceStack(target.stack, program);
      await this.syncConfig(workspaceStack, undefined, lifecycle);
      const result = await workspaceStack.preview({
        program,
        diff: options.diff === true,
        parallel: this.options.parallel ?? 8,
        onEvent: (event) => this.onEngineEvent(target.stack, event, collector, emit),
        onOutput: this.outputSink(target.stack, emit),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      const outcome: OperationOutcome = {
        stack: target.stack,
        verb: "preview",
        ...(record === undefined ? {} : { status: record.status }),
        summary: collector.summary(),
        outputs: record?.outputs ?? {},
        durationMs: Date.now() - started,
        ...(options.diff === true ? { diffText: result.stdout } : {}),
      };
      emit({
        type: "end",
        stack: target.stack,
        verb: "preview",
        ok: true,
        durationMs: outcome.durationMs,
        summary: outcome.summary,
      });
      return outcome;
    } catch (error) {
      const failure =
        error instanceof SitestackError
          ? error
          : stackError(classifyEngineError(error), target.stack, "preview");
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
    const previous = await this.registry.get(target.stack);
    if (previous === undefined && verb !== "up") {
      const failure = stackError({ kind: "not-found" }, target.stack, verb);
      emit({
        type: "end",
        stack: target.stack,
        verb,
        ok: false,
        durationMs: Date.now() - started,
        error: failure.message,
      });
      throw failure;
    }
    const recoveryNotes: string[] = [];
    try {
      recoveryNotes.push(...(await this.takeEngineLockTurn(target.stack, options, emit)));
    } catch (error) {
      const failure = error as SitestackError;
      emit({
        type: "end",
        stack: target.stack,
        verb,
        ok: false,
        durationMs: Date.now() - started,
        error: failure.message,
      });
      throw failure;
    }
    const lifecycle = lifecycleOfVerb(verb, previous);
    // archive/restore apply the last applied spec, so neither sneaks in unapplied file changes.
    const spec =
      (verb === "archive" || verb === "restore") && previous?.lastAppliedSpec !== undefined
        ? (previous.lastAppliedSpec as Spec)
        : target.spec;
    const holder = currentHolder();
    const base: StackRecord = previous ?? {
      stack: target.stack,
      kind: target.kind,
      labels: target.labels,
      status: "CreatePending",
      lifecycle: "active",
      everSucceeded: false,
      outputs: {},
      updatedAt: holder.since,
      ...(target.file === undefined ? {} : { file: target.file }),
    };
    const reconciledPrevious = await this.reconciled(base);
    await this.registry.put({
      ...reconciledPrevious,
      ...(verb === "up" ? { kind: target.kind, labels: target.labels } : {}),
      ...(verb === "up" && target.file !== undefined ? { file: target.file } : {}),
      status: pendingStatusFor(verb, base.everSucceeded),
      lastOperation: { verb, startedAt: holder.since, result: "in-progress", holder },
      updatedAt: holder.since,
    });
    const collector = new ChangeCollector();
    try {
      const program = this.programFor(spec, target.stack, lifecycle, "config");
      const workspaceStack = await this.workspaceStack(target.stack, program);
      const atRest = previous?.status === "Running" || previous?.status === "Archived";
      if (!atRest) {
        const note = await this.recoverPending(workspaceStack, target.stack, emit);
        if (note !== undefined) recoveryNotes.push(note);
      }
      await this.syncConfig(
        workspaceStack,
        verb === "up" || verb === "archive" || verb === "restore" ? spec : undefined,
        lifecycle,
      );
      const outcome = await this.runVerb(
        workspaceStack,
        verb,
        target.stack,
        program,
        options,
        collector,
        emit,
      );
      const after = restingStatusAfter(verb, lifecycle);
      const removed = verb === "destroy" || verb === "cleanup";
      const recovery = recoveryNotes.length > 0 ? recoveryNotes.join("; ") : undefined;
      const finishedAt = new Date().toISOString();
      if (removed) {
        await this.registry.remove(target.stack);
        await rm(this.workspaceDirOf(target.stack), { recursive: true, force: true });
      } else {
        await this.registry.put({
          ...reconciledPrevious,
          ...(verb === "up" ? { kind: target.kind, labels: target.labels } : {}),
          ...(verb === "up" && target.file !== undefined ? { file: target.file } : {}),
          status: after,
          lifecycle,
          everSucceeded: reconciledPrevious.everSucceeded || verb === "up" || verb === "restore",
          outputs: outcome.outputs,
          ...(verb === "up" || verb === "restore" ? { lastAppliedSpec: spec } : {}),
          lastOperation: {
            verb,
            startedAt: holder.since,
            finishedAt,
            result: "succeeded",
            ...(recovery === undefined ? {} : { recovery }),
          },
          updatedAt: finishedAt,
        });
      }
      const durationMs = Date.now() - started;
      const summary = collector.summary();
      emit({
        type: "end",
        stack: target.stack,
        verb,
        ok: true,
        ...(removed ? {} : { status: after }),
        durationMs,
        summary,
      });
      return {
        stack: target.stack,
        verb,
        ...(removed ? {} : { status: after }),
        summary,
        outputs: outcome.outputs,
        durationMs,
        ...(recovery === undefined ? {} : { recovery }),
        ...(outcome.diffText === undefined ? {} : { diffText: outcome.diffText }),
      };
    } catch (error) {
      const failure =
        error instanceof SitestackError
          ? error
          : stackError(classifyEngineError(error), target.stack, verb);
      const finishedAt = new Date().toISOString();
      // A lock conflict means someone else runs: their operation owns the status, not us.
      if (!(failure instanceof StackLocked)) {
        await this.registry.put({
          ...reconciledPrevious,
          status: "Failure",
          lastOperation: {
            verb,
            startedAt: holder.since,
            finishedAt,
            result: "failed",
            message: failure.message,
            ...(recoveryNotes.length > 0 ? { recovery: recoveryNotes.join("; ") } : {}),
          },
          updatedAt: finishedAt,
        });
      } else {
        await this.undoPendingRecord(target.stack, holder, previous, reconciledPrevious);
      }
      emit({
        type: "end",
        stack: target.stack,
        verb,
        ok: false,
        status: "Failure",
        durationMs: Date.now() - started,
        error: failure.message,
      });
      throw failure;
    }
  }

  private async runVerb(
    workspaceStack: Stack,
    verb: MutatingVerb,
    stack: string,
    program: PulumiFn,
    options: OperationOptions,
    collector: ChangeCollector,
    emit: (event: ManagerEvent) => void,
  ): Promise<{ outputs: Record<string, unknown>; diffText?: string }> {
    const common = {
      parallel: this.options.parallel ?? 8,
      onEvent: (event: EngineEvent) => this.onEngineEvent(stack, event, collector, emit),
      onOutput: this.outputSink(stack, emit),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    switch (verb) {
      case "up":
      case "archive":
      case "restore": {
        const result = await this.withLockRetry(stack, options, emit, () =>
          workspaceStack.up({ ...common, program, diff: options.diff === true }),
        );
        return {
          outputs: maskOutputs(result.outputs),
          ...(options.diff === true ? { diffText: result.stdout } : {}),
        };
      }
      case "refresh": {
        await this.withLockRetry(stack, options, emit, () => workspaceStack.refresh(common));
        return { outputs: maskOutputs(await workspaceStack.outputs()) };
      }
      case "destroy":
        await this.withLockRetry(stack, options, emit, () =>
          workspaceStack.destroy({ ...common, remove: true }),
        );
        return { outputs: {} };
      case "cleanup": {
        const { deployment, released } = withoutRetention(await workspaceStack.exportStack());
        if (released > 0) {
          await workspaceStack.importStack(deployment);
          emit({
            type: "output",
            stack,
            line: `released ${released} retained resource(s) so cleanup deletes them`,
          });
        }
        await this.withLockRetry(stack, options, emit, () =>
          workspaceStack.destroy({ ...common, remove: true }),
        );
        return { outputs: {} };
      }
      default: {
        const unknownVerb: never = verb;
        throw new Error(`unknown verb ${String(unknownVerb)}`);
      }
    }
  }

  /**
   * Takes back our in-flight record after losing the engine's lock to another process: only if the
   * record is still ours (the winner may have written its own since), and back to what it was.
   */
  private async undoPendingRecord(
    stack: string,
    holder: Holder,
    previous: StackRecord | undefined,
    restored: StackRecord,
  ): Promise<void> {
    const current = (await this.registry.get(stack))?.lastOperation?.holder;
    if (
      current?.pid !== holder.pid ||
      current.host !== holder.host ||
      current.since !== holder.since
    ) {
      return;
    }
    if (previous === undefined) await this.registry.remove(stack);
    else await this.registry.put(restored);
  }

  /**
   * Detects operations an interrupted run left pending and settles them with a refresh that
   * clears pending creates; says what it did.
   */
  private async recoverPending(
    workspaceStack: Stack,
    stack: string,
    emit: (event: ManagerEvent) => void,
  ): Promise<string | undefined> {
    const pending = pendingOperationsOf(await workspaceStack.exportStack());
    if (pending.length === 0) return undefined;
    await workspaceStack.refresh({
      clearPendingCreates: true,
      onOutput: this.outputSink(stack, emit),
    });
    const message = describeRecovery(pending);
    emit({ type: "recovery", stack, message });
    return message;
  }

  /**
   * Makes sure no live holder has the engine's lock before we start: locks of provably dead
   * holders are removed (that is part of recovery), a live holder makes us wait or fail.
   */
  private async takeEngineLockTurn(
    stack: string,
    options: OperationOptions,
    emit: (event: ManagerEvent) => void,
  ): Promise<string[]> {
    const notes: string[] = [];
    const deadline = Date.now() + (options.waitTimeoutMs ?? 1_800_000);
    let announced = false;
    for (;;) {
      const locks = await this.engineLocks(stack);
      if (locks === undefined || locks.length === 0) return notes;
      const dead = locks.filter((lock) => isHolderGone(lock.holder));
      for (const lock of dead) {
        await removeEngineLock(lock);
        notes.push(`removed the engine lock left by ${describe(lock.holder)}, which is gone`);
        emit({ type: "recovery", stack, message: notes[notes.length - 1] as string });
      }
      const alive = locks.filter((lock) => !dead.includes(lock));
      if (alive.length === 0) return notes;
      if (options.wait !== true || Date.now() > deadline) {
        throw stackError({ kind: "locked", holders: alive.map((l) => l.holder) }, stack);
      }
      if (!announced) {
        emit({ type: "waiting", stack, holders: alive.map((l) => l.holder) });
        announced = true;
      }
      await sleep(500 + Math.random() * 500);
    }
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
        if (failure.kind !== "locked") throw error;
        if (options.wait !== true || Date.now() > deadline) {
          throw stackError(failure, stack);
        }
        emit({ type: "waiting", stack, holders: failure.holders });
        await sleep(500 + Math.random() * 1_000);
        await this.takeEngineLockTurn(stack, options, emit);
      }
    }
  }

  /** The plain (non-secret) config a stack should have: its lifecycle and the provider settings. */
  private plainConfigOf(stack: string, lifecycle: Lifecycle): Record<string, string> {
    return { [lifecycleConfigKey]: lifecycle, ...(this.options.stackConfig?.(stack) ?? {}) };
  }

  /**
   * Stores secrets given in the environment and the plain config in the stack's config. The engine
   * is asked for the current config only when something may be missing or changed: the workspace
   * remembers the plain config last applied (beside the stack's config file), so an unchanged stack
   * costs no extra engine call.
   */
  private async syncConfig(
    workspaceStack: Stack,
    spec: Spec | undefined,
    lifecycle: Lifecycle,
  ): Promise<void> {
    const plain = this.plainConfigOf(workspaceStack.name, lifecycle);
    const appliedFile = join(this.workspaceDirOf(workspaceStack.name), appliedConfigFile);
    const applied = await readJson<Record<string, string>>(appliedFile);
    const wanted: ConfigMap = Object.fromEntries(
      Object.entries(plain).map(([key, value]) => [key, { value, secret: false }]),
    );
    const missing: string[] = [];
    for (const name of spec === undefined ? [] : secretNamesIn(spec)) {
      const value = this.env[secretEnvVarName(name)];
      if (value !== undefined) wanted[secretConfigKey(name)] = { value, secret: true };
      else missing.push(name);
    }
    const plainUnchanged = applied !== undefined && sameEntries(applied, plain);
    if (missing.length === 0 && plainUnchanged) {
      const secrets = Object.entries(wanted).filter(([, value]) => value.secret === true);
      if (secrets.length > 0) await workspaceStack.setAllConfig(Object.fromEntries(secrets));
      return;
    }
    const current = await workspaceStack.getAllConfig();
    const absent = missing.filter((name) => current[secretConfigKey(name)] === undefined);
    if (absent.length > 0) {
      throw new ValidationFailed(
        absent.map((name) => ({
          file: workspaceStack.name,
          line: 1,
          col: 1,
          path: "",
          message: `secret ${name} is not set: export ${secretEnvVarName(name)} or store it in the stack config key ${secretConfigKey(name)}`,
        })),
      );
    }
    const changed = Object.entries(wanted).filter(
      ([key, value]) => value.secret === true || current[key]?.value !== value.value,
    );
    if (changed.length > 0) await workspaceStack.setAllConfig(Object.fromEntries(changed));
    await writeFile(appliedFile, `${JSON.stringify(plain)}\n`);
  }

  private programFor(
    spec: Spec,
    stack: string,
    lifecycle: Lifecycle,
    secrets: SecretSource,
  ): PulumiFn {
    const input = { stackName: stack, platform: this.platform, lifecycle, secrets, env: this.env };
    const factory = this.options.program;
    return async () => factory(spec, buildProgramContext(input))();
  }

  private onEngineEvent(
    stack: string,
    event: EngineEvent,
    collector: ChangeCollector,
    emit: (event: ManagerEvent) => void,
  ): void {
    const before = collector.count;
    collector.add(event);
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata !== undefined && collector.count > before) {
      emit({
        type: "resource",
        stack,
        op: metadata.op,
        resourceType: metadata.type,
        urn: metadata.urn,
        count: collector.count,
      });
    }
  }

  private outputSink(stack: string, emit: (event: ManagerEvent) => void): (out: string) => void {
    let partial = "";
    return (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") emit({ type: "output", stack, line });
    };
  }

  private workspaceDirOf(stack: string): string {
    return join(this.settings.workspacesDir, stack);
  }

  private async workspaceStack(stack: string, program: PulumiFn): Promise<Stack> {
    try {
      return await LocalWorkspace.createOrSelectStack(
        { stackName: stack, projectName, program },
        await this.workspaceOptions(stack),
      );
    } catch (error) {
      throw stackError(classifyEngineError(error), stack);
    }
  }

  private async selectExisting(stack: string): Promise<Stack> {
    if ((await this.registry.get(stack)) === undefined) {
      throw stackError({ kind: "not-found" }, stack);
    }
    try {
      return await LocalWorkspace.selectStack(
        { stackName: stack, projectName, program: async () => {} },
        await this.workspaceOptions(stack),
      );
    } catch (error) {
      throw stackError(classifyEngineError(error), stack);
    }
  }

  private async workspaceOptions(stack: string) {
    const engine = await this.engine();
    await mkdir(this.workspaceDirOf(stack), { recursive: true });
    // The file backend refuses a missing folder; the default one is ours to create.
    if (this.settings.stateDir !== undefined)
      await mkdir(this.settings.stateDir, { recursive: true });
    return {
      workDir: this.workspaceDirOf(stack),
      pulumiCommand: engine.command,
      secretsProvider: this.settings.secretsProvider,
      projectSettings: {
        name: projectName,
        runtime: "nodejs" as const,
        backend: { url: this.settings.backendUrl },
      },
      envVars: {
        ...quietEngineEnv,
        ...engine.env,
        ...(await passphraseEnv(this.env, this.settings, (file) =>
          process.stderr.write(
            `sitestack: created a passphrase for the local state in ${file}; keep it with .sitestack/state (without it the stacks' secrets cannot be read)\n`,
          ),
        )),
      },
    };
  }

  private engineLocks(stack: string): Promise<EngineLock[] | undefined> {
    return this.view.engineLocks(stack);
  }

  private reconciled(record: StackRecord): Promise<StackRecord> {
    return this.view.reconciled(record);
  }

  private async engine(): Promise<EngineHandle> {
    const engine = this.options.engine;
    this.resolvedEngine ??= typeof engine === "function" ? engine() : Promise.resolve(engine);
    return this.resolvedEngine;
  }
}

/** The lifecycle an operation leaves the stack in. */
export function lifecycleOfVerb(verb: MutatingVerb, record: StackRecord | undefined): Lifecycle {
  if (verb === "archive") return "archived";
  if (verb === "restore") return "active";
  return record?.lifecycle ?? "active";
}

function describe(holder: Holder): string {
  return `${holder.user}@${holder.host} (pid ${holder.pid}) since ${holder.since}`;
}

/** Output values with every secret replaced by `"[secret]"`. */
export function maskOutputs(
  outputs: Readonly<Record<string, { value: unknown; secret: boolean }>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, output]) => [
      key,
      output.secret ? secretMask : output.value,
    ]),
  );
}

/** The file in a stack's workspace that remembers the plain config last applied. */
const appliedConfigFile = "sitestack-applied-config.json";

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

function sameEntries(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type { EngineFailure };
