import * as pulumi from "@pulumi/pulumi";

/**
 * Unknown values in a preview: how a secret reference with no value still previews (a fork's pull
 * request has no secrets), and how program code that must look inside an Output copes with one.
 * Unknown is what the engine itself uses for values known only after `up` (a new resource's id), so
 * the preview plans the resources that use the value and shows their changes as "known after up";
 * no invented placeholder ever reaches a resource, a rendered file or a validation.
 */

/**
 * A secret whose value is unknown: `pulumi.unknown` lifted into an Output (its `isKnown` is false,
 * so no `apply` callback runs on it) and marked secret. For previews only: the caller checks
 * `pulumi.runtime.isDryRun()`, and `up` refuses a secret with no value before any program runs.
 */
export function unknownSecret(): pulumi.Output<string> {
  return pulumi.secret(pulumi.output(pulumi.unknown as unknown as string));
}

/** The part of every Output the SDK itself relies on across SDK copies (see `outputRec` in output.js). */
interface OutputWithUnknowns {
  promise(withUnknowns?: boolean): Promise<unknown>;
}

/**
 * The value of an Output with its unknown parts left as {@link pulumi.unknown}, instead of an
 * `apply` callback that never runs (and a Promise resolved inside it that would hang the program
 * forever) when the value is unknown in a preview. Uses the Output's `promise(true)`, which the SDK
 * calls on Outputs of other SDK copies too, so it is part of its compatibility surface.
 */
export function valueWithUnknowns(output: pulumi.Output<unknown>): Promise<unknown> {
  return (output as unknown as OutputWithUnknowns).promise(true);
}
