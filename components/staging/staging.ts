import * as k8s from "@pulumi/kubernetes";
// The version the typed classes of @pulumi/kubernetes pin, so the generic objects below are served
// by the same provider plugin as the Namespace and the Secret.
import { getVersion } from "@pulumi/kubernetes/utilities.js";
import * as pulumi from "@pulumi/pulumi";
import { typeToken, type KubernetesObject } from "./objects.js";
import type { PodSecurityLevel } from "../kubernetes/security.js";
import { resolveStaging } from "./resolve.js";

/** Arguments of {@link Staging}. */
export interface StagingArgs {
  /**
   * The chart's objects as `helm template` rendered them (plain: validated up front). They must be
   * namespaced; the component places every one in the staging's namespace.
   */
  readonly objects: readonly KubernetesObject[];
  /**
   * Secret values, dotted value path → value (a Pulumi secret). They go into one Kubernetes Secret,
   * `<name>-secret-values`, one key per path, which the chart reads by name; they never pass
   * through Helm or any other object (the stack program checks, with `plainSecretLeaks`, that no
   * rendered object carries one in plain text).
   * @default {}
   */
  readonly secretValues?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Whether the staging is archived: workloads scaled to zero or removed, everything holding data
   * or addresses (volumes, Services, Ingresses, certificates, Secrets) kept. Setting it back to
   * false restores the same objects. See `archivedObject`.
   * @default false
   */
  readonly archived?: boolean;
  /**
   * Pod Security Standards level enforced on the namespace; `baseline` is the way out for images
   * that must run as root.
   * @default "restricted"
   */
  readonly podSecurity?: PodSecurityLevel;
  /** Extra labels of the namespace (e.g. the site file's labels). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** One rendered object of any kind, registered under the kind's own type token. */
class RenderedObject extends pulumi.CustomResource {
  /** The object's status, as the API server reports it. */
  declare readonly status: pulumi.Output<Record<string, unknown> | undefined>;

  constructor(name: string, object: KubernetesObject, opts: pulumi.CustomResourceOptions) {
    const isSecret = object.kind === "Secret" && object.apiVersion === "v1";
    const inputs: Record<string, unknown> = { ...object, status: undefined };
    // A chart's own Secret is secret in state too, as the typed Secret class would make it.
    if (isSecret) {
      for (const field of ["data", "stringData"]) {
        if (object[field] !== undefined) inputs[field] = pulumi.secret(object[field]);
      }
    }
    super(typeToken(object.apiVersion, object.kind), name, inputs, {
      ...opts,
      version: getVersion(),
      additionalSecretOutputs: isSecret ? ["data", "stringData"] : [],
    });
  }
}

/**
 * A QA staging (seed 004): a namespace of its own, labelled for the restricted Pod Security
 * profile; a Secret with the staging's secret values; and one Kubernetes resource per object of
 * the rendered chart. `archived` scales the workloads to zero and keeps the data; deleting the
 * component (cleanup) deletes the namespace, and with it every volume claim and certificate Secret
 * created inside it.
 */
export class Staging extends pulumi.ComponentResource {
  /** The staging's namespace, `staging-<name>`. */
  public readonly namespace: string;
  /** Host names the staging answers on (from its Ingresses). */
  public readonly hosts: readonly string[];
  /** Public address (IP or host name) of the first Ingress, once the controller assigns one. */
  public readonly ingressAddress: pulumi.Output<string | undefined>;
  /** Whether the staging is archived. */
  public readonly archived: boolean;
  /** The Namespace resource. */
  public readonly namespaceResource: k8s.core.v1.Namespace;

  constructor(name: string, args: StagingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sitestack:staging:Staging", name, {}, opts);
    const resolved = resolveStaging(name, args);
    this.namespace = resolved.names.namespace;
    this.hosts = resolved.hosts;
    this.archived = resolved.archived;

    this.namespaceResource = new k8s.core.v1.Namespace(
      name,
      { metadata: { name: resolved.names.namespace, labels: { ...resolved.namespaceLabels } } },
      // The namespace holds the data Pulumi never created (the StatefulSets' volume claims, the
      // certificate Secrets cert-manager issues): `destroy` keeps it, only `cleanup` (which lifts
      // the retention) deletes it and, through the namespace controller, everything inside.
      { parent: this, retainOnDelete: true },
    );

    const secret = new k8s.core.v1.Secret(
      `${name}-secret-values`,
      {
        metadata: {
          name: resolved.names.secretName,
          namespace: resolved.names.namespace,
          labels: { "app.kubernetes.io/managed-by": "sitestack", "sitestack.dev/staging": name },
        },
        type: "Opaque",
        stringData: pulumi.secret({ ...args.secretValues }),
      },
      { parent: this, dependsOn: [this.namespaceResource] },
    );

    const created = resolved.objects.map(
      (object) =>
        new RenderedObject(`${name}-${object.kind.toLowerCase()}-${object.metadata.name}`, object, {
          parent: this,
          dependsOn: [this.namespaceResource, secret],
        }),
    );
    const ingress = created.find((_, index) => resolved.objects[index]?.kind === "Ingress");
    this.ingressAddress =
      ingress === undefined ? pulumi.output(undefined) : ingressAddressOf(ingress);

    this.registerOutputs({
      namespace: this.namespace,
      hosts: this.hosts,
      ingressAddress: this.ingressAddress,
      archived: this.archived,
    });
  }
}

function ingressAddressOf(ingress: RenderedObject): pulumi.Output<string | undefined> {
  return ingress.status.apply((status) => {
    const first = (status?.loadBalancer as { ingress?: Array<{ ip?: string; hostname?: string }> })
      ?.ingress?.[0];
    return first?.ip ?? first?.hostname;
  });
}
