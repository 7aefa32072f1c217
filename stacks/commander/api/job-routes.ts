import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import * as z from "zod";
import { StackNotFound, ValidationFailed } from "../../errors.js";
import { parseSiteText, siteSchema, type SiteSpec } from "../../site-model/index.js";
import { siteTarget } from "../../site-target.js";
import { eventsAfter } from "../events.js";
import { getJob, listJobs, type JobVerb } from "../jobs.js";
import { checkAgainstOtherSites } from "../neighbours.js";
import { fileOwnerOf } from "../ownership.js";
import type { Scope } from "../tokens.js";
import type { CommanderContext } from "./context.js";
import { ApiRefusal, requestProblem } from "./problems.js";
import {
  acceptedSchema,
  authErrors,
  errorSchema,
  jobParams,
  jobSchema,
  limitQuery,
  stackParams,
} from "./schemas.js";

/** `Idempotency-Key`: printable ASCII, bounded. */
const idempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, "must be 1-200 printable ASCII characters without spaces")
    .optional(),
});

/** The name the body's problems are reported under, as `validate` names a file. */
const bodyName = "request body";

/**
 * Parses a submitted site document with the site model's one door, as `validate` parses a file:
 * the same zod schema and rules, the same `field.path: message` problems, with line and column in
 * the body. The body is JSON, the same document as a site file.
 */
function parseSubmittedSpec(request: FastifyRequest): SiteSpec {
  const text = request.rawBody;
  if (text === undefined || text.trim() === "") {
    throw new ValidationFailed(
      [requestProblem("", "the body must be a site document (JSON, as a site file)")],
      true,
    );
  }
  const parsed = parseSiteText(text, bodyName, { matchFileName: false });
  if (!parsed.ok) throw new ValidationFailed(parsed.problems);
  return parsed.spec;
}

/** Submit a spec, preview one, and the lifecycle verbs by stack; jobs and their logs. */
export function jobRoutes(context: CommanderContext): FastifyPluginAsyncZod {
  async function accept(
    request: FastifyRequest,
    reply: FastifyReply,
    stack: string,
    verb: JobVerb,
    spec: SiteSpec | undefined,
    idempotencyKey: string | undefined,
  ) {
    request.audit = { stack, verb, ...(spec === undefined ? {} : { spec }) };
    const submitted = await context.jobs.submit({
      stack,
      verb,
      ...(spec === undefined ? {} : { spec }),
      requestedBy: request.principal!.name,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    request.audit.jobId = submitted.job.id;
    if (submitted.kind === "key-reused") {
      request.audit.result = "refused: idempotency key reused";
      throw new ValidationFailed([
        requestProblem(
          "headers.idempotency-key",
          `was used before by this token for a different request (job ${submitted.job.id}: ${submitted.job.verb} ${submitted.job.stack}); use a new key`,
        ),
      ]);
    }
    const links = {
      job: `/v1/jobs/${submitted.job.id}`,
      events: `/v1/events?job=${submitted.job.id}`,
    };
    if (submitted.kind === "replayed") {
      request.audit.result = "replayed";
      return reply
        .status(200)
        .header("idempotent-replayed", "true")
        .send({ job: submitted.job, links });
    }
    return reply.status(202).header("location", links.job).send({ job: submitted.job, links });
  }

  const accepted = {
    200: acceptedSchema,
    202: acceptedSchema,
    400: errorSchema,
    422: errorSchema,
    ...authErrors,
  };

  return async (app) => {
    // The body is checked by the site model from the raw text (positions, cross-field rules);
    // the schema is here for the OpenAPI document.
    const documentOnly = () => (data: unknown) => ({ value: data });
    app.post(
      "/stacks",
      {
        config: { scope: "change", audited: true, verb: "up" },
        validatorCompiler: documentOnly,
        schema: {
          summary: "Create or update a stack from a site document (the JSON form of a site file)",
          body: siteSchema,
          headers: idempotencyHeaders,
          response: { ...accepted, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const key = idempotencyHeaders.parse(request.headers)["idempotency-key"];
        const spec = parseSubmittedSpec(request);
        const stack = siteTarget(spec).stack;
        const owner = await fileOwnerOf(stack, context.projectDir, context.manager);
        if (owner !== undefined) {
          request.audit = { stack, verb: "up", spec, result: "refused: owned by a site file" };
          throw new ApiRefusal(409, "OwnedBySiteFile", owner);
        }
        await checkAgainstOtherSites(spec, stack, context.projectDir, context.manager);
        return accept(request, reply, stack, "up", spec, key);
      },
    );
    app.post(
      "/previews",
      {
        config: { scope: "preview", audited: true, verb: "preview" },
        validatorCompiler: documentOnly,
        schema: {
          summary: "Preview a site document: what an up would change, without changing anything",
          body: siteSchema,
          headers: idempotencyHeaders,
          response: accepted,
        },
      },
      async (request, reply) => {
        const key = idempotencyHeaders.parse(request.headers)["idempotency-key"];
        const spec = parseSubmittedSpec(request);
        return accept(request, reply, siteTarget(spec).stack, "preview", spec, key);
      },
    );
    const lifecycle: readonly { verb: JobVerb; scope: Scope; summary: string }[] = [
      { verb: "refresh", scope: "change", summary: "Read the real resources back into the state" },
      { verb: "archive", scope: "change", summary: "Stop the stack's compute and keep its data" },
      {
        verb: "restore",
        scope: "change",
        summary: "Bring an archived stack back with its last applied spec",
      },
      {
        verb: "cleanup",
        scope: "destroy",
        summary: "Delete everything of the stack, data included, and remove it",
      },
    ];
    for (const { verb, scope, summary } of lifecycle) {
      app.post(
        `/stacks/:stack/${verb}`,
        {
          config: { scope, audited: true, verb },
          schema: {
            summary,
            params: stackParams,
            headers: idempotencyHeaders,
            response: { ...accepted, 404: errorSchema },
          },
        },
        async (request, reply) => {
          const stack = request.params.stack;
          request.audit = { stack, verb };
          // A stack that was never deployed has nothing to operate on: say so now, queue nothing.
          // (A job queued behind an up of the same stack is fine: that stack is then known here.)
          const known = (await context.manager.list()).some((report) => report.stack === stack);
          const pending = known ? [] : await listJobs(context.db, stack, 1);
          if (!known && pending.length === 0) throw new StackNotFound(stack);
          return accept(request, reply, stack, verb, undefined, request.headers["idempotency-key"]);
        },
      );
    }
    app.get(
      "/jobs/:id",
      {
        config: { scope: "read" },
        schema: {
          summary: "A job's state and result, with its log (progress lines and status changes)",
          params: jobParams,
          response: {
            200: z.object({ job: jobSchema, log: z.array(z.unknown()) }),
            404: errorSchema,
            ...authErrors,
          },
        },
      },
      async (request) => {
        const job = await getJob(context.db, request.params.id);
        if (job === undefined)
          throw new ApiRefusal(404, "JobNotFound", `job ${request.params.id} does not exist`);
        return { job, log: await eventsAfter(context.db, 0, { job: job.id }, 10_000) };
      },
    );
    app.get(
      "/jobs",
      {
        config: { scope: "read" },
        schema: {
          summary: "Jobs of every stack, newest first",
          querystring: limitQuery,
          response: { 200: z.object({ jobs: z.array(jobSchema) }), ...authErrors },
        },
      },
      async (request) => ({ jobs: await listJobs(context.db, undefined, request.query.limit) }),
    );
  };
}
