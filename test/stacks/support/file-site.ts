import * as pulumi from "@pulumi/pulumi";
import type { ProgramFactory } from "../../../stacks/manager/target.js";
import { TextFile } from "../../support/dynamic-file.js";

/**
 * The spec of a test "site" whose resources are files in a folder: `data` stands for a volume
 * (kept when archived, retained on destroy), `web` for compute (gone when archived), `config`
 * carries a secret value the way a Kubernetes Secret would.
 */
export interface FileSiteSpec {
  readonly dir: string;
  readonly version: string;
  /** A secret reference resolved by the manager. */
  readonly token: { readonly secret: string };
  /** Extra resources that each take this long to create (to be killed in the middle). */
  readonly slow?: { readonly count: number; readonly ms: number };
}

interface SleepState {
  readonly ms: number;
}

// Serialized into the dynamic-provider process: only `require` and its arguments are available.
const sleepProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: SleepState) {
    await new Promise((resolve) => setTimeout(resolve, inputs.ms));
    return { id: `slept-${inputs.ms}-${Date.now()}`, outs: inputs };
  },
};

/** A resource whose creation takes `ms` milliseconds. */
class Sleep extends pulumi.dynamic.Resource {
  constructor(name: string, ms: number, opts?: pulumi.CustomResourceOptions) {
    super(sleepProvider, name, { ms }, opts, "sitestack-test", "Sleep");
  }
}

/** Component type of the test site, like `sitestack:box:BoxSite` in production. */
class FileSite extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;

  constructor(name: string, spec: FileSiteSpec, token: pulumi.Output<string>, archived: boolean) {
    super("sitestack-test:site:FileSite", name, {}, {});
    new TextFile(
      `${name}-data`,
      { path: `${spec.dir}/data.txt`, content: "precious data" },
      {
        parent: this,
        retainOnDelete: true,
      },
    );
    new TextFile(
      `${name}-config`,
      { path: `${spec.dir}/config.txt`, content: token },
      { parent: this },
    );
    if (!archived) {
      new TextFile(
        `${name}-web`,
        { path: `${spec.dir}/web.txt`, content: `web ${spec.version}` },
        {
          parent: this,
        },
      );
    }
    for (let i = 0; i < (spec.slow?.count ?? 0); i += 1) {
      new Sleep(`${name}-slow-${i}`, spec.slow?.ms ?? 0, { parent: this });
    }
    this.url = pulumi.output(`file://${spec.dir}/web.txt`);
    this.registerOutputs({ url: this.url });
  }
}

/** The program factory of the test site: what `siteProgram` is in production. */
export const fileSiteProgram: ProgramFactory<FileSiteSpec> = (spec, context) => async () => {
  const token = context.secret(spec.token.secret);
  const site = new FileSite(context.stackName, spec, token, context.lifecycle === "archived");
  return { url: site.url, token };
};
