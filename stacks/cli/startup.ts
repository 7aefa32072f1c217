import * as nodeModule from "node:module";

// zod's entry points re-export every locale (about 60 modules) that sitestack never uses: error
// messages come from stacks/site-model/messages.ts. Loading them is a fifth of `sitestack validate`'s
// time on 1,000 files (bench/validate.mjs), so the CLI process serves that one index module empty.
const zodLocalesIndex = /\/zod\/v4\/locales\/index\.js$/;

/**
 * Start-up measures for the CLI process only (never for library users or tests): Node's on-disk
 * compile cache for the modules loaded after this call, and the empty zod locale index above.
 * Both are optional features of newer Node versions and are skipped where missing.
 */
export function speedUpStartup(): void {
  nodeModule.enableCompileCache?.();
  if (typeof nodeModule.registerHooks !== "function") return;
  nodeModule.registerHooks({
    load(url, context, nextLoad) {
      if (zodLocalesIndex.test(url)) {
        return { format: "module", source: "export {};", shortCircuit: true };
      }
      return nextLoad(url, context);
    },
  });
}
