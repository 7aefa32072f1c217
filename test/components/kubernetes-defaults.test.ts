import { describe, expect, test } from "vitest";
import {
  certificateSpec,
  dnsRecordsFor,
  gatewayAddress,
  ingressSpec,
  listenerName,
  listenerSetSpec,
  loadBalancerAddress,
  labelValue,
  podSecurityLevel,
  resourceRequirements,
  selectorLabels,
  spreadOverNodes,
  standardLabels,
  volumeNameOf,
  writablePathProblems,
} from "../../components/kubernetes/index.js";

describe("standard labels", () => {
  test("carry the app.kubernetes.io identity, version and manager", () => {
    expect(
      standardLabels({ name: "box", instance: "acme", partOf: "sitestack", version: "0.1.3" }),
    ).toEqual({
      "app.kubernetes.io/name": "box",
      "app.kubernetes.io/instance": "acme",
      "app.kubernetes.io/part-of": "sitestack",
      "app.kubernetes.io/version": "0.1.3",
      "app.kubernetes.io/managed-by": "sitestack",
    });
  });

  test("keep the version out of the immutable selector", () => {
    expect(selectorLabels({ name: "box", instance: "acme", version: "0" })).toEqual({
      "app.kubernetes.io/name": "box",
      "app.kubernetes.io/instance": "acme",
    });
  });

  test("turn a digest into a valid label value", () => {
    const value = labelValue(`sha256:${"ab".repeat(32)}`);
    expect(value).toMatch(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/);
    expect(value.startsWith("sha256_abab")).toBe(true);
  });
});

describe("security profiles", () => {
  test.each([
    [["restricted"] as const, "restricted"],
    [["restricted", "root-allowed"] as const, "baseline"],
  ])("a namespace holding %j enforces %s", (profiles, level) => {
    expect(podSecurityLevel(profiles)).toBe(level);
  });
});

describe("resources", () => {
  test("request CPU, memory and disk, and limit memory and disk but not CPU", () => {
    expect(resourceRequirements({ cpuRequest: "250m" })).toEqual({
      requests: { cpu: "250m", memory: "128Mi", "ephemeral-storage": "64Mi" },
      limits: { memory: "256Mi", "ephemeral-storage": "1Gi" },
    });
  });
});

describe("availability", () => {
  test("spreads pods over nodes only from two replicas on", () => {
    expect(spreadOverNodes(1, { a: "b" })).toBeUndefined();
    // The helper returns plain values; the cast only narrows the Input<> union for the assertion.
    const affinity = spreadOverNodes(2, { a: "b" }) as {
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: unknown[] };
    };
    expect(affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(
      1,
    );
  });
});

describe("writable paths", () => {
  test("name one emptyDir volume per path", () => {
    expect(volumeNameOf("/var/www/html/storage")).toBe("w-var-www-html-storage");
  });

  test("reject relative paths and paths that would share a volume", () => {
    expect(writablePathProblems("writablePaths", ["tmp", "/a.b", "/a-b"])).toEqual([
      'writablePaths[0] must be an absolute path, got "tmp"',
      'writablePaths[2] must differ from "/a.b" (both make volume w-a-b), got "/a-b"',
    ]);
  });
});

describe("routing", () => {
  const hosts = [
    { host: "acme.com", tlsSecretName: "domain-tls" },
    { host: "acme.sites.example.net", tlsSecretName: "test-tls" },
  ];

  test("serves every path on every host, TLS per host", () => {
    expect(ingressSpec("nginx", hosts, [{ path: "/", serviceName: "box", port: 80 }])).toEqual({
      ingressClassName: "nginx",
      rules: hosts.map((h) => ({
        host: h.host,
        http: {
          paths: [
            {
              path: "/",
              pathType: "Prefix",
              backend: { service: { name: "box", port: { number: 80 } } },
            },
          ],
        },
      })),
      tls: [
        { hosts: ["acme.com"], secretName: "domain-tls" },
        { hosts: ["acme.sites.example.net"], secretName: "test-tls" },
      ],
    });
  });

  test("adds one HTTPS listener per host to the platform Gateway", () => {
    expect(listenerSetSpec({ gatewayName: "public", gatewayNamespace: "gw" }, hosts)).toEqual({
      parentRef: {
        group: "gateway.networking.k8s.io",
        kind: "Gateway",
        name: "public",
        namespace: "gw",
      },
      listeners: [
        {
          name: "https-acme-com",
          hostname: "acme.com",
          port: 443,
          protocol: "HTTPS",
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "domain-tls" }] },
        },
        {
          name: "https-acme-sites-example-net",
          hostname: "acme.sites.example.net",
          port: 443,
          protocol: "HTTPS",
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "test-tls" }] },
        },
      ],
    });
  });

  test("cuts listener names to 63 characters", () => {
    expect(listenerName(`${"a".repeat(70)}.com`)).toHaveLength(63);
  });

  test.each([
    [{ ingress: [{ ip: "203.0.113.10" }] }, "203.0.113.10"],
    [{ ingress: [{ hostname: "lb.example.net" }] }, "lb.example.net"],
    [{ ingress: [] }, undefined],
    [undefined, undefined],
  ])("reads the address of load balancer status %j", (status, address) => {
    expect(loadBalancerAddress(status)).toBe(address);
  });

  test("reads the first Gateway address", () => {
    expect(gatewayAddress({ addresses: [{ value: "203.0.113.20" }] })).toBe("203.0.113.20");
  });

  test.each([
    ["203.0.113.10", "A"],
    ["2001:db8::1", "AAAA"],
    ["lb.example.net", "CNAME"],
  ])("points hosts at %s with %s records", (address, type) => {
    expect(dnsRecordsFor(["acme.com"], address)).toEqual([
      { name: "acme.com", type, content: address },
    ]);
  });
});

describe("certificates", () => {
  test("one host per certificate, a stable secret, the environment's issuer, a fresh key per renewal", () => {
    expect(certificateSpec("acme.com", "domain-tls", "staging")).toEqual({
      secretName: "domain-tls",
      dnsNames: ["acme.com"],
      issuerRef: { group: "cert-manager.io", kind: "Issuer", name: "letsencrypt-staging" },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
    });
  });
});
