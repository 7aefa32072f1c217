/**
 * A temporary git repository shaped like a pull request on the example sites: a base commit with
 * site files from `sites/` and the chart `charts/box`, a PR branch that adds, changes, renames and
 * deletes site files and changes the chart, and a later commit on the base branch that the PR must
 * not be blamed for (the merge base is what counts).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's own folder (for its `sites/` and `charts/`). */
export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Runs git in `dir` with a fixed identity; returns its trimmed stdout. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "ci test",
      GIT_AUTHOR_EMAIL: "ci@test.invalid",
      GIT_COMMITTER_NAME: "ci test",
      GIT_COMMITTER_EMAIL: "ci@test.invalid",
      GIT_CONFIG_NOSYSTEM: "1",
    },
  }).trim();
}

/** Copies `sites/<name>` of the repository into `dir`, optionally rewritten. */
export function copySite(dir: string, name: string, edit: (text: string) => string = (t) => t) {
  const text = readFileSync(join(repositoryRoot, "sites", name), "utf8");
  writeFileSync(join(dir, "sites", name), edit(text));
}

/** A pull request repository (see the module comment); `remove()` deletes it. */
export interface PrRepo {
  readonly dir: string;
  remove(): void;
}

/**
 * Builds the repository on branch `pr`, checked out, forked from `main`:
 * - base: acme, blog, bodega, fiuba, pr-42 (a staging of chart box) and charts/box;
 * - PR: adds chefcito, changes bodega (image tag), renames fiuba → fiufit (name follows), deletes
 *   blog, changes charts/box/values.yaml (which marks pr-42);
 * - main after the fork: changes acme (must not be detected).
 */
export function createPrRepo(): PrRepo {
  const dir = mkdtempSync(join(tmpdir(), "sitestack-ci-repo-"));
  git(dir, "init", "--quiet", "--initial-branch=main");
  cpSync(join(repositoryRoot, "charts"), join(dir, "charts"), { recursive: true });
  execFileSync("mkdir", ["-p", join(dir, "sites")]);
  for (const name of ["acme.yaml", "blog.yaml", "bodega.yaml", "fiuba.yaml", "pr-42.yaml"]) {
    copySite(dir, name);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "base");
  git(dir, "checkout", "--quiet", "-b", "pr");
  copySite(dir, "chefcito.yaml");
  copySite(dir, "bodega.yaml", (text) =>
    text.replace(
      "repository: ghcr.io/juntoz/jzbox",
      'repository: ghcr.io/juntoz/jzbox\n    tag: "1"',
    ),
  );
  git(dir, "mv", "sites/fiuba.yaml", "sites/fiufit.yaml");
  writeFileSync(
    join(dir, "sites", "fiufit.yaml"),
    readFileSync(join(dir, "sites", "fiufit.yaml"), "utf8").replace("name: fiuba", "name: fiufit"),
  );
  git(dir, "rm", "--quiet", "sites/blog.yaml");
  const values = join(dir, "charts", "box", "values.yaml");
  writeFileSync(values, `${readFileSync(values, "utf8")}\n# tuned in the PR\n`);
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "pr");
  git(dir, "checkout", "--quiet", "main");
  copySite(dir, "acme.yaml", (text) => text.replace("replicas: 2", "replicas: 3"));
  git(dir, "commit", "--quiet", "-am", "main moves on");
  git(dir, "checkout", "--quiet", "pr");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
