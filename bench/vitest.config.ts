import { defineConfig } from "vitest/config";

// Benchmarks run apart from the test suite (`npm run bench`): they print figures and ratios
// measured in one run, one file at a time so they do not compete for the two cores.
export default defineConfig({
  test: {
    include: ["bench/**/*.bench.ts"],
    testTimeout: 1_200_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: false,
  },
});
