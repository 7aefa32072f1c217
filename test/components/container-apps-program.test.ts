import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, test } from "vitest";
import { appAzureArgs, appAzureProgram } from "../../stacks/program/app-azure.js";
import { defaultPlatformSettings, type ProgramContext } from "../../stacks/program/context.js";
import type { AppSpec } from "../../stacks/spec/site.js";
import { reveal, setMocks } from "../support/mocks.js";
import { repositorySite } from "../support/site-files.js";

/** Every provider function the programs call, with its inputs, in call order. */
const invokes: { token: string; inputs: Record<string, unknown> }[] = [];
const adoptedRegistryId =
  "/subscriptions/sub/resourceGroups/chefcito-rg/providers/Microsoft.ContainerRegistry/registries/chefcitoprod";

const mocks = await setMocks({
  stack: "site-chefcito",
  calls: {
    "azure-native:authorization:getClientConfig": () => ({ subscriptionId: "sub" }),
    "azure-native:operationalinsights:getSharedKeys": () => ({ primarySharedKey: "key" }),
    // The adopted registry as Azure describes it; the only read of an existing registry allowed.
    "azure-native:containerregistry:getRegistry": (inputs) => {
      invokes.push({ token: "getRegistry", inputs });
      return { id: adoptedRegistryId, loginServer: "chefcitoprod.azurecr.io" };
    },
  },
  state: {
    "azure-native:resources:ResourceGroup": (r) => ({ name: r.inputs.resourceGroupName }),
    "azure-native:operationalinsights:Workspace": (r) => ({ name: r.name }),
    "azure-native:managedidentity:UserAssignedIdentity": () => ({ principalId: "pull-principal" }),
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

beforeEach(() => {
  mocks.reset();
  invokes.length = 0;
});

/** The example site with `spec.azure.registry` replaced. */
async function withRegistry(
  registry: NonNullable<AppSpec["spec"]["azure"]>["registry"],
): Promise<AppSpec> {
  const spec = await exampleSite();
  return { ...spec, spec: { ...spec.spec, azure: { ...spec.spec.azure!, registry } } };
}

const platformChildren = [
  "azure-native:app:ContainerApp::chefcito-gateway",
  "azure-native:app:ContainerApp::chefcito-reservations",
  "azure-native:app:ContainerApp::chefcito-users",
  "azure-native:app:ContainerApp::chefcito-venues",
  "azure-native:app:ManagedEnvironment::chefcito-platform-env",
  "azure-native:authorization:RoleAssignment::chefcito-platform-acrpull",
];

describe("App on Azure Container Apps: program", () => {
  test("maps the example site: group, its adopted ACR, services with replicas as the floor", async () => {
    const args = appAzureArgs(await exampleSite(), context);
    expect(args.location).toBe("eastus2");
    expect(args.resourceGroup).toEqual({ create: "rg-chefcito-prod" });
    // chefcitoprod exists already: adopted by name and group, pulled through the identity.
    expect(args.registry).toEqual({ existing: "chefcitoprod", resourceGroupName: "chefcito-rg" });
    expect(args.privateRegistry).toBeUndefined();
    expect(args.tags).toEqual({ "sitestack-site": "chefcito", "sitestack-stack": "site-chefcito" });
    expect(args.services.map((s) => [s.name, s.port, s.ingressPath, s.minReplicas])).toEqual([
      ["gateway", 8000, "/", 1],
      ["users", 8000, undefined, 1],
      ["reservations", 8000, undefined, 1],
      ["venues", 8000, undefined, 1],
    ]);
  });

  test("adopting a registry reads it and creates no registry resource", async () => {
    appAzureProgram(await exampleSite(), context);
    await mocks.settle();
    expect(mocks.children()).toEqual([
      ...platformChildren,
      "azure-native:managedidentity:UserAssignedIdentity::chefcito-platform-pull",
      "azure-native:operationalinsights:Workspace::chefcito-platform-logs",
      "azure-native:resources:ResourceGroup::chefcito-platform-rg",
      "sitestack:azure:ContainerAppsApp::chefcito",
      "sitestack:azure:ContainerAppsEnvironment::chefcito-platform",
    ]);
    expect(invokes).toEqual([
      {
        token: "getRegistry",
        inputs: { registryName: "chefcitoprod", resourceGroupName: "chefcito-rg" },
      },
    ]);
    // The pull grant is on the adopted registry, and the apps pull from its login server.
    expect(
      mocks.find("azure-native:authorization:RoleAssignment", "chefcito-platform-acrpull").inputs,
    ).toEqual({
      scope: adoptedRegistryId,
      roleDefinitionId:
        "/subscriptions/sub/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d",
      principalId: "pull-principal",
      principalType: "ServicePrincipal",
    });
    const gateway = reveal(mocks.find("azure-native:app:ContainerApp", "chefcito-gateway").inputs);
    expect(
      (gateway as { configuration: { registries: unknown } }).configuration.registries,
    ).toEqual([{ server: "chefcitoprod.azurecr.io", identity: "chefcito-platform-pull-id" }]);
  });

  test("creating a registry owns it: a Registry resource, no lookup", async () => {
    appAzureProgram(
      await withRegistry({ create: { name: "chefcitostaging", sku: "Standard" } }),
      context,
    );
    await mocks.settle();
    expect(mocks.children()).toEqual([
      ...platformChildren,
      "azure-native:containerregistry:Registry::chefcito-platform-acr",
      "azure-native:managedidentity:UserAssignedIdentity::chefcito-platform-pull",
      "azure-native:operationalinsights:Workspace::chefcito-platform-logs",
      "azure-native:resources:ResourceGroup::chefcito-platform-rg",
      "sitestack:azure:ContainerAppsApp::chefcito",
      "sitestack:azure:ContainerAppsEnvironment::chefcito-platform",
    ]);
    expect(invokes).toEqual([]);
    expect(
      mocks.find("azure-native:containerregistry:Registry", "chefcito-platform-acr").inputs,
    ).toEqual({
      registryName: "chefcitostaging",
      resourceGroupName: "rg-chefcito-prod",
      location: "eastus2",
      sku: { name: "Standard" },
      adminUserEnabled: false,
      anonymousPullEnabled: false,
      networkRuleBypassOptions: "AzureServices",
      publicNetworkAccess: "Enabled",
      zoneRedundancy: "Disabled",
      tags: { "sitestack-site": "chefcito", "sitestack-stack": "site-chefcito" },
    });
    expect(
      mocks.find("azure-native:authorization:RoleAssignment", "chefcito-platform-acrpull").inputs
        .scope,
    ).toBe("chefcito-platform-acr-id");
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
    expect(args.registry).toEqual({ existing: "chefcitoprod", resourceGroupName: "chefcito-rg" });
    expect(args.privateRegistry?.server).toBe("docker.io");
    expect(pulumi.Output.isInstance(args.privateRegistry?.password)).toBe(true);
  });
});
