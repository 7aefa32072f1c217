import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { App, type AppArgs, type AppServiceArgs } from "../../components/app/index.js";
import { readinessTimeoutSeconds, type AppSpec } from "../site-model/index.js";
import type { ProgramContext } from "../platform/program-context.js";
import { kubernetesOptions, networkPolicyOf } from "./kubernetes-target.js";

/**
 * The {@link App} arguments of a `kind: App` file with `target: kubernetes`: secret references
 * resolved through the context (they stay Pulumi secrets); routing, the ingress controller's
 * NetworkPolicy, TLS with the platform's ACME e-mail and default resources from the platform
 * settings; and every service scaled to zero while the stack is archived.
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
        ...(context.platform.resources === undefined
          ? {}
          : { resources: context.platform.resources }),
      },
    ]),
  );
  return {
    services,
    routing: context.platform.routing,
    ...networkPolicyOf(context.platform),
    ...(app.ingress === undefined
      ? {}
      : {
          ingress: {
            host: app.ingress.host,
            // An app has no e-mail of its own: the platform's ACME e-mail turns TLS on.
            ...(context.platform.acmeEmail === undefined
              ? {}
              : {
                  tls: {
                    email: context.platform.acmeEmail,
                    environment: context.platform.acmeEnvironment,
                  },
                }),
          },
        }),
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
      kubernetesOptions(context, {
        cluster: spec.spec.cluster,
        readinessTimeoutSeconds: readinessTimeoutSeconds("App", spec.spec.readinessTimeout),
      }),
    );
    return { namespace: app.namespace, url: app.url, ingressAddress: app.ingressAddress };
  };
}
