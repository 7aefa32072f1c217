/* eslint-disable @typescript-eslint/no-require-imports -- the provider code below is serialized into the dynamic-provider process, where `require` is the only way to load a module */
import * as pulumi from "@pulumi/pulumi";

/** Inputs of `TextFile`. */
export interface TextFileArgs {
  /** Absolute path of the file; changing it replaces the resource. */
  readonly path: pulumi.Input<string>;
  readonly content: pulumi.Input<string>;
}

interface TextFileState {
  readonly path: string;
  readonly content: string;
}

// Runs inside the dynamic-provider process (`pulumi-resource-pulumi-nodejs`), serialized by
// Pulumi's closure serializer, so it may only use `require` and its own arguments.
const textFileProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: TextFileState) {
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    fs.mkdirSync(path.dirname(inputs.path), { recursive: true });
    fs.writeFileSync(inputs.path, inputs.content);
    return { id: inputs.path, outs: { path: inputs.path, content: inputs.content } };
  },
  async read(id: string, props: TextFileState) {
    const fs = require("node:fs") as typeof import("node:fs");
    if (!fs.existsSync(id)) return {};
    return { id, props: { ...props, path: id, content: fs.readFileSync(id, "utf8") } };
  },
  async diff(_id: string, olds: TextFileState, news: TextFileState) {
    return {
      changes: olds.path !== news.path || olds.content !== news.content,
      replaces: olds.path !== news.path ? ["path"] : [],
      deleteBeforeReplace: true,
    };
  },
  async update(_id: string, _olds: TextFileState, news: TextFileState) {
    const fs = require("node:fs") as typeof import("node:fs");
    fs.writeFileSync(news.path, news.content);
    return { outs: { path: news.path, content: news.content } };
  },
  async delete(id: string) {
    const fs = require("node:fs") as typeof import("node:fs");
    fs.rmSync(id, { force: true });
  },
};

/**
 * A text file on the local disk, managed by a dynamic provider: a resource whose whole life cycle
 * (create, read on refresh, update, delete) runs in the real engine without any downloadable plugin.
 */
export class TextFile extends pulumi.dynamic.Resource {
  declare readonly path: pulumi.Output<string>;
  declare readonly content: pulumi.Output<string>;

  constructor(name: string, args: TextFileArgs, opts?: pulumi.CustomResourceOptions) {
    super(textFileProvider, name, { ...args }, opts, "sitestack-test", "TextFile");
  }
}
