import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { App, type AppArgs, type AppServiceArgs } from "../../components/app/index.js";
import type { AppSpec } from "../site-model/site.js";
import type { ProgramContext } from "../platform/program-context.js";
import { kubernetesOptions } from "./kubernetes-target.js";

/**
 * The {@link App} arguments of a `kind: App` file with `target: kubernetes`: secret references
 * resolved through the context (they stay Pulumi secrets), routing from the platform settings, and
 * every service scaled to zero while the stack is archived.
 */
export function appKubernetesArgs(spec: AppSpec, context: ProgramContext): AppArgs {
  const app = spec.spec;
  if (app.target !== "kubernetes") {
    throw new Error(
      `${context.stackName}: app "${spec.metadata.name}" targets ${app.target}, not kubernetes`,
    );
  }
  const services = Object.fromEntries(
    Object.entries(app.services).map(([name, service]): [string, AppServiceArgs] => [
      name,
      {
        image: service.image,
        port: service.port,
        path: service.path,
        env: service.env,
        secretEnv: Object.fromEntries(
          Object.entries(service.secretEnv).map(([key, ref]) => [key, context.secret(ref.secret)]),
        ),
        replicas: context.lifecycle === "archived" ? 0 : service.replicas,
      },
    ]),
  );
  return {
    services,
    routing: context.platform.routing,
    ...(app.ingress === undefined ? {} : { ingress: { host: app.ingress.host } }),
    ...(app.registry === undefined
      ? {}
      : {
          registry: {
            server: app.registry.server,
            username: app.registry.username,
            password: context.secret(app.registry.password.secret),
          },
        }),
  };
}

/** The program of a `kind: App` file on Kubernetes. Outputs: `namespace`, `url`, `ingressAddress`. */
export function appKubernetesProgram(spec: AppSpec, context: ProgramContext): PulumiFn {
  return async () => {
    const app = new App(
      spec.metadata.name,
      appKubernetesArgs(spec, context),
      kubernetesOptions(context),
    );
    return { namespace: app.namespace, url: app.url, ingressAddress: app.ingressAddress };
  };
}
