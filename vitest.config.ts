import { defineConfig } from "vitest/config";

// Unit suites run in parallel worker processes; suites that start real servers or a real engine
// set their own longer timeouts (see test/e2e/).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: "forks",
    // In CI a JSON report is written too, so .ci/run can print the closing "N passed, N failed".
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".sitestack/test-results.json" },
  },
});
