// A small HTTP load generator for bench/commander-load.bench.ts, run as its own process so its
// CPU is not the server's: node:http with a keep-alive agent (one socket per client in flight),
// p-limit bounding the requests in flight. Reads one JSON line on stdin — the token travels there,
// never on the command line or in the environment — and prints one JSON line with the latencies.
//
// stdin: {"url":"http://127.0.0.1:7480","token":"sst_…","paths":["/v1/stacks",…],
//         "requests":4000,"concurrency":200,"limitMs":60000}
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import pLimit from "p-limit";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const base = new URL(job.url);

function get(path) {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        headers: { authorization: `Bearer ${job.token}` },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode === 200));
        response.on("error", () => resolve(false));
      },
    );
    req.on("error", () => resolve(false));
    req.end();
  });
}

const limit = pLimit(job.concurrency);
const latencies = [];
let errors = 0;
const started = performance.now();
const deadline = started + job.limitMs;
await Promise.all(
  Array.from({ length: job.requests }, (_, index) =>
    limit(async () => {
      if (performance.now() > deadline) return;
      const sent = performance.now();
      if (!(await get(job.paths[index % job.paths.length]))) errors += 1;
      latencies.push(performance.now() - sent);
    }),
  ),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, errors, seconds, latencies })}\n`,
);
