import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "./database.js";
import { countJobs } from "./jobs.js";

/**
 * The commander's Prometheus metrics, in a registry of its own (several commanders may share a
 * test process): queue depth (read from the job table when scraped, so every process reports the
 * shared queue), job durations and outcomes of the jobs this process ran.
 */
export interface CommanderMetrics {
  readonly registry: Registry;
  readonly jobDuration: Histogram<"verb" | "result">;
  readonly jobsFinished: Counter<"verb" | "result">;
}

/** Creates the metrics; `db` answers the queue-depth gauge. */
export function commanderMetrics(db: Database): CommanderMetrics {
  const registry = new Registry();
  new Gauge({
    name: "sitestack_queue_depth",
    help: "Jobs of the shared queue by state (queued: waiting for a worker; running)",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const counts = await countJobs(db);
      this.set({ state: "queued" }, counts.queued);
      this.set({ state: "running" }, counts.running);
    },
  });
  const jobDuration = new Histogram({
    name: "sitestack_job_duration_seconds",
    help: "Run time of the jobs this process ran, by verb and result",
    labelNames: ["verb", "result"] as const,
    buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: "sitestack_jobs_finished_total",
    help: "Jobs this process finished, by verb and result (failed counts the failures)",
    labelNames: ["verb", "result"] as const,
    registers: [registry],
  });
  return { registry, jobDuration, jobsFinished };
}
