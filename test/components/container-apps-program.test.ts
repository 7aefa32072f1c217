import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, test } from "vitest";
import { appAzureArgs, appAzureProgram, customDomainOf } from "../../stacks/program/app-azure.js";
import { type ProgramContext } from "../../stacks/platform/program-context.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import type { AppSpec } from "../../stacks/site-model/site.js";
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
    "azure-native:app:ManagedEnvironment": (r) => ({
      name: r.name,
      defaultDomain: "calm-sea.eastus2.example",
    }),
    "azure-native:app:ContainerApp": (r) => ({
      customDomainVerificationId: "verification-id",
      configuration: {
        ingress: { fqdn: `${String(r.inputs.containerAppName)}.calm-sea.eastus2.example` },
      },
    }),
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

  test("maps spec.ingress.host to a custom domain of the public service at the file's step", async () => {
    const spec = await exampleSite();
    expect(customDomainOf(spec)).toEqual({
      host: "api.chefcito.com.ar",
      service: "gateway",
      binding: "none",
      dnsRecordType: "CNAME",
    });
    const apex: AppSpec = {
      ...spec,
      spec: {
        ...spec.spec,
        ingress: { host: "chefcito.com.ar" },
        azure: { ...spec.spec.azure!, hostBinding: "certificate" },
      },
    };
    expect(customDomainOf(apex)).toEqual({
      host: "chefcito.com.ar",
      service: "gateway",
      binding: "certificate",
      dnsRecordType: "A",
    });
  });

  test("outputs the DNS records the example's host needs before it can be bound", async () => {
    const outputs = appAzureProgram(await exampleSite(), context);
    await mocks.settle();
    expect(mocks.ofType("azure-native:app:ManagedCertificate")).toEqual([]);
    expect(await new Promise((resolve) => outputs.customDomainRecords!.apply(resolve))).toEqual([
      { type: "TXT", name: "asuid.api.chefcito.com.ar", value: "verification-id" },
      { type: "CNAME", name: "api.chefcito.com.ar", value: "gateway.calm-sea.eastus2.example" },
    ]);
  });
});

describe("App on Azure Container Apps: archive and restore", () => {
  /** Every recorded input of one run of the program, secrets revealed, by `type::name`. */
  async function inputsOf(spec: AppSpec, lifecycle: "active" | "archived") {
    mocks.reset();
    appAzureProgram(spec, { ...context, lifecycle });
    await mocks.settle();
    return Object.fromEntries(mocks.resources.map((r) => [r.key, reveal(r.inputs)]));
  }

  /** The example site with its host served with the certificate: the richest form to restore. */
  async function served(): Promise<AppSpec> {
    const spec = await exampleSite();
    return {
      ...spec,
      spec: { ...spec.spec, azure: { ...spec.spec.azure!, hostBinding: "certificate" } },
    };
  }

  test("the lifecycle reaches the component as the archived flag and nothing else", async () => {
    const spec = await served();
    const { services: activeServices, ...active } = appAzureArgs(spec, context);
    const { services: archivedServices, ...archived } = appAzureArgs(spec, {
      ...context,
      lifecycle: "archived",
    });
    expect(active.archived).toBe(false);
    expect(archived).toEqual({ ...active, archived: true });
    const plain = (services: typeof activeServices) =>
      services.map(({ secretEnv: _secrets, ...rest }) => rest);
    expect(plain(archivedServices)).toEqual(plain(activeServices));
  });

  test("archive scales every app to zero without ingress and keeps everything else", async () => {
    const spec = await served();
    const active = await inputsOf(spec, "active");
    const archived = await inputsOf(spec, "archived");
    expect(Object.keys(archived).sort()).toEqual(Object.keys(active).sort());
    expect(Object.keys(archived)).toContain("azure-native:app:ManagedCertificate::chefcito-cert");
    for (const service of ["gateway", "users", "reservations", "venues"]) {
      const containerApp = archived[`azure-native:app:ContainerApp::chefcito-${service}`] as {
        configuration: Record<string, unknown>;
        template: Record<string, unknown>;
      };
      expect(containerApp.configuration.ingress).toBeUndefined();
      expect(containerApp.template.scale).toEqual({ minReplicas: 0, maxReplicas: 1, rules: [] });
    }
  });

  test("restore brings back exactly the inputs of before the archive", async () => {
    const spec = await served();
    const before = await inputsOf(spec, "active");
    await inputsOf(spec, "archived");
    const restored = await inputsOf(spec, "active");
    expect(restored).toEqual(before);
    const gateway = restored["azure-native:app:ContainerApp::chefcito-gateway"] as {
      configuration: { ingress: Record<string, unknown> };
      template: Record<string, unknown>;
    };
    expect(gateway.configuration.ingress.customDomains).toEqual([
      {
        name: "api.chefcito.com.ar",
        bindingType: "SniEnabled",
        certificateId: "chefcito-cert-id",
      },
    ]);
    expect(gateway.template.scale).toEqual({
      minReplicas: 1,
      maxReplicas: 3,
      rules: [{ name: "http-concurrency", http: { metadata: { concurrentRequests: "10" } } }],
    });
  });
});
