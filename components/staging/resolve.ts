import { ArgumentProblems } from "../argument-problems.js";
import { archivedObject, archiveProblem } from "./archive.js";
import { stagingNameProblem, stagingNames, type StagingNames } from "./names.js";
import { isClusterScoped } from "../kubernetes/kinds.js";
import { describeObject, type KubernetesObject } from "./objects.js";
import { podSecurityLabels, type PodSecurityLevel } from "../kubernetes/security.js";

/** The plain (validated) part of the Staging args that {@link resolveStaging} reads. */
export interface StagingPlainArgs {
  readonly objects: readonly KubernetesObject[];
  readonly archived?: boolean;
  readonly podSecurity?: PodSecurityLevel;
  readonly labels?: Readonly<Record<string, string>>;
}

/** What the Staging component creates, decided before any resource exists. */
export interface ResolvedStaging {
  readonly names: StagingNames;
  /** Labels of the namespace: Pod Security enforcement plus the caller's labels. */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  /** The objects to create, in the staging's namespace, in their archived form when archived. */
  readonly objects: readonly KubernetesObject[];
  /** Host names the staging's Ingresses answer on. */
  readonly hosts: readonly string[];
  readonly archived: boolean;
}

function objectProblems(object: KubernetesObject, namespace: string): string[] {
  if (
    typeof object.apiVersion !== "string" ||
    typeof object.kind !== "string" ||
    typeof object.metadata?.name !== "string"
  ) {
    return [
      `a rendered object lacks apiVersion, kind or metadata.name: ${JSON.stringify(object).slice(0, 120)}`,
    ];
  }
  const problems: string[] = [];
  // A staging must be wholly inside its namespace, so deleting the namespace (cleanup) leaves
  // nothing behind and two stagings can never fight over one object.
  if (isClusterScoped(object.apiVersion, object.kind)) {
    problems.push(
      `${describeObject(object)} is cluster-scoped; a staging chart may only render objects inside the staging's namespace`,
    );
  }
  const own = object.metadata.namespace;
  if (own !== undefined && own !== namespace) {
    problems.push(
      `${describeObject(object)} names namespace ${JSON.stringify(own)}; a staging's objects live in ${JSON.stringify(namespace)}`,
    );
  }
  const archive = archiveProblem(object);
  if (archive !== undefined) problems.push(archive);
  return problems;
}

function ingressHosts(object: KubernetesObject): string[] {
  if (object.kind !== "Ingress") return [];
  const rules = (object.spec as { rules?: Array<{ host?: string }> } | undefined)?.rules ?? [];
  return rules.flatMap((rule) => (rule.host === undefined ? [] : [rule.host]));
}

/**
 * Validates a staging's name and rendered objects (every problem at once) and decides what the
 * component creates: the names, the namespace labels, and each object placed in the namespace,
 * in its archived form when `archived` (see {@link archivedObject}).
 */
export function resolveStaging(name: string, args: StagingPlainArgs): ResolvedStaging {
  const problems = new ArgumentProblems();
  problems.rule(stagingNameProblem(name), "name", name);
  const names = stagingNames(name);

  const seen = new Set<string>();
  for (const object of args.objects) {
    const found = objectProblems(object, names.namespace);
    problems.push(...found);
    if (found.length > 0 || typeof object.kind !== "string") continue;
    const key = `${object.apiVersion} ${describeObject(object)}`;
    if (seen.has(key)) problems.push(`${describeObject(object)} is rendered twice`);
    seen.add(key);
  }
  problems.throwIfAny(`Staging ${JSON.stringify(name)}`);

  const archived = args.archived ?? false;
  const placed = args.objects.map((object) => ({
    ...object,
    metadata: { ...object.metadata, namespace: names.namespace },
  }));
  const objects = archived ? placed.flatMap((object) => archivedObject(object) ?? []) : placed;
  return {
    names,
    namespaceLabels: {
      ...args.labels,
      ...podSecurityLabels(args.podSecurity ?? "restricted"),
      "app.kubernetes.io/managed-by": "sitestack",
      "sitestack.dev/staging": name,
    },
    objects,
    hosts: placed.flatMap(ingressHosts),
    archived,
  };
}
