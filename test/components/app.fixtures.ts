import * as pulumi from "@pulumi/pulumi";
import type { AppArgs } from "../../components/app/index.js";

/** Secret values the tests plant, to prove they never leave Pulumi secrets. */
export const mongoPasswordValue = "mongo-password-3b9e";
export const registryPasswordValue = "registry-password-77d1";

/** An app shaped like seed 002 (FIUBA): HTTP APIs behind one ingress and a metrics consumer worker. */
export function fiubaArgs(overrides: Partial<AppArgs> = {}): AppArgs {
  return {
    services: {
      users: {
        image: "taller2fiuba/users:1.4.0",
        port: 8080,
        path: "/users",
        healthPath: "/health",
        env: { MONGO_USER: "users", MONGO_HOST: "mongo.internal" },
        secretEnv: { MONGO_PASSWORD: pulumi.secret(mongoPasswordValue) },
        replicas: 2,
      },
      goals: { image: "taller2fiuba/goals:2.0.1", port: 8080, path: "/goals" },
      "metrics-consumer": {
        image: "taller2fiuba/metrics:0.9.0",
        env: { REDIS_HOST: "redis.internal" },
      },
    },
    ingress: { host: "api.fiuba.example.net", tls: { email: "ops@fiuba.example.net" } },
    ...overrides,
  };
}
