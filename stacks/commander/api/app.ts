import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { maxFileBytes } from "../../site-model/index.js";
import { maskSpec, recordAudit } from "../audit.js";
import { TokenVerifier } from "../tokens.js";
import { authenticate } from "./auth.js";
import type { CommanderContext } from "./context.js";
import { eventRoutes } from "./event-routes.js";
import { jobRoutes } from "./job-routes.js";
import { errorHandler } from "./problems.js";
import { readRoutes } from "./read-routes.js";
import { webRoutes } from "./web-routes.js";

/** The version the OpenAPI document states. */
const apiVersion = "1";

/** Options of {@link commanderApp} beyond the context: Fastify's own (logger, https…). */
export type CommanderServerOptions = Pick<FastifyServerOptions, "logger"> & {
  readonly https?: import("node:https").ServerOptions;
};

/**
 * The commander's HTTP API as a Fastify instance, not yet listening (tests call `inject`): bearer
 * auth on every route, scopes per verb class, the site model's zod schemas as request schemas and
 * in `/openapi.json`, rate limits per token, a body limit, and an audit row for every mutating
 * request. Routes are listed in docs/commander.md.
 */
export async function commanderApp(
  context: CommanderContext,
  options: CommanderServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: context.limits?.bodyLimit ?? maxFileBytes,
    // Never trust forwarded addresses unless a proxy is configured: the audit log's "from where".
    trustProxy: false,
    ...(options.https === undefined ? {} : { https: options.https }),
  } as FastifyServerOptions).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(context.scrubber));

  // Keep the body as sent: a submitted site document is parsed by the site model, with positions.
  const defaultJson = app.getDefaultJsonParser("error", "error");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    request.rawBody = body as string;
    if (body === "") return done(null, undefined);
    defaultJson(request, body as string, done);
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "sitestack commander",
        version: apiVersion,
        description: "Create and operate site stacks over HTTP. See docs/commander.md.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const tokens = new TokenVerifier(context.db);
  app.addHook("onRequest", authenticate(tokens));
  await app.register(rateLimit, {
    global: true,
    max: context.limits?.ratePerMinute ?? 600,
    timeWindow: 60_000,
    // After authentication, so the budget is the token's (an address shares none with another).
    hook: "preHandler",
    keyGenerator: (request) =>
      request.principal === undefined ? `ip:${request.ip}` : `token:${request.principal.name}`,
  });

  // Written before the answer leaves (onSend), so an answered request is always in the log,
  // refusals by the auth hook included (their stack and verb come from the route).
  app.addHook("onSend", async (request, reply, payload) => {
    const config = request.routeOptions.config;
    if (config.audited !== true) return payload;
    const stackParam = (request.params as { stack?: unknown } | undefined)?.stack;
    const audit = {
      ...(typeof stackParam === "string" && /^[a-z0-9-]{1,100}$/.test(stackParam)
        ? { stack: stackParam }
        : {}),
      ...(config.verb === undefined ? {} : { verb: config.verb }),
      ...request.audit,
    };
    await recordAudit(context.db, {
      ...(request.principal === undefined ? {} : { tokenName: request.principal.name }),
      ip: request.ip,
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      ...(audit.stack === undefined ? {} : { stack: audit.stack }),
      ...(audit.verb === undefined ? {} : { verb: audit.verb }),
      ...(audit.jobId === undefined ? {} : { jobId: audit.jobId }),
      ...(audit.spec === undefined ? {} : { spec: maskSpec(audit.spec, context.scrubber) }),
      statusCode: reply.statusCode,
      result:
        audit.result ?? (reply.statusCode < 400 ? "accepted" : `refused (${reply.statusCode})`),
      durationMs: reply.elapsedTime,
    }).catch((error: unknown) => request.log.error({ err: error }, "audit write failed"));
    return payload;
  });

  app.get("/openapi.json", { config: { scope: "read" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  app.get(
    "/metrics",
    { config: { scope: "read" }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .type(context.metrics.registry.contentType)
        .send(await context.metrics.registry.metrics()),
  );
  await app.register(readRoutes(context), { prefix: "/v1" });
  await app.register(jobRoutes(context), { prefix: "/v1" });
  await app.register(eventRoutes(context), { prefix: "/v1" });
  await app.register(webRoutes(context));
  return app;
}
