import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appendEvent } from "../../stacks/commander/events.js";
import {
  renderSecretValue,
  startRenderCommander,
  type RenderCommander,
} from "../support/render-commander.js";

/**
 * The commander's web page in a real browser (Debian's chromium, driven by playwright-core)
 * against a commander with a real engine and a real PostgreSQL: box sites in render mode, so each
 * job is a real engine run of a few seconds. Screenshots go to
 * `.sitestack/test-output/screenshots/` (git-ignored) for a human to look at.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const screenshots = join(repoRoot, ".sitestack", "test-output", "screenshots");
const chromiumPath = "/usr/bin/chromium";

let served: RenderCommander;
let browser: Browser;
let operatorToken: string;
let reviewerToken: string;
/** Every URL any page requested, and every console message: checked for tokens and CSP breaks. */
const requestedUrls: string[] = [];
const consoleMessages: string[] = [];
/** Answers of 400 and more: only the pages of a stack removed by cleanup may be missing. */
const failedRequests: string[] = [];
const contexts: BrowserContext[] = [];

async function openPage(token: string, hash = ""): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on("request", (request) => requestedUrls.push(request.url()));
  page.on("response", (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => consoleMessages.push(`pageerror: ${error.message}`));
  await page.goto(`${served.url}/ui/${hash}`);
  await page.getByLabel("token").fill(token);
  await page.getByRole("button", { name: "Open" }).click();
  await page.locator("#live.on").waitFor({ timeout: 10_000 });
  return page;
}

const statusOf = (page: Page, stack: string) =>
  page.locator(`#stacks tr[data-stack="${stack}"] .status`);

beforeAll(async () => {
  expect(existsSync(chromiumPath), "Debian's chromium (tools/system-deps.sh)").toBe(true);
  mkdirSync(screenshots, { recursive: true });
  served = await startRenderCommander({ workers: 2 });
  operatorToken = await served.token("operator", ["read", "preview", "change", "destroy"]);
  reviewerToken = await served.token("reviewer", ["read", "change"]);
  const job = await served.waitForJob(operatorToken, await served.submitUp(operatorToken, "shop"));
  expect(job).toMatchObject({ state: "succeeded" });
  // Root in CI containers: chromium's sandbox needs user namespaces that containers often lack.
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

describe("the commander's web page in Chromium", { timeout: 180_000 }, () => {
  let operatorPage: Page;

  test("asks for a token once, then lists the stacks with their statuses", async () => {
    operatorPage = await openPage(operatorToken);
    await expect.poll(() => statusOf(operatorPage, "site-shop").textContent()).toBe("Running");
    expect(await operatorPage.locator("#who").textContent()).toBe(
      "token operator (read, preview, change, destroy)",
    );
    // The token stays in this tab's sessionStorage, never in localStorage or a cookie.
    expect(await operatorPage.evaluate(() => localStorage.length)).toBe(0);
    expect(await operatorPage.context().cookies()).toEqual([]);
    await operatorPage.screenshot({ path: join(screenshots, "stacks.png"), fullPage: true });
  });

  test("a job submitted through the API shows up live, without a reload", async () => {
    // Marks this document: a reload would lose the mark.
    await operatorPage.evaluate(() => ((globalThis as unknown as { mark: number }).mark = 42));
    const job = await served.submitUp(operatorToken, "blog", { team: "blog" });
    await expect
      .poll(() => statusOf(operatorPage, "site-blog").textContent(), { timeout: 120_000 })
      .toBe("Running");
    expect((await served.waitForJob(operatorToken, job)).state).toBe("succeeded");
    expect(
      await operatorPage.evaluate(() => (globalThis as unknown as { mark?: number }).mark),
    ).toBe(42);
    await operatorPage.screenshot({ path: join(screenshots, "stacks-live.png"), fullPage: true });
  });

  test("a token with read and change but no destroy cannot clean up; archive works", async () => {
    const page = await openPage(reviewerToken, "#/stacks/site-shop");
    const cleanup = page.locator('button[data-action="cleanup"]');
    await expect.poll(() => cleanup.isDisabled()).toBe(true);
    expect(await cleanup.getAttribute("title")).toBe('your token lacks the "destroy" scope');
    expect(await page.locator("#cleanup-hint").textContent()).toContain('"destroy" scope');
    // The API refuses too, whatever a page shows.
    const refused = await served.call(reviewerToken, "POST", "/v1/stacks/site-shop/cleanup");
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      'token "reviewer" lacks the "destroy" scope this request needs',
    );

    // Archive: a confirmation first; cancelling it queues nothing.
    await page.locator('button[data-action="archive"]').click();
    await page.locator("dialog[open]").getByRole("button", { name: "Cancel" }).click();
    expect(
      (await served.call(reviewerToken, "GET", "/v1/stacks/site-shop/jobs")).body.jobs,
    ).toHaveLength(1);
    await page.locator('button[data-action="archive"]').click();
    await page.screenshot({ path: join(screenshots, "archive-confirm.png") });
    await page.locator("dialog[open]").getByRole("button", { name: "archive" }).click();
    await expect
      .poll(() => page.locator("#notice").textContent())
      .toContain("archive of site-shop queued");
    await expect
      .poll(() => page.locator("#stack-status .status").textContent(), { timeout: 120_000 })
      .toBe("Archived");
    // The job's log, live: its lines arrived on the page.
    await expect.poll(() => page.locator("#job-log").textContent()).toContain("job succeeded");
    expect(await page.locator('button[data-action="restore"]').isDisabled()).toBe(false);
    await page.screenshot({ path: join(screenshots, "stack-archived.png"), fullPage: true });
    // The operator's list saw the change live as well.
    await expect.poll(() => statusOf(operatorPage, "site-shop").textContent()).toBe("Archived");
  });

  test("cleanup asks for the stack's name to be typed, then the stack leaves the list", async () => {
    await operatorPage.goto(`${served.url}/ui/#/stacks/site-blog`);
    await operatorPage.locator('button[data-action="cleanup"]:enabled').click();
    const dialog = operatorPage.locator("dialog[open]");
    const confirm = dialog.getByRole("button", { name: "cleanup" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("stack name").fill("site-blo");
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("stack name").fill("site-blog");
    await confirm.click();
    await expect
      .poll(() => operatorPage.locator("#job-log").textContent(), { timeout: 120_000 })
      .toContain("job succeeded");
    await operatorPage.goto(`${served.url}/ui/#/`);
    await expect.poll(() => statusOf(operatorPage, "site-shop").textContent()).toBe("Archived");
    expect(await operatorPage.locator('#stacks tr[data-stack="site-blog"]').count()).toBe(0);
  });

  test("text from the API is shown as text: markup in a log line stays inert", async () => {
    const { body } = await served.call(operatorToken, "GET", "/v1/stacks/site-shop/jobs");
    const job = body.jobs[0].id as string;
    const hostile = `<img src=x onerror="window.pwned=1"><b>bold</b>`;
    await appendEvent(served.commander.db, {
      stack: "site-shop",
      job,
      type: "progress",
      data: { kind: "output", line: hostile },
    });
    await operatorPage.goto(`${served.url}/ui/#/stacks/site-shop/jobs/${job}`);
    await expect.poll(() => operatorPage.locator("#job-log").textContent()).toContain(hostile);
    expect(await operatorPage.locator("#job-log img, #job-log b").count()).toBe(0);
    expect(
      await operatorPage.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned),
    ).toBe(undefined);
  });

  test("no token in any URL, no secret on any page, nothing broken by the CSP", async () => {
    expect(requestedUrls.length).toBeGreaterThan(10);
    for (const url of requestedUrls) {
      expect(url).not.toContain(operatorToken);
      expect(url).not.toContain(reviewerToken);
      expect(url.startsWith(served.url)).toBe(true);
    }
    for (const context of contexts) {
      for (const page of context.pages()) {
        const text = await page.locator("body").textContent();
        expect(text).not.toContain(renderSecretValue);
        expect(text).not.toContain(operatorToken);
        expect(text).not.toContain(reviewerToken);
      }
    }
    expect(failedRequests.filter((line) => !line.includes("/v1/stacks/site-blog"))).toEqual([]);
    const failedLoads = /Failed to load resource: the server responded with a status of 404/;
    expect(
      consoleMessages.filter(
        (message) =>
          /error|Content Security Policy|Trusted/i.test(message) && !failedLoads.test(message),
      ),
    ).toEqual([]);
  });
});
