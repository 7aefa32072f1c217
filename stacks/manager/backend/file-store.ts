import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { BackendStore, StoredObject } from "./store.js";

/**
 * The folder of a `file://` backend: `file:///abs/path`, or `file://rel/path` relative to the
 * project (Pulumi accepts both).
 */
export function fileBackendDir(backendUrl: string, projectDir: string): string {
  if (backendUrl.startsWith("file:///")) return fileURLToPath(backendUrl);
  return resolve(projectDir, backendUrl.slice("file://".length));
}

/** A `file://` backend: keys are paths under its folder. */
export class FileStore implements BackendStore {
  constructor(
    readonly url: string,
    readonly root: string,
  ) {}

  async list(prefix: string): Promise<StoredObject[]> {
    // A prefix ends in a folder name or a partial file name: walk from the folder it names.
    const slash = prefix.lastIndexOf("/");
    const start = join(this.root, prefix.slice(0, slash + 1));
    const found: StoredObject[] = [];
    await this.walk(start, prefix, found);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async write(key: string, data: Buffer | string): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(dirname(file), { recursive: true });
    // Unique per write (pid and time alone repeat within a millisecond in one process).
    const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, data, { mode: 0o600 });
    await rename(temp, file);
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private async walk(dir: string, prefix: string, found: StoredObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === "ENOTDIR") return;
      throw error;
    }
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        const key = relative(this.root, path).split(sep).join("/");
        if (entry.isDirectory()) {
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) {
            await this.walk(path, prefix, found);
          }
          return;
        }
        if (!key.startsWith(prefix) || entry.name.endsWith(".tmp")) return;
        try {
          const info = await stat(path);
          found.push({ key, version: `${info.size}:${info.mtimeMs}`, modified: info.mtime });
        } catch (error) {
          // Removed between listing and stat: not there any more.
          if (!isMissing(error)) throw error;
        }
      }),
    );
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(`${resolve(this.root)}${sep}`)) {
      throw new Error(`backend key "${key}" leaves the backend folder`);
    }
    return path;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}
