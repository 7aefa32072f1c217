import { describe, expect, test } from "vitest";
import {
  ingressKind,
  validateContainerAppsApp,
  type ContainerAppServiceArgs,
  type ContainerAppsAppArgs,
} from "../../components/container-apps/index.js";
import { secretName } from "../../components/container-apps/render.js";

const service: ContainerAppServiceArgs = {
  name: "users",
  image: "chefcitoprod.azurecr.io/users:1",
  port: 8000,
};
const app: ContainerAppsAppArgs = {
  location: "eastus2",
  resourceGroup: { create: "chefcito-prod" },
  registry: { create: "chefcitoprod" },
  services: [service],
};

function problemsOf(args: Partial<ContainerAppsAppArgs>, name = "chefcito"): string {
  try {
    validateContainerAppsApp(name, { ...app, ...args });
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

function serviceProblem(overrides: Partial<ContainerAppServiceArgs>): string {
  return problemsOf({ services: [{ ...service, ...overrides }] });
}

describe("ingress rule", () => {
  test.each([
    [{ port: 8000, ingressPath: "/users" }, "external"],
    [{ port: 8000 }, "internal"],
    [{}, "none"],
  ] as const)("%o is %s", (fields, kind) => {
    expect(ingressKind(fields)).toBe(kind);
  });
});

describe("Container App secret names", () => {
  test("are the prefixed variable names in lowercase with hyphens", () => {
    expect(secretName("users", "MONGO_PASSWORD")).toBe("users-mongo-password");
    expect(secretName("metrics-consumer", "REDIS_URL")).toBe("metrics-consumer-redis-url");
    expect(secretName("users", "USERS_TOKEN")).toBe("users-token");
  });
});

describe("ContainerAppsApp validation", () => {
  test("accepts the seed-style app", () => {
    expect(problemsOf({})).toBe("");
  });

  test.each([
    [
      { location: "East US 2" },
      'location: must be an Azure region name like "westeurope" or "eastus2", got "East US 2"',
    ],
    [
      { registry: { create: "chefcito-prod" } },
      'registry.create: must be 5 to 50 letters and digits (it becomes <name>.azurecr.io), got "chefcito-prod"',
    ],
    [
      { resourceGroup: { existing: "bad group." } },
      'resourceGroup.existing: must be 1 to 90 letters, digits, "_", "-", ".", "(" or ")", not ending with ".", got "bad group."',
    ],
    [
      { logRetentionDays: 7 },
      "logRetentionDays: must be a whole number of days from 30 to 730, got 7",
    ],
    [{ services: [] }, "services: must list at least one service"],
    [
      { privateRegistry: { server: "https://docker.io", username: "u", password: "p" } },
      'privateRegistry.server: must be a registry host like "ghcr.io" or "registry.example.com:5000", got "https://docker.io"',
    ],
  ] as [Partial<ContainerAppsAppArgs>, string][])("rejects %o", (args, message) => {
    expect(problemsOf(args)).toBe(`ContainerAppsApp "chefcito":\n  ${message}`);
  });

  test.each([
    [
      { ingressPath: "/users", port: undefined },
      "services.users.ingressPath: needs a port: only a service that listens on a port can be public",
    ],
    [
      { ingressPath: "users" },
      'services.users.ingressPath: must be a path like "/users": "/" followed by letters, digits, ".", "_", "~", "-" and "/", got "users"',
    ],
    [{ port: 70000 }, "services.users.port: must be a whole number from 1 to 65535, got 70000"],
    [
      { port: undefined, minReplicas: 0 },
      "services.users.minReplicas: must be at least 1 for a worker (no port): with no HTTP traffic nothing would ever start it",
    ],
    [
      { minReplicas: 4, maxReplicas: 2 },
      "services.users.maxReplicas: must be at least minReplicas (4), got 2",
    ],
    [
      { port: undefined, concurrentRequests: 20 },
      "services.users.concurrentRequests: needs a port: workers get no HTTP scale rule",
    ],
    [{ cpuCores: 0.3 }, "services.users.cpuCores: must be 0.25 to 4 in steps of 0.25, got 0.3"],
    [
      { cpuCores: 1, memoryGiB: 1 },
      "services.users.memoryGiB: must be twice cpuCores on the consumption plan (1 cores → 2 GiB), got 1",
    ],
    [
      { probes: { path: "health" } },
      'services.users.probes.path: must start with "/" like "/health", got "health"',
    ],
    [
      { probes: { path: "/health", periodSeconds: 0 } },
      "services.users.probes.periodSeconds: must be a whole number from 1 to 240, got 0",
    ],
    [
      { image: "users 1" },
      'services.users.image: must be an image reference with a tag or digest like "taller2fiuba/users:1.4.0", got "users 1"',
    ],
    [
      { env: { "mongo-user": "x" } },
      'services.users.env.mongo-user: env var name "mongo-user" must be an upper-case environment variable name (A-Z, 0-9 and _, not starting with a digit) like "MONGO_USER"',
    ],
    [
      { env: { MONGO_USER: "x" }, secretEnv: { USERS_MONGO_USER: "y" } },
      "services.users.secretEnv.USERS_MONGO_USER: becomes USERS_MONGO_USER, which env.MONGO_USER already sets; keep only one of them",
    ],
    [
      { secretEnv: { TOKEN: "a", TOKEN_: "b" } },
      'services.users.secretEnv.TOKEN_: becomes the Container App secret "users-token", like secretEnv.TOKEN; rename one of them',
    ],
  ] as [Partial<ContainerAppServiceArgs>, string][])("rejects service %o", (overrides, message) => {
    expect(serviceProblem(overrides)).toBe(`ContainerAppsApp "chefcito":\n  ${message}`);
  });

  test("rejects a service name too long for a Container App", () => {
    const name = "reservations-notifications-worker";
    expect(serviceProblem({ name })).toBe(
      `ContainerAppsApp "chefcito":\n  services.${name}.name: is also the Container App name, and Azure allows 2 to 32 lowercase letters, digits and single "-", starting with a letter, got "${name}"`,
    );
  });

  test("reports every problem at once", () => {
    const message = problemsOf({
      location: "East",
      services: [service, service, { ...service, name: "Bad_Name" }],
    });
    expect(message.split("\n")).toEqual([
      'ContainerAppsApp "chefcito":',
      '  location: must be an Azure region name like "westeurope" or "eastus2", got "East"',
      "  services.users: is listed twice; service names must be unique",
      '  services.Bad_Name.name: must be a lowercase DNS label (letters a-z, digits and inner hyphens, at most 63 characters) like "users", got "Bad_Name"',
    ]);
  });
});
