import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { backendLayout } from "../../../stacks/manager/backend/layout.js";
import { FileStore } from "../../../stacks/manager/backend/file-store.js";
import type { BackendStore } from "../../../stacks/manager/backend/store.js";
import { StoreFacts } from "../../../stacks/manager/backend/store-facts.js";
import type { Holder } from "../../../stacks/contract.js";
import type { StackMetadata } from "../../../stacks/manager/metadata.js";
import type { OperationRecord } from "../../../stacks/manager/operation-record.js";

/** One stack as a test writes it into a DIY backend folder, the way the engine lays it out. */
export interface FakeStack {
  readonly stack: string;
  readonly metadata?: StackMetadata;
  readonly outputs?: Record<string, unknown>;
  readonly resources?: number;
  readonly pending?: readonly { urn: string; type: string }[];
  /** Updates, oldest first. */
  readonly updates?: readonly { kind: string; result: string; endTime: Date }[];
  readonly locks?: readonly Holder[];
  readonly operation?: OperationRecord;
}

/** A DIY backend and the facts reader over it. */
export interface FakeBackend<Store extends BackendStore = FileStore> {
  readonly url: string;
  readonly store: Store;
  readonly facts: StoreFacts;
  put(stack: FakeStack): Promise<void>;
}

/** A `file://` backend in a temporary folder, written object by object like the engine does. */
export async function fakeBackend(
  cacheFile?: string,
): Promise<FakeBackend & { readonly dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sitestack-diy-"));
  const url = pathToFileURL(dir).href;
  return { dir, ...fakeBackendOn(new FileStore(url, dir), cacheFile) };
}

/** Any backend store (an S3 bucket, say), written object by object like the engine does. */
export function fakeBackendOn<Store extends BackendStore>(
  store: Store,
  cacheFile?: string,
): FakeBackend<Store> {
  const facts = new StoreFacts(store, "sitestack", cacheFile);
  let clock = 1_700_000_000_000_000_000n;
  return {
    url: store.url,
    store,
    facts,
    async put(fake) {
      const resources = [
        {
          urn: `urn:pulumi:${fake.stack}::sitestack::pulumi:pulumi:Stack::sitestack-${fake.stack}`,
          type: "pulumi:pulumi:Stack",
          outputs: {
            ...(fake.outputs ?? {}),
            ...(fake.metadata === undefined ? {} : { sitestack: fake.metadata }),
          },
        },
        ...Array.from({ length: fake.resources ?? 0 }, (_, index) => ({
          urn: `urn:pulumi:${fake.stack}::sitestack::test:index:Thing::thing-${index}`,
          type: "test:index:Thing",
        })),
      ];
      await store.write(
        `${backendLayout.stacksPrefix("sitestack")}${fake.stack}.json`,
        JSON.stringify({
          version: 3,
          checkpoint: {
            stack: `organization/sitestack/${fake.stack}`,
            latest: {
              resources,
              ...(fake.pending === undefined
                ? {}
                : {
                    pending_operations: fake.pending.map((op) => ({
                      resource: { urn: op.urn },
                      type: op.type,
                    })),
                  }),
            },
          },
        }),
      );
      for (const update of fake.updates ?? []) {
        clock += 1_000_000n;
        const end = Math.floor(update.endTime.getTime() / 1000);
        await store.write(
          `${backendLayout.historyPrefix("sitestack", fake.stack)}${fake.stack}-${clock}.history.json`,
          JSON.stringify({
            kind: update.kind,
            result: update.result,
            startTime: end - 5,
            endTime: end,
            message: "",
            resourceChanges: { create: 1 },
          }),
        );
        await store.write(
          `${backendLayout.historyPrefix("sitestack", fake.stack)}${fake.stack}-${clock}.checkpoint.json`,
          "{}",
        );
      }
      for (const [index, holder] of (fake.locks ?? []).entries()) {
        await store.write(
          `${backendLayout.stackLocksPrefix("sitestack", fake.stack)}lock-${index}.json`,
          JSON.stringify({
            pid: holder.pid,
            username: holder.user,
            hostname: holder.host,
            timestamp: holder.since,
          }),
        );
      }
      if (fake.operation !== undefined) {
        await store.write(
          backendLayout.operationKey("sitestack", fake.stack),
          JSON.stringify(fake.operation),
        );
      }
    },
  };
}

/** Metadata of a site as a program run records it. */
export function fakeMetadata(kind: string, overrides: Partial<StackMetadata> = {}): StackMetadata {
  return { format: 1, kind, labels: {}, lifecycle: "active", spec: { kind }, ...overrides };
}
