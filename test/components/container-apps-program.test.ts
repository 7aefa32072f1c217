import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, test } from "vitest";
import {
  appAzureArgs,
  appAzureProgram,
  defaultRegistryName,
} from "../../stacks/program/app-azure.js";
import { defaultPlatformSettings, type ProgramContext } from "../../stacks/program/context.js";
import type { AppSpec } from "../../stacks/spec/site.js";
import { reveal, setMocks } from "../support/mocks.js";
import { repositorySite } from "../support/site-files.js";

const mocks = await setMocks({
  stack: "site-chefcito",
  calls: {
    "azure-native:authorization:getClientConfig": () => ({ subscriptionId: "sub" }),
    "azure-native:operationalinsights:getSharedKeys": () => ({ primarySharedKey: "key" }),
  },
  state: {
    "azure-native:operationalinsights:Workspace": (r) => ({ name: r.name }),
    "azure-native:containerregistry:Registry": (r) => ({
      loginServer: `${String(r.inputs.registryName)}.azurecr.io`,
    }),
  },
});

/** Every secret a site file names resolves to a value that names it, as a Pulumi secret. */
const secretValue = (name: string) => `value-of-${name}`;
const context: ProgramContext = {
  stackName: "site-chefcito",
  secret: (name) => pulumi.secret(secretValue(name)),
  platform: defaultPlatformSettings,
};

const exampleSite = () => repositorySite("chefcito.yaml", "App");

beforeEach(() => mocks.reset());

describe("App on Azure Container Apps: program", () => {
  test("maps the example site: group, its ACR by name, services with replicas as the floor", async () => {
    const args = appAzureArgs(await exampleSite(), context);
    expect(args.location).toBe("eastus2");
    expect(args.resourceGroup).toEqual({ create: "rg-chefcito-prod" });
    // An *.azurecr.io registry is the app's own: pulled through the identity, no password used.
    expect(args.registry).toEqual({ create: "chefcitoprod" });
    expect(args.privateRegistry).toBeUndefined();
    expect(args.tags).toEqual({ "sitestack-site": "chefcito", "sitestack-stack": "site-chefcito" });
    expect(args.services.map((s) => [s.name, s.port, s.ingressPath, s.minReplicas])).toEqual([
      ["gateway", 8000, "/", 1],
      ["users", 8000, undefined, 1],
      ["reservations", 8000, undefined, 1],
      ["venues", 8000, undefined, 1],
    ]);
  });

  test("deploys the example site with every secret only inside Pulumi secrets", async () => {
    const outputs = appAzureProgram(await exampleSite(), context);
    await mocks.settle();
    expect(
      mocks
        .ofType("azure-native:app:ContainerApp")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["chefcito-gateway", "chefcito-reservations", "chefcito-users", "chefcito-venues"]);
    for (const name of [
      "CHEFCITO_USERS_DB_STRING",
      "CHEFCITO_FIREBASE_KEY",
      "CHEFCITO_RESERVATIONS_DB_STRING",
      "CHEFCITO_VENUES_DB_STRING",
    ]) {
      expect(JSON.stringify(mocks.resources.map((r) => reveal(r.inputs)))).toContain(
        secretValue(name),
      );
      expect(mocks.plainOccurrences(secretValue(name))).toEqual([]);
    }
    // The ACR password reference is not used at all on this target.
    expect(
      JSON.stringify(mocks.resources.map((r) => reveal(r.inputs))).includes(
        secretValue("CHEFCITO_REGISTRY_PASSWORD"),
      ),
    ).toBe(false);
    expect(Object.keys(outputs.fqdns)).toEqual(["gateway", "users", "reservations", "venues"]);
    expect(Object.keys(outputs.urls)).toEqual(["gateway"]);
  });

  test("a registry outside Azure becomes pull credentials with a secret password", async () => {
    const spec = await exampleSite();
    const withHub: AppSpec = {
      ...spec,
      spec: {
        ...spec.spec,
        registry: { server: "docker.io", username: "chefcito", password: { secret: "HUB_TOKEN" } },
      },
    };
    const args = appAzureArgs(withHub, context);
    expect(args.registry).toEqual({ create: "chefcito" });
    expect(args.privateRegistry?.server).toBe("docker.io");
    expect(pulumi.Output.isInstance(args.privateRegistry?.password)).toBe(true);
  });

  test.each([
    ["chefcito", "chefcito"],
    ["chefcito-staging", "chefcitostaging"],
    ["abc", "abcacr00"],
  ])("site %s gets the default registry name %s", (site, registry) => {
    expect(defaultRegistryName(site)).toBe(registry);
  });
});
