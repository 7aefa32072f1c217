import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { BoxSite, type BoxSiteArgs } from "../../components/box-site/index.js";
import {
  type BoxSiteSpec,
  defaultBoxResources,
  readinessTimeoutSeconds,
} from "../site-model/index.js";
import type { ProgramContext } from "../platform/program-context.js";
import { kubernetesOptions, networkPolicyOf } from "./kubernetes-target.js";

/** The sync intervals a site file may name, in seconds. */
const intervalSeconds = { "1m": 60, "5m": 300 } as const;

/**
 * The {@link BoxSite} arguments of a `kind: BoxSite` file: secrets resolved through the context
 * (they stay Pulumi secrets); routing, ACME environment, test domain, the ingress controller's
 * NetworkPolicy and default resources from the platform settings; and zero replicas while the
 * stack is archived (namespace, certificates and DNS stay).
 */
export function boxSiteArgs(spec: BoxSiteSpec, context: ProgramContext): BoxSiteArgs {
  const site = spec.spec;
  const pubsub = site.themes.pubsub;
  return {
    siteId: site.siteId,
    code: site.code,
    domain: site.domain,
    testDomainBase: context.platform.testDomainBase,
    techEmail: site.techEmail,
    oidc: {
      clientId: site.oidc.clientId,
      clientSecret: context.secret(site.oidc.clientSecret.secret),
    },
    image: { repository: site.image.repository, tag: site.image.tag },
    themes: {
      source: site.themes.source,
      intervalSeconds: intervalSeconds[site.themes.interval],
      ...(pubsub === undefined
        ? {}
        : {
            pubsub: { channel: pubsub.channel, redisUrl: context.secret(pubsub.redisUrl.secret) },
          }),
    },
    replicas: context.lifecycle === "archived" ? 0 : site.replicas,
    resources:
      site.resources === undefined
        ? { ...defaultBoxResources, ...context.platform.resources }
        : {
            cpuRequest: site.resources.requests.cpu,
            memoryRequest: site.resources.requests.memory,
            memoryLimit: site.resources.limits.memory,
          },
    routing: context.platform.routing,
    acmeEnvironment: context.platform.acmeEnvironment,
    ...networkPolicyOf(context.platform),
    ...(site.dns === undefined
      ? {}
      : {
          dns: {
            cloudflare: {
              ...(site.dns.cloudflare.zone === undefined ? {} : { zone: site.dns.cloudflare.zone }),
              ownerStack: context.stackName,
            },
          },
        }),
  };
}

/**
 * The program of a `kind: BoxSite` file. Outputs: `namespace`, `urls`, `ingressAddress` (the IP or
 * hostname to point DNS at) and `dnsRecords` (the records to create).
 */
export function boxSiteProgram(spec: BoxSiteSpec, context: ProgramContext): PulumiFn {
  return async () => {
    const site = new BoxSite(
      spec.metadata.name,
      boxSiteArgs(spec, context),
      kubernetesOptions(context, {
        cluster: spec.spec.cluster,
        readinessTimeoutSeconds: readinessTimeoutSeconds("BoxSite", spec.spec.readinessTimeout),
      }),
    );
    return {
      namespace: site.namespace,
      urls: site.urls,
      ingressAddress: site.ingressAddress,
      dnsRecords: site.dnsRecords,
    };
  };
}
