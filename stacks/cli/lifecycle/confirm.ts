import { createInterface } from "node:readline/promises";
import { SelectionInvalid } from "./targets.js";

/**
 * Asks before a destructive verb. Without a terminal, refuses unless `--yes` was given: a pipeline
 * must say so explicitly.
 * @returns whether to go on.
 */
export async function confirmDestructive(
  verb: string,
  stacks: readonly string[],
  yes: boolean,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<boolean> {
  if (yes) return true;
  if (input.isTTY !== true) {
    throw new SelectionInvalid(
      [
        `${verb} deletes resources and needs --yes when not run on a terminal (there is nobody to ask): run it again with --yes to delete ${stacks.length === 1 ? stacks[0] : `${stacks.length} stacks`}`,
      ],
      "command-line",
    );
  }
  const prompt = createInterface({ input, output });
  try {
    const what =
      verb === "cleanup" ? "delete everything, volumes and certificates included, of" : "destroy";
    const answer = await prompt.question(
      `This will ${what} ${stacks.length} stack(s): ${stacks.join(", ")}.\nType "yes" to continue: `,
    );
    return answer.trim() === "yes";
  } finally {
    prompt.close();
  }
}
