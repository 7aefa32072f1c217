import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { BackendStore, StoredObject } from "./store.js";

/** Where an `s3://` backend URL points, read the way Pulumi's S3 backend (gocloud) reads it. */
export interface S3Location {
  readonly bucket: string;
  /** A key prefix from the URL's path (`s3://bucket/team-a`), without slashes at either end. */
  readonly prefix: string;
  /** `http(s)://host:port` of an S3-compatible server, or undefined for AWS itself. */
  readonly endpoint?: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
}

const truthy = (value: string | null): boolean => value === "true" || value === "1";

/**
 * Parses `s3://bucket[/prefix]?endpoint=host:port&s3ForcePathStyle=true&disableSSL=true&region=…`;
 * the gocloud v2 spellings `use_path_style` and `disable_https` are accepted too.
 */
export function parseS3Url(
  backendUrl: string,
  env: Readonly<Record<string, string | undefined>>,
): S3Location {
  const url = new URL(backendUrl);
  const query = url.searchParams;
  const insecure = truthy(query.get("disableSSL")) || truthy(query.get("disable_https"));
  const rawEndpoint = query.get("endpoint") ?? undefined;
  const endpoint =
    rawEndpoint === undefined || /^https?:\/\//.test(rawEndpoint)
      ? rawEndpoint
      : `${insecure ? "http" : "https"}://${rawEndpoint}`;
  return {
    bucket: url.hostname,
    prefix: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, ""),
    ...(endpoint === undefined ? {} : { endpoint }),
    region: query.get("region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    forcePathStyle: truthy(query.get("s3ForcePathStyle")) || truthy(query.get("use_path_style")),
  };
}

/**
 * An S3 (or S3-compatible) backend bucket. Credentials come the AWS way (environment, profile,
 * instance role), exactly as the engine gets them.
 */
export class S3Store implements BackendStore {
  private constructor(
    readonly url: string,
    private readonly location: S3Location,
    private readonly client: S3Client,
  ) {}

  static fromUrl(backendUrl: string, env: Readonly<Record<string, string | undefined>>): S3Store {
    const location = parseS3Url(backendUrl, env);
    const keyId = env.AWS_ACCESS_KEY_ID;
    const secret = env.AWS_SECRET_ACCESS_KEY;
    const client = new S3Client({
      region: location.region,
      forcePathStyle: location.forcePathStyle,
      ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint }),
      ...(keyId === undefined || secret === undefined
        ? {}
        : {
            credentials: {
              accessKeyId: keyId,
              secretAccessKey: secret,
              ...(env.AWS_SESSION_TOKEN === undefined
                ? {}
                : { sessionToken: env.AWS_SESSION_TOKEN }),
            },
          }),
    });
    return new S3Store(backendUrl, location, client);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: this.keyOf(prefix),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        found.push({
          key: this.relativeKey(object.Key),
          version: object.ETag ?? `${object.Size}:${object.LastModified?.getTime()}`,
          modified: object.LastModified ?? new Date(0),
        });
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) }),
      );
      return object.Body === undefined
        ? Buffer.alloc(0)
        : Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") {
        return undefined;
      }
      throw error;
    }
  }

  async write(key: string, data: Buffer | string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key), Body: data }),
    );
  }

  async remove(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(key) }),
    );
  }

  private keyOf(key: string): string {
    return this.location.prefix === "" ? key : `${this.location.prefix}/${key}`;
  }

  private relativeKey(key: string): string {
    return this.location.prefix === "" ? key : key.slice(this.location.prefix.length + 1);
  }
}
