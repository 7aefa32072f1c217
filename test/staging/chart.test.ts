import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readChartContract } from "../../stacks/staging/chart.js";
import { repositoryChartsDir } from "../../stacks/staging/render.js";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "sitestack-charts-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function chartWith(folder: string, chartYaml: string): Promise<void> {
  await mkdir(join(scratch, folder), { recursive: true });
  await writeFile(join(scratch, folder, "Chart.yaml"), chartYaml);
}

describe("readChartContract", () => {
  test("reads the box chart's apps and secret value paths from its annotations", async () => {
    const contract = await readChartContract(repositoryChartsDir(), "box");
    expect(contract).toEqual({
      folder: "box",
      dir: join(repositoryChartsDir(), "box"),
      name: "box",
      version: "0.1.0",
      appVersion: "0",
      apps: ["box", "sync", "database"],
      secretValuePaths: ["site.oidcClientSecret", "database.password"],
    });
  });

  test("a chart without sitestack annotations has no apps and no secret values", async () => {
    await chartWith("plain", "apiVersion: v2\nname: plain\nversion: 1.2.3\n");
    expect(await readChartContract(scratch, "plain")).toMatchObject({
      apps: [],
      secretValuePaths: [],
    });
  });

  test("refuses a chart version that is not semver", async () => {
    await chartWith("loose", "apiVersion: v2\nname: loose\nversion: v1\n");
    await expect(readChartContract(scratch, "loose")).rejects.toThrow(
      `${join(scratch, "loose", "Chart.yaml")}: version must be semver like "0.1.0", got "v1"`,
    );
  });

  test("names the missing Chart.yaml", async () => {
    await expect(readChartContract(scratch, "absent")).rejects.toThrow(
      `chart "absent" not found: ${join(scratch, "absent", "Chart.yaml")} does not exist`,
    );
  });

  test.each([
    [
      "../../etc",
      'chart "../../etc": must be a folder name directly under charts/, without "/", got "../../etc"',
    ],
    ["..", 'chart "..": must be a folder name under charts/, not ".."'],
    ["/etc", 'chart "/etc": must be a folder name directly under charts/, without "/", got "/etc"'],
    [
      "Box",
      'chart "Box": must be a chart folder name of lowercase letters, digits, ".", "_" and "-" (at most 63) like "box", got "Box"',
    ],
  ])("refuses the chart name %j, which could reach outside charts/", async (folder, message) => {
    await expect(readChartContract(scratch, folder)).rejects.toThrow(message);
  });

  test("refuses a chart folder that is a link, and a Chart.yaml that is one", async () => {
    await symlink("/etc", join(scratch, "linked"));
    await expect(readChartContract(scratch, "linked")).rejects.toThrow(
      `chart "linked": ${join(scratch, "linked")} must be a folder, not a link or a file`,
    );
    await mkdir(join(scratch, "inner"));
    await symlink("/etc/passwd", join(scratch, "inner", "Chart.yaml"));
    await expect(readChartContract(scratch, "inner")).rejects.toThrow(
      `${join(scratch, "inner", "Chart.yaml")}: is a symbolic link (links are never followed); a Chart.yaml must be a regular file`,
    );
  });
});
