import { describe, expect, test } from "vitest";
import {
  containerAppServiceNameProblem,
  customDomainBindingProblem,
  customDomainRoutingProblems,
  privateRegistryServerProblem,
  registryChoiceProblem,
} from "../../components/container-apps/validate.js";
import { maxOwnerStackLength, ownerStackProblem } from "../../components/dns-record/resolve.js";
import { networkAddressProblem } from "../../components/host-route/server-block.js";
import {
  imageReferenceProblem,
  imageRepositoryProblem,
  imageVersion,
  registryServerProblem,
} from "../../components/images.js";
import { listenPortProblem } from "../../components/kubernetes/security.js";
import {
  emailProblem,
  httpUrlProblem,
  ipAddressProblem,
  portProblem,
} from "../../components/value-rules.js";

// The rules components and the site-file schema share (one rule per fact). Each returns what is
// allowed, or undefined; test/site-model/agreement*.test.ts prove both sides ask them.

const digest = `sha256:${"ab".repeat(32)}`;
const zoneId =
  'must be an IP address without a zone id ("%eth0"): a link-local address only means something on one machine, and nginx and DNS cannot use it; give a global or private address';

type Table = [string, string | undefined][];

describe("networkAddressProblem (HostRoute upstream and SSH host)", () => {
  const named =
    'must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd"';
  test.each<Table[number]>([
    ["10.0.3.15", undefined],
    ["fd42::15", undefined],
    ["localhost", undefined],
    ["web1.lxd", undefined],
    ["web1", `${named} (must have at least two labels, like "acme.com")`],
    ["fe80::1%eth0", zoneId],
    [
      "10.0.3.15;",
      `${named} (has an invalid label "15;": use 1-63 of a-z, 0-9, "-" and "_", not starting or ending with "-")`,
    ],
  ])("%j", (value, problem) => {
    expect(networkAddressProblem(value)).toBe(problem);
  });
});

describe("ipAddressProblem", () => {
  test.each<Table[number]>([
    ["203.0.113.40", undefined],
    ["2001:db8::40", undefined],
    ["2001:db8::40%2", zoneId],
    ["vps.example.com", 'must be an IPv4 or IPv6 address like "10.0.3.15"'],
  ])("%j", (value, problem) => {
    expect(ipAddressProblem(value)).toBe(problem);
  });
});

describe("httpUrlProblem", () => {
  const rule = 'must be an http:// or https:// URL like "https://central.example.net/themes"';
  test.each<Table[number]>([
    ["https://central.example.net/themes", undefined],
    ["http://10.0.0.1:8080/x?y=1", undefined],
    ["https://[::1]/t", undefined],
    ["ftp://x.com", rule],
    ["HTTPS://x.com", rule],
    ["https://x.com/a b", rule],
    ["https://x.com:99999", rule],
    ["https://user:pw@x.com", `${rule}, without a user name or password (the URL is not a secret)`],
    [
      "https://x",
      `${rule} (its host must be a DNS name like "central.example.net" or an IP address)`,
    ],
  ])("%j", (value, problem) => {
    expect(httpUrlProblem(value)).toBe(problem);
  });
});

describe("emailProblem", () => {
  test.each<Table[number]>([
    ["tech@acme.com", undefined],
    ["it.ops+box@acme.com.pe", undefined],
    ["tech@acme", 'must be an e-mail address like "tech@acme.com"'],
    ["a..b@acme.com", 'must be an e-mail address like "tech@acme.com"'],
  ])("%j", (value, problem) => {
    expect(emailProblem(value)).toBe(problem);
  });
});

describe("image rules", () => {
  const reference =
    'must be an image reference with a tag or digest like "taller2fiuba/users:1.4.0"';
  test.each<Table[number]>([
    ["taller2fiuba/users:1.4.0", undefined],
    ["localhost:5000/users:1", undefined],
    [`users@${digest}`, undefined],
    [`users:latest@${digest}`, undefined],
    ["users", reference],
    ["localhost:5000/users", reference],
    ["Users:1", reference],
    ["users:-1", reference],
    ["users@sha256:abc", reference],
    ["users:latest", 'must name a version, not the moving "latest" tag'],
  ])("image reference %j", (value, problem) => {
    expect(imageReferenceProblem(value)).toBe(problem);
  });

  test("a repository takes no tag, but may name a registry port", () => {
    expect(imageRepositoryProblem("localhost:5000/jzbox")).toBeUndefined();
    expect(imageRepositoryProblem("jzbox:0")).toBe(
      'must be a lowercase image repository without a tag like "ghcr.io/juntoz/jzbox" (the tag goes in its own field)',
    );
  });

  test("the version of a reference is its digest, else its tag", () => {
    expect(imageVersion("localhost:5000/users:1.2")).toBe("1.2");
    expect(imageVersion(`users:1@${digest}`)).toBe(digest);
    expect(imageVersion("localhost:5000/users")).toBeUndefined();
  });

  const host = 'must be a registry host like "ghcr.io" or "registry.example.com:5000"';
  test.each<Table[number]>([
    ["ghcr.io", undefined],
    ["registry.example.com:5000", undefined],
    ["localhost:5000", host],
    ["ghcr.io:0", host],
    ["ghcr.io:65536", host],
    ["https://ghcr.io", host],
  ])("registry server %j", (value, problem) => {
    expect(registryServerProblem(value)).toBe(problem);
  });

  const insideAzure =
    "must be a registry outside Azure: an Azure Container Registry is the app's own registry (azure.registry in a site file: existing or create), pulled through a managed identity without a password";
  test.each<Table[number]>([
    ["ghcr.io", undefined],
    ["registry.example.com:5000", undefined],
    ["chefcitoprod.azurecr.io", insideAzure],
    ["chefcito-prod.azurecr.io", insideAzure],
    ["https://ghcr.io", host],
  ])("registry pulled with a password on Container Apps %j", (value, problem) => {
    expect(privateRegistryServerProblem(value)).toBe(problem);
  });
});

describe("Container Apps registry and custom host", () => {
  test("a registry is either adopted or created, never both or neither", () => {
    expect(registryChoiceProblem({ existing: "chefcitoprod" })).toBeUndefined();
    expect(registryChoiceProblem({ create: "chefcitoprod" })).toBeUndefined();
    expect(registryChoiceProblem({ existing: "a", create: "b" })).toBe(
      "must have either existing or create, not both: a registry is adopted or owned",
    );
    expect(registryChoiceProblem({})).toBe(
      "must have existing (adopt a registry that exists, never created or deleted) or create (a registry the stack creates and owns)",
    );
  });

  test.each<[string | undefined, boolean, string | undefined]>([
    ["none", true, undefined],
    ["hostname", true, undefined],
    ["certificate", true, undefined],
    [undefined, false, undefined],
    ["Certificate", true, 'must be "none", "hostname" or "certificate"'],
    ["none", false, "is only allowed with a custom host (spec.ingress.host)"],
  ])("binding step %j with a host: %j", (binding, hasHost, problem) => {
    expect(customDomainBindingProblem(binding, hasHost)).toBe(problem);
  });

  test("a host needs its binding step, named with the steps in order", () => {
    expect(customDomainBindingProblem(undefined, true)).toBe(
      'is required with a custom host (spec.ingress.host): "none" until the DNS records of the stack output customDomainRecords exist, then "hostname" (adds the host to the app and requests the managed certificate), then "certificate" (serves the host with it), one up each',
    );
  });

  test("only the first service with a path can carry the custom host", () => {
    expect(customDomainRoutingProblems([])).toEqual([]);
    expect(customDomainRoutingProblems(["gateway"])).toEqual([]);
    expect(customDomainRoutingProblems(["gateway", "users", "payments"])).toEqual(
      ["users", "payments"].map((service) => ({
        service,
        message: `on azure-container-apps only one service can have a path: spec.ingress.host is bound to one Container App and there is no shared path router; service "gateway" has one, so give this service a port only (the others reach it as http://${service})`,
      })),
    );
  });
});

describe("names and ports", () => {
  test("ports are whole numbers from 1 to 65535, and 1024 or above when not root", () => {
    expect([1, 65535].map(portProblem)).toEqual([undefined, undefined]);
    expect([0, 65536, 1.5, Number.NaN].map(portProblem)).toEqual(
      Array(4).fill("must be a whole number from 1 to 65535"),
    );
    expect(listenPortProblem(80, "root-allowed")).toBeUndefined();
    expect(listenPortProblem(80, "restricted", true)).toBe(
      'must be 1024 or above: containers run as a non-root user (the "restricted" security profile), which cannot bind lower ports; make the image listen on e.g. 8080, or use securityProfile "root-allowed"',
    );
  });

  test("a Container App name is a DNS label of 2 to 32 characters starting with a letter", () => {
    expect(containerAppServiceNameProblem("users")).toBeUndefined();
    for (const name of ["a", "9lives", "a--b", "x".repeat(33)]) {
      expect(containerAppServiceNameProblem(name)).toContain("is also the Container App name");
    }
  });

  test("an owner stack fits the record comment", () => {
    expect(maxOwnerStackLength).toBe(43);
    expect(ownerStackProblem("s".repeat(43))).toBeUndefined();
    expect(ownerStackProblem("s".repeat(44))).toBe(
      "must be at most 43 characters long: it is written in the comment of each DNS record, which Cloudflare limits to 100 characters",
    );
  });
});
