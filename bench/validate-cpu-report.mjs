// Preloaded into each benchmarked process (`node --import`): on exit, writes the process's own CPU
// time, its wall time since process start and its peak resident memory (KiB) to stderr as one
// tagged line. CPU time barely depends on what else the machine runs, so it stays comparable when
// the wall clock is noisy.
import { performance } from "node:perf_hooks";

process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  const rss = process.resourceUsage().maxRSS;
  process.stderr.write(
    `\n@bench cpu=${(user + system) / 1000} wall=${performance.now()} rss=${rss}\n`,
  );
});
