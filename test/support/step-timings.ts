/** Wall times of the steps of a long test, printed together at the end for the report. */
export interface StepTimings {
  /** Runs `step`, keeping `<label>: <seconds>s` whether it passes or throws. */
  timed<T>(label: string, step: () => Promise<T>): Promise<T>;
  /** Writes `<title>:` and one indented line a step to stdout. */
  print(): void;
}

/** A fresh list of step timings headed by `title`. */
export function stepTimings(title: string): StepTimings {
  const lines: string[] = [];
  return {
    async timed(label, step) {
      const started = performance.now();
      try {
        return await step();
      } finally {
        lines.push(`${label}: ${((performance.now() - started) / 1000).toFixed(1)}s`);
      }
    },
    print() {
      process.stdout.write(`${title}:\n  ${lines.join("\n  ")}\n`);
    },
  };
}
