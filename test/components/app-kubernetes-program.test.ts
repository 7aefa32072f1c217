import { describe, expect, test } from "vitest";
import { appKubernetesArgs } from "../../stacks/program/app-kubernetes.js";
import type { ProgramContext } from "../../stacks/platform/program-context.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { recordingContext, repositorySite } from "../support/site-files.js";

const appSpec = (file: string) => repositorySite(file, "App");
const contextFor = (overrides: Partial<ProgramContext> = {}) =>
  recordingContext("site-fiuba", overrides);

describe("App program on Kubernetes", () => {
  test("maps every service, resolving each secret reference through the context", async () => {
    const context = contextFor();
    const args = appKubernetesArgs(await appSpec("fiuba.yaml"), context);
    expect(Object.keys(args.services)).toEqual([
      "users",
      "payment",
      "goals",
      "auth",
      "trainings",
      "metrics-api",
      "metrics-consumer",
    ]);
    expect(args.services["metrics-consumer"]).toMatchObject({
      image: "taller2fiuba/metrics-consumer:0.7.0",
      port: undefined,
      path: undefined,
      env: { REDIS_HOST: "redis.fiuba.svc", MONGO_HOST: "mongodb.fiuba.svc" },
      replicas: 1,
    });
    expect(Object.keys(args.services.users!.secretEnv!)).toEqual([
      "MONGO_PASSWORD",
      "POSTGRES_PASSWORD",
    ]);
    expect(context.asked).toContain("FIUBA_USERS_MONGO_PASSWORD");
    expect(args.ingress).toEqual({ host: "fiufit.example.com" });
    expect(args.routing).toEqual({ kind: "ingress", className: "nginx" });
  });

  test("takes the NetworkPolicy, TLS e-mail and default resources from the platform file", async () => {
    const platform = {
      ...defaultPlatformSettings,
      acmeEnvironment: "staging" as const,
      acmeEmail: "ops@fiuba.example.net",
      ingressControllerNamespace: "ingress-nginx",
      resources: { cpuRequest: "50m", memoryRequest: "64Mi", memoryLimit: "128Mi" },
    };
    const args = appKubernetesArgs(await appSpec("fiuba.yaml"), contextFor({ platform }));
    expect(args.networkPolicy).toEqual({ ingressControllerNamespace: "ingress-nginx" });
    expect(args.ingress).toEqual({
      host: "fiufit.example.com",
      tls: { email: "ops@fiuba.example.net", environment: "staging" },
    });
    expect(Object.values(args.services).map((service) => service.resources)).toEqual(
      Array(7).fill(platform.resources),
    );
  });

  test("without a platform file: no NetworkPolicy, plain HTTP, the component's resources", async () => {
    const args = appKubernetesArgs(await appSpec("fiuba.yaml"), contextFor());
    expect(args.networkPolicy).toBeUndefined();
    expect(args.ingress?.tls).toBeUndefined();
    expect(Object.values(args.services).map((service) => service.resources)).toEqual(
      Array(7).fill(undefined),
    );
  });

  test("scales every service to zero while the stack is archived", async () => {
    const args = appKubernetesArgs(
      await appSpec("fiuba.yaml"),
      contextFor({ lifecycle: "archived" }),
    );
    expect(Object.values(args.services).map((s) => s.replicas)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  test("refuses an app that targets Azure Container Apps", async () => {
    const chefcito = await appSpec("chefcito.yaml");
    expect(() => appKubernetesArgs(chefcito, contextFor())).toThrow(
      'site-fiuba: app "chefcito" targets azure-container-apps, not kubernetes',
    );
  });
});
