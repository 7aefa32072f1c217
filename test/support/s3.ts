import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { freePorts } from "./ports.js";
import { startProcess, type RunningProcess } from "./process.js";
import { toolPath } from "./tools.js";

/** A running S3-compatible object store on loopback, with one bucket and one key pair. */
export interface S3Server {
  /** `http://127.0.0.1:<port>`: the S3 API, plain HTTP. */
  readonly endpoint: string;
  /** The bucket made at start, empty. */
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The bucket as a Pulumi DIY backend URL: see `s3BackendUrl`. */
  readonly backendUrl: string;
  /**
   * What a Pulumi process needs to reach the bucket: the key pair, the region, and no way to a
   * non-loopback address (no instance metadata, no user `~/.aws` files).
   */
  readonly env: Readonly<Record<string, string>>;
  /** Process id of `weed`. */
  readonly pid: number;
  /** A client for the bucket (path-style, the same credentials). */
  readonly client: S3Client;
  /** Every key in the bucket under `prefix`, sorted. */
  listKeys(prefix?: string): Promise<string[]>;
  /** Wall time from spawning `weed` to a write into the new bucket succeeding. */
  readonly startupMs: number;
  /** Stops SeaweedFS and removes its data; safe to call twice. */
  stop(): Promise<void>;
}

/** What to start. */
export interface S3ServerOptions {
  /**
   * Name of the bucket to create.
   * @default "sitestack-state"
   */
  readonly bucket?: string;
  /**
   * How long to wait for the S3 API to accept a write.
   * @default 60000
   */
  readonly readyTimeoutMs?: number;
}

const region = "us-east-1";

/**
 * Starts SeaweedFS on 127.0.0.1 only as `weed mini` (master, volume server, filer, S3 gateway, an
 * admin server and one maintenance worker in one process), every port (HTTP and gRPC) chosen free
 * and passed explicitly, with an S3 identity file holding one random key pair. Waits until the S3
 * API answers signed requests, creates the bucket, then writes and deletes one object in it, so the
 * first real write does not race the filer's lock ring or volume allocation.
 *
 * `weed mini` rather than `weed server -filer -s3`: the same parts, but mini knows its filer is the
 * only one and skips the empty-membership confirmation, so it takes a write after ~5 s instead of
 * ~12 s (measured under load), and it stops cleanly in ~1.5 s instead of ~15 s.
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const started = performance.now();
  const bucket = options.bucket ?? "sitestack-state";
  const dir = await mkdtemp(join(tmpdir(), "sitestack-s3-"));
  const accessKeyId = `SITESTACK${randomBytes(6).toString("hex").toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString("base64url");
  let weed: RunningProcess | undefined;
  let client: S3Client | undefined;
  let stopped = false;
  let grpcPorts: Record<string, number> = {};
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client?.destroy();
    // mini stops cleanly in ~1.5 s; the data is thrown away, so past 2 s it gets SIGKILL.
    await weed?.stop(2_000);
    // weed also serves each gRPC port on a fixed-path unix socket in /tmp, left behind by a kill.
    await Promise.all(
      Object.entries(grpcPorts).map(([role, port]) =>
        rm(`/tmp/seaweedfs-${role}-grpc-${port}.sock`, { force: true }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const binary = await toolPath("weed");
    await mkdir(join(dir, "data"));
    // The key pair goes in a 0600 file, never in an argument another user could read from ps.
    const identities = join(dir, "s3.json");
    await writeFile(
      identities,
      JSON.stringify({
        identities: [
          {
            name: "sitestack",
            credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
            actions: ["Admin", "Read", "List", "Tagging", "Write"],
          },
        ],
      }),
      { mode: 0o600 },
    );
    const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc, admin, adminGrpc] =
      await freePorts(10);
    grpcPorts = {
      master: masterGrpc!,
      volume: volumeGrpc!,
      filer: filerGrpc!,
      s3: s3Grpc!,
      admin: adminGrpc!,
    };
    const endpoint = `http://127.0.0.1:${s3}`;
    weed = startProcess("weed", binary, dir, [
      "mini",
      "-ip=127.0.0.1",
      "-ip.bind=127.0.0.1",
      `-dir=${join(dir, "data")}`,
      `-master.port=${master}`,
      `-master.port.grpc=${masterGrpc}`,
      // Telemetry is on by default and would call an outside server.
      "-master.telemetry=false",
      `-volume.port=${volume}`,
      `-volume.port.grpc=${volumeGrpc}`,
      `-filer.port=${filer}`,
      `-filer.port.grpc=${filerGrpc}`,
      `-filer.localSocket=${join(dir, "filer.sock")}`,
      `-s3.port=${s3}`,
      `-s3.port.grpc=${s3Grpc}`,
      `-s3.localSocket=${join(dir, "s3.sock")}`,
      `-s3.config=${identities}`,
      // Fixed default ports (Iceberg 8181, Lance 9101, admin 23646) would collide between tests.
      "-s3.port.iceberg=0",
      "-s3.port.lance=0",
      "-webdav=false",
      // mini always runs its admin server and one maintenance worker; no UI, on free ports.
      "-admin.ui=false",
      `-admin.port=${admin}`,
      `-admin.port.grpc=${adminGrpc}`,
      "-admin.port.legacy=0",
    ]);
    client = new S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey },
      // Like Pulumi's own client for a custom endpoint: checksums only where S3 requires them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 1,
    });
    const s3Client = client;
    const running = weed;
    await waitUntil(
      "the S3 API to answer a signed request",
      options.readyTimeoutMs ?? 60_000,
      running,
      () => s3Client.send(new ListBucketsCommand({})),
    );
    await s3Client.send(new CreateBucketCommand({ Bucket: bucket }));
    // The first object of a bucket makes the master grow volumes for it; wait for that here.
    const probe = ".sitestack-fixture-probe";
    await waitUntil("a write into the new bucket", options.readyTimeoutMs ?? 60_000, running, () =>
      s3Client.send(new PutObjectCommand({ Bucket: bucket, Key: probe, Body: "ok" })),
    );
    await s3Client.send(new DeleteObjectCommand({ Bucket: bucket, Key: probe }));
    const startupMs = performance.now() - started;
    return {
      endpoint,
      bucket,
      region,
      accessKeyId,
      secretAccessKey,
      backendUrl: s3BackendUrl(bucket, endpoint),
      env: {
        AWS_ACCESS_KEY_ID: accessKeyId,
        AWS_SECRET_ACCESS_KEY: secretAccessKey,
        AWS_REGION: region,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: join(dir, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-aws-credentials"),
      },
      pid: running.pid ?? 0,
      client: s3Client,
      async listKeys(prefix = "") {
        const keys: string[] = [];
        for await (const page of paginateListObjectsV2(
          { client: s3Client },
          { Bucket: bucket, Prefix: prefix },
        )) {
          for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        }
        return keys.sort();
      },
      startupMs,
      stop,
    };
  } catch (error) {
    const tail = weed ? `\n--- weed output ---\n${weed.logTail()}` : "";
    await stop();
    throw new Error(`starting SeaweedFS failed: ${(error as Error).message}${tail}`, {
      cause: error,
    });
  }
}

/**
 * The DIY backend URL of a bucket behind a plain-HTTP S3-compatible endpoint, in the form
 * gocloud.dev's s3blob (AWS SDK v2, what Pulumi 3.259 uses) reads as it is:
 * - `endpoint` with its scheme: a scheme-less one means HTTPS to the v2 SDK;
 * - `use_path_style`: the bucket goes in the path, not the host name (no wildcard DNS on loopback);
 * - both checksum settings `when_required`: the v2 SDK otherwise sends CRC32 trailers some stores
 *   reject and warns "Response has no supported checksum" on stderr for every object it reads.
 *
 * Pulumi 3.259 also accepts the v1-era form (`s3LegacyBackendUrl`) and rewrites it to this, but
 * without `disableSSL=true` that form talks HTTPS to a plain-HTTP port and fails.
 */
export function s3BackendUrl(bucket: string, endpoint: string): string {
  const query = [
    `endpoint=${endpoint}`,
    "use_path_style=true",
    "request_checksum_calculation=when_required",
    "response_checksum_validation=when_required",
  ];
  return `s3://${bucket}?${query.join("&")}`;
}

/**
 * The same bucket in the AWS SDK v1-era form older Pulumi docs show:
 * `s3://<bucket>?endpoint=127.0.0.1:<port>&s3ForcePathStyle=true&disableSSL=true`.
 */
export function s3LegacyBackendUrl(bucket: string, endpoint: string): string {
  const { host } = new URL(endpoint);
  return `s3://${bucket}?endpoint=${host}&s3ForcePathStyle=true&disableSSL=true`;
}

async function waitUntil(
  what: string,
  timeoutMs: number,
  server: RunningProcess,
  attempt: () => Promise<unknown>,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const exit = server.exitCode();
    if (exit !== undefined) throw new Error(`weed exited (${exit}) while waiting for ${what}`);
    try {
      await attempt();
      return;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${String(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
