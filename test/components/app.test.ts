import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, test } from "vitest";
import { App, resolveApp } from "../../components/app/index.js";
import { autoName, isSecret, reveal, setMocks } from "../support/mocks.js";
import { fiubaArgs, mongoPasswordValue, registryPasswordValue } from "./app.fixtures.js";

const mocks = await setMocks({
  state: {
    "kubernetes:networking.k8s.io/v1:Ingress": () => ({
      status: { loadBalancer: { ingress: [{ hostname: "lb.example.net" }] } },
    }),
  },
});

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function inputsOf(type: string, name: string): Inputs {
  return mocks.find(type, name).inputs as Inputs;
}

describe("App on Kubernetes", () => {
  beforeEach(() => mocks.reset());

  test("creates exactly one ConfigMap, Secret, Deployment and Service per service as needed, and one ingress", async () => {
    new App("fiuba", fiubaArgs());
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "kubernetes:apps/v1:Deployment::fiuba-goals",
      "kubernetes:apps/v1:Deployment::fiuba-metrics-consumer",
      "kubernetes:apps/v1:Deployment::fiuba-users",
      "kubernetes:cert-manager.io/v1:Certificate::fiuba-cert-public",
      "kubernetes:cert-manager.io/v1:Issuer::fiuba-issuer",
      "kubernetes:core/v1:ConfigMap::fiuba-metrics-consumer-config",
      "kubernetes:core/v1:ConfigMap::fiuba-users-config",
      "kubernetes:core/v1:Namespace::fiuba-ns",
      "kubernetes:core/v1:Secret::fiuba-users-secret",
      "kubernetes:core/v1:Service::fiuba-goals-svc",
      "kubernetes:core/v1:Service::fiuba-users-svc",
      "kubernetes:networking.k8s.io/v1:Ingress::fiuba-ingress",
      "kubernetes:policy/v1:PodDisruptionBudget::fiuba-users-pdb",
      "sitestack:kubernetes:App::fiuba",
    ]);
  });

  test("prefixes every variable with the service name", async () => {
    new App("fiuba", fiubaArgs());
    await mocks.settle();
    expect(inputsOf("kubernetes:core/v1:ConfigMap", "fiuba-users-config").data).toEqual({
      USERS_MONGO_USER: "users",
      USERS_MONGO_HOST: "mongo.internal",
    });
    expect(inputsOf("kubernetes:core/v1:ConfigMap", "fiuba-metrics-consumer-config").data).toEqual({
      METRICS_CONSUMER_REDIS_HOST: "redis.internal",
    });
    const secret = mocks.find("kubernetes:core/v1:Secret", "fiuba-users-secret").inputs;
    expect(isSecret(secret.stringData)).toBe(true);
    expect(reveal(secret.stringData)).toEqual({ USERS_MONGO_PASSWORD: mongoPasswordValue });
  });

  test("hands variables to pods only by reference, and never a secret value in plain inputs", async () => {
    new App(
      "fiuba",
      fiubaArgs({
        registry: {
          server: "registry.example.net",
          username: "ci",
          password: pulumi.secret(registryPasswordValue),
        },
      }),
    );
    await mocks.settle();
    const pod = inputsOf("kubernetes:apps/v1:Deployment", "fiuba-users").spec.template.spec;
    expect(pod.containers[0].envFrom).toEqual([
      { configMapRef: { name: autoName("fiuba-users-config") } },
      { secretRef: { name: autoName("fiuba-users-secret") } },
    ]);
    expect(pod.containers[0].env).toBeUndefined();
    expect(pod.imagePullSecrets).toEqual([{ name: autoName("fiuba-registry") }]);
    expect(mocks.plainOccurrences(mongoPasswordValue)).toEqual([]);
    expect(mocks.plainOccurrences(registryPasswordValue)).toEqual([]);
    const registry = mocks.find("kubernetes:core/v1:Secret", "fiuba-registry").inputs;
    expect(isSecret(registry.stringData)).toBe(true);
    expect(JSON.parse((reveal(registry.stringData) as Inputs)[".dockerconfigjson"])).toEqual({
      auths: {
        "registry.example.net": {
          username: "ci",
          password: registryPasswordValue,
          auth: Buffer.from(`ci:${registryPasswordValue}`).toString("base64"),
        },
      },
    });
  });

  test("gives a worker without a port no Service and no probes", async () => {
    new App("fiuba", fiubaArgs());
    await mocks.settle();
    const worker = inputsOf("kubernetes:apps/v1:Deployment", "fiuba-metrics-consumer").spec.template
      .spec.containers[0];
    expect(worker.ports).toBeUndefined();
    expect(worker.readinessProbe).toBeUndefined();
    expect(
      mocks
        .ofType("kubernetes:core/v1:Service")
        .map((s) => s.name)
        .sort(),
    ).toEqual(["fiuba-goals-svc", "fiuba-users-svc"]);
  });

  test("probes readiness over HTTP and liveness over TCP with a health path, readiness over TCP only without", async () => {
    new App("fiuba", fiubaArgs());
    await mocks.settle();
    const users = inputsOf("kubernetes:apps/v1:Deployment", "fiuba-users").spec.template.spec
      .containers[0];
    const goals = inputsOf("kubernetes:apps/v1:Deployment", "fiuba-goals").spec.template.spec
      .containers[0];
    expect(users.readinessProbe.httpGet).toEqual({ path: "/health", port: 8080 });
    expect(goals.readinessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(users.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(goals.livenessProbe).toBeUndefined();
  });

  test("routes each path to its service on one ingress, with TLS for the host", async () => {
    const app = new App("fiuba", fiubaArgs());
    await mocks.settle();
    const ingress = inputsOf("kubernetes:networking.k8s.io/v1:Ingress", "fiuba-ingress");
    expect(ingress.spec).toEqual({
      ingressClassName: "nginx",
      rules: [
        {
          host: "api.fiuba.example.net",
          http: {
            paths: [
              {
                path: "/users",
                pathType: "Prefix",
                backend: { service: { name: "users", port: { number: 8080 } } },
              },
              {
                path: "/goals",
                pathType: "Prefix",
                backend: { service: { name: "goals", port: { number: 8080 } } },
              },
            ],
          },
        },
      ],
      tls: [{ hosts: ["api.fiuba.example.net"], secretName: "public-tls" }],
    });
    expect(app.url).toBe("https://api.fiuba.example.net/");
    expect(await new Promise((resolve) => app.ingressAddress!.apply(resolve))).toBe(
      "lb.example.net",
    );
  });

  test("meets the restricted profile on every service by default", async () => {
    new App("fiuba", fiubaArgs());
    await mocks.settle();
    for (const deployment of mocks.ofType("kubernetes:apps/v1:Deployment")) {
      const pod = (deployment.inputs as Inputs).spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
      expect(pod.containers[0].securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
    }
    expect(
      inputsOf("kubernetes:core/v1:Namespace", "fiuba-ns").metadata.labels[
        "pod-security.kubernetes.io/enforce"
      ],
    ).toBe("restricted");
  });

  test("with networkPolicy, every service admits its port from the controller and the app's own pods, a worker nothing", async () => {
    new App("fiuba", fiubaArgs({ networkPolicy: { ingressControllerNamespace: "ingress-nginx" } }));
    await mocks.settle();
    const policies = mocks.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(policies.map((policy) => policy.name).sort()).toEqual(
      Object.keys(fiubaArgs().services)
        .map((service) => `fiuba-${service}-netpol`)
        .sort(),
    );
    expect(
      inputsOf("kubernetes:networking.k8s.io/v1:NetworkPolicy", "fiuba-users-netpol").spec,
    ).toEqual({
      podSelector: {
        matchLabels: { "app.kubernetes.io/name": "users", "app.kubernetes.io/instance": "fiuba" },
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
            { podSelector: {} },
          ],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ],
    });
    // The metrics consumer has no port: nobody calls it.
    expect(
      inputsOf("kubernetes:networking.k8s.io/v1:NetworkPolicy", "fiuba-metrics-consumer-netpol")
        .spec.ingress,
    ).toEqual([]);
  });

  test("leaves metadata.name unset except for the namespace, Service DNS names, disruption budgets and cert-manager objects", async () => {
    new App("fiuba", fiubaArgs());
    await mocks.settle();
    const named = mocks.resources
      .filter((r) => r.custom && (r.inputs as Inputs).metadata?.name !== undefined)
      .map((r) => `${r.key}=${(r.inputs as Inputs).metadata.name}`)
      .sort();
    expect(named).toEqual([
      "kubernetes:cert-manager.io/v1:Certificate::fiuba-cert-public=public",
      "kubernetes:cert-manager.io/v1:Issuer::fiuba-issuer=letsencrypt-production",
      "kubernetes:core/v1:Namespace::fiuba-ns=fiuba",
      "kubernetes:core/v1:Service::fiuba-goals-svc=goals",
      "kubernetes:core/v1:Service::fiuba-users-svc=users",
      // Named so archive (0 replicas, no budget) and restore bring it back under the same name.
      "kubernetes:policy/v1:PodDisruptionBudget::fiuba-users-pdb=users",
    ]);
  });
});

describe("resolveApp", () => {
  test("reports every problem at once", () => {
    expect(() =>
      resolveApp("fiuba", {
        services: {
          users: {
            image: "taller2fiuba/users:latest",
            port: 80,
            env: { "bad-name": "x" },
            secretEnv: { X: "s" },
            path: "/u",
          },
          worker: { image: "taller2fiuba/worker:1", path: "/w", env: { X: "a" } },
          other: { image: "taller2fiuba/other:1", port: 8080, path: "/u" },
        },
      }),
    ).toThrow(
      [
        'App "fiuba":',
        '  services.users.image must name a version, not the moving "latest" tag, got "taller2fiuba/users:latest"',
        '  services.users.port must be 1024 or above: containers run as a non-root user (the "restricted" security profile), which cannot bind lower ports; make the image listen on e.g. 8080, or use securityProfile "root-allowed", got 80',
        '  services.users.env.bad-name: env var name "bad-name" must be an upper-case environment variable name (A-Z, 0-9 and _, not starting with a digit) like "MONGO_USER"',
        '  services.users.path needs ingress.host to be routed under, got "/u"',
        '  services.worker.path needs port: a worker without a port cannot be routed, got "/w"',
        '  services.worker.path needs ingress.host to be routed under, got "/w"',
        '  services.other.path needs ingress.host to be routed under, got "/u"',
        '  services.other.path is already routed to service "users", got "/u"',
      ].join("\n"),
    );
  });
});
