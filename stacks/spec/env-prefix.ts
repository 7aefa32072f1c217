/**
 * The prefix a service's environment variables get (seed 002: `users` → `USERS_`), from its name:
 * upper case, hyphens as underscores (`metrics-api` → `METRICS_API_`).
 */
export function envPrefixOf(serviceName: string): string {
  return `${serviceName.toUpperCase().replace(/-/g, "_")}_`;
}

/**
 * The name a variable has inside the container: `MONGO_USER` of service `users` becomes
 * `USERS_MONGO_USER`. A name that already carries the prefix is kept as written, so files copied
 * from seed 002 (`USERS_MONGO_USER`) mean the same thing.
 */
export function prefixedEnvName(serviceName: string, name: string): string {
  const prefix = envPrefixOf(serviceName);
  return name.startsWith(prefix) ? name : `${prefix}${name}`;
}
