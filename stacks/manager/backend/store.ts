/**
 * The objects of a DIY Pulumi backend (a `file://` folder or an S3-compatible bucket) as sitestack
 * reads them for status and listings without starting the engine, and where it keeps its own small
 * operation records beside the engine's (`.sitestack/` next to `.pulumi/`).
 */
export interface BackendStore {
  /** The backend URL this store reads, for messages. */
  readonly url: string;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /** An object's bytes, or undefined when it does not exist. */
  read(key: string): Promise<Buffer | undefined>;
  /** Writes an object whole (readers never see half of it). */
  write(key: string, data: Buffer | string): Promise<void>;
  /** Removes an object; a missing one is not an error. */
  remove(key: string): Promise<void>;
}

/** One listed object. */
export interface StoredObject {
  /** The key relative to the backend's root, `/`-separated. */
  readonly key: string;
  /**
   * A token that changes whenever the object's content does (the S3 ETag, or size and mtime of a
   * file): what makes a cached derivation of the object valid.
   */
  readonly version: string;
  /** When the object was last written. */
  readonly modified: Date;
}

/**
 * Opens the store of a backend URL: `file://` folders and `s3://` buckets (any S3-compatible server
 * through the `endpoint` query parameter, as Pulumi's own S3 backend takes it). Other backends
 * (Azure Blob, GCS, PostgreSQL, Pulumi Cloud) answer undefined: sitestack then asks the engine.
 */
export async function openBackendStore(
  backendUrl: string,
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<BackendStore | undefined> {
  if (backendUrl.startsWith("file://")) {
    const { FileStore, fileBackendDir } = await import("./file-store.js");
    return new FileStore(backendUrl, fileBackendDir(backendUrl, projectDir));
  }
  if (backendUrl.startsWith("s3://")) {
    const { S3Store } = await import("./s3-store.js");
    return S3Store.fromUrl(backendUrl, env);
  }
  return undefined;
}
