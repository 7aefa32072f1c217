import { beforeEach, describe, expect, test } from "vitest";
import { BoxSite } from "../../components/box-site/index.js";
import { autoName, isSecret, reveal, setMocks } from "../support/mocks.js";
import { acmeArgs, oidcSecretValue, redisUrlValue } from "./box-site.fixtures.js";
import * as pulumi from "@pulumi/pulumi";

const mocks = await setMocks({
  state: {
    "kubernetes:networking.k8s.io/v1:Ingress": () => ({
      status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
    }),
    "kubernetes:gateway.networking.k8s.io/v1:Gateway": () => ({
      status: { addresses: [{ type: "Hostname", value: "lb-1.example.net" }] },
    }),
  },
  calls: { "cloudflare:index/getZone:getZone": () => ({ id: "zone-123", name: "acme.com" }) },
});

function outputOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

const types = {
  deployment: "kubernetes:apps/v1:Deployment",
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
  service: "kubernetes:core/v1:Service",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  issuer: "kubernetes:cert-manager.io/v1:Issuer",
  certificate: "kubernetes:cert-manager.io/v1:Certificate",
};

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function podSpecOf(): Inputs {
  return (mocks.find(types.deployment, "acme").inputs as Inputs).spec.template.spec;
}

describe("BoxSite", () => {
  beforeEach(() => mocks.reset());

  test("creates exactly the default children", async () => {
    new BoxSite("acme", acmeArgs());
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "kubernetes:apps/v1:Deployment::acme",
      "kubernetes:cert-manager.io/v1:Certificate::acme-cert-domain",
      "kubernetes:cert-manager.io/v1:Certificate::acme-cert-test",
      "kubernetes:cert-manager.io/v1:Issuer::acme-issuer",
      "kubernetes:core/v1:Namespace::acme-ns",
      "kubernetes:core/v1:Secret::acme-settings",
      "kubernetes:core/v1:Service::acme-svc",
      "kubernetes:networking.k8s.io/v1:Ingress::acme-ingress",
      "sitestack:kubernetes:BoxSite::acme",
    ]);
    for (const r of mocks.resources.filter((r) => r.type !== "sitestack:kubernetes:BoxSite")) {
      expect(r.parent).toBe("sitestack:kubernetes:BoxSite::acme");
    }
  });

  test("adds a PDB, anti-affinity, a NetworkPolicy and the Cloudflare record when asked", async () => {
    new BoxSite(
      "acme",
      acmeArgs({
        replicas: 2,
        networkPolicy: { ingressControllerNamespace: "ingress-nginx" },
        dns: { cloudflare: { zone: "acme.com", ownerStack: "site-acme" } },
      }),
    );
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "cloudflare:index/dnsRecord:DnsRecord::acme-dns",
      "kubernetes:apps/v1:Deployment::acme",
      "kubernetes:cert-manager.io/v1:Certificate::acme-cert-domain",
      "kubernetes:cert-manager.io/v1:Certificate::acme-cert-test",
      "kubernetes:cert-manager.io/v1:Issuer::acme-issuer",
      "kubernetes:core/v1:Namespace::acme-ns",
      "kubernetes:core/v1:Secret::acme-settings",
      "kubernetes:core/v1:Service::acme-svc",
      "kubernetes:networking.k8s.io/v1:Ingress::acme-ingress",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy::acme-netpol",
      "kubernetes:policy/v1:PodDisruptionBudget::acme-pdb",
      "sitestack:edge:DnsRecord::acme-dns",
      "sitestack:kubernetes:BoxSite::acme",
    ]);
    expect(mocks.find("kubernetes:policy/v1:PodDisruptionBudget", "acme-pdb").inputs.spec).toEqual({
      maxUnavailable: 1,
      selector: {
        matchLabels: { "app.kubernetes.io/name": "box", "app.kubernetes.io/instance": "acme" },
      },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    });
    expect(
      podSpecOf().affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]
        .podAffinityTerm.topologyKey,
    ).toBe("kubernetes.io/hostname");
    expect(
      mocks.find("kubernetes:networking.k8s.io/v1:NetworkPolicy", "acme-netpol").inputs.spec,
    ).toEqual({
      podSelector: {
        matchLabels: { "app.kubernetes.io/name": "box", "app.kubernetes.io/instance": "acme" },
      },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" },
              },
            },
          ],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ],
    });
    const record = mocks.find("cloudflare:index/dnsRecord:DnsRecord", "acme-dns").inputs;
    expect(record).toMatchObject({
      zoneId: "zone-123",
      name: "acme.com",
      type: "A",
      content: "203.0.113.10",
      proxied: false,
    });
  });

  test("routes through a Gateway with a ListenerSet and an HTTPRoute when the platform says so", async () => {
    const site = new BoxSite(
      "acme",
      acmeArgs({
        routing: { kind: "gateway", gatewayName: "public", gatewayNamespace: "gateway-system" },
      }),
    );
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "kubernetes:apps/v1:Deployment::acme",
      "kubernetes:cert-manager.io/v1:Certificate::acme-cert-domain",
      "kubernetes:cert-manager.io/v1:Certificate::acme-cert-test",
      "kubernetes:cert-manager.io/v1:Issuer::acme-issuer",
      "kubernetes:core/v1:Namespace::acme-ns",
      "kubernetes:core/v1:Secret::acme-settings",
      "kubernetes:core/v1:Service::acme-svc",
      "kubernetes:gateway.networking.k8s.io/v1:Gateway::acme-gateway",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute::acme-route",
      "kubernetes:gateway.networking.k8s.io/v1:ListenerSet::acme-listeners",
      "sitestack:kubernetes:BoxSite::acme",
    ]);
    const listeners = mocks.find(
      "kubernetes:gateway.networking.k8s.io/v1:ListenerSet",
      "acme-listeners",
    ).inputs as Inputs;
    expect(
      listeners.spec.listeners.map((l: Inputs) => [l.hostname, l.tls.certificateRefs[0].name]),
    ).toEqual([
      ["acme.com", "domain-tls"],
      ["acme.sites.example.net", "test-tls"],
    ]);
    const issuer = mocks.find(types.issuer, "acme-issuer").inputs as Inputs;
    expect(issuer.spec.acme.solvers).toEqual([
      {
        http01: {
          gatewayHTTPRoute: {
            parentRefs: [
              {
                group: "gateway.networking.k8s.io",
                kind: "Gateway",
                name: "public",
                namespace: "gateway-system",
              },
            ],
          },
        },
      },
    ]);
    expect(await outputOf(site.ingressAddress)).toBe("lb-1.example.net");
    expect(await outputOf(site.dnsRecords)).toEqual([
      { name: "acme.com", type: "CNAME", content: "lb-1.example.net" },
      { name: "acme.sites.example.net", type: "CNAME", content: "lb-1.example.net" },
    ]);
  });

  test("behind a load balancer with a host name, the Cloudflare record is the CNAME dnsRecords lists", async () => {
    const site = new BoxSite(
      "acme",
      acmeArgs({
        routing: { kind: "gateway", gatewayName: "public", gatewayNamespace: "gateway-system" },
        dns: { cloudflare: { ownerStack: "site-acme" } },
      }),
    );
    await mocks.settle();
    const record = mocks.find("cloudflare:index/dnsRecord:DnsRecord", "acme-dns").inputs;
    expect(record).toMatchObject({
      name: "acme.com",
      type: "CNAME",
      content: "lb-1.example.net",
    });
    expect((await outputOf(site.dnsRecords))[0]).toEqual({
      name: "acme.com",
      type: "CNAME",
      content: "lb-1.example.net",
    });
  });

  test("recordType overrides the type of the record and of dnsRecords alike", async () => {
    const site = new BoxSite(
      "acme",
      acmeArgs({ dns: { cloudflare: { ownerStack: "site-acme", recordType: "CNAME" } } }),
    );
    await mocks.settle();
    expect(mocks.find("cloudflare:index/dnsRecord:DnsRecord", "acme-dns").inputs.type).toBe(
      "CNAME",
    );
    expect((await outputOf(site.dnsRecords)).map((record) => record.type)).toEqual([
      "CNAME",
      "CNAME",
    ]);
  });

  test("answers on its domain and its test domain, each with its own stable certificate", async () => {
    const site = new BoxSite("acme", acmeArgs());
    await mocks.settle();
    expect(site.urls).toEqual(["https://acme.com/", "https://acme.sites.example.net/"]);
    const ingress = mocks.find(types.ingress, "acme-ingress").inputs as Inputs;
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.spec.rules.map((r: Inputs) => r.host)).toEqual([
      "acme.com",
      "acme.sites.example.net",
    ]);
    expect(ingress.spec.tls).toEqual([
      { hosts: ["acme.com"], secretName: "domain-tls" },
      { hosts: ["acme.sites.example.net"], secretName: "test-tls" },
    ]);
    // No ingress-shim annotation: it would create a second Certificate for the same Secret.
    expect(ingress.metadata.annotations).toBeUndefined();
    expect(reveal(mocks.find(types.certificate, "acme-cert-domain").inputs)).toMatchObject({
      metadata: { name: "domain", namespace: "box-acme" },
      spec: {
        secretName: "domain-tls",
        dnsNames: ["acme.com"],
        issuerRef: { group: "cert-manager.io", kind: "Issuer", name: "letsencrypt-production" },
      },
    });
    expect(await outputOf(site.ingressAddress)).toBe("203.0.113.10");
    expect(await outputOf(site.dnsRecords)).toEqual([
      { name: "acme.com", type: "A", content: "203.0.113.10" },
      { name: "acme.sites.example.net", type: "A", content: "203.0.113.10" },
    ]);
  });

  test("uses the tech e-mail as ACME account and the chosen Let's Encrypt environment", async () => {
    new BoxSite("acme", acmeArgs({ acmeEnvironment: "staging" }));
    await mocks.settle();
    const issuer = mocks.find(types.issuer, "acme-issuer").inputs as Inputs;
    expect(issuer.metadata.name).toBe("letsencrypt-staging");
    expect(issuer.spec.acme).toMatchObject({
      server: "https://acme-staging-v02.api.letsencrypt.org/directory",
      email: "tech@acme.com",
      privateKeySecretRef: { name: "letsencrypt-staging-account-key" },
      solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
    });
  });

  test("keeps secret values out of every plain input", async () => {
    new BoxSite(
      "acme",
      acmeArgs({
        themes: {
          source: "https://central.example.net/themes/42",
          pubsub: { channel: "themes.acme", redisUrl: pulumi.secret(redisUrlValue) },
        },
      }),
    );
    await mocks.settle();
    const settings = mocks.find(types.secret, "acme-settings").inputs;
    expect(isSecret(settings.stringData)).toBe(true);
    expect(reveal(settings.stringData)).toEqual({
      BOX_SITE_ID: "42",
      BOX_SITE_CODE: "acme",
      BOX_SITE_DOMAIN: "acme.com",
      BOX_SITE_TEST_DOMAIN: "acme.sites.example.net",
      BOX_TECH_EMAIL: "tech@acme.com",
      BOX_OIDC_CLIENT_ID: "acme-web",
      BOX_OIDC_CLIENT_SECRET: oidcSecretValue,
      BOX_SYNC_REDIS_URL: redisUrlValue,
    });
    expect(mocks.plainOccurrences(oidcSecretValue)).toEqual([]);
    expect(mocks.plainOccurrences("redis-password-91c2")).toEqual([]);
    const sidecar = podSpecOf().containers[1];
    expect(sidecar.env.find((e: Inputs) => e.name === "BOX_SYNC_REDIS_URL")).toEqual({
      name: "BOX_SYNC_REDIS_URL",
      valueFrom: { secretKeyRef: { name: autoName("acme-settings"), key: "BOX_SYNC_REDIS_URL" } },
    });
  });

  test("runs the first sync in an init container and keeps themes fresh in a sidecar", async () => {
    new BoxSite(
      "acme",
      acmeArgs({
        themes: { source: "https://central.example.net/themes/42", intervalSeconds: 60 },
      }),
    );
    await mocks.settle();
    const pod = podSpecOf();
    expect(pod.initContainers.map((c: Inputs) => c.name)).toEqual(["box-sync-first"]);
    expect(pod.containers.map((c: Inputs) => c.name)).toEqual(["web", "box-sync"]);
    const env = (c: Inputs) => Object.fromEntries(c.env.map((e: Inputs) => [e.name, e.value]));
    expect(env(pod.initContainers[0]).BOX_SYNC_MODE).toBe("once");
    expect(env(pod.containers[1])).toMatchObject({
      BOX_SYNC_MODE: "watch",
      BOX_SYNC_INTERVAL_SECONDS: "60",
    });
    expect(pod.volumes).toEqual([
      { name: "themes", emptyDir: {} },
      { name: "sync-tmp", emptyDir: {} },
      { name: "w-tmp", emptyDir: {} },
    ]);
    // Ready = the app answers (web) AND the first sync finished (sidecar sees the marker).
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: "/", port: 8080 });
    expect(pod.containers[1].readinessProbe.exec.command).toEqual([
      "test",
      "-f",
      "/var/www/html/themes/.box-sync-complete",
    ]);
  });

  test("meets the restricted profile by default on every container", async () => {
    new BoxSite("acme", acmeArgs());
    await mocks.settle();
    const pod = podSpecOf();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    for (const container of [...pod.initContainers, ...pod.containers]) {
      expect(container.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(container.resources.requests.cpu).toBeDefined();
      expect(container.resources.limits.memory).toBeDefined();
      expect(container.image).toBe("ghcr.io/juntoz/jzbox:0");
    }
    expect(mocks.find(types.namespace, "acme-ns").inputs.metadata).toMatchObject({
      name: "box-acme",
      labels: { "pod-security.kubernetes.io/enforce": "restricted" },
    });
  });

  test("relaxes exactly the documented fields under root-allowed", async () => {
    new BoxSite("acme", acmeArgs({ securityProfile: "root-allowed", port: 80 }));
    await mocks.settle();
    const pod = podSpecOf();
    expect(pod.securityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: false,
      capabilities: {
        drop: ["ALL"],
        add: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID", "NET_BIND_SERVICE", "KILL"],
      },
    });
    expect(
      (mocks.find(types.namespace, "acme-ns").inputs as Inputs).metadata.labels[
        "pod-security.kubernetes.io/enforce"
      ],
    ).toBe("baseline");
  });

  test("keeps the namespace and the DNS record on destroy, and nothing else", async () => {
    new BoxSite(
      "acme",
      acmeArgs({ dns: { cloudflare: { zone: "acme.com", ownerStack: "site-acme" } } }),
    );
    await mocks.settle();
    expect(
      mocks.resources
        .filter((r) => r.retainOnDelete)
        .map((r) => r.key)
        .sort(),
    ).toEqual([
      "cloudflare:index/dnsRecord:DnsRecord::acme-dns",
      "kubernetes:core/v1:Namespace::acme-ns",
      "sitestack:edge:DnsRecord::acme-dns",
    ]);
  });

  test("scales to zero pods without a PDB when archived", async () => {
    new BoxSite("acme", acmeArgs({ replicas: 0 }));
    await mocks.settle();
    expect((mocks.find(types.deployment, "acme").inputs as Inputs).spec.replicas).toBe(0);
    expect(mocks.ofType("kubernetes:policy/v1:PodDisruptionBudget")).toEqual([]);
  });

  test("pins the image by digest when asked", async () => {
    const digest = `sha256:${"ab".repeat(32)}`;
    new BoxSite(
      "acme",
      acmeArgs({ image: { repository: "ghcr.io/juntoz/jzbox", tag: "0.1.3", digest } }),
    );
    await mocks.settle();
    expect(podSpecOf().containers[0].image).toBe(`ghcr.io/juntoz/jzbox:0.1.3@${digest}`);
  });

  test("leaves metadata.name unset except where something outside Pulumi finds the object", async () => {
    new BoxSite("acme", acmeArgs({ replicas: 2 }));
    await mocks.settle();
    const named = mocks.resources
      .filter((r) => r.custom && (r.inputs as Inputs).metadata?.name !== undefined)
      .map((r) => `${r.key}=${(r.inputs as Inputs).metadata.name}`)
      .sort();
    expect(named).toEqual([
      "kubernetes:cert-manager.io/v1:Certificate::acme-cert-domain=domain",
      "kubernetes:cert-manager.io/v1:Certificate::acme-cert-test=test",
      "kubernetes:cert-manager.io/v1:Issuer::acme-issuer=letsencrypt-production",
      "kubernetes:core/v1:Namespace::acme-ns=box-acme",
      "kubernetes:core/v1:Service::acme-svc=box",
      // Named so archive (0 replicas, no budget) and restore bring it back under the same name.
      "kubernetes:policy/v1:PodDisruptionBudget::acme-pdb=box",
    ]);
  });
});
