import { describeObject, type KubernetesObject } from "./objects.js";

/**
 * Secret values shorter than this are not searched for: a short value ("box", "1") would be found
 * in ordinary names and numbers and stop every staging for nothing.
 */
export const shortestSearchedSecret = 6;

function pathsOf(value: unknown, needle: string, path: string, found: string[]): void {
  if (typeof value === "string") {
    if (value.includes(needle)) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => pathsOf(item, needle, `${path}[${index}]`, found));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, needle, `${path}.${key}`, found);
  }
}

/**
 * Where a secret value appears in plain text in the rendered objects, as messages that name the
 * secret's value path and the object, never the value. Secret values reach a staging only through
 * its secret-values Secret; finding one in a rendered object means it was also typed into plain
 * values, where it would sit unencrypted in the stack state.
 */
export function plainSecretLeaks(
  objects: readonly KubernetesObject[],
  secretValues: Readonly<Record<string, string>>,
): string[] {
  const leaks: string[] = [];
  for (const [valuePath, secret] of Object.entries(secretValues)) {
    if (secret.length < shortestSearchedSecret) continue;
    for (const object of objects) {
      const found: string[] = [];
      pathsOf(object, secret, "", found);
      for (const at of found) {
        leaks.push(
          `the secret value ${JSON.stringify(valuePath)} appears in plain text in ${describeObject(object)} at ${at.slice(1)}`,
        );
      }
    }
  }
  return leaks;
}
