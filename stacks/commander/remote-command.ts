import { readFileSync } from "node:fs";
import { errorTable, internalError, type SitestackErrorName } from "../errors.js";
import { escapeLine } from "../escape.js";
import type { CliIo } from "../io.js";
import { formatProblem, loadSiteFile } from "../site-model/index.js";
import { stackNameCandidates } from "../contract.js";
import type { CommanderEvent } from "./events.js";
import type { Job } from "./jobs.js";
import {
  callCommander,
  followEvents,
  type RemoteAnswer,
  type RemoteSettings,
} from "./remote-client.js";

/** Flags of `sitestack remote`. */
export interface RemoteFlags {
  readonly url?: string;
  readonly json?: boolean;
  /** False with `--no-wait`: print the queued job and return. */
  readonly wait?: boolean;
  readonly yes?: boolean;
  readonly selector?: string;
  readonly limit?: string;
  readonly cacert?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** The verbs `sitestack remote` mirrors. */
export const remoteVerbs = [
  "up",
  "preview",
  "refresh",
  "archive",
  "restore",
  "cleanup",
  "status",
  "list",
  "outputs",
  "history",
  "job",
] as const;

/** One remote verb. */
export type RemoteVerb = (typeof remoteVerbs)[number];

/** The CLI's exit code for an error answer: the typed error's own, else by HTTP status. */
export function exitCodeOfAnswer(answer: RemoteAnswer): number {
  const name = (answer.body as { error?: string } | undefined)?.error;
  if (name !== undefined && name in errorTable)
    return errorTable[name as SitestackErrorName].exitCode;
  if (answer.status === 404) return errorTable.StackNotFound.exitCode;
  if (answer.status >= 400 && answer.status < 500) return errorTable.ValidationFailed.exitCode;
  return internalError.exitCode;
}

/** The exit code of a finished job: 0, or the CLI's code for the error it failed with. */
export function exitCodeOfJob(job: Job): number {
  if (job.state === "succeeded") return 0;
  const name = (job.result as { errorName?: string } | undefined)?.errorName;
  return name !== undefined && name in errorTable
    ? errorTable[name as SitestackErrorName].exitCode
    : internalError.exitCode;
}

class RemoteFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function settingsOf(flags: RemoteFlags, io: CliIo): RemoteSettings {
  const url = flags.url ?? io.env.SITESTACK_URL;
  const token = io.env.SITESTACK_TOKEN;
  if (url === undefined || url === "") {
    throw new RemoteFailure(
      "the commander's address is missing: --url https://host:port or SITESTACK_URL",
      2,
    );
  }
  if (token === undefined || token === "") {
    throw new RemoteFailure(
      "the token is missing: set SITESTACK_TOKEN (never a flag: command lines are visible)",
      2,
    );
  }
  const tls = {
    ...(flags.cacert === undefined ? {} : { ca: readFileSync(flags.cacert, "utf8") }),
    ...(flags.cert === undefined ? {} : { cert: readFileSync(flags.cert, "utf8") }),
    ...(flags.key === undefined ? {} : { key: readFileSync(flags.key, "utf8") }),
  };
  return { url, token, ...(Object.keys(tls).length === 0 ? {} : { tls }) };
}

function check(answer: RemoteAnswer): unknown {
  if (answer.status < 400) return answer.body;
  const body = answer.body as
    { message?: string; problems?: { text: string; line?: number; col?: number }[] } | undefined;
  const problems = (body?.problems ?? []).map((problem) => `\n  - ${problem.text}`).join("");
  throw new RemoteFailure(
    `${body?.message ?? `HTTP ${answer.status}`}${problems}`,
    exitCodeOfAnswer(answer),
  );
}

/**
 * `sitestack remote <verb> …`: the CLI's verbs against a commander. Site files are validated here
 * first (the same problems as `validate`, exit 2) and sent as site documents; jobs are followed on
 * the event stream until they end, and the exit code is the one the CLI would give.
 */
export async function runRemote(
  verb: RemoteVerb,
  operands: readonly string[],
  flags: RemoteFlags,
  io: CliIo,
): Promise<number> {
  const print = (value: unknown, text: string) =>
    io.stdout(flags.json === true ? `${JSON.stringify(value)}\n` : text);
  try {
    const settings = settingsOf(flags, io);
    const get = async (path: string) => check(await callCommander(settings, "GET", path));
    const stackOf = async (operand: string): Promise<string> => {
      const { stacks } = (await get("/v1/stacks")) as { stacks: { stack: string }[] };
      const known = new Set(stacks.map((report) => report.stack));
      return stackNameCandidates(operand).find((candidate) => known.has(candidate)) ?? operand;
    };
    switch (verb) {
      case "list": {
        const query =
          flags.selector === undefined ? "" : `?selector=${encodeURIComponent(flags.selector)}`;
        const body = (await get(`/v1/stacks${query}`)) as {
          stacks: { stack: string; status: string; kind: string }[];
        };
        print(
          body,
          body.stacks
            .map((report) => `${escapeLine(report.stack)}  ${report.kind}  ${report.status}\n`)
            .join(""),
        );
        return 0;
      }
      case "status":
      case "outputs":
      case "history": {
        if (operands.length === 0) throw new RemoteFailure(`remote ${verb} needs a stack name`, 2);
        for (const operand of operands) {
          const stack = await stackOf(operand);
          const suffix = verb === "status" ? "" : `/${verb}`;
          const body = await get(`/v1/stacks/${encodeURIComponent(stack)}${suffix}`);
          print(body, `${escapeLine(stack)}: ${JSON.stringify(body, null, 2)}\n`);
        }
        return 0;
      }
      case "job": {
        const [id] = operands;
        if (id === undefined) throw new RemoteFailure("remote job needs a job id", 2);
        const body = (await get(`/v1/jobs/${encodeURIComponent(id)}`)) as {
          job: Job;
          log: CommanderEvent[];
        };
        print(body, `${body.log.map(describeEvent).join("")}${describeJob(body.job)}`);
        return 0;
      }
      case "up":
      case "preview":
      case "refresh":
      case "archive":
      case "restore":
      case "cleanup":
        return await submitJobs(settings, verb, operands, flags, io);
      default: {
        const unknownVerb: never = verb;
        throw new RemoteFailure(`unknown remote verb ${String(unknownVerb)}`, 2);
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`error: ${message}\n`);
    return error instanceof RemoteFailure ? error.exitCode : internalError.exitCode;
  }
}

async function submitJobs(
  settings: RemoteSettings,
  verb: "up" | "preview" | "refresh" | "archive" | "restore" | "cleanup",
  operands: readonly string[],
  flags: RemoteFlags,
  io: CliIo,
): Promise<number> {
  if (operands.length === 0) {
    throw new RemoteFailure(
      verb === "up" || verb === "preview"
        ? `remote ${verb} needs site files`
        : `remote ${verb} needs stack names`,
      2,
    );
  }
  if (verb === "cleanup" && flags.yes !== true) {
    throw new RemoteFailure(
      "cleanup deletes everything of the stacks, data included: add --yes to confirm",
      2,
    );
  }
  const requests: { path: string; body?: unknown }[] = [];
  if (verb === "up" || verb === "preview") {
    const problems: string[] = [];
    for (const file of operands) {
      const loaded = await loadSiteFile(file);
      if (!loaded.ok) problems.push(...loaded.problems.map(formatProblem));
      else
        requests.push({ path: verb === "up" ? "/v1/stacks" : "/v1/previews", body: loaded.spec });
    }
    if (problems.length > 0)
      throw new RemoteFailure(
        `site files are not valid; nothing was sent:\n${problems.join("\n")}`,
        2,
      );
  } else {
    const { stacks } = check(await callCommander(settings, "GET", "/v1/stacks")) as {
      stacks: { stack: string }[];
    };
    const known = new Set(stacks.map((report) => report.stack));
    for (const operand of operands) {
      const stack =
        stackNameCandidates(operand).find((candidate) => known.has(candidate)) ?? operand;
      requests.push({ path: `/v1/stacks/${encodeURIComponent(stack)}/${verb}` });
    }
  }
  const jobs: Job[] = [];
  for (const request of requests) {
    const body = check(await callCommander(settings, "POST", request.path, request.body)) as {
      job: Job;
    };
    jobs.push(body.job);
    if (flags.json !== true)
      io.stderr(`queued ${body.job.verb} ${escapeLine(body.job.stack)}: job ${body.job.id}\n`);
  }
  if (flags.wait === false) {
    io.stdout(
      flags.json === true
        ? `${JSON.stringify({ jobs })}\n`
        : jobs.map((job) => `${job.id}\n`).join(""),
    );
    return 0;
  }
  let exitCode = 0;
  for (const job of jobs) {
    await followEvents(settings, `/v1/events?job=${job.id}`, (event) => {
      if (flags.json === true) io.stdout(`${JSON.stringify(event)}\n`);
      else io.stderr(describeEvent(event));
    });
    const { job: finished } = check(await callCommander(settings, "GET", `/v1/jobs/${job.id}`)) as {
      job: Job;
    };
    if (flags.json === true) io.stdout(`${JSON.stringify({ type: "job", job: finished })}\n`);
    else io.stdout(describeJob(finished));
    exitCode = exitCode === 0 ? exitCodeOfJob(finished) : exitCode;
  }
  return exitCode;
}

function describeEvent(event: CommanderEvent): string {
  const data = event.data;
  const prefix = `[${escapeLine(event.stack)}]`;
  switch (event.type) {
    case "job":
      return `${prefix} job ${String(data.state)}${data.error === undefined ? "" : `: ${escapeLine(String(data.error))}`}\n`;
    case "status":
      return `${prefix} status ${String(data.status)}\n`;
    case "progress":
      return data.kind === "output"
        ? `${prefix} ${escapeLine(String(data.line))}\n`
        : data.kind === "resource"
          ? ""
          : `${prefix} ${escapeLine(String(data.message ?? data.kind))}\n`;
    default:
      return "";
  }
}

function describeJob(job: Job): string {
  const result = job.result as
    | { status?: string; nextSteps?: { ingressAddress?: string | null; dnsRecords?: unknown[] } }
    | undefined;
  const lines = [
    `${escapeLine(job.stack)}: ${job.verb} ${job.state}${result?.status === undefined ? "" : ` (${result.status})`}`,
  ];
  if (job.error !== undefined) lines.push(`  error: ${escapeLine(job.error)}`);
  const next = result?.nextSteps;
  if (next !== undefined) {
    lines.push(`  ingress address: ${next.ingressAddress ?? "not known"}`);
    for (const record of (next.dnsRecords ?? []) as {
      name: string;
      type: string | null;
      content: string | null;
    }[]) {
      lines.push(
        `  DNS record to create: ${escapeLine(record.name)} ${record.type ?? "?"} ${record.content ?? "?"}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
