// The commander's web page: one ES module, no framework, no build step (docs/commander.md).
//
// Rules this file keeps:
// - Every datum is written with textContent / text nodes / setAttribute, never as HTML. The page's
//   Content-Security-Policy requires Trusted Types, so an innerHTML with a string would throw.
// - The token lives in sessionStorage (this tab only, gone when it closes) and travels only in the
//   Authorization header, never in a URL: the event stream is read with fetch, not EventSource
//   (which cannot send headers).

const tokenKey = "sitestack.token";
const stackPattern = /^[a-z0-9][a-z0-9-]{0,99}$/;
const jobPattern = /^[0-9a-f-]{36}$/;
/** Longest event frame kept while waiting for its end; a longer one is dropped. */
const maxFrameChars = 1_000_000;
/** Lines of a job log kept on the page. */
const maxLogLines = 5_000;

const state = {
  /** @type {string | undefined} */ token: sessionStorage.getItem(tokenKey) ?? undefined,
  /** @type {{ name: string, scopes: string[], lastEventId: number } | undefined} */
  principal: undefined,
  /** @type {AbortController | undefined} */ stream: undefined,
  /** The current view's refresh, called (debounced) when an event concerns it. */
  /** @type {(() => Promise<void>) | undefined} */ refresh: undefined,
  /** @type {((event: any) => void) | undefined} */ onEvent: undefined,
  /** @type {ReturnType<typeof setTimeout> | undefined} */ refreshTimer: undefined,
  /** Whether the next navigation keeps the notice (an action's "queued" message). */
  keepNotice: false,
};

// ---------------------------------------------------------------------------------------------
// DOM helpers: elements from data, never markup.

/**
 * @param {string} tag
 * @param {Record<string, unknown>} [props] class, on<event> handlers, other attributes
 * @param {...(Node | string | number | undefined | null | false)} children
 */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false || value === null) continue;
    if (key === "class") node.className = String(value);
    else if (key.startsWith("on") && typeof value === "function")
      node.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === "object" ? child : String(child));
  }
  return node;
}

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} status */
function badge(status) {
  return el("span", { class: `status ${/^[A-Za-z]+$/.test(status) ? status : ""}` }, status);
}

/**
 * A table with a heading row and a body (returned too, for views that refill it).
 * @param {string} id @param {readonly string[]} headings @param {Node[]} rows
 */
function table(id, headings, rows = []) {
  const body = el("tbody", {}, ...rows);
  const node = el(
    "table",
    { id },
    el("thead", {}, el("tr", {}, ...headings.map((heading) => el("th", {}, heading)))),
    body,
  );
  return { node, body };
}

/** @param {string | undefined} iso */
function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? String(iso)
    : date.toISOString().replace("T", " ").slice(0, 19);
}

/** @param {string | undefined} from @param {string | undefined} to */
function duration(from, to) {
  if (!from || !to) return "";
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : "";
}

/** @param {string} text @param {boolean} [error] */
function notify(text, error = false) {
  const notice = $("notice");
  notice.textContent = text;
  notice.className = error ? "error" : "";
  notice.hidden = false;
}

function clearNotice() {
  $("notice").hidden = true;
}

/** @param {...Node} nodes */
function show(...nodes) {
  $("main").replaceChildren(...nodes);
}

// ---------------------------------------------------------------------------------------------
// The API, with the token as a bearer header.

class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @param {string} path @param {{ method?: string, idempotencyKey?: string }} [options] */
async function api(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${state.token}`, accept: "application/json" };
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  const response = await fetch(path, {
    method: options.method ?? "GET",
    headers,
    cache: "no-store",
    credentials: "omit",
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    forgetToken(
      "The commander did not accept the token (revoked, or never issued). Enter another.",
    );
    throw new ApiError(401, String(body.message ?? "unauthorized"));
  }
  if (!response.ok)
    throw new ApiError(response.status, String(body.message ?? response.statusText));
  return body;
}

/** A fresh idempotency key per confirmed action: a retried request never queues a second job. */
function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ui-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** @param {string} scope */
function allowed(scope) {
  const scopes = state.principal?.scopes ?? [];
  return scopes.includes(scope) || scopes.includes("admin");
}

// ---------------------------------------------------------------------------------------------
// Token: asked once per tab.

/** @param {string} [why] */
function forgetToken(why) {
  sessionStorage.removeItem(tokenKey);
  state.token = undefined;
  state.principal = undefined;
  state.stream?.abort();
  state.stream = undefined;
  $("who").textContent = "";
  $("sign-out").hidden = true;
  setLive(false);
  showLogin(why);
}

/** @param {string} [why] */
function showLogin(why) {
  const input = el("input", {
    type: "password",
    name: "token",
    autocomplete: "off",
    placeholder: "sst_…",
    required: true,
    "aria-label": "token",
  });
  const form = el(
    "form",
    {
      class: "login",
      onsubmit: (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const token = /** @type {HTMLInputElement} */ (input).value.trim();
        if (token === "") return;
        sessionStorage.setItem(tokenKey, token);
        state.token = token;
        void start();
      },
    },
    el("h2", {}, "Token"),
    el(
      "p",
      { class: "muted" },
      "Paste a commander token (sitestack serve token create …). It is kept in this tab only " +
        "(sessionStorage) and sent as a bearer header; it never appears in a URL.",
    ),
    input,
    el("button", { type: "submit" }, "Open"),
  );
  show(form);
  if (why) notify(why, true);
  else clearNotice();
  /** @type {HTMLInputElement} */ (input).focus();
}

// ---------------------------------------------------------------------------------------------
// The live event stream, read with fetch so the token stays in a header.

/** @param {boolean} on */
function setLive(on) {
  const live = $("live");
  live.className = `live ${on ? "on" : "off"}`;
  live.textContent = on ? "live" : "offline";
}

/** @param {string} frame */
function parseFrame(frame) {
  let data = "";
  for (const line of frame.split("\n")) {
    if (line.startsWith("data:")) data += line.slice(line.startsWith("data: ") ? 6 : 5);
  }
  if (data === "") return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** @param {number} after the id of the last event already reflected on the page */
async function followEvents(after) {
  const controller = new AbortController();
  state.stream = controller;
  let last = after;
  let backoff = 500;
  while (!controller.signal.aborted) {
    try {
      const response = await fetch("/v1/events", {
        headers: {
          authorization: `Bearer ${state.token}`,
          accept: "text/event-stream",
          "last-event-id": String(last),
        },
        cache: "no-store",
        credentials: "omit",
        signal: controller.signal,
      });
      if (response.status === 401) {
        forgetToken("The commander no longer accepts the token. Enter another.");
        return;
      }
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      setLive(true);
      backoff = 500;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event && typeof event.id === "number") {
            last = Math.max(last, event.id);
            handleEvent(event);
          }
        }
        if (buffer.length > maxFrameChars) buffer = "";
      }
    } catch {
      if (controller.signal.aborted) return;
    }
    setLive(false);
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, 10_000);
  }
}

/** @param {any} event */
function handleEvent(event) {
  state.onEvent?.(event);
  if (event.type === "status" || event.type === "job") scheduleRefresh();
}

/** Re-reads the current view soon; a burst of events costs one read. */
function scheduleRefresh() {
  if (state.refreshTimer !== undefined) return;
  state.refreshTimer = setTimeout(() => {
    state.refreshTimer = undefined;
    void state.refresh?.().catch(reportError);
  }, 250);
}

/** @param {unknown} error */
function reportError(error) {
  if (error instanceof ApiError && error.status === 401) return;
  notify(error instanceof Error ? error.message : String(error), true);
}

// ---------------------------------------------------------------------------------------------
// Confirmation before any action.

/**
 * Asks before an action; for cleanup, the stack's name must be typed (nothing of it can be undone).
 * @param {{ title: string, text: string, confirm: string, typeToConfirm?: string, danger?: boolean }} question
 * @returns {Promise<boolean>}
 */
function confirmAction(question) {
  const dialog = /** @type {HTMLDialogElement} */ ($("confirm"));
  const typed = question.typeToConfirm
    ? /** @type {HTMLInputElement} */ (
        el("input", { name: "typed", autocomplete: "off", "aria-label": "stack name" })
      )
    : undefined;
  const ok = /** @type {HTMLButtonElement} */ (
    el(
      "button",
      { type: "submit", value: "yes", class: question.danger ? "danger" : undefined },
      question.confirm,
    )
  );
  if (typed) {
    ok.disabled = true;
    typed.addEventListener("input", () => (ok.disabled = typed.value !== question.typeToConfirm));
  }
  dialog.replaceChildren(
    el(
      "form",
      { method: "dialog" },
      el("h3", {}, question.title),
      el("p", {}, question.text),
      typed
        ? el("label", {}, "Type ", el("code", {}, question.typeToConfirm ?? ""), " to confirm: ")
        : undefined,
      typed,
      el(
        "div",
        { class: "buttons" },
        el("button", { type: "submit", value: "no", formnovalidate: true }, "Cancel"),
        ok,
      ),
    ),
  );
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
    dialog.showModal();
    (typed ?? ok).focus();
  });
}

/** What each action does and which scope it needs (docs/commander.md, "Routes"). */
const actions = {
  archive: {
    scope: "change",
    text: "Archive stops the stack's compute and keeps its data; restore brings it back.",
  },
  restore: {
    scope: "change",
    text: "Restore brings the archived stack back with its last applied spec.",
  },
  cleanup: {
    scope: "destroy",
    text: "Cleanup deletes everything of the stack, its data included, and removes the stack. It cannot be undone.",
  },
};

/** @param {string} stack @param {"archive" | "restore" | "cleanup"} verb */
async function runAction(stack, verb) {
  const action = actions[verb];
  const yes = await confirmAction({
    title: `${verb[0]?.toUpperCase()}${verb.slice(1)} ${stack}?`,
    text: action.text,
    confirm: verb,
    ...(verb === "cleanup" ? { typeToConfirm: stack, danger: true } : {}),
  });
  if (!yes) return;
  try {
    const answer = await api(`/v1/stacks/${encodeURIComponent(stack)}/${verb}`, {
      method: "POST",
      idempotencyKey: idempotencyKey(),
    });
    const target = `#/stacks/${stack}/jobs/${answer.job.id}`;
    // The notice outlives the navigation to the job's log it causes.
    state.keepNotice = location.hash !== target;
    location.hash = target;
    notify(`${verb} of ${stack} queued as job ${answer.job.id}.`);
  } catch (error) {
    reportError(
      error instanceof ApiError
        ? new Error(`${verb} of ${stack} refused: ${error.message}`)
        : error,
    );
  }
}

/**
 * An action button, disabled with the reason when the token lacks the scope (the API would refuse
 * with 403 anyway) or the stack's lifecycle does not allow it.
 * @param {string} stack @param {"archive" | "restore" | "cleanup"} verb @param {string | undefined} notNow
 */
function actionButton(stack, verb, notNow) {
  const scope = actions[verb].scope;
  const lacking = allowed(scope) ? undefined : `your token lacks the "${scope}" scope`;
  const why = lacking ?? notNow;
  return el(
    "button",
    {
      type: "button",
      "data-action": verb,
      class: verb === "cleanup" ? "danger" : undefined,
      disabled: why !== undefined,
      title: why ?? `${verb} (needs the "${scope}" scope)`,
      onclick: () => void runAction(stack, verb),
    },
    verb,
  );
}

// ---------------------------------------------------------------------------------------------
// The list of stacks.

/** @param {URLSearchParams} query */
async function listView(query) {
  const selector = query.get("selector") ?? "";
  const input = /** @type {HTMLInputElement} */ (
    el("input", {
      name: "selector",
      value: selector,
      placeholder: "label selector, e.g. team=shop,tier!=gold",
      "aria-label": "label selector",
    })
  );
  const stacksTable = table("stacks", [
    "Stack",
    "Kind",
    "Status",
    "Lifecycle",
    "Labels",
    "Last operation",
    "Note",
  ]);
  const body = stacksTable.body;
  const count = el("span", { class: "muted" });
  show(
    el(
      "form",
      {
        class: "toolbar",
        onsubmit: (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          location.hash = input.value.trim()
            ? `#/?selector=${encodeURIComponent(input.value.trim())}`
            : "#/";
        },
      },
      el("h2", {}, "Stacks"),
      input,
      el("button", { type: "submit" }, "Filter"),
      count,
    ),
    stacksTable.node,
  );
  state.refresh = async () => {
    const path = selector ? `/v1/stacks?selector=${encodeURIComponent(selector)}` : "/v1/stacks";
    const { stacks } = await api(path);
    body.replaceChildren(...stacks.map(stackRow));
    count.textContent = `${stacks.length} stack${stacks.length === 1 ? "" : "s"}`;
  };
  // A status event changes the badge at once; the debounced refresh brings the rest.
  state.onEvent = (event) => {
    if (event.type !== "status") return;
    const row = body.querySelector(`tr[data-stack="${CSS.escape(String(event.stack))}"]`);
    const cell = row?.querySelector("td.status-cell");
    cell?.replaceChildren(badge(String(event.data?.status ?? "")));
  };
  await state.refresh();
}

/** @param {any} report */
function stackRow(report) {
  const stack = String(report.stack);
  const last = report.lastOperation;
  return el(
    "tr",
    { "data-stack": stack },
    el("td", {}, stackPattern.test(stack) ? el("a", { href: `#/stacks/${stack}` }, stack) : stack),
    el("td", {}, String(report.kind ?? "")),
    el("td", { class: "status-cell" }, badge(String(report.status ?? ""))),
    el("td", {}, String(report.lifecycle ?? "")),
    el("td", {}, ...labels(report.labels)),
    el(
      "td",
      {},
      last
        ? `${last.verb ?? ""} ${last.result ?? ""} ${when(last.finishedAt ?? last.startedAt)}`
        : "",
    ),
    el("td", { class: "muted" }, String(report.note ?? "")),
  );
}

/** @param {Record<string, string> | undefined} labels */
function labels(labels) {
  return Object.entries(labels ?? {}).map(([key, value]) =>
    el("span", { class: "label" }, `${key}=${value}`),
  );
}

// ---------------------------------------------------------------------------------------------
// One stack: status, actions, outputs, jobs with their logs, history.

/** @param {string} stack @param {string | undefined} jobId */
async function stackView(stack, jobId) {
  const heading = el(
    "h2",
    {},
    el("a", { href: "#/" }, "Stacks"),
    "/",
    el("span", { class: "mono" }, stack),
  );
  const summary = el("div");
  const outputs = el("div");
  const jobs = el("div");
  const log = el("div");
  const history = el("div");
  show(
    heading,
    summary,
    el("h3", {}, "Outputs"),
    outputs,
    el("h3", {}, "Jobs"),
    jobs,
    log,
    el("h3", {}, "History"),
    history,
  );
  /** @type {HTMLElement | undefined} */
  let logLines;
  state.onEvent = (event) => {
    if (event.stack !== stack) return;
    if (event.type === "progress" && logLines && event.job === jobId) {
      logLines.append(logText(event));
      while (logLines.childNodes.length > maxLogLines) logLines.firstChild?.remove();
      logLines.scrollTop = logLines.scrollHeight;
    }
  };
  state.refresh = async () => {
    const [report, jobList, historyList, job] = await Promise.all([
      api(`/v1/stacks/${stack}`).catch((/** @type {unknown} */ error) => {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }),
      api(`/v1/stacks/${stack}/jobs?limit=20`),
      api(`/v1/stacks/${stack}/history?limit=20`).catch(() => ({ history: [] })),
      jobId ? api(`/v1/jobs/${jobId}`) : Promise.resolve(undefined),
    ]);
    summary.replaceChildren(...stackSummary(stack, report));
    outputs.replaceChildren(outputsTable(report?.outputs));
    jobs.replaceChildren(jobsTable(stack, jobList.jobs, jobId));
    history.replaceChildren(historyTable(historyList.history));
    if (job) {
      logLines = el("pre", { class: "log", id: "job-log" }, ...job.log.map(logText));
      log.replaceChildren(jobDetails(job.job), logLines);
      logLines.scrollTop = logLines.scrollHeight;
    } else {
      logLines = undefined;
      log.replaceChildren();
    }
  };
  await state.refresh();
}

/** @param {string} stack @param {any} report */
function stackSummary(stack, report) {
  if (report === undefined) {
    return [el("p", { class: "muted" }, "Not deployed (yet, or any more): its jobs are below.")];
  }
  const archived = report.lifecycle === "archived";
  return [
    el(
      "dl",
      { class: "facts" },
      el("dt", {}, "Status"),
      el("dd", { id: "stack-status" }, badge(String(report.status ?? ""))),
      el("dt", {}, "Lifecycle"),
      el("dd", {}, String(report.lifecycle ?? "")),
      el("dt", {}, "Kind"),
      el("dd", {}, String(report.kind ?? "")),
      el("dt", {}, "Labels"),
      el("dd", {}, ...labels(report.labels)),
      report.file ? el("dt", {}, "Site file") : undefined,
      report.file ? el("dd", { class: "mono" }, String(report.file)) : undefined,
      report.note ? el("dt", {}, "Note") : undefined,
      report.note ? el("dd", {}, String(report.note)) : undefined,
    ),
    el(
      "div",
      { class: "actions" },
      actionButton(stack, "archive", archived ? "the stack is archived already" : undefined),
      actionButton(stack, "restore", archived ? undefined : "only an archived stack is restored"),
      actionButton(stack, "cleanup", undefined),
      allowed("destroy")
        ? undefined
        : el(
            "span",
            { class: "hint", id: "cleanup-hint" },
            'Cleanup needs a token with the "destroy" scope.',
          ),
    ),
  ];
}

/** @param {Record<string, unknown> | undefined} outputs */
function outputsTable(outputs) {
  const entries = Object.entries(outputs ?? {});
  if (entries.length === 0) return el("p", { class: "muted" }, "No outputs.");
  return el(
    "table",
    { id: "outputs" },
    el(
      "tbody",
      {},
      ...entries.map(([key, value]) =>
        el(
          "tr",
          {},
          el("th", {}, key),
          el("td", { class: "mono" }, typeof value === "string" ? value : JSON.stringify(value)),
        ),
      ),
    ),
  );
}

/** @param {string} stack @param {any[]} jobs @param {string | undefined} selected */
function jobsTable(stack, jobs, selected) {
  if (jobs.length === 0) return el("p", { class: "muted" }, "No jobs.");
  return table(
    "jobs",
    ["Job", "Verb", "State", "By", "Queued", "Ran", "Error"],
    jobs.map((job) => {
      const id = String(job.id);
      return el(
        "tr",
        { class: id === selected ? "selected" : undefined, "data-job": id },
        el(
          "td",
          { class: "mono" },
          jobPattern.test(id)
            ? el("a", { href: `#/stacks/${stack}/jobs/${id}` }, id.slice(0, 8))
            : id,
        ),
        el("td", {}, String(job.verb)),
        el("td", {}, badge(String(job.state))),
        el("td", {}, String(job.requestedBy)),
        el("td", {}, when(job.createdAt)),
        el("td", {}, duration(job.startedAt, job.finishedAt)),
        el("td", { class: "muted" }, String(job.error ?? "")),
      );
    }),
  ).node;
}

/** @param {any} job */
function jobDetails(job) {
  const next = job.result?.nextSteps;
  return el(
    "div",
    {},
    el("h3", {}, `Job ${job.id}: ${job.verb} `, badge(String(job.state))),
    next
      ? el(
          "p",
          {},
          `Ingress address: ${next.ingressAddress ?? "(none yet)"}. DNS records to create: `,
          ...(next.dnsRecords ?? []).map((/** @type {any} */ record) =>
            el("code", { class: "label" }, `${record.name} ${record.type ?? ""} ${record.content}`),
          ),
        )
      : undefined,
    job.error ? el("p", { class: "error" }, String(job.error)) : undefined,
  );
}

/** One line of a job log. @param {any} event */
function logText(event) {
  const data = event.data ?? {};
  let text;
  if (event.type === "progress") {
    text =
      data.kind === "output"
        ? data.line
        : data.kind === "resource"
          ? `${data.op ?? ""} ${data.resourceType ?? ""} ${data.urn ?? ""}`
          : data.kind === "waiting"
            ? `waiting for ${JSON.stringify(data.holders ?? [])}`
            : (data.message ?? JSON.stringify(data));
  } else if (event.type === "status") {
    text = `status ${data.previous ? `${data.previous} -> ` : ""}${data.status}`;
  } else {
    text = `job ${data.state}${data.error ? `: ${data.error}` : ""}`;
  }
  return `${when(event.at)}  ${String(text ?? "")}\n`;
}

/** @param {any[]} history */
function historyTable(history) {
  if (history.length === 0) return el("p", { class: "muted" }, "No history.");
  return table(
    "history",
    ["#", "Kind", "Result", "Started", "Took", "Changes", "Message"],
    history.map((entry) =>
      el(
        "tr",
        {},
        el("td", {}, String(entry.version)),
        el("td", {}, String(entry.kind)),
        el("td", {}, badge(String(entry.result))),
        el("td", {}, when(entry.startTime)),
        el("td", {}, duration(entry.startTime, entry.endTime)),
        el(
          "td",
          {},
          Object.entries(entry.resourceChanges ?? {})
            .map(([op, n]) => `${op} ${n}`)
            .join(", "),
        ),
        el("td", { class: "muted" }, String(entry.message ?? "")),
      ),
    ),
  ).node;
}

// ---------------------------------------------------------------------------------------------
// Routing by the URL's fragment: #/, #/?selector=…, #/stacks/<stack>, #/stacks/<stack>/jobs/<id>.

async function route() {
  if (!state.principal) return;
  state.onEvent = undefined;
  state.refresh = undefined;
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path = "/", search = ""] = hash.split("?", 2);
  const parts = path.split("/").filter((part) => part !== "");
  try {
    if (parts[0] === "stacks" && parts[1] && stackPattern.test(parts[1])) {
      const job =
        parts[2] === "jobs" && parts[3] && jobPattern.test(parts[3]) ? parts[3] : undefined;
      await stackView(parts[1], job);
    } else {
      await listView(new URLSearchParams(search));
    }
  } catch (error) {
    reportError(error);
  }
}

async function start() {
  try {
    state.principal = await api("/v1/whoami");
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) reportError(error);
    return;
  }
  clearNotice();
  $("who").textContent = `token ${state.principal?.name} (${state.principal?.scopes.join(", ")})`;
  $("sign-out").hidden = false;
  // Stream from the event log's position before the first read: nothing falls between the two.
  void followEvents(state.principal?.lastEventId ?? 0);
  await route();
}

$("sign-out").addEventListener("click", () => forgetToken());
window.addEventListener("hashchange", () => {
  if (!state.keepNotice) clearNotice();
  state.keepNotice = false;
  void route();
});
if (state.token) void start();
else showLogin();
