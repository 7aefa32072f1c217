// Benchmark of `sitestack validate` on hostile and oversized input (issue 15): each invalid file
// next to a valid file of the same size, in the same run, so the ratio holds on a busy machine.
// Needs the build (`npm run build`) first.
//
//   node bench/validate-hostile.mjs [--runs 5]
//
// Prints, per case, the median wall time, CPU time and peak RSS of the whole process, then the
// invalid/valid ratios (target: within 2x). It measures; it never fails.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const runs = arg("runs", 5);
const root = new URL("..", import.meta.url).pathname;
const cli = join(root, "bin/sitestack.js");
const cpuReport = join(root, "bench/validate-cpu-report.mjs");
const dir = join(tmpdir(), `sitestack-bench-hostile-${process.pid}`);
mkdirSync(dir, { recursive: true });

const header = (name) =>
  `apiVersion: sitestack/v1\nkind: Staging\nmetadata:\n  name: ${name}\nspec:\n  chart: box\n  tag: "1.0"\n`;

/** A Staging of about `bytes`: `count` keys in `values` (valid) or in `spec` itself (each unknown). */
function staging(name, bytes, invalid) {
  const line = (i) => (invalid ? `  k${i}: 1\n` : `    k${i}: 1\n`);
  let body = invalid ? "" : "  values:\n";
  const lines = [];
  let size = header(name).length + body.length;
  for (let i = 0; size < bytes; i++) {
    const next = line(i);
    lines.push(next);
    size += next.length;
  }
  return header(name) + body + lines.join("");
}

function write(name, text) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

const aliasBomb = `${header("bomb")}  values:\n    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n${["b", "c", "d", "e", "f", "g", "h", "i"].map((n, i) => `    ${n}: &${n} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(", ")}]`).join("\n")}\n`;

const cases = [
  [
    "10 MB, invalid (40k+ unknown keys per MB)",
    write("big-invalid", staging("big-invalid", 10e6, true)),
    2,
  ],
  ["10 MB, valid-looking (values)", write("big-valid", staging("big-valid", 10e6, false)), 2],
  [
    "1 MiB - 1 KiB, invalid (every key unknown)",
    write("limit-invalid", staging("limit-invalid", 1024 * 1023, true)),
    2,
  ],
  [
    "1 MiB - 1 KiB, valid (keys in values)",
    write("limit-valid", staging("limit-valid", 1024 * 1023, false)),
    0,
  ],
  [
    "40k problems (40,000 unknown keys)",
    write(
      "forty-invalid",
      staging("forty-invalid", 0, true).replace(/$/, "") +
        Array.from({ length: 40000 }, (_, i) => `  k${i}: 1\n`).join(""),
    ),
    2,
  ],
  ["valid file of the same size", null, 0],
  ["500-byte alias bomb in values", write("bomb", aliasBomb), 2],
  [
    "the same file without aliases",
    write(
      "plain",
      aliasBomb
        .replace("name: bomb", "name: plain")
        .replace(/&[a-h] /g, "")
        .replace(/\*[a-h]/g, '"lol"'),
    ),
    0,
  ],
];
// The valid twin of the 40k-problem file: the same keys, one level down, in values.
const forty = cases[4][1];
cases[5][1] = write("forty-valid", staging("forty-valid", statSync(forty).size, false));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function measure(label, file, expectedStatus) {
  const walls = [];
  const cpus = [];
  const rsss = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, ["--import", cpuReport, cli, "validate", file], {
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
    const tag = /@bench cpu=([\d.]+) wall=[\d.]+ rss=(\d+)/.exec(run.stderr);
    cpus.push(Number(tag[1]));
    rsss.push(Number(tag[2]));
  }
  const firstLine = spawnSync(process.execPath, [cli, "validate", file], { encoding: "utf8" })
    .stdout.split("\n")[0]
    .replace(dir, "…");
  return {
    label,
    bytes: statSync(file).size,
    wall: median(walls),
    cpu: median(cpus),
    rss: Math.max(...rsss) / 1024,
    firstLine,
  };
}

try {
  const results = cases.map(([label, file, status]) => measure(label, file, status));
  console.log(`sitestack validate — hostile input, ${runs} runs, node ${process.version}`);
  console.log(`${"".padEnd(44)}      bytes   wall median   CPU median   peak RSS`);
  for (const r of results) {
    console.log(
      `${r.label.padEnd(44)} ${String(r.bytes).padStart(10)}   ${r.wall.toFixed(0).padStart(8)} ms  ${r.cpu.toFixed(0).padStart(8)} ms  ${r.rss.toFixed(0).padStart(6)} MiB`,
    );
  }
  console.log("");
  for (let i = 0; i < results.length; i += 2) {
    const [bad, good] = [results[i], results[i + 1]];
    const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
    console.log(
      `${bad.label}: ${ratio(bad.wall, good.wall)} wall, ${ratio(bad.cpu, good.cpu)} CPU, ${ratio(bad.rss, good.rss)} RSS of "${good.label}" (target within 2x)`,
    );
    console.log(`  first line: ${bad.firstLine.slice(0, 140)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
