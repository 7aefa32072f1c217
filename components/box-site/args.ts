import type * as pulumi from "@pulumi/pulumi";
import type { ContainerResources } from "../kubernetes/resources.js";
import type { Routing } from "../kubernetes/routing.js";
import type { SecurityProfile } from "../kubernetes/security.js";
import type { AcmeEnvironment } from "../kubernetes/tls.js";
import type { AddressRecordType } from "../dns-record/resolve.js";

/** Arguments of {@link BoxSite}. Plain fields are validated up front, all at once. */
export interface BoxSiteArgs {
  /** Site id in the platform's site catalogue. Plain: a positive whole number. */
  readonly siteId: number;
  /** Short site code (`acme`): names the namespace and the test domain. Plain. */
  readonly code: string;
  /** The site's naked domain (`acme.com`, never `www.acme.com`). Plain. */
  readonly domain: string;
  /** Base of the automatic test domain: the site also answers on `<code>.<testDomainBase>`. Plain. */
  readonly testDomainBase: string;
  /** Technical e-mail: the ACME account e-mail, receives certificate notices. Plain. */
  readonly techEmail: string;
  /** The site's OpenID client (interactive). */
  readonly oidc: {
    /** Client id. Plain. */
    readonly clientId: string;
    /** Client secret; reaches the pod only through a Kubernetes Secret. */
    readonly clientSecret: pulumi.Input<string>;
  };
  /** The box image (`jzbox`). */
  readonly image: {
    /** Repository without tag, e.g. `ghcr.io/juntoz/jzbox`. Plain. */
    readonly repository: string;
    /**
     * Semver tag. The major tag follows every minor and patch release of that major.
     * @default "0"
     */
    readonly tag?: string;
    /** Pin the exact image by digest (`sha256:...`); the tag stays for readers. @default - none */
    readonly digest?: string;
  };
  /** Theme sync (box-sync, inside the pod). */
  readonly themes: {
    /** URL box-sync downloads the theme list and files from. Plain. */
    readonly source: string;
    /** Seconds between periodic syncs (the seed uses 1 or 5 minutes). @default 300 */
    readonly intervalSeconds?: number;
    /** Also sync at once when a message arrives on a Redis pub/sub channel. @default - interval only */
    readonly pubsub?: {
      readonly channel: string;
      /** Redis URL (may carry a password): passed only through the site's Secret. */
      readonly redisUrl: pulumi.Input<string>;
    };
    /** Where themes live inside the pod (an emptyDir). @default "/var/www/html/themes" */
    readonly path?: string;
    /** The sync command of the image. @default ["box-sync"] */
    readonly command?: readonly string[];
  };
  /**
   * Number of pods. ≥ 2 adds a PodDisruptionBudget and spreads pods over nodes; 0 scales the site
   * down (archived) while its namespace, certificates and DNS stay.
   * @default 1
   */
  readonly replicas?: number;
  /** CPU and memory of the web container. @default - 100m / 128Mi, memory limit 256Mi */
  readonly resources?: ContainerResources;
  /** Port the box's web server listens on inside the pod. @default 8080 */
  readonly port?: number;
  /** Path that answers 2xx/3xx when the app can serve. @default "/" */
  readonly healthPath?: string;
  /**
   * Paths the web container writes to; each gets its own emptyDir, because the root filesystem is
   * read-only under the `restricted` profile.
   * @default ["/tmp"]
   */
  readonly writablePaths?: readonly string[];
  /** Security profile of every container. @default "restricted" */
  readonly securityProfile?: SecurityProfile;
  /** How traffic reaches the site. @default { kind: "ingress", className: "nginx" } */
  readonly routing?: Routing;
  /** Let's Encrypt environment of the site's Issuer. @default "production" */
  readonly acmeEnvironment?: AcmeEnvironment;
  /** Wait during `up` until the ingress has a public address. @default true */
  readonly waitForAddress?: boolean;
  /**
   * Admit traffic only from the ingress controller's (or Gateway's data plane) namespace.
   * @default - no NetworkPolicy
   */
  readonly networkPolicy?: { readonly ingressControllerNamespace: string };
  /** Create the domain's DNS record in Cloudflare. @default - no record; see `dnsRecords` */
  readonly dns?: {
    readonly cloudflare: {
      /**
       * The Cloudflare zone: the site's domain itself (the record sits at the apex). Plain.
       * @default - the site's domain
       */
      readonly zone?: string;
      /**
       * The record's type, for the Cloudflare record and `dnsRecords` alike.
       * @default - from the ingress address: A for IPv4, AAAA for IPv6, CNAME for a host name
       */
      readonly recordType?: AddressRecordType;
      /**
       * Proxy through Cloudflare. Off by default: the origin serves its own Let's Encrypt
       * certificate and HTTP-01 must reach the ingress unchanged.
       * @default false
       */
      readonly proxied?: boolean;
      /** The stack that owns the record, written into its comment. Plain. */
      readonly ownerStack: string;
    };
  };
  /** The namespace to create for the site. @default "box-<code>" */
  readonly namespace?: string;
}
