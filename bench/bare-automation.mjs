// The baseline of bench/operation-cost.bench.ts: what a user of the Automation API would write to
// run one site's program without sitestack. Same inline program (`siteProgram` from dist/, with the
// context sitestack builds), same engine binary, backend, passphrase and PULUMI_HOME (from the
// environment); none of sitestack's manager, CLI, metadata output or status records.
//
//   node bench/bare-automation.mjs <up|preview> <site file> <stack> <work dir> <pulumi root>
//
// `<pulumi root>/bin/pulumi` is the CLI. Prints one line: the verb, the stack and the change summary.
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { loadSiteFiles } from "../dist/stacks/site-model/index.js";
import { siteProgram } from "../dist/stacks/program/index.js";
import { buildProgramContext } from "../dist/stacks/platform/program-context.js";
import { platformFromEnv } from "../dist/stacks/platform/env.js";

const [verb, siteFile, stackName, workDir, root] = process.argv.slice(2);
if (!["up", "preview"].includes(verb) || !siteFile || !stackName || !workDir || !root) {
  process.stderr.write(
    "usage: bare-automation.mjs <up|preview> <site file> <stack> <work dir> <pulumi root>\n",
  );
  process.exit(2);
}
const loaded = await loadSiteFiles([siteFile]);
const spec = loaded.files[0]?.spec;
if (!loaded.valid || spec === undefined) {
  process.stderr.write(`${siteFile} is not valid\n`);
  process.exit(2);
}
const program = () =>
  siteProgram(
    spec,
    buildProgramContext({
      stackName,
      platform: platformFromEnv(process.env),
      lifecycle: "active",
      secrets: "env-or-config",
      env: process.env,
    }),
  )();
const pulumiCommand = await PulumiCommand.get({ root, skipVersionCheck: true });
const stack = await LocalWorkspace.createOrSelectStack(
  { projectName: "bare-automation", stackName, program },
  {
    workDir,
    pulumiCommand,
    secretsProvider: "passphrase",
    projectSettings: {
      name: "bare-automation",
      runtime: "nodejs",
      backend: { url: process.env.PULUMI_BACKEND_URL },
    },
  },
);
if (verb === "up") {
  const result = await stack.up({ parallel: 8 });
  process.stdout.write(`up ${stackName}: ${JSON.stringify(result.summary.resourceChanges)}\n`);
} else {
  const result = await stack.preview({ parallel: 8 });
  process.stdout.write(`preview ${stackName}: ${JSON.stringify(result.changeSummary)}\n`);
}
