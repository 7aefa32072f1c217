import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { httpStatusOf, SitestackError, ValidationFailed } from "../../errors.js";
import type { Problem } from "../../site-model/index.js";
import type { Scrubber } from "../../manager/scrub.js";

/** A problem as the API returns it: the `field.path: message` of `sitestack validate`. */
export interface ApiProblem {
  readonly path: string;
  readonly message: string;
  /** `field.path: message`, or the message alone for a problem of the whole document. */
  readonly text: string;
  /** Line and column in the request body, for problems found in a submitted site document. */
  readonly line?: number;
  readonly col?: number;
}

/** The body of every error answer. */
export interface ApiError {
  /** `ValidationFailed`, `StackNotFound`, `Conflict`, `Unauthorized`, `Forbidden`… */
  readonly error: string;
  readonly message: string;
  readonly problems?: readonly ApiProblem[];
}

/** A site-model problem as the API returns it. */
export function apiProblem(problem: Problem, located = true): ApiProblem {
  return {
    path: problem.path,
    message: problem.message,
    text: problem.path === "" ? problem.message : `${problem.path}: ${problem.message}`,
    ...(located ? { line: problem.line, col: problem.col } : {}),
  };
}

/** A problem of a request field that is not part of a site document (a query parameter…). */
export function requestProblem(path: string, message: string): Problem {
  return { file: "request", line: 1, col: 1, path, message };
}

/** An error the API answers with its own status and name (409 ownership, 401, 403…). */
export class ApiRefusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The one error handler: typed errors keep their table status (stacks/errors.ts) and say what is
 * wrong; schema failures of queries and parameters become `field.path: message` problems like a
 * site file's; Fastify's own 4xx (body too large, bad JSON, rate limit) keep their status; anything
 * else is a 500 that says no more than that. Every message goes through the scrubber.
 */
export function errorHandler(scrubber: Scrubber) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? "request";
      const problems = error.validation.map((issue) =>
        requestProblem(
          [
            where === "querystring" ? "query" : where,
            ...issue.instancePath.split("/").filter((s) => s !== ""),
          ].join("."),
          issue.message ?? "is not valid",
        ),
      );
      return send(reply, new ValidationFailed(problems, true), scrubber);
    }
    if (error instanceof SitestackError || error instanceof ApiRefusal)
      return send(reply, error, scrubber);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .status(status)
        .send({ error: error.code ?? "BadRequest", message: scrubber.scrub(error.message) });
    }
    request.log.error(
      { err: { message: scrubber.scrub(error.message), code: error.code } },
      "internal error",
    );
    return reply
      .status(500)
      .send({ error: "Internal", message: "internal error; the commander's log has the details" });
  };
}

/** Answers with `error`'s status and body. */
export function send(
  reply: FastifyReply,
  error: SitestackError | ApiRefusal,
  scrubber: Scrubber,
): FastifyReply {
  if (error instanceof ApiRefusal) {
    return reply
      .status(error.statusCode)
      .send({ error: error.errorName, message: scrubber.scrub(error.message) });
  }
  const body: ApiError = {
    error: error.name,
    message: scrubber.scrub(error.message),
    ...(error instanceof ValidationFailed
      ? {
          problems: error.problems.map((problem) =>
            apiProblem(problem, problem.file !== "request"),
          ),
        }
      : {}),
  };
  return reply.status(httpStatusOf(error)).send(body);
}
