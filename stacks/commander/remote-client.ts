import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { randomUUID } from "node:crypto";
import type { CommanderEvent } from "./events.js";

/** Where a commander is and how to prove who we are. */
export interface RemoteSettings {
  /** `http(s)://host:port` of the commander. */
  readonly url: string;
  /** The bearer token (from `SITESTACK_TOKEN`; never a flag). */
  readonly token: string;
  /** Mutual TLS: our client certificate and key (PEM), and the CA that signed the commander's. */
  readonly tls?: { readonly cert?: string; readonly key?: string; readonly ca?: string };
}

/** An answer of the commander. */
export interface RemoteAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: IncomingMessage["headers"];
}

/** The commander could not be reached (after retries). */
export class CommanderUnreachable extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `cannot reach the commander at ${url}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

function open(
  settings: RemoteSettings,
  method: string,
  path: string,
  headers: Record<string, string>,
) {
  const url = new URL(path, settings.url);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return request(url, {
    method,
    headers: { authorization: `Bearer ${settings.token}`, ...headers },
    ...(settings.tls ?? {}),
  });
}

function once(
  settings: RemoteSettings,
  method: string,
  path: string,
  body?: unknown,
  key?: string,
): Promise<RemoteAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = open(settings, method, path, {
      accept: "application/json",
      ...(payload === undefined ? {} : { "content-type": "application/json" }),
      ...(key === undefined ? {} : { "idempotency-key": key }),
    });
    request.setTimeout(60_000, () => request.destroy(new Error("no answer within 60 s")));
    request.on("error", reject);
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => void (text += chunk));
      response.on("end", () => {
        let parsed: unknown = text;
        try {
          parsed = text === "" ? undefined : JSON.parse(text);
        } catch {
          // Not JSON (metrics): keep the text.
        }
        resolve({ status: response.statusCode ?? 0, body: parsed, headers: response.headers });
      });
    });
    request.end(payload);
  });
}

/**
 * Sends one request. A mutating request carries an idempotency key of its own and is sent again
 * with the same key when the connection fails or the commander answers 502/503/504, so a retry
 * never queues a second job.
 */
export async function callCommander(
  settings: RemoteSettings,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<RemoteAnswer> {
  const key = method === "POST" ? randomUUID() : undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    try {
      const answer = await once(settings, method, path, body, key);
      if (![502, 503, 504].includes(answer.status)) return answer;
      lastError = new Error(`HTTP ${answer.status}`);
    } catch (error) {
      lastError = error;
    }
  }
  throw new CommanderUnreachable(settings.url, lastError);
}

/**
 * Follows an event stream (`/v1/events?…`), calling `onEvent` for each event, until the server
 * ends it (a job's stream ends after the job's last event).
 */
export function followEvents(
  settings: RemoteSettings,
  path: string,
  onEvent: (event: CommanderEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = open(settings, "GET", path, { accept: "text/event-stream" });
    // Stopping a stream that never ends (`?stack=`) is a normal end, not an error.
    signal?.addEventListener("abort", () => {
      request.destroy();
      resolve();
    });
    request.on("error", (error) => (signal?.aborted === true ? resolve() : reject(error)));
    request.on("response", (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`the event stream answered HTTP ${response.statusCode}`));
        return;
      }
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame
            .split("\n")
            .filter((line) => line.startsWith("data: "))
            .map((line) => line.slice(6))
            .join("\n");
          if (data !== "") onEvent(JSON.parse(data) as CommanderEvent);
        }
      });
      response.on("end", () => resolve());
      response.on("error", (error) => (signal?.aborted === true ? resolve() : reject(error)));
    });
    request.end();
  });
}
