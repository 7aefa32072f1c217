import type { StackFacts } from "../derive-status.js";
import type { Holder } from "../../contract.js";
import type { OperationRecord } from "../operation-record.js";
import type { StateResource, UpdateRecord } from "./layout.js";

/** One lock of a stack and its holder. */
export interface LockObject {
  readonly key: string;
  readonly holder: Holder;
}

/**
 * Where stack facts come from: a backend's objects read directly (`StoreFacts`: `file://`, S3), or
 * the engine's own commands for backends sitestack cannot read (`EngineFacts`: Azure Blob, GCS,
 * PostgreSQL, Pulumi Cloud). Status, listings and the manager work the same over either.
 */
export interface StackFactsSource {
  /** The facts of every stack of the project. */
  all(): Promise<StackFacts[]>;
  /** The facts of one stack, fresh. */
  one(stack: string): Promise<StackFacts>;
  /** The engine's locks on one stack, where they can be read (else none). */
  locks(stack: string): Promise<LockObject[]>;
  /** Removes a lock whose holder was proved gone. */
  removeLock(lock: LockObject): Promise<void>;
  /** The resources the stack's state holds now (none for a stack that does not exist). */
  resources(stack: string): Promise<StateResource[]>;
  /** The update history, newest first, numbered from the stack's first update. */
  history(stack: string, limit: number): Promise<(UpdateRecord & { version: number })[]>;
  /** Writes sitestack's operation record, where the backend has room for it (else nothing). */
  writeOperation(stack: string, record: OperationRecord): Promise<void>;
  /** Forgets a removed stack's operation record. */
  removeOperation(stack: string): Promise<void>;
}
