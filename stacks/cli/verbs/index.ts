import type { Verb } from "../verb.js";
import { validateVerb } from "./validate.js";
import { previewVerb } from "./preview.js";
import { upVerb } from "./up.js";
import { refreshVerb } from "./refresh.js";
import { archiveVerb } from "./archive.js";
import { restoreVerb } from "./restore.js";
import { destroyVerb } from "./destroy.js";
import { cleanupVerb } from "./cleanup.js";
import { statusVerb } from "./status.js";
import { listVerb } from "./list.js";
import { outputsVerb } from "./outputs.js";
import { historyVerb } from "./history.js";
import { unlockVerb } from "./unlock.js";
import { secretVerb } from "./secret.js";
import { ciVerb } from "./ci.js";
import { serveVerb } from "./serve.js";
import { remoteVerb } from "./remote.js";

/** Every verb of the CLI, in help order. A new verb is one file in this folder plus one line here. */
export const verbs: readonly Verb[] = [
  validateVerb,
  previewVerb,
  upVerb,
  refreshVerb,
  archiveVerb,
  restoreVerb,
  destroyVerb,
  cleanupVerb,
  statusVerb,
  listVerb,
  outputsVerb,
  historyVerb,
  unlockVerb,
  secretVerb,
  ciVerb,
  serveVerb,
  remoteVerb,
];
