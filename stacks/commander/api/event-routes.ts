import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import * as z from "zod";
import { eventsAfter, type CommanderEvent, type EventFilter } from "../events.js";
import { getJob } from "../jobs.js";
import type { CommanderContext } from "./context.js";
import { stackParams } from "./schemas.js";

/** A comment line every so often keeps proxies from closing a quiet stream. */
const keepAliveMs = 15_000;

/** One event in the `text/event-stream` format: its id, its type and its JSON. */
function frame(event: CommanderEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function isFinal(event: CommanderEvent, job: string | undefined): boolean {
  return (
    job !== undefined &&
    event.type === "job" &&
    event.job === job &&
    (event.data.state === "succeeded" || event.data.state === "failed")
  );
}

/**
 * `GET /v1/events`: the live event stream (Server-Sent Events) of every stack, one stack
 * (`?stack=`) or one job (`?job=`, which ends after the job's last event). A client that
 * reconnects sends `Last-Event-ID` (browsers do) and first gets every stored event after it;
 * `?after=0` replays every stored event first.
 */
export function eventRoutes(context: CommanderContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/events",
      {
        config: { scope: "read", rateLimit: false },
        schema: {
          summary: "Live events (text/event-stream): job states, status changes, progress lines",
          querystring: z.object({
            stack: stackParams.shape.stack.optional(),
            job: z.uuid().optional(),
            /** For clients that cannot set headers; `Last-Event-ID` wins. */
            after: z.coerce.number().int().min(0).optional(),
          }),
          headers: z.object({ "last-event-id": z.coerce.number().int().min(0).optional() }),
        },
      },
      async (request, reply) => {
        const filter: EventFilter = {
          ...(request.query.stack === undefined ? {} : { stack: request.query.stack }),
          ...(request.query.job === undefined ? {} : { job: request.query.job }),
        };
        // Live events only, unless the client resumes (Last-Event-ID), asks (`after`), or follows
        // one job (whose stream always starts at the job's first event).
        const after =
          request.headers["last-event-id"] ??
          request.query.after ??
          (filter.job === undefined ? undefined : 0);
        const raw = reply.raw;
        reply.hijack();
        raw.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        raw.write(": sitestack events\n\n");
        const sent = new Set<number>();
        let replaying = true;
        const buffered: CommanderEvent[] = [];
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          unsubscribe();
          clearInterval(keepAlive);
          raw.end();
        };
        const deliver = (event: CommanderEvent) => {
          if (done || sent.has(event.id)) return;
          sent.add(event.id);
          raw.write(frame(event));
          if (isFinal(event, filter.job)) finish();
        };
        // Subscribe before reading the stored events, so nothing falls between the two.
        const unsubscribe = context.hub.subscribe(filter, (event) =>
          replaying ? buffered.push(event) : deliver(event),
        );
        const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), keepAliveMs);
        request.raw.on("close", finish);
        try {
          let last = after ?? Number.MAX_SAFE_INTEGER;
          while (after !== undefined) {
            const page = await eventsAfter(context.db, last, filter, 1_000);
            page.forEach(deliver);
            if (page.length < 1_000) break;
            last = page[page.length - 1]!.id;
          }
          replaying = false;
          buffered.sort((a, b) => a.id - b.id).forEach(deliver);
          // A finished job whose stream replays nothing final (purged events) still ends.
          if (filter.job !== undefined && !done) {
            const job = await getJob(context.db, filter.job);
            if (
              job === undefined ||
              ((job.state === "succeeded" || job.state === "failed") && sent.size === 0)
            )
              finish();
          }
        } catch {
          finish();
        }
      },
    );
  };
}
