import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/**
 * A loopback imitation of the few GitHub REST endpoints the PR pipeline calls (GitHub itself is
 * unreachable from the test machines): the authenticated user, and a pull request's issue
 * comments — list (paginated with `Link` headers, as GitHub does), create, update. Every call is
 * recorded with its headers and body, so tests assert what was sent, and what was not.
 */

/** One comment as the fake API stores it. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
  issue: number;
}

/** One recorded request. */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Options of {@link startGitHubApi}. */
export interface GitHubApiOptions {
  /**
   * The login `GET /user` answers; `undefined` answers 403 as it does for the Actions
   * GITHUB_TOKEN (then comments are made by `github-actions[bot]`).
   */
  readonly login?: string;
  /** A status to answer every request with (403, 404…), instead of serving it. */
  readonly failWith?: number;
}

/** A running fake GitHub API. */
export interface FakeGitHubApi {
  /** The base URL to pass as `apiUrl` / `GITHUB_API_URL`. */
  readonly url: string;
  readonly calls: RecordedCall[];
  readonly comments: FakeComment[];
  /** Adds a comment as if someone posted it, returning it. */
  addComment(issue: number, body: string, user?: FakeComment["user"]): FakeComment;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(value));
}

/** Starts the fake API on 127.0.0.1 with a free port. */
export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<FakeGitHubApi> {
  const calls: RecordedCall[] = [];
  const comments: FakeComment[] = [];
  let nextId = 1000;
  let url = "";
  const actor: FakeComment["user"] =
    options.login === undefined
      ? { login: "github-actions[bot]", type: "Bot" }
      : { login: options.login, type: "User" };

  const toJson = (comment: FakeComment): unknown => ({
    id: comment.id,
    body: comment.body,
    user: comment.user,
    html_url: `https://github.example/pull/${comment.issue}#issuecomment-${comment.id}`,
  });

  const addComment = (
    issue: number,
    body: string,
    user: FakeComment["user"] = { login: "someone", type: "User" },
  ): FakeComment => {
    const comment = { id: nextId++, body, user, issue };
    comments.push(comment);
    return comment;
  };

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const requestUrl = new URL(request.url ?? "/", url);
      calls.push({
        method: request.method ?? "",
        path: `${requestUrl.pathname}${requestUrl.search}`,
        headers: request.headers,
        body,
      });
      if (options.failWith !== undefined) {
        sendJson(response, options.failWith, { message: "refused by the test" });
        return;
      }
      const path = requestUrl.pathname;
      if (request.method === "GET" && path === "/user") {
        if (options.login === undefined) {
          sendJson(response, 403, { message: "Resource not accessible by integration" });
        } else sendJson(response, 200, { login: options.login });
        return;
      }
      const list = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path);
      if (list && request.method === "GET") {
        const issue = Number(list[1]);
        const perPage = Number(requestUrl.searchParams.get("per_page") ?? "30");
        const page = Number(requestUrl.searchParams.get("page") ?? "1");
        const all = comments.filter((comment) => comment.issue === issue);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) {
          const next = new URL(requestUrl.href);
          next.searchParams.set("page", String(page + 1));
          headers.link = `<${next.href}>; rel="next"`;
        }
        sendJson(response, 200, slice.map(toJson), headers);
        return;
      }
      if (list && request.method === "POST") {
        const comment = addComment(
          Number(list[1]),
          (JSON.parse(body) as { body: string }).body,
          actor,
        );
        sendJson(response, 201, toJson(comment));
        return;
      }
      const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
      if (one && request.method === "PATCH") {
        const comment = comments.find((candidate) => candidate.id === Number(one[1]));
        if (!comment) {
          sendJson(response, 404, { message: "Not Found" });
          return;
        }
        comment.body = (JSON.parse(body) as { body: string }).body;
        sendJson(response, 200, toJson(comment));
        return;
      }
      sendJson(response, 404, { message: "Not Found" });
    })().catch((error: unknown) => sendJson(response, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("no port");
  url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    calls,
    comments,
    addComment,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive; close them so close() does not wait for their timeout.
        server.closeAllConnections();
      }),
  };
}
