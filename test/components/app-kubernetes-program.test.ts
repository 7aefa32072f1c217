import { readFile } from "node:fs/promises";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, test } from "vitest";
import { appKubernetesArgs } from "../../stacks/program/app-kubernetes.js";
import { defaultPlatformSettings, type ProgramContext } from "../../stacks/program/context.js";
import { parseSiteText } from "../../stacks/spec/parse.js";
import type { AppSpec } from "../../stacks/spec/site.js";

async function appSpec(file: string): Promise<AppSpec> {
  const path = new URL(`../../sites/${file}`, import.meta.url);
  const result = parseSiteText(await readFile(path, "utf8"), `sites/${file}`);
  if (!result.ok || result.spec.kind !== "App")
    throw new Error(`sites/${file} must parse as an App`);
  return result.spec;
}

function contextFor(overrides: Partial<ProgramContext> = {}): ProgramContext & { asked: string[] } {
  const asked: string[] = [];
  return {
    stackName: "site-fiuba",
    secret: (name) => {
      asked.push(name);
      return pulumi.secret(`value-of-${name}`);
    },
    platform: defaultPlatformSettings,
    ...overrides,
    asked,
  };
}

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
