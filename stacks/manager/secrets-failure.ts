/**
 * The engine's two ways of saying a stack's secrets cannot be opened: the passphrase at hand does
 * not open the salt it was given (`incorrect passphrase`), or there is no passphrase at all.
 */
export type SecretsFailureKind = "incorrect-passphrase" | "passphrase-missing";

/** Which of the engine's secrets failures an engine error text is, if any. */
export function secretsFailureKind(detail: string): SecretsFailureKind | undefined {
  if (/passphrase must be set with PULUMI_CONFIG_PASSPHRASE/.test(detail)) {
    return "passphrase-missing";
  }
  if (/incorrect passphrase/.test(detail)) return "incorrect-passphrase";
  return undefined;
}

/** What the manager knows about a stack's secrets when the engine refuses to open them. */
export interface SecretsFailureContext {
  readonly kind: SecretsFailureKind;
  readonly stack: string;
  /** The stack's config file as the user finds it, e.g. `config/Pulumi.site-acme.yaml`. */
  readonly configFile: string;
  /** The `encryptionsalt` in that file, if any. */
  readonly configSalt?: string;
  /** Secrets stored (encrypted) in that file. */
  readonly storedSecrets: readonly string[];
  /** Whether the stack exists in the backend in use. */
  readonly stackExists: boolean;
  /** The salt the backend's state of the stack holds; undefined when unknown or none. */
  readonly stateSalt?: string;
  /** The backend in use, from `describeBackend`. */
  readonly backend: string;
  /** Where the passphrase in use comes from, e.g. `PULUMI_CONFIG_PASSPHRASE`; undefined: none. */
  readonly passphraseSource?: string;
}

const setPassphrase =
  "export PULUMI_CONFIG_PASSPHRASE=<passphrase> (or PULUMI_CONFIG_PASSPHRASE_FILE=<file>)";

/**
 * A message for a secrets failure: its first line says what happened and why, each further line
 * (`  - …`) a command that fixes it. The cause is told apart by comparing the salt in the stack's
 * config file with the one in the backend: a config file left from another backend (or from an
 * earlier stack of the same name) holds a salt the backend's stack does not have, and removing it
 * lets the engine take the stack's own (or make a new one for a new stack).
 */
export function explainSecretsFailure(context: SecretsFailureContext): string {
  const { stack, configFile, backend } = context;
  const lines = (what: string, ...fixes: string[]) =>
    [what, ...fixes.map((fix) => `  - ${fix}`)].join("\n");
  if (context.kind === "passphrase-missing") {
    return lines(
      `the secrets of ${stack} need a passphrase and none is set: sitestack makes one up only ` +
        `for this checkout's own .sitestack/state, and the backend now is ${backend}`,
      `set the passphrase of that backend's stacks: ${setPassphrase}`,
      "for a new shared backend, choose one and give it to everybody who uses the backend",
    );
  }
  const passphrase = `the passphrase in use (${context.passphraseSource ?? "none"})`;
  const removeSalt = `sed -i '/^encryptionsalt:/d' ${configFile}`;
  const secrets = context.storedSecrets;
  // Secrets stored in the file are encrypted under its salt: dropping the salt loses them.
  const secretsAgain = `rm ${configFile}; ${secrets
    .map((name) => `sitestack secret set ${stack} ${name}`)
    .join("; ")}`;
  const staleFixes = (condition: string): string[] =>
    secrets.length === 0
      ? [
          `${condition}remove the stale salt and run again: ${removeSalt} (the file holds no ` +
            `stored secrets; the engine ${context.stackExists ? "takes the stack's own salt from the backend" : "writes a new one"})`,
        ]
      : context.stackExists
        ? [
            `${condition}the file's stored secrets (${secrets.join(", ")}) are encrypted for ` +
              `the other salt: remove the file and store them again: ${secretsAgain}`,
          ]
        : [
            `use the passphrase the file was made with: ${setPassphrase}`,
            `or remove the file and store its secrets (${secrets.join(", ")}) again: ${secretsAgain}`,
          ];
  if (context.configSalt === undefined) {
    return lines(
      `${passphrase} does not open the secrets of ${stack} in ${backend}: it is not the ` +
        `passphrase the stack was made with`,
      `set that one: ${setPassphrase}`,
    );
  }
  if (!context.stackExists) {
    return lines(
      `${configFile} holds the encryption salt (encryptionsalt) of a ${stack} made with another ` +
        `passphrase (in another backend, or before the passphrase changed), and ${passphrase} ` +
        `cannot open it; ${stack} does not exist in ${backend} yet, so nothing else is in the way`,
      ...staleFixes(""),
    );
  }
  if (context.stateSalt !== undefined && context.stateSalt === context.configSalt) {
    return lines(
      `${passphrase} is not the one ${stack} in ${backend} was made with: ${configFile} and the ` +
        `backend agree on the salt, so the passphrase is what differs`,
      `set that one: ${setPassphrase}`,
    );
  }
  if (context.stateSalt !== undefined) {
    return lines(
      `${configFile} holds an encryption salt (encryptionsalt) that is not the one of ${stack} ` +
        `in ${backend}: the file was made for the stack in another backend, or for an earlier ` +
        `stack of this name`,
      ...staleFixes(`with this backend's passphrase set, `),
    );
  }
  return lines(
    `${passphrase} cannot open the encryption salt (encryptionsalt) in ${configFile}: the file ` +
      `was made in another backend (or before the passphrase changed), or the passphrase is not ` +
      `the one ${stack} in ${backend} was made with`,
    ...staleFixes("if the file is stale: with this backend's passphrase set, "),
    `if the passphrase is wrong: ${setPassphrase}`,
  );
}
