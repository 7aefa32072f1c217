import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, test } from "vitest";
import {
  ContainerAppsApp,
  ContainerAppsEnvironment,
  type ContainerAppsAppArgs,
} from "../../components/container-apps/index.js";
import { prefixedName } from "../../components/env-prefix.js";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks.js";
import { reveal, setMocks } from "../support/mocks.js";

const subscriptionId = "00000000-1111-2222-3333-444444444444";
const workspaceKey = "workspace-shared-key-value";
const mongoPassword = "mongo-password-value";
const jwtKey = "jwt-signing-key-value";
const dockerHubToken = "docker-hub-token-value";

const calls: { token: string; inputs: Record<string, unknown> }[] = [];
const record = (token: string, inputs: Record<string, unknown>) => calls.push({ token, inputs });

// The shared harness does not record dependsOn; the engine request carries it, so keep it here.
const dependenciesOf = new Map<string, string[]>();
const registerResource = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (
  this: MockMonitor,
  req: { getName(): string; getDependenciesList(): string[] },
  callback: Parameters<typeof registerResource>[1],
) {
  dependenciesOf.set(req.getName(), req.getDependenciesList());
  return registerResource.call(this, req, callback);
} as typeof registerResource;

const mocks = await setMocks({
  stack: "site-chefcito",
  calls: {
    "azure-native:authorization:getClientConfig": (inputs) => {
      record("getClientConfig", inputs);
      return { subscriptionId, tenantId: "tenant", clientId: "client", objectId: "object" };
    },
    "azure-native:operationalinsights:getSharedKeys": (inputs) => {
      record("getSharedKeys", inputs);
      return { primarySharedKey: workspaceKey, secondarySharedKey: "unused" };
    },
    "azure-native:containerregistry:getRegistry": (inputs) => {
      record("getRegistry", inputs);
      return {
        id: "/subscriptions/s/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/sharedacr",
        loginServer: "sharedacr.azurecr.io",
      };
    },
  },
  state: {
    "azure-native:resources:ResourceGroup": (r) => ({ name: r.inputs.resourceGroupName }),
    "azure-native:operationalinsights:Workspace": (r) => ({
      name: `${r.name}-azure`,
      customerId: "workspace-customer-id",
    }),
    "azure-native:containerregistry:Registry": (r) => ({
      loginServer: `${String(r.inputs.registryName)}.azurecr.io`,
    }),
    "azure-native:managedidentity:UserAssignedIdentity": () => ({
      principalId: "pull-identity-principal",
    }),
    "azure-native:app:ManagedEnvironment": (r) => ({
      name: `${r.name}-azure`,
      defaultDomain: "calm-sea.eastus2.example",
      staticIp: "20.1.2.3",
    }),
    "azure-native:app:ContainerApp": (r) => {
      const configuration = reveal(r.inputs.configuration) as Record<string, unknown>;
      const ingress = configuration.ingress as Record<string, unknown> | undefined;
      const internal = ingress?.external === false ? ".internal" : "";
      // Like the engine: an output whose input held secrets comes back secret as a whole.
      return {
        customDomainVerificationId: "verification-id-of-subscription",
        configuration: asSecret({
          ...configuration,
          ingress: ingress && {
            ...ingress,
            fqdn: `${String(r.inputs.containerAppName)}${internal}.calm-sea.eastus2.example`,
          },
        }),
      };
    },
  },
});

/** A value in the engine's wire form of a secret. */
function asSecret(value: unknown): Record<string, unknown> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/** Seed 003 in sitestack terms: a public gateway, an internal service and a worker. */
function chefcito(overrides: Partial<ContainerAppsAppArgs> = {}): ContainerAppsAppArgs {
  return {
    location: "eastus2",
    resourceGroup: { create: "chefcito-prod" },
    registry: { create: "chefcitoprod" },
    tags: { "sitestack-stack": "site-chefcito" },
    services: [
      {
        name: "gateway",
        image: "chefcitoprod.azurecr.io/gateway:1.2.0",
        port: 8000,
        ingressPath: "/",
        env: { USERS_URL: "http://chefcito-users" },
        secretEnv: { JWT_KEY: pulumi.secret(jwtKey) },
        probes: { path: "/health" },
        minReplicas: 1,
        maxReplicas: 5,
        concurrentRequests: 50,
      },
      {
        name: "users",
        image: "chefcitoprod.azurecr.io/users:1.2.0",
        port: 8000,
        env: { MONGO_USER: "chefcito", USERS_DB_NAME: "users" },
        secretEnv: { MONGO_PASSWORD: pulumi.secret(mongoPassword) },
      },
      {
        name: "notifications",
        image: "chefcitoprod.azurecr.io/notifications:1.2.0",
        env: { QUEUE: "orders" },
      },
    ],
    ...overrides,
  };
}

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

function containerApp(name: string): Record<string, unknown> {
  return reveal(mocks.find("azure-native:app:ContainerApp", name).inputs) as Record<
    string,
    unknown
  >;
}

function container(name: string): Record<string, unknown> {
  const template = containerApp(name).template as { containers: Record<string, unknown>[] };
  expect(template.containers).toHaveLength(1);
  return template.containers[0]!;
}

beforeEach(() => {
  mocks.reset();
  calls.length = 0;
});

describe("ContainerAppsApp resources", () => {
  test("creates exactly the shared resources and one Container App per service", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "azure-native:app:ContainerApp::chefcito-gateway",
      "azure-native:app:ContainerApp::chefcito-notifications",
      "azure-native:app:ContainerApp::chefcito-users",
      "azure-native:app:ManagedEnvironment::chefcito-platform-env",
      "azure-native:authorization:RoleAssignment::chefcito-platform-acrpull",
      "azure-native:containerregistry:Registry::chefcito-platform-acr",
      "azure-native:managedidentity:UserAssignedIdentity::chefcito-platform-pull",
      "azure-native:operationalinsights:Workspace::chefcito-platform-logs",
      "azure-native:resources:ResourceGroup::chefcito-platform-rg",
      "sitestack:azure:ContainerAppsApp::chefcito",
      "sitestack:azure:ContainerAppsEnvironment::chefcito-platform",
    ]);
    expect(mocks.find("azure-native:app:ContainerApp", "chefcito-users").parent).toBe(
      "sitestack:azure:ContainerAppsApp::chefcito",
    );
    expect(
      mocks.find("azure-native:containerregistry:Registry", "chefcito-platform-acr").parent,
    ).toBe("sitestack:azure:ContainerAppsEnvironment::chefcito-platform");
  });

  test("adopts an existing resource group and registry without creating them", async () => {
    new ContainerAppsApp(
      "chefcito",
      chefcito({
        resourceGroup: { existing: "chefcito-rg" },
        registry: { existing: "sharedacr", resourceGroupName: "shared" },
      }),
    );
    await mocks.settle();
    // No ResourceGroup and no Registry: both are read by name, never owned.
    expect(mocks.children()).toEqual([
      "azure-native:app:ContainerApp::chefcito-gateway",
      "azure-native:app:ContainerApp::chefcito-notifications",
      "azure-native:app:ContainerApp::chefcito-users",
      "azure-native:app:ManagedEnvironment::chefcito-platform-env",
      "azure-native:authorization:RoleAssignment::chefcito-platform-acrpull",
      "azure-native:managedidentity:UserAssignedIdentity::chefcito-platform-pull",
      "azure-native:operationalinsights:Workspace::chefcito-platform-logs",
      "sitestack:azure:ContainerAppsApp::chefcito",
      "sitestack:azure:ContainerAppsEnvironment::chefcito-platform",
    ]);
    expect(mocks.resources.filter((r) => r.read)).toEqual([]);
    expect(calls.find((c) => c.token === "getRegistry")?.inputs).toEqual({
      registryName: "sharedacr",
      resourceGroupName: "shared",
    });
    expect(
      mocks.find("azure-native:operationalinsights:Workspace", "chefcito-platform-logs").inputs
        .resourceGroupName,
    ).toBe("chefcito-rg");
    const acrPull = mocks.find(
      "azure-native:authorization:RoleAssignment",
      "chefcito-platform-acrpull",
    ).inputs;
    expect(acrPull.scope).toBe(
      "/subscriptions/s/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/sharedacr",
    );
  });

  test("the environment alone validates its arguments before creating anything", () => {
    expect(
      () =>
        new ContainerAppsEnvironment("shared", {
          location: "West Europe",
          resourceGroup: { create: "shared" },
          registry: { existing: "acr" },
        }),
    ).toThrow(
      'ContainerAppsEnvironment "shared":\n  location: must be an Azure region name like "westeurope" or "eastus2", got "West Europe"\n  registry.existing: must be 5 to 50 letters and digits (it becomes <name>.azurecr.io), got "acr"',
    );
  });

  test("the registry has its admin user disabled", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    expect(
      mocks.find("azure-native:containerregistry:Registry", "chefcito-platform-acr").inputs,
    ).toEqual({
      registryName: "chefcitoprod",
      resourceGroupName: "chefcito-prod",
      location: "eastus2",
      sku: { name: "Basic" },
      adminUserEnabled: false,
      // Defaults the SDK fills in; anonymous pull must stay off.
      anonymousPullEnabled: false,
      networkRuleBypassOptions: "AzureServices",
      publicNetworkAccess: "Enabled",
      zoneRedundancy: "Disabled",
      tags: { "sitestack-stack": "site-chefcito" },
    });
  });

  test("grants only AcrPull, on the registry, to the pull identity", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    expect(
      mocks.find("azure-native:authorization:RoleAssignment", "chefcito-platform-acrpull").inputs,
    ).toEqual({
      scope: "chefcito-platform-acr-id",
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
      principalId: "pull-identity-principal",
      principalType: "ServicePrincipal",
    });
  });

  test("every Container App pulls through the identity, after the grant exists", async () => {
    const appComponent = new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    for (const name of ["chefcito-gateway", "chefcito-users", "chefcito-notifications"]) {
      const inputs = containerApp(name);
      expect(inputs.identity).toEqual({
        type: "UserAssigned",
        userAssignedIdentities: ["chefcito-platform-pull-id"],
      });
      expect((inputs.configuration as Record<string, unknown>).registries).toEqual([
        { server: "chefcitoprod.azurecr.io", identity: "chefcito-platform-pull-id" },
      ]);
      expect(inputs.environmentId).toBe("chefcito-platform-env-id");
      expect(inputs.containerAppName).toBe(name.replace("chefcito-", ""));
    }
    const acrPullUrn = await settled(appComponent.platform.acrPull.urn);
    for (const name of ["chefcito-gateway", "chefcito-users", "chefcito-notifications"]) {
      expect(dependenciesOf.get(name)).toContain(acrPullUrn);
    }
  });

  test("ships environment logs to the workspace with its key kept secret", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    const environment = mocks.find("azure-native:app:ManagedEnvironment", "chefcito-platform-env");
    expect(reveal(environment.inputs.appLogsConfiguration)).toEqual({
      destination: "log-analytics",
      logAnalyticsConfiguration: { customerId: "workspace-customer-id", sharedKey: workspaceKey },
    });
    expect(mocks.plainOccurrences(workspaceKey)).toEqual([]);
    expect(calls.find((c) => c.token === "getSharedKeys")?.inputs).toEqual({
      resourceGroupName: "chefcito-prod",
      workspaceName: "chefcito-platform-logs-azure",
    });
  });
});

describe("ContainerAppsApp services", () => {
  test.each([
    [
      "chefcito-gateway",
      { external: true, targetPort: 8000, transport: "auto", allowInsecure: false },
    ],
    [
      "chefcito-users",
      { external: false, targetPort: 8000, transport: "auto", allowInsecure: false },
    ],
    ["chefcito-notifications", undefined],
  ])("ingress of %s follows port and path", async (name, ingress) => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    expect((containerApp(name).configuration as Record<string, unknown>).ingress).toEqual(ingress);
  });

  test("runs a single active revision by default", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    expect(
      (containerApp("chefcito-users").configuration as Record<string, unknown>).activeRevisionsMode,
    ).toBe("Single");
  });

  test("prefixes every variable with the shared rule and refers to secrets by name", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    expect(container("chefcito-users").env).toEqual([
      { name: prefixedName("users", "MONGO_USER"), value: "chefcito" },
      { name: prefixedName("users", "USERS_DB_NAME"), value: "users" },
      { name: prefixedName("users", "MONGO_PASSWORD"), secretRef: "users-mongo-password" },
    ]);
    // The shared rule itself, so a change to it shows up here too.
    expect(container("chefcito-users").env).toEqual([
      { name: "USERS_MONGO_USER", value: "chefcito" },
      { name: "USERS_DB_NAME", value: "users" },
      { name: "USERS_MONGO_PASSWORD", secretRef: "users-mongo-password" },
    ]);
    expect(
      (containerApp("chefcito-users").configuration as Record<string, unknown>).secrets,
    ).toEqual([{ name: "users-mongo-password", value: mongoPassword }]);
    expect(mocks.plainOccurrences(mongoPassword)).toEqual([]);
  });

  test("no secret value reaches any input outside a Pulumi secret", async () => {
    new ContainerAppsApp(
      "chefcito",
      chefcito({
        privateRegistry: { server: "docker.io", username: "chefcito", password: dockerHubToken },
      }),
    );
    await mocks.settle();
    // The walk must see the values (inside secrets) for its empty answer to mean anything.
    const everything = JSON.stringify(mocks.resources.map((r) => reveal(r.inputs)));
    for (const value of [mongoPassword, jwtKey, workspaceKey, dockerHubToken]) {
      expect(everything).toContain(value);
      expect(mocks.plainOccurrences(value)).toEqual([]);
    }
  });

  test("a plain value passed as a secret variable is still stored as a secret", async () => {
    new ContainerAppsApp(
      "chefcito",
      chefcito({
        services: [
          {
            name: "users",
            image: "chefcitoprod.azurecr.io/users:1",
            port: 8000,
            secretEnv: { TOKEN: "plain-by-mistake" },
          },
        ],
      }),
    );
    await mocks.settle();
    expect(mocks.plainOccurrences("plain-by-mistake")).toEqual([]);
  });

  test("pulls from a private registry with the password as a Container App secret", async () => {
    new ContainerAppsApp(
      "chefcito",
      chefcito({
        privateRegistry: { server: "docker.io", username: "chefcito", password: dockerHubToken },
      }),
    );
    await mocks.settle();
    const configuration = containerApp("chefcito-notifications").configuration as Record<
      string,
      unknown
    >;
    expect(configuration.registries).toEqual([
      { server: "chefcitoprod.azurecr.io", identity: "chefcito-platform-pull-id" },
      { server: "docker.io", username: "chefcito", passwordSecretRef: "pull.registry-password" },
    ]);
    expect(configuration.secrets).toEqual([
      { name: "pull.registry-password", value: dockerHubToken },
    ]);
  });

  test("HTTP services get HTTP probes on their health path, TCP probes without one", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    const http = { path: "/health", port: 8000, scheme: "HTTP" };
    const timing = { initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 };
    expect(container("chefcito-gateway").probes).toEqual([
      { type: "Liveness", httpGet: http, ...timing },
      { type: "Readiness", httpGet: http, ...timing },
    ]);
    expect(container("chefcito-users").probes).toEqual([
      { type: "Liveness", tcpSocket: { port: 8000 } },
      { type: "Readiness", tcpSocket: { port: 8000 } },
    ]);
    expect(container("chefcito-notifications").probes).toBeUndefined();
  });

  test("scales on concurrent requests between the replica bounds; workers have no rule", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    const scaleOf = (name: string) =>
      (containerApp(name).template as Record<string, unknown>).scale;
    expect(scaleOf("chefcito-gateway")).toEqual({
      minReplicas: 1,
      maxReplicas: 5,
      rules: [{ name: "http-concurrency", http: { metadata: { concurrentRequests: "50" } } }],
    });
    expect(scaleOf("chefcito-users")).toEqual({
      minReplicas: 1,
      maxReplicas: 3,
      rules: [{ name: "http-concurrency", http: { metadata: { concurrentRequests: "10" } } }],
    });
    expect(scaleOf("chefcito-notifications")).toEqual({ minReplicas: 1, maxReplicas: 3 });
    expect(container("chefcito-users").resources).toEqual({ cpu: 0.5, memory: "1Gi" });
    expect(container("chefcito-users").image).toBe("chefcitoprod.azurecr.io/users:1.2.0");
  });

  test("outputs each service's FQDN, public URLs and the registry login server", async () => {
    const appComponent = new ContainerAppsApp("chefcito", chefcito());
    expect(Object.keys(appComponent.fqdns).sort()).toEqual(["gateway", "users"]);
    expect(await settled(appComponent.fqdns.gateway!)).toBe("gateway.calm-sea.eastus2.example");
    expect(await settled(appComponent.fqdns.users!)).toBe(
      "users.internal.calm-sea.eastus2.example",
    );
    expect(Object.keys(appComponent.urls)).toEqual(["gateway"]);
    expect(await settled(appComponent.urls.gateway!)).toBe(
      "https://gateway.calm-sea.eastus2.example/",
    );
    expect(await settled(appComponent.registryLoginServer)).toBe("chefcitoprod.azurecr.io");
    // Host names are public: they must read in clear in `pulumi stack output`.
    expect(
      await (appComponent.fqdns.gateway as unknown as { isSecret: Promise<boolean> }).isSecret,
    ).toBe(false);
    await mocks.settle();
  });
});

/** Every recorded input of every resource, secrets revealed, by `type::name`. */
function allInputs(): Record<string, unknown> {
  return Object.fromEntries(mocks.resources.map((r) => [r.key, reveal(r.inputs)]));
}

describe("ContainerAppsApp archived", () => {
  test("keeps every resource and changes only ingress and scale of each Container App", async () => {
    new ContainerAppsApp("chefcito", chefcito());
    await mocks.settle();
    const active = allInputs();
    const activeChildren = mocks.children();
    mocks.reset();

    new ContainerAppsApp("chefcito", chefcito({ archived: true }));
    await mocks.settle();
    // Environment, logs, registry, identity and grant stay: archive deletes nothing.
    expect(mocks.children()).toEqual(activeChildren);
    const archived = allInputs();
    for (const name of ["chefcito-gateway", "chefcito-users", "chefcito-notifications"]) {
      const inputs = containerApp(name) as {
        configuration: Record<string, unknown>;
        template: Record<string, unknown>;
      };
      expect(inputs.configuration.ingress).toBeUndefined();
      expect(inputs.template.scale).toEqual({ minReplicas: 0, maxReplicas: 1, rules: [] });
    }
    // Nothing else differs: strip ingress and scale from both and they are equal.
    const withoutSleep = (all: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify(all, (key, value) =>
          key === "ingress" || key === "scale" ? undefined : value,
        ),
      ) as unknown;
    expect(withoutSleep(archived)).toEqual(withoutSleep(active));
  });

  test("reports the same host names and URLs while archived", async () => {
    const sleeping = new ContainerAppsApp("chefcito", chefcito({ archived: true }));
    expect(await settled(sleeping.fqdns.gateway!)).toBe("gateway.calm-sea.eastus2.example");
    expect(await settled(sleeping.fqdns.users!)).toBe("users.internal.calm-sea.eastus2.example");
    expect(await settled(sleeping.urls.gateway!)).toBe("https://gateway.calm-sea.eastus2.example/");
    await mocks.settle();
  });
});

describe("ContainerAppsApp custom domain", () => {
  const domain = {
    host: "api.chefcito.com.ar",
    service: "gateway",
  } as const;

  function gatewayIngress(): Record<string, unknown> {
    return (containerApp("chefcito-gateway").configuration as { ingress: Record<string, unknown> })
      .ingress;
  }

  const certificateInputs = {
    resourceGroupName: "chefcito-prod",
    environmentName: "chefcito-platform-env-azure",
    location: "eastus2",
    managedCertificateName: "api-chefcito-com-ar",
    properties: { subjectName: "api.chefcito.com.ar", domainControlValidation: "CNAME" },
    tags: { "sitestack-stack": "site-chefcito" },
  };

  test("step none binds nothing and reports the DNS records to create", async () => {
    const appComponent = new ContainerAppsApp(
      "chefcito",
      chefcito({ customDomain: { ...domain, binding: "none" } }),
    );
    await mocks.settle();
    expect(mocks.ofType("azure-native:app:ManagedCertificate")).toEqual([]);
    expect(gatewayIngress()).toEqual({
      external: true,
      targetPort: 8000,
      transport: "auto",
      allowInsecure: false,
    });
    expect(await settled(appComponent.customDomainRecords!)).toEqual([
      { type: "TXT", name: "asuid.api.chefcito.com.ar", value: "verification-id-of-subscription" },
      { type: "CNAME", name: "api.chefcito.com.ar", value: "gateway.calm-sea.eastus2.example" },
    ]);
    expect(await settled(appComponent.urls.gateway!)).toBe(
      "https://gateway.calm-sea.eastus2.example/",
    );
  });

  test("step hostname adds the host without TLS, then requests the certificate", async () => {
    const appComponent = new ContainerAppsApp(
      "chefcito",
      chefcito({ customDomain: { ...domain, binding: "hostname" } }),
    );
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "azure-native:app:ContainerApp::chefcito-gateway",
      "azure-native:app:ContainerApp::chefcito-notifications",
      "azure-native:app:ContainerApp::chefcito-users",
      "azure-native:app:ManagedCertificate::chefcito-cert",
      "azure-native:app:ManagedEnvironment::chefcito-platform-env",
      "azure-native:authorization:RoleAssignment::chefcito-platform-acrpull",
      "azure-native:containerregistry:Registry::chefcito-platform-acr",
      "azure-native:managedidentity:UserAssignedIdentity::chefcito-platform-pull",
      "azure-native:operationalinsights:Workspace::chefcito-platform-logs",
      "azure-native:resources:ResourceGroup::chefcito-platform-rg",
      "sitestack:azure:ContainerAppsApp::chefcito",
      "sitestack:azure:ContainerAppsEnvironment::chefcito-platform",
    ]);
    expect(mocks.find("azure-native:app:ManagedCertificate", "chefcito-cert").parent).toBe(
      "sitestack:azure:ContainerAppsApp::chefcito",
    );
    expect(gatewayIngress().customDomains).toEqual([
      { name: "api.chefcito.com.ar", bindingType: "Disabled" },
    ]);
    expect(mocks.find("azure-native:app:ManagedCertificate", "chefcito-cert").inputs).toEqual(
      certificateInputs,
    );
    // Azure issues the certificate only for a host already added: it waits for the app update.
    const gatewayUrn = await settled(appComponent.containerApps.gateway!.urn);
    expect(dependenciesOf.get("chefcito-cert")).toContain(gatewayUrn);
    // Only the bound service carries the host.
    expect(
      (containerApp("chefcito-users").configuration as { ingress: Record<string, unknown> }).ingress
        .customDomains,
    ).toBeUndefined();
    expect(await settled(appComponent.urls.gateway!)).toBe(
      "https://gateway.calm-sea.eastus2.example/",
    );
  });

  test("step certificate serves the host with the managed certificate", async () => {
    const appComponent = new ContainerAppsApp(
      "chefcito",
      chefcito({ customDomain: { ...domain, binding: "certificate" } }),
    );
    await mocks.settle();
    expect(gatewayIngress().customDomains).toEqual([
      {
        name: "api.chefcito.com.ar",
        bindingType: "SniEnabled",
        certificateId: "chefcito-cert-id",
      },
    ]);
    expect(mocks.find("azure-native:app:ManagedCertificate", "chefcito-cert").inputs).toEqual(
      certificateInputs,
    );
    // Now the app refers to the certificate, so the certificate must not wait for the app.
    const certificateUrn = await settled(appComponent.managedCertificate!.urn);
    expect(dependenciesOf.get("chefcito-gateway")).toContain(certificateUrn);
    const gatewayUrn = await settled(appComponent.containerApps.gateway!.urn);
    expect(dependenciesOf.get("chefcito-cert")).not.toContain(gatewayUrn);
    expect(await settled(appComponent.urls.gateway!)).toBe("https://api.chefcito.com.ar/");
  });

  test("archived keeps the certificate and unbinds the host with the ingress", async () => {
    new ContainerAppsApp(
      "chefcito",
      chefcito({ archived: true, customDomain: { ...domain, binding: "certificate" } }),
    );
    await mocks.settle();
    expect(mocks.find("azure-native:app:ManagedCertificate", "chefcito-cert").inputs).toEqual(
      certificateInputs,
    );
    expect(
      (containerApp("chefcito-gateway").configuration as Record<string, unknown>).ingress,
    ).toBe(undefined);
  });

  test("a zone apex gets an A record to the environment and HTTP validation", async () => {
    const appComponent = new ContainerAppsApp(
      "chefcito",
      chefcito({
        customDomain: {
          host: "chefcito.com.ar",
          service: "gateway",
          binding: "hostname",
          dnsRecordType: "A",
        },
      }),
    );
    await mocks.settle();
    expect(
      mocks.find("azure-native:app:ManagedCertificate", "chefcito-cert").inputs.properties,
    ).toEqual({ subjectName: "chefcito.com.ar", domainControlValidation: "HTTP" });
    expect(await settled(appComponent.customDomainRecords!)).toEqual([
      { type: "TXT", name: "asuid.chefcito.com.ar", value: "verification-id-of-subscription" },
      { type: "A", name: "chefcito.com.ar", value: "20.1.2.3" },
    ]);
  });

  test.each([
    [
      "a host on a service without external ingress",
      { host: "api.chefcito.com.ar", service: "users", binding: "hostname" as const },
      'customDomain.service: must be a public service (a port and an ingressPath): a host name needs external ingress, and "users" has none',
    ],
    [
      "a host on an unknown service",
      { host: "api.chefcito.com.ar", service: "web", binding: "hostname" as const },
      'customDomain.service: must be one of the services (gateway, users, notifications), got "web"',
    ],
    [
      "a host with a scheme",
      { host: "https://api.chefcito.com.ar", service: "gateway", binding: "none" as const },
      'customDomain.host: must be a bare domain like "app.example.com" without a scheme, got "https://api.chefcito.com.ar"',
    ],
    [
      "a host no public certificate can name",
      { host: "api.chefcito.test", service: "gateway", binding: "none" as const },
      'customDomain.host: must end in a public suffix such as ".com" or ".com.pe", got "api.chefcito.test"',
    ],
  ])("rejects %s before creating anything", async (_what, customDomain, problem) => {
    expect(() => new ContainerAppsApp("chefcito", chefcito({ customDomain }))).toThrow(
      new Error(`ContainerAppsApp "chefcito":\n  ${problem}`),
    );
  });
});
