import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startCommander, type RunningCommander } from "../../stacks/commander/commander.js";
import { createToken, type Scope } from "../../stacks/commander/tokens.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { bearer, boxSiteDocument } from "./commander.js";
import { startTestEngine, type TestEngine } from "./engine.js";
import { startTestPostgres, type TestPostgres } from "./postgres.js";

/**
 * A commander listening on loopback with a real engine and a real PostgreSQL, its box sites in
 * render mode (the CLI's local default): each job is a real engine run of a few seconds that
 * writes manifests and touches no cluster. For tests and benches that need jobs to run while
 * they look at something else (the web page, the API under load).
 */
export interface RenderCommander {
  readonly commander: RunningCommander;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly fixture: TestEngine;
  readonly postgres: TestPostgres;
  /** A new token with these scopes (printed nowhere). */
  token(name: string, scopes: readonly Scope[]): Promise<string>;
  /** Sends a request with `token` as bearer; JSON in, JSON out. */
  call(
    token: string,
    method: "GET" | "POST",
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Submits `up` of the box site `name` and returns the job's id. */
  submitUp(token: string, name: string, labels?: Record<string, string>): Promise<string>;
  /** Waits until the job ended and returns it. */
  waitForJob(
    token: string,
    id: string,
    timeoutMs?: number,
  ): Promise<{ state: string; error?: string }>;
  stop(): Promise<void>;
}

export const renderSecretValue = "render-commander-oidc-secret-7b21";

export async function startRenderCommander(options: { workers: number }): Promise<RenderCommander> {
  const [fixture, postgres] = await Promise.all([startTestEngine(), startTestPostgres()]);
  const projectDir = join(fixture.dir, "project");
  mkdirSync(join(projectDir, "sites"), { recursive: true });
  const commander = await startCommander({
    projectDir,
    env: {
      PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
      SITESTACK_BACKEND_URL: fixture.backendUrl,
      SITESTACK_SECRET_BOX_OIDC_CLIENT_SECRET: renderSecretValue,
    },
    databaseUrl: postgres.url,
    api: {
      host: "127.0.0.1",
      port: 0,
      // Tests and benches send more than an operator would; the limit itself is tested elsewhere.
      limits: { ratePerMinute: 1_000_000 },
    },
    workers: options.workers,
    engine: fixture.engine,
    platform: {
      ...defaultPlatformSettings,
      kubernetes: { mode: "render", directory: join(projectDir, ".sitestack", "rendered") },
    },
  });
  const url = commander.url!;
  const call: RenderCommander["call"] = async (token, method, path, body) => {
    const response = await fetch(new URL(path, url), {
      method,
      headers: {
        ...bearer(token),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };
  return {
    commander,
    url,
    fixture,
    postgres,
    token: (name, scopes) => createToken(commander.db, name, scopes),
    call,
    async submitUp(token, name, labels) {
      const accepted = await call(
        token,
        "POST",
        "/v1/stacks",
        boxSiteDocument(name, labels === undefined ? {} : { labels }),
      );
      if (accepted.status !== 202)
        throw new Error(`up of ${name}: HTTP ${accepted.status} ${JSON.stringify(accepted.body)}`);
      return accepted.body.job.id as string;
    },
    async waitForJob(token, id, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await call(token, "GET", `/v1/jobs/${id}`);
        if (body.job?.state === "succeeded" || body.job?.state === "failed") return body.job;
        if (Date.now() > deadline) throw new Error(`job ${id} did not end in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      await commander.stop(10_000);
      await postgres.stop();
      await fixture.dispose();
    },
  };
}
