import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { KubeClient, type KubeObject } from "./kube.js";
import { freePorts } from "./ports.js";
import { startProcess, type RunningProcess } from "./process.js";
import { writeSignedCert, writeTestCa } from "./test-ca.js";
import { toolPath } from "./tools.js";
import {
  defaultIngressAddress,
  fakeNode,
  fakeNodeName,
  kwokNodeAnnotation,
  kwokStagesPath,
  isNodeSchedulable,
  startLoadBalancerStatusWriter,
  startVolumeProvisioner,
  type StatusWriter,
} from "./workloads.js";

/** A running control plane on loopback, and what a client needs to talk to it. */
export interface ApiServer {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** Bearer token of a `system:masters` user. */
  readonly token: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly caPem: string;
  /** A kubeconfig file for this server (context `sitestack-test`), usable by any client. */
  readonly kubeconfigPath: string;
  /** The Kubernetes version the server reports, e.g. `v1.36.0`. */
  readonly version: string;
  readonly client: KubeClient;
  /**
   * With `workloads`: the address the stand-in ingress controller writes into every Ingress's and
   * LoadBalancer Service's `.status.loadBalancer.ingress[0].ip`. Undefined without workloads.
   */
  readonly ingressAddress: string | undefined;
  /** With `workloads`: the fake nodes kwok runs pods on (Ready when start-up returns); else empty. */
  readonly nodes: readonly string[];
  /** Stops every process and removes the state directory; safe to call twice. */
  stop(): Promise<void>;
}

/** What to start besides etcd and kube-apiserver. */
export interface ApiServerOptions {
  /**
   * Run kube-controller-manager, so namespace deletion, garbage collection and foreground deletion
   * finish the way they do on a real cluster.
   * @default true
   */
  readonly controllerManager?: boolean;
  /**
   * Install every manifest under `test/fixtures/crds/` (cert-manager, Gateway API) and wait until
   * the CRDs are established.
   * @default true
   */
  readonly crds?: boolean;
  /**
   * Make workloads behave: also run kube-scheduler, kwok (playing the kubelet of one fake node,
   * Ready before start-up returns), a stand-in ingress controller that gives every Ingress and
   * LoadBalancer Service the address `ingressAddress`, and a stand-in storage provisioner that
   * gives every PersistentVolumeClaim a volume. Pods are bound, become Running and Ready (except
   * those labelled `sitestack.test/never-ready: "true"` or with an image repository ending in `/never-ready`, see
   * `neverReadyLabel`), Services get endpoints, Deployments and StatefulSets report ready
   * replicas. Needs `controllerManager`.
   * @default false
   */
  readonly workloads?: boolean;
  /**
   * What the stand-in ingress controller writes as the load-balancer IP (with `workloads`).
   * @default "192.0.2.10" (TEST-NET-1: an address nothing answers on)
   */
  readonly ingressAddress?: string;
}

const crdDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "crds");

/** A throw-away CA and a serving certificate for 127.0.0.1, made with Debian's openssl. */
async function writeServingCert(dir: string): Promise<void> {
  await writeTestCa(dir);
  await writeSignedCert(dir, "serving", {
    commonName: "kube-apiserver",
    usage: "serverAuth",
    extraNames: ["kubernetes.default.svc"],
  });
}

function kubeconfig(server: string, caPem: string, token: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "sitestack-test",
        cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") },
      },
    ],
    users: [{ name: "admin", user: { token } }],
    contexts: [{ name: "sitestack-test", context: { cluster: "sitestack-test", user: "admin" } }],
    "current-context": "sitestack-test",
  });
}

/** Every manifest in `test/fixtures/crds/**.yaml`. */
export async function fixtureCrdManifests(): Promise<KubeObject[]> {
  const manifests: KubeObject[] = [];
  for (const entry of await readdir(crdDir, { recursive: true })) {
    if (!entry.endsWith(".yaml")) continue;
    const text = await readFile(join(crdDir, entry), "utf8");
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJSON() as KubeObject | null;
      if (object?.kind) manifests.push(object);
    }
  }
  return manifests;
}

async function installCrds(client: KubeClient): Promise<void> {
  const manifests = await fixtureCrdManifests();
  // CRDs first, so a policy or binding that refers to them never races their creation.
  manifests.sort((a, b) => rank(a) - rank(b));
  for (const manifest of manifests) await client.apply(manifest, "sitestack-test-crds");
  for (const crd of manifests.filter((m) => m.kind === "CustomResourceDefinition")) {
    const path = await client.objectPath(crd);
    await client.waitFor(`${crd.metadata?.name} to be established`, async () => {
      const live = (await client.get(path)) as
        { status?: { conditions?: { type: string; status: string }[] } } | undefined;
      return live?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")
        ? true
        : undefined;
    });
  }
}

function rank(manifest: KubeObject): number {
  return manifest.kind === "CustomResourceDefinition" ? 0 : 1;
}

/**
 * Starts etcd, kube-apiserver and (by default) kube-controller-manager on loopback with random
 * ports, token authentication and freshly made keys, waits for `/readyz`, installs the fixture CRDs
 * and returns a client. The controllers that matter for `destroy` (namespace, garbage collector)
 * live in kube-controller-manager. kube-scheduler, kwok and the stand-in ingress controller start
 * only with `workloads`, for tests that need pods scheduled and Ready: they cost start-up time.
 */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const workloads = options.workloads ?? false;
  const controllerManager = options.controllerManager ?? true;
  if (workloads && !controllerManager) {
    throw new Error(
      "startApiServer: workloads needs controllerManager (Deployments, ReplicaSets and endpoints " +
        "are kube-controller-manager's work); drop controllerManager: false",
    );
  }
  const ingressAddress = workloads ? (options.ingressAddress ?? defaultIngressAddress) : undefined;
  const dir = await mkdtemp(join(tmpdir(), "sitestack-apiserver-"));
  const processes: RunningProcess[] = [];
  let statusWriter: StatusWriter | undefined;
  let volumeProvisioner: StatusWriter | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await statusWriter?.stop();
    await volumeProvisioner?.stop();
    // Reverse start order: controllers first, etcd last, so nobody logs a storm of dial errors.
    for (const process of processes.reverse()) await process.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [etcdBin, apiserverBin, kcmBin, schedulerBin, kwokBin] = await Promise.all([
      toolPath("etcd"),
      toolPath("kube-apiserver"),
      controllerManager ? toolPath("kube-controller-manager") : Promise.resolve(""),
      workloads ? toolPath("kube-scheduler") : Promise.resolve(""),
      workloads ? toolPath("kwok") : Promise.resolve(""),
    ]);
    const [etcdPort, peerPort, apiPort] = await freePorts(3);
    const token = randomBytes(24).toString("hex");
    await writeServingCert(dir);
    const caPem = await readFile(join(dir, "ca.crt"), "utf8");
    const serviceAccountKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    await writeFile(
      join(dir, "sa.key"),
      serviceAccountKey.privateKey.export({ type: "pkcs8", format: "pem" }),
    );
    await writeFile(
      join(dir, "sa.pub"),
      serviceAccountKey.publicKey.export({ type: "spki", format: "pem" }),
    );
    await writeFile(join(dir, "tokens.csv"), `${token},admin,admin,"system:masters"\n`);
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfigPath = join(dir, "kubeconfig");
    await writeFile(kubeconfigPath, kubeconfig(server, caPem, token));

    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    processes.push(
      startProcess("etcd", etcdBin, dir, [
        "--name=default",
        `--data-dir=${join(dir, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        // Test data is thrown away; fsync only costs time.
        "--unsafe-no-fsync=true",
        "--log-level=warn",
      ]),
    );
    processes.push(
      startProcess("kube-apiserver", apiserverBin, dir, [
        `--etcd-servers=${etcdUrl}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${apiPort}`,
        `--tls-cert-file=${join(dir, "serving.crt")}`,
        `--tls-private-key-file=${join(dir, "serving.key")}`,
        `--token-auth-file=${join(dir, "tokens.csv")}`,
        "--authorization-mode=RBAC",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${join(dir, "sa.pub")}`,
        `--service-account-signing-key-file=${join(dir, "sa.key")}`,
        // No kubelet mounts tokens here (kwok's pods run nothing); without this plugin no pod waits
        // for a default service account.
        "--disable-admission-plugins=ServiceAccount",
        "--profiling=false",
        `--cert-dir=${join(dir, "apiserver-certs")}`,
        // Debian's etcd 3.4.23 lacks RequestWatchProgress, so the server cannot stream watch-list
        // requests and answers each with an error event instead of a refusal. kwok's informers then
        // restart their watch with a growing back-off and see a new pod only after seconds; with the
        // gate off the request is refused and every client falls back to LIST+WATCH at once.
        "--feature-gates=WatchList=false",
      ]),
    );
    const client = new KubeClient({ server, token, caPem });
    await waitReady(client, processes);
    if (kcmBin) {
      processes.push(
        startProcess("kube-controller-manager", kcmBin, dir, [
          `--kubeconfig=${kubeconfigPath}`,
          "--leader-elect=false",
          // No HTTPS endpoint of its own: nothing scrapes it, and it would need one more port.
          "--secure-port=0",
          `--service-account-private-key-file=${join(dir, "sa.key")}`,
          `--root-ca-file=${join(dir, "ca.crt")}`,
          "--kube-api-qps=100",
          "--kube-api-burst=200",
          "--profiling=false",
        ]),
      );
    }
    if (workloads) {
      processes.push(
        startProcess("kube-scheduler", schedulerBin, dir, [
          `--kubeconfig=${kubeconfigPath}`,
          "--leader-elect=false",
          "--secure-port=0",
          "--profiling=false",
        ]),
      );
      processes.push(
        startProcess(
          "kwok",
          kwokBin,
          dir,
          [
            `--kubeconfig=${kubeconfigPath}`,
            `--config=${kwokStagesPath}`,
            "--manage-all-nodes=false",
            `--manage-nodes-with-annotation-selector=${kwokNodeAnnotation}=fake`,
            // Pod and node addresses apart from the service range (10.0.0.0/24), so an address in
            // a test failure says what it is.
            "--cidr=10.244.0.0/16",
            "--node-ip=10.243.0.1",
            // Renew the fake node's Lease like a kubelet: without it kube-controller-manager marks
            // the node NotReady after its 50 s grace period, and every pod on it unready.
            "--node-lease-duration-seconds=40",
          ],
          // kwok also reads ~/.kwok/kwok.yaml when it exists; a user's file must not change tests.
          { KWOK_WORKDIR: join(dir, "kwok") },
        ),
      );
      await client.apply(fakeNode(fakeNodeName), "sitestack-test-nodes");
    }
    if (options.crds !== false) await installCrds(client);
    if (workloads) {
      await client.waitFor(`node ${fakeNodeName} to be Ready and schedulable`, async () => {
        throwIfExited(processes);
        return (await isNodeSchedulable(client, fakeNodeName)) ? true : undefined;
      });
      statusWriter = startLoadBalancerStatusWriter(client, ingressAddress ?? defaultIngressAddress);
      volumeProvisioner = startVolumeProvisioner(client);
    }
    const version = (await client.request<{ gitVersion: string }>("GET", "/version")).body
      .gitVersion;
    const nodes = workloads ? [fakeNodeName] : [];
    return { server, token, caPem, kubeconfigPath, version, client, ingressAddress, nodes, stop };
  } catch (error) {
    const logs = processes.map((p) => `--- ${p.name} (last lines)\n${p.logTail()}`).join("\n");
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`, {
      cause: error,
    });
  }
}

/** Fails start-up at once when a process has died, rather than at the end of a wait. */
function throwIfExited(processes: readonly RunningProcess[]): void {
  const dead = processes.find((p) => p.exitCode() !== undefined);
  if (dead) throw new Error(`${dead.name} exited with ${dead.exitCode()} during start-up`);
}

async function waitReady(client: KubeClient, processes: readonly RunningProcess[]): Promise<void> {
  await client.waitFor(
    "kube-apiserver /readyz",
    async () => {
      throwIfExited(processes);
      try {
        const response = await client.request<string>("GET", "/readyz", { accept: [500, 503] });
        return response.status === 200 ? true : undefined;
      } catch {
        return undefined; // not listening yet
      }
    },
    120_000,
  );
}
