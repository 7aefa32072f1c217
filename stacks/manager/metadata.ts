import type { Lifecycle } from "./status.js";

/**
 * The stack output every sitestack program writes: what a second machine (or plain `pulumi up`)
 * needs to operate the stack, stored by the engine in the stack's own checkpoint together with the
 * update that applied it, so it can never disagree with the state. It holds secret references,
 * never secret values.
 */
export const metadataOutputName = "sitestack";

/** The value of the {@link metadataOutputName} output. */
export interface StackMetadata {
  readonly format: 1;
  /** The site file's `kind` (`BoxSite`, `Staging`, …) or a test program's kind. */
  readonly kind: string;
  /** The site file the stack was last applied from, relative to the project, if any. */
  readonly file?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Archived stacks stay archived through `up`, `refresh` and plain `pulumi up`. */
  readonly lifecycle: Lifecycle;
  /** The spec of the last applied run: what `archive` and `restore` apply. */
  readonly spec: unknown;
}

/** The metadata in a stack's outputs, or undefined when there is none (or it is not ours). */
export function metadataOf(outputs: Readonly<Record<string, unknown>>): StackMetadata | undefined {
  const value = outputs[metadataOutputName] as Partial<StackMetadata> | undefined;
  if (value === null || typeof value !== "object" || value.format !== 1) return undefined;
  if (
    typeof value.kind !== "string" ||
    (value.lifecycle !== "active" && value.lifecycle !== "archived")
  ) {
    return undefined;
  }
  return {
    format: 1,
    kind: value.kind,
    ...(typeof value.file === "string" ? { file: value.file } : {}),
    labels: isStringRecord(value.labels) ? value.labels : {},
    lifecycle: value.lifecycle,
    spec: value.spec,
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === "object" &&
    Object.values(value).every((entry) => typeof entry === "string")
  );
}

/** What a program run is asked to do to the stack's lifecycle. */
export type RunRequest = "apply" | "archive" | "restore";

/** The site a run is given: from a file (or an API request), with its spec. */
export interface RunSubject<Spec> {
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly file?: string;
  readonly spec: Spec;
}

/** What one program run applies: the spec, the lifecycle, and the metadata it records. */
export interface RunPlan<Spec> {
  readonly spec: Spec;
  readonly lifecycle: Lifecycle;
  readonly metadata: StackMetadata;
}

/**
 * Decides a run from the request and the stack's previous metadata (pure). `apply` (up, preview,
 * plain `pulumi up`) applies the given spec and keeps the lifecycle; `archive`/`restore` apply the
 * last applied spec (re-validated by `revive`), so neither sneaks in unapplied file changes, and set
 * the lifecycle.
 */
export function planRun<Spec>(
  request: RunRequest,
  subject: RunSubject<Spec>,
  previous: StackMetadata | undefined,
  revive: (raw: unknown) => Spec,
): RunPlan<Spec> {
  const reuse = request !== "apply" && previous !== undefined;
  const spec = reuse ? revive(previous.spec) : subject.spec;
  const lifecycle: Lifecycle =
    request === "archive"
      ? "archived"
      : request === "restore"
        ? "active"
        : (previous?.lifecycle ?? "active");
  const source = reuse ? previous : subject;
  return {
    spec,
    lifecycle,
    metadata: {
      format: 1,
      kind: source.kind,
      ...(source.file === undefined ? {} : { file: source.file }),
      labels: { ...source.labels },
      lifecycle,
      spec: reuse ? previous.spec : subject.spec,
    },
  };
}
