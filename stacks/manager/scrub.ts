import { envVars } from "../contract.js";

/** What a secret value becomes in any text sitestack writes. */
export const secretMask = "[secret]";

/**
 * Removes known secret values from text before it becomes sitestack's: error messages, engine
 * output lines, operation records. The engine masks the secrets it knows; this catches values the
 * engine never saw as secrets (a value in a failing command's echo, a provider's error text).
 */
export class Scrubber {
  private readonly values = new Set<string>();

  /** Every `SITESTACK_SECRET_*` value and passphrase in an environment. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): Scrubber {
    const scrubber = new Scrubber();
    for (const [name, value] of Object.entries(env)) {
      if (name.startsWith(envVars.secretPrefix) || name === "PULUMI_CONFIG_PASSPHRASE") {
        scrubber.add(value);
      }
    }
    return scrubber;
  }

  /** Adds a value to remove. Values shorter than 4 characters are too common to scrub safely. */
  add(value: string | undefined): void {
    if (value !== undefined && value.length >= 4) this.values.add(value);
  }

  /** The text with every known value replaced by {@link secretMask}, longest values first. */
  scrub(text: string): string {
    let result = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      result = result.split(value).join(secretMask);
    }
    return result;
  }
}
