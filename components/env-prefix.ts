/**
 * The env var prefix convention of the app model (seed 002): every variable of a service is
 * prefixed with the service's name, so `users` + `MONGO_USER` becomes `USERS_MONGO_USER`.
 *
 * Shared by every target of the app model (Kubernetes, Azure Container Apps): pure functions, no
 * Pulumi, so a value may be anything (a plain string, a `pulumi.Output<string>` secret, ...).
 *
 * Rules, chosen so the result is predictable and a typo is caught before anything is applied:
 * - the prefix is the service name upper-cased, with every run of characters other than `A-Z0-9`
 *   turned into one `_` (`metrics-consumer` → `METRICS_CONSUMER_`);
 * - a key is written without the prefix and must be an upper-case env name (`[A-Z_][A-Z0-9_]*`,
 *   {@link envKeyProblem}, the rule site files follow too); it is kept verbatim after the prefix;
 * - a key that already starts with the prefix is kept as written, so a ConfigMap copied from seed
 *   002 (`USERS_MONGO_USER` in service `users`) means the same thing (the site spec validator in
 *   `stacks/site-model` applies the same rule);
 * - two keys that end up with the same name collide and are rejected (`MONGO_USER` and
 *   `USERS_MONGO_USER`, or the same key as plain and as secret): the pod would see only one.
 */

/** An environment variable name: upper case, digits and "_", not starting with a digit. */
export const envKeyPattern = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Why `key` cannot name an environment variable, or `undefined`: upper-case letters, digits and
 * "_", not starting with a digit. The site-file schema checks env keys with this same function.
 */
export function envKeyProblem(key: string): string | undefined {
  return envKeyPattern.test(key)
    ? undefined
    : 'must be an upper-case environment variable name (A-Z, 0-9 and _, not starting with a digit) like "MONGO_USER"';
}

/** One problem with one key of a service, as {@link prefixedEnvProblemList} reports it. */
export interface EnvKeyProblem {
  /** Where the key comes from, e.g. `env` or `secretEnv`. */
  readonly source: string;
  readonly key: string;
  /** `name`: the key itself is not allowed; `collision`: it ends up as another key's variable. */
  readonly kind: "name" | "collision";
  /** What is wrong, without the source and key. */
  readonly message: string;
}

/** The prefix of a service's variables, separator included: `envPrefix("users")` is `"USERS_"`. */
export function envPrefix(serviceName: string): string {
  const stem = serviceName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (stem === "") {
    throw new Error(
      `env prefix: service name ${JSON.stringify(serviceName)} has no letters or digits to build a prefix from`,
    );
  }
  // An env name cannot start with a digit; a service called "2fa" gets "_2FA_".
  return /^[0-9]/.test(stem) ? `_${stem}_` : `${stem}_`;
}

/**
 * The prefixed name of one variable: `prefixedName("users", "MONGO_USER")` is `"USERS_MONGO_USER"`.
 * Throws the same message {@link prefixedEnvProblems} reports when the key is not allowed.
 */
export function prefixedName(serviceName: string, key: string): string {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new Error(problem);
  const prefix = envPrefix(serviceName);
  return key.startsWith(prefix) ? key : prefix + key;
}

/**
 * Every problem with the keys of one service, across all its sources (e.g. `{ env: [...],
 * secretEnv: [...] }`): keys that are not allowed, and keys that end up as the same variable.
 */
export function prefixedEnvProblemList(
  serviceName: string,
  keysBySource: Readonly<Record<string, readonly string[]>>,
): EnvKeyProblem[] {
  const problems: EnvKeyProblem[] = [];
  const firstSourceOf = new Map<string, string>();
  for (const [source, keys] of Object.entries(keysBySource)) {
    for (const key of keys) {
      const problem = keyProblem(key);
      if (problem !== undefined) {
        problems.push({ source, key, kind: "name", message: problem });
        continue;
      }
      const name = prefixedName(serviceName, key);
      const earlier = firstSourceOf.get(name);
      if (earlier === undefined) {
        firstSourceOf.set(name, `${source}.${key}`);
      } else {
        problems.push({
          source,
          key,
          kind: "collision",
          message: `becomes ${name}, which ${earlier} already sets; keep only one of them`,
        });
      }
    }
  }
  return problems;
}

/**
 * Every problem with the keys of one service, across all its sources (e.g. `{ env: [...],
 * secretEnv: [...] }`), as messages that name the source, the key and what is allowed. Empty when
 * all is well. For validators that collect every problem before throwing one error.
 */
export function prefixedEnvProblems(
  serviceName: string,
  keysBySource: Readonly<Record<string, readonly string[]>>,
): string[] {
  return prefixedEnvProblemList(serviceName, keysBySource).map(
    (problem) => `${problem.source}.${problem.key}: ${problem.message}`,
  );
}

/**
 * A service's env map with every key prefixed; values are passed through untouched (they may be
 * secrets). Throws one error listing every bad key.
 */
export function prefixEnv<T>(
  serviceName: string,
  env: Readonly<Record<string, T>>,
): Record<string, T> {
  const problems = prefixedEnvProblems(serviceName, { env: Object.keys(env) });
  if (problems.length > 0) {
    throw new Error(`service ${JSON.stringify(serviceName)}:\n  ${problems.join("\n  ")}`);
  }
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [prefixedName(serviceName, key), value]),
  );
}

function keyProblem(key: string): string | undefined {
  const problem = envKeyProblem(key);
  return problem === undefined ? undefined : `env var name ${JSON.stringify(key)} ${problem}`;
}
