/**
 * What `up` does with a parsed site file before any resource exists, without an engine: the
 * program's argument mapping, then every component's own validation and pure renderers (nginx
 * blocks and install scripts, pod specs, Container App pieces, DNS record settings). Throws the
 * component's error when `up` would refuse the site. Tests use it to prove that what `validate`
 * accepts, `up` renders.
 */
import { ArgumentProblems } from "../../components/argument-problems.js";
import * as pulumi from "@pulumi/pulumi";
import { servicePodSpec } from "../../components/app/pod.js";
import { resolveApp } from "../../components/app/resolve.js";
import { boxPodSpec, siteSettings } from "../../components/box-site/pod.js";
import { resolveBoxSite } from "../../components/box-site/resolve.js";
import {
  managedCertificateName,
  renderCustomDomains,
  renderEnvAndSecrets,
  renderIngress,
  renderProbes,
  renderRegistries,
  renderScale,
} from "../../components/container-apps/render.js";
import { resolveService } from "../../components/container-apps/service-defaults.js";
import { validateContainerAppsApp } from "../../components/container-apps/validate.js";
import { recordTypeFor, resolveDnsRecord } from "../../components/dns-record/resolve.js";
import { hostRouteProblems, routeZone } from "../../components/host-route/host-route.js";
import {
  renderInstallScript,
  renderRemoveScript,
} from "../../components/host-route/install-script.js";
import { debianNginxLayout } from "../../components/host-route/layout.js";
import { renderServerBlock } from "../../components/host-route/server-block.js";
import { resolveStaging } from "../../components/staging/resolve.js";
import { appAzureArgs } from "../../stacks/program/app-azure.js";
import { appKubernetesArgs } from "../../stacks/program/app-kubernetes.js";
import { boxSiteArgs } from "../../stacks/program/box-site.js";
import { type ProgramContext } from "../../stacks/platform/program-context.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { hostRouteArgs } from "../../stacks/program/host-route.js";
import { stackNameOf } from "../../stacks/contract.js";
import type { SiteSpec } from "../../stacks/site-model/index.js";

/** The address the fake ingress answers on, for records whose content `up` learns later. */
const ingressAddress = "203.0.113.7";

function contextOf(spec: SiteSpec): ProgramContext {
  return {
    stackName: stackNameOf(spec),
    platform: defaultPlatformSettings,
    secret: (name) => pulumi.secret(`value-of-${name}`),
  };
}

/**
 * Runs the checks and pure renderers `up` runs for `spec`; throws what `up` would throw. Resources
 * themselves are not declared (that needs an engine or mocks); Staging charts are not rendered
 * (that needs helm), only the staging's own name rule is asked.
 */
export function renderSite(spec: SiteSpec): void {
  const context = contextOf(spec);
  const name = spec.metadata.name;
  switch (spec.kind) {
    case "BoxSite": {
      const args = boxSiteArgs(spec, context);
      const site = resolveBoxSite(name, args);
      siteSettings(site);
      boxPodSpec(site, "settings", { app: "box" });
      if (site.dns !== undefined) {
        resolveDnsRecord(`${name}-dns`, {
          zoneName: site.dns.zone,
          name: site.domain,
          ...(site.dns.recordType === undefined ? {} : { type: site.dns.recordType }),
          content: ingressAddress,
          proxied: site.dns.proxied,
          ownerStack: site.dns.ownerStack,
        });
      }
      return;
    }
    case "App": {
      if (spec.spec.target === "kubernetes") {
        const app = resolveApp(name, appKubernetesArgs(spec, context));
        for (const service of app.services) {
          servicePodSpec(service, { configMapName: "config", secretName: "secret" }, {});
        }
        return;
      }
      const args = appAzureArgs(spec, context);
      validateContainerAppsApp(name, args);
      renderRegistries("registry.azurecr.io", "identity", args.privateRegistry);
      const domain = args.customDomain;
      const archived = args.archived ?? false;
      for (const service of args.services.map(resolveService)) {
        renderEnvAndSecrets(service);
        const customDomains =
          domain?.service === service.name
            ? renderCustomDomains(
                domain.host,
                domain.binding,
                `certificates/${managedCertificateName(domain.host)}`,
              )
            : undefined;
        renderIngress(service, archived, customDomains);
        renderProbes(service);
        renderScale(service, archived);
      }
      return;
    }
    case "HostRoute": {
      const args = hostRouteArgs(spec, context);
      const problems = new ArgumentProblems();
      problems.push(...hostRouteProblems(args));
      problems.throwIfAny(`HostRoute ${JSON.stringify(name)}`);
      renderServerBlock({
        domain: args.domain,
        upstream: args.upstream,
        layout: debianNginxLayout,
      });
      renderInstallScript(args.domain, debianNginxLayout);
      renderRemoveScript(args.domain, debianNginxLayout);
      // The component passes the address once nginx is installed; it is the same plain value.
      resolveDnsRecord(`${name}-dns`, {
        zoneName: routeZone(args).name,
        name: args.domain,
        type: recordTypeFor(args.publicIp),
        content: args.publicIp,
        proxied: true,
        ownerStack: args.ownerStack,
      });
      return;
    }
    case "Staging":
      resolveStaging(name, { objects: [], labels: spec.metadata.labels });
      return;
    default: {
      const unknownKind: never = spec;
      throw new Error(`unknown kind in ${JSON.stringify(unknownKind)}`);
    }
  }
}

/** The error `up` would give for `spec`, or `undefined` when it renders. */
export function renderProblem(spec: SiteSpec): string | undefined {
  try {
    renderSite(spec);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
