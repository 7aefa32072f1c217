import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Holder } from "./holder.js";
import type { Lifecycle, LifecycleVerb, StackStatus } from "./status.js";

/** The result of one operation as the registry records it. */
export type OperationResult = "in-progress" | "succeeded" | "failed";

/** The last operation run on a stack. */
export interface OperationRecord {
  readonly verb: LifecycleVerb;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly result: OperationResult;
  /** Who runs it; kept while it is in flight so a dead holder can be detected. */
  readonly holder?: Holder;
  /** One line on why it failed, or what a recovery did. Never holds secret values. */
  readonly message?: string;
  /** What was done to recover pending operations before this operation, if anything. */
  readonly recovery?: string;
}

/**
 * What the registry keeps per stack: a few hundred bytes, so `list`/`status` of a thousand stacks
 * never reads a checkpoint. Written at the start and end of every operation.
 */
export interface StackRecord {
  readonly stack: string;
  /** The site file's `kind` (`BoxSite`, `Staging`, …) or a test program's kind. */
  readonly kind: string;
  /** The site file the stack was last applied from, if any. */
  readonly file?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: StackStatus;
  readonly lifecycle: Lifecycle;
  /** Whether an `up` ever succeeded (decides CreatePending vs UpdatePending). */
  readonly everSucceeded: boolean;
  readonly lastOperation?: OperationRecord;
  /** Stack outputs after the last successful operation; secret outputs are `"[secret]"`. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /**
   * The spec of the last successful `up`/`restore` (it holds secret references, never values):
   * what `restore` applies, so an archived stack comes back with exactly its last settings.
   */
  readonly lastAppliedSpec?: unknown;

  readonly updatedAt: string;
}

const recordSuffix = ".json";

/** The registry: one small JSON file per stack in a folder beside the state. */
export class StackRegistry {
  /** @param dir the registry folder, e.g. `.sitestack/registry`. */
  constructor(readonly dir: string) {}

  /** The record of one stack, or undefined when the stack was never registered. */
  async get(stack: string): Promise<StackRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.fileOf(stack), "utf8")) as StackRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /**
   * Writes a record atomically (temp file + rename), so a reader or a crash never sees half a
   * record.
   */
  async put(record: StackRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(record.stack);
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  }

  /** Forgets a stack (after `destroy`/`cleanup` removed it). */
  async remove(stack: string): Promise<void> {
    await rm(this.fileOf(stack), { force: true });
  }

  /** Every registered record, sorted by stack name. */
  async list(): Promise<StackRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const stacks = names
      .filter((name) => name.endsWith(recordSuffix))
      .map((name) => name.slice(0, -recordSuffix.length));
    const records = await Promise.all(stacks.map((stack) => this.get(stack)));
    return records
      .filter((record): record is StackRecord => record !== undefined)
      .sort((a, b) => a.stack.localeCompare(b.stack));
  }

  private fileOf(stack: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(stack)) throw new Error(`invalid stack name "${stack}"`);
    return join(this.dir, `${stack}${recordSuffix}`);
  }
}
