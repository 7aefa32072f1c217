import type { Verb } from "../verb.js";
import { validateVerb } from "./validate.js";

/** Every verb of the CLI, in help order. A new verb is one file in this folder plus one line here. */
export const verbs: readonly Verb[] = [validateVerb];
