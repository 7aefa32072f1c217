import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { ArgumentProblems } from "../../components/argument-problems.js";
import {
  HostRoute,
  proxiedProblem,
  type HostRouteArgs,
} from "../../components/host-route/index.js";
import type { HostRouteSpec } from "../site-model/index.js";
import type { ProgramContext } from "../platform/program-context.js";

/**
 * The {@link HostRoute} arguments of a `kind: HostRoute` file: the SSH key resolved through the
 * context (it stays a Pulumi secret), the zone (the domain's own unless named) looked up by name, and the stack as the DNS record's
 * owner. `cloudflare.proxied: false` is refused: the origin certificate (Origin CA or self-signed)
 * is trusted by Cloudflare only, so visitors reaching the VPS directly would get certificate errors.
 */
export function hostRouteArgs(spec: HostRouteSpec, context: ProgramContext): HostRouteArgs {
  const route = spec.spec;
  // The schema refuses `proxied: false` with the same rule; this guards a caller that skipped it.
  const problems = new ArgumentProblems();
  problems.rule(
    proxiedProblem(route.cloudflare.proxied),
    "cloudflare.proxied",
    route.cloudflare.proxied,
  );
  problems.throwIfAny(`HostRoute ${JSON.stringify(spec.metadata.name)}`);
  return {
    domain: route.domain,
    upstream: { host: route.upstream.host, port: route.upstream.port },
    publicIp: route.publicIp,
    ssh: {
      host: route.host.address,
      port: route.host.port,
      user: route.host.user,
      privateKey: context.secret(route.host.privateKey.secret),
      ...(route.host.hostKey === undefined
        ? { trustOnFirstUse: route.host.trustOnFirstUse }
        : { hostKey: route.host.hostKey }),
    },
    cloudflare: {
      ...(route.cloudflare.zone === undefined ? {} : { zone: { name: route.cloudflare.zone } }),
      sslMode: route.cloudflare.sslMode,
    },
    ownerStack: context.stackName,
  };
}

/**
 * The program of a `kind: HostRoute` file. Outputs: `url`, `dnsName` (the proxied record) and
 * `sshHostKey` (the key SSH is pinned to; after a trust-on-first-use `up`, the key to copy into
 * `host.hostKey`). The
 * lifecycle has no effect: a route holds no compute to stop, and removing it would take the site
 * offline, which is what `destroy` is for.
 */
export function hostRouteProgram(spec: HostRouteSpec, context: ProgramContext): PulumiFn {
  return async () => {
    const route = new HostRoute(spec.metadata.name, hostRouteArgs(spec, context));
    return { url: route.url, dnsName: route.dnsRecord.fqdn, sshHostKey: route.sshHostKey };
  };
}
