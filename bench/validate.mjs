// Benchmark of `sitestack validate` on 1,000 generated box-site files, end to end (process start
// included), next to the same run's baselines. Needs the build (`npm run build`) first.
//
//   node bench/validate.mjs [--files 1000] [--runs 15]
//
// For each case: the median and fastest wall time of `--runs` runs as seen from outside, and the
// median CPU time (user + system) the process reports itself. On a busy machine the wall clock is
// noisy; CPU time shows what the command costs.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { writeBoxSites } from "./validate-fixtures.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const fileCount = arg("files", 1000);
const runs = arg("runs", 15);
const root = new URL("..", import.meta.url).pathname;
const cli = join(root, "bin/sitestack.js");
const cpuReport = join(root, "bench/validate-cpu-report.mjs");

const validDir = join(tmpdir(), `sitestack-bench-valid-${process.pid}`);
const mixedDir = join(tmpdir(), `sitestack-bench-mixed-${process.pid}`);
writeBoxSites(validDir, fileCount);
writeBoxSites(mixedDir, fileCount, 20); // 5 % invalid: each needs the positions pass

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function measure(label, args, expectedStatus) {
  const walls = [];
  const cpus = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, ["--import", cpuReport, ...args], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const wall = performance.now() - start;
    if (run.status !== expectedStatus) {
      throw new Error(`${label}: exit ${run.status}, expected ${expectedStatus}\n${run.stderr}`);
    }
    if (i === 0) continue; // the first run warms the file cache
    walls.push(wall);
    cpus.push(Number(/@bench cpu=([\d.]+)/.exec(run.stderr)[1]));
  }
  return { label, median: median(walls), min: Math.min(...walls), cpu: median(cpus) };
}

try {
  const results = [
    measure("node start (empty script)", ["-e", ""], 0),
    measure(
      `bare parse: read + js-yaml, ${fileCount} files`,
      [join(root, "bench/validate-bare-parse.mjs"), validDir],
      0,
    ),
    measure(`sitestack validate, ${fileCount} valid files`, [cli, "validate", validDir], 0),
    measure(
      `straightforward: yaml with positions + zod`,
      [join(root, "bench/validate-straightforward.mjs"), validDir],
      0,
    ),
    measure(`sitestack validate, ${fileCount} files, 5 % invalid`, [cli, "validate", mixedDir], 2),
    measure(`sitestack validate --json, 5 % invalid`, [cli, "validate", "--json", mixedDir], 2),
  ];

  const ms = (value) => `${value.toFixed(0).padStart(5)} ms`;
  const [start, bare, valid, straightforward] = results;
  console.log(
    `sitestack validate — ${fileCount} box-site files, ${runs} runs, node ${process.version}`,
  );
  console.log(`${"".padEnd(48)}   wall median    wall min   CPU median`);
  for (const r of results) {
    console.log(`${r.label.padEnd(48)} ${ms(r.median)}    ${ms(r.min)}    ${ms(r.cpu)}`);
  }
  console.log("");
  console.log(`validate / bare parse, wall median: ${(valid.median / bare.median).toFixed(2)}x`);
  console.log(`validate / bare parse, CPU median:  ${(valid.cpu / bare.cpu).toFixed(2)}x`);
  console.log(
    `validate / straightforward, wall median: ${(valid.median / straightforward.median).toFixed(2)}x`,
  );
  console.log(
    `validate / straightforward, CPU median:  ${(valid.cpu / straightforward.cpu).toFixed(2)}x`,
  );
  console.log(`validate minus node start, CPU:     ${ms(valid.cpu - start.cpu)}`);
  console.log(
    `target (whole command <= 250 ms wall): ${valid.median <= 250 ? "met" : "not met"} at the median, ${valid.min <= 250 ? "met" : "not met"} at the fastest`,
  );
} finally {
  rmSync(validDir, { recursive: true, force: true });
  rmSync(mixedDir, { recursive: true, force: true });
}
