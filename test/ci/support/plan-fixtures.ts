/**
 * Plans as `sitestack ci plan` builds them, for the renderer's golden tests: a small realistic one
 * (the example sites of a PR that adds, changes, renames and deletes files and changes a chart),
 * and one of many generated box sites.
 */
import type { CiPlan, SitePlan } from "../../../stacks/ci/plan-model.js";

const base = { ref: "origin/main", commit: "1f3c5e7a9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a" };
const head = { ref: "HEAD", commit: "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b" };
const mergeBase = "5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c";

/** The box site `bodega` changing its image tag: one Deployment update, with next steps. */
function bodega(): SitePlan {
  return {
    change: "changed",
    path: "sites/bodega.yaml",
    site: "bodega",
    kind: "BoxSite",
    stack: "site-bodega",
    reason: "site file changed",
    status: "planned",
    counts: { create: 0, update: 1, replace: 0, delete: 0, same: 9 },
    resources: [
      {
        op: "update",
        counted: "update",
        type: "kubernetes:apps/v1:Deployment",
        name: "bodega",
        diffs: ["spec"],
      },
    ],
    outputs: {
      urls: ["https://bodegadelbarrio.pe/", "https://bodega.sites.example.net/"],
      ingressAddress: "",
    },
    nextSteps: {
      domain: "bodegadelbarrio.pe",
      ingressAddress: null,
      pending:
        "not known: up renders the objects to .sitestack/rendered/site-bodega/, not applied to a cluster",
      dnsRecords: [{ name: "bodegadelbarrio.pe", type: null, content: null }],
      testUrl: "https://bodega.sites.example.net/",
      testUrlWorks: "once applied to a cluster",
    },
    unknownSecrets: [],
    warnings: [],
    durationMs: 4_210,
  };
}

/** The small realistic plan of the golden test. */
export function smallPlan(): CiPlan {
  return {
    schemaVersion: 1,
    base,
    head,
    mergeBase,
    pullRequest: 42,
    result: "failed",
    validation: {
      files: 6,
      valid: false,
      problems: [
        {
          file: "sites/fiufit.yaml",
          line: 14,
          col: 14,
          path: "spec.services.users.image",
          message: 'must be an image reference like "repo/name:1.2.3", got "taller2fiuba/users:"',
        },
      ],
    },
    changedCharts: ["box"],
    sites: [
      bodega(),
      {
        change: "added",
        path: "sites/chefcito.yaml",
        site: "chefcito",
        kind: "App",
        stack: "site-chefcito",
        reason: "site file added",
        status: "failed",
        counts: { create: 0, update: 0, replace: 0, delete: 0, same: 0 },
        resources: [],
        outputs: {},
        unknownSecrets: [],
        warnings: [],
        error:
          "preview of site-chefcito failed: azure-native:app:ManagedEnvironment (chefcito-env):\nerror: no credentials: set ARM_CLIENT_ID <or> use `az login`",
        durationMs: 6_020,
      },
      {
        change: "renamed",
        path: "sites/fiufit.yaml",
        previousPath: "sites/fiuba.yaml",
        site: "fiufit",
        kind: "App",
        stack: "site-fiufit",
        previousStack: "site-fiuba",
        reason: "renamed from sites/fiuba.yaml",
        status: "invalid",
        counts: { create: 0, update: 0, replace: 0, delete: 0, same: 0 },
        resources: [],
        outputs: {},
        unknownSecrets: [],
        warnings: [],
        durationMs: 0,
      },
      {
        change: "changed",
        path: "sites/pr-42.yaml",
        site: "pr-42",
        kind: "Staging",
        stack: "staging-pr-42",
        reason: "chart box changed",
        status: "planned",
        counts: { create: 1, update: 1, replace: 1, delete: 0, same: 6 },
        resources: [
          {
            op: "create",
            counted: "create",
            type: "kubernetes:core/v1:ConfigMap",
            name: "pr-42-box-nginx",
            diffs: [],
          },
          {
            op: "update",
            counted: "update",
            type: "kubernetes:apps/v1:Deployment",
            name: "pr-42-box",
            diffs: ["spec"],
          },
          {
            op: "replace",
            counted: "replace",
            type: "kubernetes:batch/v1:Job",
            name: "pr-42-migrate",
            diffs: ["spec", "metadata"],
          },
        ],
        outputs: { urls: ["https://pr-42.staging.example.net/"] },
        unknownSecrets: ["STAGING_DB_PASSWORD", "STAGING_OIDC_CLIENT_SECRET"],
        warnings: [
          "kubernetes:batch/v1:Job (pr-42-migrate): spec.template is immutable; the Job is replaced",
        ],
        durationMs: 7_940,
      },
    ],
    deletions: [
      {
        path: "sites/blog.yaml",
        site: "blog",
        kind: "HostRoute",
        stack: "site-blog",
        change: "deleted",
        exists: true,
        status: "Running",
        resources: [
          { type: "sitestack:host:NginxSite", name: "blog", retained: false },
          { type: "tls:index/selfSignedCert:SelfSignedCert", name: "blog-cert", retained: false },
          { type: "cloudflare:index/dnsRecord:DnsRecord", name: "blog-dns", retained: true },
        ],
      },
      {
        path: "sites/fiuba.yaml",
        site: "fiuba",
        kind: "App",
        stack: "site-fiuba",
        change: "renamed",
        exists: false,
        resources: [],
      },
    ],
    orphans: [
      {
        stack: "staging-pr-17",
        kind: "Staging",
        status: "Archived",
        file: "sites/pr-17.yaml",
        lastChanged: "2026-11-02T09:14:00.000Z",
      },
    ],
    durationMs: 12_480,
  };
}

/** A plan of `count` generated box sites, every one changed and planned, each with a few steps. */
export function manySitesPlan(count: number): CiPlan {
  const sites: SitePlan[] = [];
  for (let index = 0; index < count; index += 1) {
    const name = `shop-${String(index).padStart(3, "0")}`;
    const site = bodega();
    sites.push({
      ...site,
      path: `sites/${name}.yaml`,
      site: name,
      stack: `site-${name}`,
      change: index % 3 === 0 ? "added" : "changed",
      reason: index % 3 === 0 ? "site file added" : "site file changed",
      counts:
        index % 3 === 0 ? { create: 10, update: 0, replace: 0, delete: 0, same: 0 } : site.counts,
      resources:
        index % 3 === 0
          ? [
              "kubernetes:core/v1:Namespace",
              "kubernetes:core/v1:Secret",
              "kubernetes:core/v1:ConfigMap",
              "kubernetes:apps/v1:Deployment",
              "kubernetes:core/v1:Service",
              "kubernetes:networking.k8s.io/v1:Ingress",
              "kubernetes:policy/v1:PodDisruptionBudget",
              "kubernetes:cert-manager.io/v1:Certificate",
              "kubernetes:cert-manager.io/v1:Issuer",
              "sitestack:kubernetes:BoxSite",
            ].map((type) => ({
              op: "create" as const,
              counted: "create" as const,
              type,
              name: `${name}-${type.split(":").pop()!.toLowerCase()}`,
              diffs: [],
            }))
          : site.resources.map((resource) => ({ ...resource, name })),
      nextSteps: {
        ...site.nextSteps!,
        domain: `${name}.pe`,
        dnsRecords: [{ name: `${name}.pe`, type: null, content: null }],
        testUrl: `https://${name}.sites.example.net/`,
        pending: `not known: up renders the objects to .sitestack/rendered/site-${name}/, not applied to a cluster`,
      },
      outputs: {},
      durationMs: 3_000 + index * 7,
    });
  }
  return {
    schemaVersion: 1,
    base,
    head,
    mergeBase,
    pullRequest: 1200,
    result: "ok",
    validation: { files: count, valid: true, problems: [] },
    changedCharts: [],
    sites,
    deletions: [],
    orphans: [],
    durationMs: 61_000,
  };
}
