import * as z from "zod";
import { jobVerbs } from "../jobs.js";

/** A stack name in a path: `site-acme`, `staging-pr-42`. */
export const stackParams = z.object({
  stack: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,99}$/,
      "must be a stack name like site-acme (lower-case letters, digits, '-')",
    ),
});

/** A job id in a path. */
export const jobParams = z.object({ id: z.uuid("must be a job id (a UUID)") });

/** `?limit=` of listings. */
export const limitQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});

/** A job as answered (see `Job` in stacks/commander/jobs.ts). */
export const jobSchema = z
  .object({
    id: z.string(),
    stack: z.string(),
    verb: z.enum(jobVerbs),
    state: z.enum(["queued", "running", "succeeded", "failed"]),
    requestedBy: z.string(),
    attempts: z.number(),
    runner: z.string().optional(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    result: z.unknown().optional(),
    error: z.string().optional(),
    spec: z.unknown().optional(),
  })
  .meta({ id: "Job" });

/** The answer to a mutating request: the job it queued (or the first job of its idempotency key). */
export const acceptedSchema = z.object({
  job: jobSchema,
  /** Where to follow it. */
  links: z.object({ job: z.string(), events: z.string() }),
});

/** Every error answer. */
export const errorSchema = z
  .object({
    error: z.string(),
    message: z.string(),
    problems: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          text: z.string(),
          line: z.number().optional(),
          col: z.number().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: "Error" });

/** The error answers every authenticated route may give. */
export const authErrors = { 401: errorSchema, 403: errorSchema, 429: errorSchema };
