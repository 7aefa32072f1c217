import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { ProgramContext } from "../platform/program-context.js";
import {
  metadataOf,
  metadataOutputName,
  planRun,
  type RunRequest,
  type RunSubject,
  type StackMetadata,
} from "./metadata.js";
import type { Lifecycle } from "./status.js";
import type { ProgramFactory } from "./target.js";

/**
 * The stack's metadata as its last update left it, read through a stack reference to the stack
 * itself: the engine reads it from the backend, so the inline program of `sitestack` and plain
 * `pulumi up` through Pulumi.yaml see the same truth on any machine.
 */
export async function previousMetadata(): Promise<StackMetadata | undefined> {
  // Imported here, not at the top: the stack manager never calls this (it passes `previous`), and
  // the SDK's runtime is better loaded while the engine starts than before (see engine-run.ts).
  const pulumi = await import("@pulumi/pulumi");
  const self = new pulumi.StackReference("sitestack-previous", {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  const details = await self.getOutputDetails(metadataOutputName);
  return details.value === undefined
    ? undefined
    : metadataOf({ [metadataOutputName]: details.value });
}

/** Input of {@link sitestackProgram}. */
export interface SitestackProgramInput<Spec> {
  readonly request: RunRequest;
  readonly subject: RunSubject<Spec>;
  /** Re-validates the last applied spec that `archive`/`restore` apply. */
  readonly revive: (raw: unknown) => Spec;
  readonly factory: ProgramFactory<Spec>;
  /** The context of the run, once its lifecycle is known. */
  readonly context: (lifecycle: Lifecycle) => ProgramContext;
  /**
   * The stack's previous metadata. The stack manager passes what it read from the backend right
   * before starting the engine (one read fewer inside the update); plain `pulumi up` reads it
   * through a stack reference to itself.
   * @default previousMetadata
   */
  readonly previous?: () => Promise<StackMetadata | undefined>;
}

/**
 * The program of every sitestack stack, inline or through Pulumi.yaml: reads the previous metadata,
 * plans the run (spec and lifecycle), runs the site's program and records the new metadata as the
 * {@link metadataOutputName} output.
 */
export function sitestackProgram<Spec>(input: SitestackProgramInput<Spec>): PulumiFn {
  return async () => {
    const previous = await (input.previous ?? previousMetadata)();
    const plan = planRun(input.request, input.subject, previous, input.revive);
    const outputs = (await input.factory(plan.spec, input.context(plan.lifecycle))()) ?? {};
    return { ...outputs, [metadataOutputName]: plan.metadata };
  };
}
