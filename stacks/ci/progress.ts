import { describeEvent } from "../cli/lifecycle/reporter.js";
import { escapeLine } from "../escape.js";
import type { ManagerEvent } from "../manager/events.js";

/**
 * The progress of a pipeline command in a CI log: each manager event as the lifecycle verbs word
 * it, one `[stack] …` line per line of text, escaped so nothing in it can start a workflow
 * command or move the cursor.
 */
export function progressLines(write: (text: string) => void): (event: ManagerEvent) => void {
  return (event) => {
    const text = describeEvent(event);
    if (text === undefined) return;
    for (const line of text.split("\n")) write(`[${event.stack}] ${escapeLine(line)}\n`);
  };
}
