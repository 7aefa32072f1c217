import pg from "pg";
import type { Database } from "./database.js";

/**
 * What the event stream carries, in the order it happened for each stack:
 * - `job`: a job changed state (`queued`, `running`, `succeeded`, `failed`);
 * - `status`: a stack's status changed (`CreatePending` → `Running`…; `Removed` after cleanup);
 * - `progress`: a line of an operation in flight (engine output, resource steps, recovery, waits).
 */
export type CommanderEventType = "job" | "status" | "progress";

/** One event as stored and streamed. */
export interface CommanderEvent {
  /** Increasing across the commander: the SSE event id a client resumes from. */
  readonly id: number;
  readonly at: string;
  readonly stack: string;
  readonly job?: string;
  readonly type: CommanderEventType;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The channel every `serve` process LISTENs on. */
export const eventChannel = "sitestack_events";

/** NOTIFY payloads are limited to 8000 bytes; longer events are fetched by id instead. */
const maxNotifyBytes = 7_000;

interface EventRow {
  id: string;
  at: Date;
  stack: string;
  job_id: string | null;
  type: CommanderEventType;
  data: Record<string, unknown>;
}

function eventOf(row: EventRow): CommanderEvent {
  return {
    id: Number(row.id),
    at: row.at.toISOString(),
    stack: row.stack,
    ...(row.job_id === null ? {} : { job: row.job_id }),
    type: row.type,
    data: row.data,
  };
}

/**
 * Appends an event and announces it to every `serve` process in the same statement: NOTIFY is
 * delivered at commit, so a listener never hears of an event it cannot read.
 */
export async function appendEvent(
  db: Pick<Database, "query">,
  event: Omit<CommanderEvent, "id" | "at">,
): Promise<CommanderEvent> {
  const result = await db.query<EventRow & { notified: unknown }>(
    `with added as (
       insert into sitestack.events (stack, job_id, type, data) values ($1, $2, $3, $4)
       returning id, at, stack, job_id, type, data
     )
     select added.*, pg_notify($5, case when octet_length(payload) <= $6 then payload else added.id::text end) as notified
     from added, lateral (select json_build_object(
       'id', added.id, 'at', added.at, 'stack', added.stack, 'job_id', added.job_id,
       'type', added.type, 'data', added.data)::text as payload) as p`,
    [event.stack, event.job ?? null, event.type, event.data, eventChannel, maxNotifyBytes],
  );
  return eventOf(result.rows[0]!);
}

/** Which events a reader wants. */
export interface EventFilter {
  readonly stack?: string;
  readonly job?: string;
}

function matches(event: CommanderEvent, filter: EventFilter): boolean {
  return (
    (filter.stack === undefined || event.stack === filter.stack) &&
    (filter.job === undefined || event.job === filter.job)
  );
}

/** Stored events after `afterId`, oldest first, at most `limit`. */
export async function eventsAfter(
  db: Database,
  afterId: number,
  filter: EventFilter,
  limit = 1_000,
): Promise<CommanderEvent[]> {
  const result = await db.query<EventRow>(
    `select id, at, stack, job_id, type, data from sitestack.events
     where id > $1 and ($2::text is null or stack = $2) and ($3::uuid is null or job_id = $3)
     order by id limit $4`,
    [afterId, filter.stack ?? null, filter.job ?? null, limit],
  );
  return result.rows.map(eventOf);
}

/**
 * This process's subscription to every event of the commander, whichever process wrote it: one
 * LISTEN connection, fanned out to the SSE clients connected here.
 */
export class EventHub {
  private readonly subscribers = new Set<{
    filter: EventFilter;
    deliver: (event: CommanderEvent) => void;
  }>();
  private client: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly db: Database,
  ) {}

  /** Connects the LISTEN connection (again, after a lost connection, within a second). */
  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: "sitestack-events",
    });
    client.on("error", () => undefined);
    client.on("end", () => {
      if (!this.closed) setTimeout(() => void this.start().catch(() => undefined), 1_000);
    });
    client.on("notification", (message) => void this.onNotification(message.payload ?? ""));
    await client.connect();
    await client.query(`listen ${eventChannel}`);
    this.client = client;
  }

  private async onNotification(payload: string): Promise<void> {
    let event: CommanderEvent | undefined;
    if (payload.startsWith("{")) {
      const row = JSON.parse(payload) as Omit<EventRow, "at"> & { at: string };
      event = eventOf({ ...row, at: new Date(row.at) });
    } else {
      const id = Number(payload);
      const [row] = await eventsAfter(this.db, id - 1, {}, 1).catch(() => []);
      event = row?.id === id ? row : undefined;
    }
    if (event === undefined) return;
    for (const subscriber of this.subscribers) {
      if (matches(event, subscriber.filter)) subscriber.deliver(event);
    }
  }

  /** Calls `deliver` for every new event matching `filter` until the returned function is called. */
  subscribe(filter: EventFilter, deliver: (event: CommanderEvent) => void): () => void {
    const subscriber = { filter, deliver };
    this.subscribers.add(subscriber);
    return () => void this.subscribers.delete(subscriber);
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }
}
