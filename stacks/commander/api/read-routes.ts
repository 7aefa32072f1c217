import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import * as z from "zod";
import { ValidationFailed } from "../../errors.js";
import { matchesSelector, parseSelector } from "../../manager/selector.js";
import { listAudit } from "../audit.js";
import { listJobs } from "../jobs.js";
import type { CommanderContext } from "./context.js";
import { requestProblem } from "./problems.js";
import { authErrors, errorSchema, jobSchema, limitQuery, stackParams } from "./schemas.js";

/** Status, list, outputs, history, a stack's jobs, and the audit log (admin). */
export function readRoutes(context: CommanderContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/stacks",
      {
        config: { scope: "read" },
        schema: {
          summary:
            "Every stack with its status; `selector` filters by labels (team=shop,tier!=gold)",
          querystring: z.object({ selector: z.string().max(1000).optional() }),
          response: {
            200: z.object({ stacks: z.array(z.unknown()) }),
            422: errorSchema,
            ...authErrors,
          },
        },
      },
      async (request) => {
        let requirements;
        try {
          requirements = parseSelector(request.query.selector ?? "");
        } catch (error) {
          throw new ValidationFailed([requestProblem("query.selector", (error as Error).message)]);
        }
        const stacks = (await context.manager.list()).filter((report) =>
          matchesSelector(report.labels, requirements),
        );
        return { stacks: stacks.map(withoutSpec) };
      },
    );
    app.get(
      "/stacks/:stack",
      {
        config: { scope: "read" },
        schema: {
          summary: "One stack's status, lifecycle, last operation, outputs and last applied spec",
          params: stackParams,
          response: { 200: z.unknown(), 404: errorSchema, ...authErrors },
        },
      },
      async (request) => context.manager.status(request.params.stack),
    );
    app.get(
      "/stacks/:stack/outputs",
      {
        config: { scope: "read" },
        schema: {
          summary: "The stack's outputs (secret ones as [secret])",
          params: stackParams,
          response: {
            200: z.object({ outputs: z.record(z.string(), z.unknown()) }),
            404: errorSchema,
            ...authErrors,
          },
        },
      },
      async (request) => ({ outputs: await context.manager.outputs(request.params.stack) }),
    );
    app.get(
      "/stacks/:stack/history",
      {
        config: { scope: "read" },
        schema: {
          summary: "The stack's update history from the backend, newest first",
          params: stackParams,
          querystring: limitQuery,
          response: {
            200: z.object({ history: z.array(z.unknown()) }),
            404: errorSchema,
            ...authErrors,
          },
        },
      },
      async (request) => ({
        history: await context.manager.history(request.params.stack, request.query.limit),
      }),
    );
    app.get(
      "/stacks/:stack/jobs",
      {
        config: { scope: "read" },
        schema: {
          summary: "The stack's jobs, newest first",
          params: stackParams,
          querystring: limitQuery,
          response: { 200: z.object({ jobs: z.array(jobSchema) }), ...authErrors },
        },
      },
      async (request) => ({
        jobs: await listJobs(context.db, request.params.stack, request.query.limit),
      }),
    );
    app.get(
      "/audit",
      {
        config: { scope: "admin" },
        schema: {
          summary: "The audit log, newest first (admin scope)",
          querystring: limitQuery.extend({ stack: stackParams.shape.stack.optional() }),
          response: { 200: z.object({ entries: z.array(z.unknown()) }), ...authErrors },
        },
      },
      async (request) => ({
        entries: await listAudit(context.db, request.query.stack, request.query.limit),
      }),
    );
  };
}

/** A listing row without the last applied spec (status of one stack carries it). */
function withoutSpec<T extends { spec?: unknown }>(report: T): Omit<T, "spec"> {
  return Object.fromEntries(Object.entries(report).filter(([key]) => key !== "spec")) as Omit<
    T,
    "spec"
  >;
}
