/** One source the resolver tried, and why it did not give an engine. */
export interface EngineAttempt {
  readonly source: string;
  readonly reason: string;
}

/**
 * No Pulumi engine could be found, installed or built. The message lists every source tried and
 * why each failed, so the fix (put `pulumi` on PATH, set SITESTACK_PULUMI, install Go) is visible.
 *
 * Defined here because `stacks/errors.ts` did not exist when the resolver was written; move it there
 * once the shared error table does.
 */
export class EngineMissing extends Error {
  constructor(readonly attempts: readonly EngineAttempt[]) {
    super(
      "no Pulumi engine available: " +
        attempts.map((attempt) => `${attempt.source}: ${attempt.reason}`).join("; "),
    );
    this.name = "EngineMissing";
  }
}
