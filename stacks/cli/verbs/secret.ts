import { secretConfigKey, secretEnvVarName } from "../../contract.js";
import type { Verb } from "../verb.js";

/** `sitestack secret set <stack> <NAME>`. */
export const secretVerb: Verb = {
  register(program, { io, setExitCode }) {
    const secret = program
      .command("secret")
      .summary("store secret values in a stack's encrypted config")
      .description(
        "store the value of a secret reference ({secret: NAME} in a site file) in the stack's\n" +
          `config, encrypted by the stack's secrets provider, for runs without ${secretEnvVarName("<NAME>")}.`,
      );
    secret
      .command("set")
      .description(
        "read the value from standard input (never from the command line, where it would land in\n" +
          `shell history) and store it as ${secretConfigKey("<NAME>")}; creates the stack if needed.\n\n` +
          'Examples:\n  printf %s "$TOKEN" | sitestack secret set site-acme ACME_OIDC_CLIENT_SECRET',
      )
      .argument("<stack>", "stack name (site-acme, staging-pr-42) or site name (acme)")
      .argument("<name>", "the secret's name, e.g. ACME_OIDC_CLIENT_SECRET")
      .action(async (stack: string, name: string) => {
        const { runSecretSet } = await import("../lifecycle/query.js");
        setExitCode(await runSecretSet(stack, name, io));
      });
  },
};
