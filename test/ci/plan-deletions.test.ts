/**
 * What `ci plan` says about deleted site files and orphans, with a stand-in for the manager's two
 * backend reads (`list`, `resources`): no preview runs, so no engine is needed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCiPlan } from "../../stacks/ci/plan.js";
import type { CiPlan } from "../../stacks/ci/plan-model.js";
import type { StackManager } from "../../stacks/manager/manager.js";
import type { SiteSpec } from "../../stacks/site-model/index.js";
import { copySite, git } from "./support/pr-repo.js";
import { stackReport } from "./support/stack-report.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sitestack-ci-deletions-"));
  mkdirSync(join(dir, "sites"));
  git(dir, "init", "--quiet", "--initial-branch=main");
  copySite(dir, "blog.yaml");
  copySite(dir, "bodega.yaml");
  // A file that never parsed: its stack is found by name.
  writeFileSync(join(dir, "sites", "broken.yaml"), "kind: BoxSite\nmetadata: {name: broken}\n");
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "base");
  git(dir, "checkout", "--quiet", "-b", "pr");
  git(dir, "rm", "--quiet", "sites/blog.yaml", "sites/broken.yaml");
  git(dir, "commit", "--quiet", "-m", "delete blog and broken");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("deleted files list what destroy would delete and keep; other stacks without files are orphans", async () => {
  const resourcesAsked: string[] = [];
  const manager = {
    list: async () => [
      stackReport("site-blog", "HostRoute"),
      stackReport("site-bodega", "BoxSite"),
      stackReport("site-broken", "BoxSite"),
      stackReport("site-left-behind", "BoxSite"),
    ],
    resources: async (stack: string) => {
      resourcesAsked.push(stack);
      return [
        {
          urn: "u1",
          type: "sitestack:host:NginxSite",
          name: stack,
          retained: false,
          protected: false,
        },
        {
          urn: "u2",
          type: "cloudflare:index/dnsRecord:DnsRecord",
          name: `${stack}-dns`,
          retained: true,
          protected: false,
        },
      ];
    },
  } as unknown as StackManager<SiteSpec>;
  let stdout = "";
  const code = await runCiPlan(
    { base: "main", projectDir: dir, out: "out" },
    { stdout: (text) => void (stdout += text), stderr: () => undefined, env: {} },
    { manager },
  );
  expect(code).toBe(0);
  const plan = JSON.parse(readFileSync(join(dir, "out", "plan.json"), "utf8")) as CiPlan;
  expect(plan.sites).toEqual([]);
  expect(plan.deletions).toEqual([
    {
      path: "sites/blog.yaml",
      site: "blog",
      kind: "HostRoute",
      stack: "site-blog",
      change: "deleted",
      exists: true,
      status: "Running",
      resources: [
        { type: "sitestack:host:NginxSite", name: "site-blog", retained: false },
        { type: "cloudflare:index/dnsRecord:DnsRecord", name: "site-blog-dns", retained: true },
      ],
    },
    {
      path: "sites/broken.yaml",
      site: "broken",
      kind: "BoxSite",
      stack: "site-broken",
      change: "deleted",
      exists: true,
      status: "Running",
      resources: [
        { type: "sitestack:host:NginxSite", name: "site-broken", retained: false },
        { type: "cloudflare:index/dnsRecord:DnsRecord", name: "site-broken-dns", retained: true },
      ],
    },
  ]);
  expect(resourcesAsked.sort()).toEqual(["site-blog", "site-broken"]);
  expect(plan.orphans.map((orphan) => orphan.stack)).toEqual(["site-left-behind"]);
  expect(stdout).toContain("site-blog\tdeleted\twould destroy 1 resource(s)\n");
  expect(stdout).toContain("site-left-behind\torphan\tRunning\n");
});

test("a pull request that deletes the last site file (and with it the folder) still plans", async () => {
  git(dir, "checkout", "--quiet", "-b", "empty", "main");
  try {
    git(dir, "rm", "--quiet", "-r", "sites");
    git(dir, "commit", "--quiet", "-m", "delete every site");
    const manager = {
      list: async () => [],
      resources: async () => [],
    } as unknown as StackManager<SiteSpec>;
    const code = await runCiPlan(
      { base: "main", projectDir: dir, out: "out-empty" },
      { stdout: () => undefined, stderr: () => undefined, env: {} },
      { manager },
    );
    expect(code).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, "out-empty", "plan.json"), "utf8")) as CiPlan;
    expect(plan.validation).toEqual({ files: 0, valid: true, problems: [] });
    expect(plan.deletions.map((deletion) => [deletion.path, deletion.exists])).toEqual([
      ["sites/blog.yaml", false],
      ["sites/bodega.yaml", false],
      ["sites/broken.yaml", false],
    ]);
  } finally {
    git(dir, "checkout", "--quiet", "pr");
  }
});
