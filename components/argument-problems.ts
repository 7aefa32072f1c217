/**
 * Collects every problem of a component's plain arguments, so that one error names them all
 * (CONVENTIONS.md, "Validate early, all at once, and say what to do").
 */
export class ArgumentProblems {
  private readonly problems: string[] = [];

  /** Records `<field> <rule>, got <value as JSON>` unless `ok`. */
  readonly check = (ok: boolean, field: string, rule: string, value: unknown): void => {
    if (!ok) this.problems.push(`${field} ${rule}, got ${JSON.stringify(value)}`);
  };

  /**
   * Records `<field> <problem>, got <value as JSON>` when a shared rule (see `value-rules.ts`) found
   * a problem, that is when `problem` is not `undefined`.
   */
  readonly rule = (problem: string | undefined, field: string, value: unknown): void => {
    if (problem !== undefined)
      this.problems.push(`${field} ${problem}, got ${JSON.stringify(value)}`);
  };

  /** Records problems worded elsewhere (shared validators). */
  push(...problems: readonly string[]): void {
    this.problems.push(...problems);
  }

  /** Throws `<subject>:` and one indented line a problem, if there is any. */
  throwIfAny(subject: string): void {
    if (this.problems.length > 0) {
      throw new Error(`${subject}:\n  ${this.problems.join("\n  ")}`);
    }
  }
}
