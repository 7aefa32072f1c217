/** One requirement of a label selector. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: "=" | "!=";
  readonly value: string;
}

const requirementPattern =
  /^(?<key>[A-Za-z0-9._/-]+)\s*(?<operator>!=|==|=)\s*(?<value>[A-Za-z0-9._-]*)$/;

/**
 * Parses a Kubernetes-style equality selector: `team=shop,tier!=gold` (requirements joined by
 * commas, all must hold).
 * @throws Error naming the requirement that is not `key=value` or `key!=value`.
 */
export function parseSelector(selector: string): LabelRequirement[] {
  return selector
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const match = requirementPattern.exec(part);
      if (match?.groups === undefined) {
        throw new Error(
          `selector requirement "${part}" must be key=value or key!=value (keys and values: letters, digits, ".", "_", "-")`,
        );
      }
      const { key, operator, value } = match.groups as Record<"key" | "operator" | "value", string>;
      return { key, operator: operator === "!=" ? "!=" : "=", value };
    });
}

/** Whether labels satisfy every requirement (a missing key never equals a value). */
export function matchesSelector(
  labels: Readonly<Record<string, string>>,
  requirements: readonly LabelRequirement[],
): boolean {
  return requirements.every((requirement) => {
    const actual = labels[requirement.key];
    return requirement.operator === "="
      ? actual === requirement.value
      : actual !== requirement.value;
  });
}
