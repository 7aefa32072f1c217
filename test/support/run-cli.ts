import type { CliIo } from "../../stacks/io.js";
import { runCli } from "../../stacks/cli/main.js";

/** Runs the CLI in-process with captured output and the given environment. */
export async function runCliCaptured(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
