import type { FastifyReply, FastifyRequest } from "fastify";
import { allows, type TokenVerifier } from "../tokens.js";
import { ApiRefusal } from "./problems.js";

const bearer = /^Bearer ([A-Za-z0-9._~+/=-]{1,200})$/;

/**
 * Checks the bearer token of every request: no token or an unknown one is 401 (with
 * `WWW-Authenticate`, RFC 6750), a known token without the route's scope is 403 naming the scope.
 * The token is never logged or echoed; only its name travels on as the request's principal.
 */
export function authenticate(tokens: TokenVerifier) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The web page's own files (stacks/commander/api/web-routes.ts) hold no data.
    if (request.routeOptions.config.public === true) return;
    const header = request.headers.authorization;
    const token = header === undefined ? undefined : bearer.exec(header)?.[1];
    if (token === undefined) {
      void reply.header("www-authenticate", 'Bearer realm="sitestack"');
      throw new ApiRefusal(
        401,
        "Unauthorized",
        "a bearer token is required (Authorization: Bearer <token>)",
      );
    }
    const principal = await tokens.verify(token);
    if (principal === undefined) {
      void reply.header("www-authenticate", 'Bearer realm="sitestack", error="invalid_token"');
      throw new ApiRefusal(
        401,
        "Unauthorized",
        "the bearer token is not known (revoked, or never issued)",
      );
    }
    request.principal = principal;
    const scope = request.routeOptions.config.scope;
    if (scope !== undefined && !allows(principal, scope)) {
      void reply.header(
        "www-authenticate",
        `Bearer realm="sitestack", error="insufficient_scope", scope="${scope}"`,
      );
      throw new ApiRefusal(
        403,
        "Forbidden",
        `token "${principal.name}" lacks the "${scope}" scope this request needs`,
      );
    }
  };
}
