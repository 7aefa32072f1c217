import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import * as z from "zod";
import { scopes } from "../tokens.js";
import type { CommanderContext } from "./context.js";
import { authErrors } from "./schemas.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * A route anyone may load without a token: only the web page's own files, which hold no data
     * (every datum the page shows comes from the token-protected API).
     */
    public?: boolean;
  }
}

/**
 * The web page's policy: its own script, style and API only; no inline code, no other origins, no
 * frames, no forms posting anywhere, no `<base>`. `require-trusted-types-for 'script'` makes the
 * browser refuse every string written into an HTML sink (`innerHTML` and kin) — the page builds
 * its DOM with `textContent` and `createElement` alone, and this keeps it so.
 */
export const webContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

/** Headers of every file of the page. */
const securityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": webContentSecurityPolicy,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
  // The files are small and change with the commander's version: always revalidate.
  "cache-control": "no-cache",
};

/** The page's files: a fixed list (no path from the request reaches the file system). */
const webFiles: readonly { readonly name: string; readonly type: string }[] = [
  { name: "index.html", type: "text/html; charset=utf-8" },
  { name: "app.js", type: "text/javascript; charset=utf-8" },
  { name: "style.css", type: "text/css; charset=utf-8" },
];

/**
 * The folder of the page's files, `stacks/commander/web/` of the package, found by walking up to
 * the package root: the same from the TypeScript sources and from the compiled `dist/` (the files
 * are plain HTML, CSS and an ES module; nothing builds them).
 */
export function webAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "stacks", "commander", "web");
    if (existsSync(join(dir, "package.json")) && existsSync(join(candidate, "index.html")))
      return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no stacks/commander/web/ folder above ${import.meta.url}`);
    dir = parent;
  }
}

/**
 * The web page at `/ui/` (and `/` redirecting there): the stacks with their statuses, live; one
 * stack's history, outputs, jobs and job logs; archive/restore/cleanup behind a confirmation.
 * The files need no token; the page asks for one and calls the API with it. `GET /v1/whoami`
 * tells the page what its token may do and where the event log stands. See docs/commander.md.
 */
export function webRoutes(context: CommanderContext): FastifyPluginAsyncZod {
  return async (app) => {
    const dir = webAssetsDir();
    const contents = new Map(
      webFiles.map((file) => [file.name, { ...file, body: readFileSync(join(dir, file.name)) }]),
    );
    const send = (reply: FastifyReply, name: string) => {
      const file = contents.get(name)!;
      return reply.headers(securityHeaders).type(file.type).send(file.body);
    };
    const page = { config: { public: true }, schema: { hide: true } } as const;

    app.get("/", page, async (_request, reply) => reply.redirect("/ui/", 302));
    app.get("/ui", page, async (_request, reply) => reply.redirect("/ui/", 302));
    app.get("/ui/", page, async (_request, reply) => send(reply, "index.html"));
    for (const file of webFiles.filter((file) => file.name !== "index.html")) {
      app.get(`/ui/${file.name}`, page, async (_request, reply) => send(reply, file.name));
    }

    app.get(
      "/v1/whoami",
      {
        // Any valid token: the page asks before it knows what the token may do.
        schema: {
          summary:
            "The calling token's name and scopes, and the id of the newest event (stream from there with Last-Event-ID)",
          response: {
            200: z.object({
              name: z.string(),
              scopes: z.array(z.enum(scopes)),
              lastEventId: z.number(),
            }),
            ...authErrors,
          },
        },
      },
      async (request) => {
        const result = await context.db.query<{ last: string }>(
          "select coalesce(max(id), 0) as last from sitestack.events",
        );
        return {
          name: request.principal!.name,
          scopes: [...request.principal!.scopes],
          lastEventId: Number(result.rows[0]?.last ?? 0),
        };
      },
    );
  };
}
