import { createInterface } from "node:readline/promises";
import { ValidationFailed } from "../../errors.js";

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
    throw new ValidationFailed([
      {
        file: "<command line>",
        line: 1,
        col: 1,
        path: "",
        message: `${verb} deletes resources and needs --yes when not run on a terminal`,
      },
    ]);
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
