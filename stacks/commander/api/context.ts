import type { StackManager } from "../../manager/manager.js";
import type { Scrubber } from "../../manager/scrub.js";
import type { PlatformSettings } from "../../platform/settings.js";
import type { SiteSpec } from "../../site-model/index.js";
import type { Database } from "../database.js";
import type { EventHub } from "../events.js";
import type { JobRequest, Submitted } from "../jobs.js";
import type { CommanderMetrics } from "../metrics.js";
import type { Principal, Scope } from "../tokens.js";

/** Where jobs go: the durable queue (stacks/commander/queue.ts). */
export interface JobSubmitter {
  submit(request: JobRequest): Promise<Submitted>;
}

/** Everything the API needs, built once by `sitestack serve` (or a test). */
export interface CommanderContext {
  readonly db: Database;
  /** Reads (status, list, outputs, history) and ownership; the workers run the verbs. */
  readonly manager: StackManager<SiteSpec>;
  readonly platform: PlatformSettings;
  /** The commander's project folder: its `sites/` files own their stacks. */
  readonly projectDir: string;
  readonly jobs: JobSubmitter;
  readonly hub: EventHub;
  readonly metrics: CommanderMetrics;
  readonly scrubber: Scrubber;
  readonly limits?: CommanderLimits;
}

/** Bounds of the API. */
export interface CommanderLimits {
  /** @default 1 MiB: the largest site file the site model reads */
  readonly bodyLimit?: number;
  /** Requests per minute per token (per address before authentication). @default 600 */
  readonly ratePerMinute?: number;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Who called, once the bearer token was checked. */
    principal?: Principal;
    /** The request body as sent, for documents the site model parses with positions. */
    rawBody?: string;
    /** What the audit log records about this request, filled in by the handler. */
    audit?: { stack?: string; verb?: string; jobId?: string; spec?: unknown; result?: string };
  }
  interface FastifyContextConfig {
    /** The verb class a route needs (stacks/commander/tokens.ts). */
    scope?: Scope;
    /** Whether the route changes something and so is audited. */
    audited?: boolean;
    /** The verb an audited route stands for, for the log of a request refused before its handler. */
    verb?: string;
  }
}
