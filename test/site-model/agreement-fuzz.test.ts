import fc from "fast-check";
import { CORE_SCHEMA, load } from "js-yaml";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { parseSiteText, type ParseResult, type SiteSpec } from "../../stacks/site-model/index.js";
import { validDocument, withField } from "./documents.js";
import { renderProblem } from "./render-site.js";

// validate and up must agree (issue 15, "one rule per fact"): site files built from valid ones,
// with fields set to valid, near-valid and hostile values, are run through `validate` (the site
// text) and through what `up` runs before any resource exists (render-site.ts). Any value one side
// accepts and the other refuses fails the test, with the field, the value and both answers.

type Document = Record<string, unknown>;

// ---- values -------------------------------------------------------------------------------------

const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
const ed25519HostKey =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM root@vps";
const longName = (labels: number, last: string) => `${"a.".repeat(labels)}${last}`;

/** Values every string field meets: blank, spaces, characters that end a directive or a quote. */
const hostile = ["", " ", "\t", "x", "a b", "a;b", "a}b", "a\nb", "$host", "`id`", "'", '"', "\\"];

/** Edge values of each kind of string, valid ones next to the near misses that broke a side. */
const edges = {
  address: [
    "10.0.3.15",
    "0.0.0.0",
    "10.0.0.300",
    "1.2.3",
    "::1",
    "fd42::15",
    "fe80::1%eth0",
    "2001:db8::40%2",
    "[::1]",
    "::ffff:10.0.0.1",
    "localhost",
    "LOCALHOST",
    "web1",
    "vps",
    "web1.lxd",
    "web_1.lxd",
    "-web.lxd",
    "web-.lxd",
    "Web1.lxd",
    "web1.lxd.",
    "*.lxd",
    `${"a".repeat(63)}.lxd`,
    `${"a".repeat(64)}.lxd`,
    longName(125, "lxd"),
    longName(126, "lx"),
    "10.0.3.15; include /etc/passwd",
    "10.0.3.15:80",
  ],
  domain: [
    "acme.com",
    "www.acme.com",
    "acme.com.pe",
    "shop.acme.com.pe",
    "com.pe",
    "co.uk",
    "acme.test",
    "localhost",
    "blog.marcosrgz.com",
    "marcosrgz.com",
    "x.marcosrgz.com",
    "a_b.marcosrgz.com",
    "Blog.marcosrgz.com",
    "-x.marcosrgz.com",
    "*.marcosrgz.com",
    "marcosrgz.com.",
    "fiufit.example.com",
    "http://acme.com",
    "acme.com/x",
    "acme.com:443",
    "10.0.0.1",
    "xn--ida.com",
    "ñ.com",
    longName(125, "com"),
    `${"a".repeat(64)}.com`,
  ],
  registry: [
    "ghcr.io",
    "ghcr.io:5000",
    "ghcr.io:0",
    "ghcr.io:99999",
    "registry.example.com:5000",
    "localhost:5000",
    "localhost",
    "chefcitoprod.azurecr.io",
    "Chefcitoprod.azurecr.io",
    "chefcito-prod.azurecr.io",
    "ab.azurecr.io",
    "azurecr.io",
    "x.azurecr.io:443",
    "https://ghcr.io",
    "ghcr.io/juntoz",
  ],
  repository: [
    "jzbox",
    "jzbox:0",
    "ghcr.io/juntoz/jzbox",
    "localhost:5000/jzbox",
    "localhost:5000",
    "Jzbox",
    "jzbox/",
    "a..b",
    "ghcr.io/juntoz/jzbox@sha256:abc",
  ],
  image: [
    "taller2fiuba/users:1.4.0",
    "taller2fiuba/users",
    "jzbox:0",
    "jzbox:0:0",
    "users:latest",
    "users:LATEST",
    `users:latest@${digest}`,
    `users@${digest}`,
    "users@sha256:abc",
    `users:1.4.0@${digest}`,
    "users:-1",
    `users:${"a".repeat(128)}`,
    `users:${"a".repeat(129)}`,
    "registry:5000/users:1",
    "localhost:5000:1",
    "Users:1",
  ],
  tag: ["0", "0.1", "0.1.3", "00", "1.2.3.4", "v1", "01", "1.", "latest"],
  email: [
    "tech@acme.com",
    "tech@acme",
    "tech@@acme.com",
    "tech@acme.com ",
    "@acme.com",
    "te st@acme.com",
    "tech@acme.c",
    "a.b+c@acme.co",
    ".a@acme.com",
    "a..b@acme.com",
  ],
  url: [
    "https://central.example.net/themes",
    "http://10.0.0.1/x",
    "HTTPS://x.com",
    "https://x.com/a b",
    "https://user:pw@x.com",
    "https://user@x.com",
    "https://x",
    "ftp://x.com",
    "https://x.com:99999",
    "https://x.com:8443/t",
    "https://[::1]/",
    "https://x.com?q=1",
    "https://x.com#f",
    "https://_x.com",
    "https:/x.com",
    "https://",
  ],
  path: ["/", "/users", "users", "/users/", "/a b", "/a;b", "/~x", "/é", "//", "/a?b"],
  envKey: ["PORT", "mongo_user", "_X", "1X", "A-B", "USERS_MONGO_USER", "MONGO_PASSWORD", "Port"],
  secretKey: [
    "TOKEN",
    "MONGO_PASSWORD",
    "MONGO_PASSWORD_",
    "_MONGO_PASSWORD",
    "USERS_MONGO_PASSWORD",
  ],
  azure: [
    "eastus2",
    "East US",
    "2east",
    "e",
    "westeurope",
    "chefcito-rg",
    "rg.",
    "(rg)",
    "rg_1.a",
    "a".repeat(90),
    "a".repeat(91),
  ],
  registryName: [
    "chefcitoprod",
    "abcd",
    "abcde",
    "a".repeat(50),
    "a".repeat(51),
    "chefcito-prod",
    "Chefcitoprod",
    "chefcito_prod",
    "chefcitoprod.azurecr.io",
    "ñandu1",
  ],
  hostKey: [
    ed25519HostKey,
    `ssh-ed25519 ${ed25519HostKey.split(" ")[1]}`,
    `${ed25519HostKey}\n`,
    `ssh-ed25519 ${ed25519HostKey.split(" ")[1]!.slice(0, -4)}`,
    `ecdsa-sha2-nistp256 ${ed25519HostKey.split(" ")[1]}`,
    `203.0.113.40 ${ed25519HostKey}`,
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 root@vps",
    "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
    "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    `${ed25519HostKey}\n${ed25519HostKey}`,
  ],
  user: ["deploy", "root", "_x", "Deploy", "a".repeat(32), "a".repeat(33), "de ploy", "d;rm", "9x"],
  sslMode: ["full", "strict", "flexible", "Full", "off"],
  name: [
    "acme",
    "a",
    "a-",
    "-a",
    "a--b",
    "9lives",
    "x".repeat(32),
    "x".repeat(33),
    "x".repeat(38),
    "x".repeat(39),
    "x".repeat(53),
    "x".repeat(54),
    "x".repeat(63),
    "x".repeat(64),
  ],
  text: ["themes", "acme-box", "box:1042"],
} satisfies Record<string, readonly string[]>;

const interestingNumbers = [
  0,
  1,
  -1,
  22,
  80,
  443,
  1023,
  1024,
  3000,
  8080,
  65535,
  65536,
  1.5,
  100,
  101,
  300,
  301,
  2 ** 53 - 1,
  2 ** 53,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
];

const hostileCharacters = [".", "-", "_", ":", "/", "%", " ", "A", "@", ";", "}", "\n", "é", "*"];

/** A near-valid string: one character of `valid` inserted, deleted or upper-cased. */
function nearly(valid: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...valid), fc.nat(), fc.constantFrom(...hostileCharacters), fc.nat(2))
    .map(([value, at, character, edit]) => {
      const i = at % (value.length + 1);
      if (edit === 0) return value.slice(0, i) + character + value.slice(i);
      if (edit === 1) return value.slice(0, i) + value.slice(i + 1);
      return value.slice(0, i) + value.slice(i, i + 1).toUpperCase() + value.slice(i + 1);
    });
}

/** A string field: its own valid values, the edges of its kind, and hostile values. */
interface StringValues {
  readonly valid: readonly string[];
  readonly edges: readonly string[];
}

function stringsOf(values: StringValues): fc.Arbitrary<string> {
  const { valid, edges: own } = values;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 1 },
    { arbitrary: nearly([...valid, ...own]), weight: 3 },
    { arbitrary: fc.constantFrom(...own), weight: 3 },
    { arbitrary: fc.constantFrom(...hostile), weight: 1 },
    { arbitrary: fc.string({ maxLength: 16 }), weight: 1 },
  );
}

// `+ 0` turns the -0 fast-check may shrink to into 0: YAML has no -0 to write.
const numberValues = fc
  .oneof(fc.constantFrom(...interestingNumbers), fc.integer({ min: -5, max: 70_000 }))
  .map((n) => n + 0);

// ---- fields -------------------------------------------------------------------------------------

/**
 * One field both sides check. `set` writes a value into a site document and, identically, into
 * the parsed spec up receives (the paths are the same; defaults do not touch these fields).
 * `agree` is false where the site file deliberately allows less than the component (the reason is
 * next to it): such fields are only checked one way (what validate accepts, up renders).
 * `sweep` lists the values every run checks, besides the random ones.
 */
interface Field {
  readonly name: string;
  readonly values: fc.Arbitrary<unknown>;
  readonly sweep: readonly unknown[];
  readonly set: (target: Document, value: unknown) => Document;
  readonly agree?: false;
}

const at =
  (path: string | readonly string[]) =>
  (target: Document, value: unknown): Document =>
    withField(target, path, value);

function text(
  name: string,
  kind: keyof typeof edges,
  valid: readonly string[],
  set: Field["set"] = at(name),
): Field {
  const values = { valid, edges: edges[kind] };
  return { name, values: stringsOf(values), sweep: [...valid, ...edges[kind]], set };
}

function number(name: string): Field {
  return { name, values: numberValues, sweep: interestingNumbers, set: at(name) };
}

/** Site names of every valid length: for kinds whose components only limit a name's length. */
function nameLength(name: string): Field {
  const lengths = [1, 37, 38, 39, 43, 52, 53, 54, 63];
  return {
    name,
    values: fc.integer({ min: 1, max: 63 }).map((length) => "n".repeat(length)),
    sweep: lengths.map((length) => "n".repeat(length)),
    set: at(name),
  };
}

/** Adds a service called `value` (a worker: no port, no path). */
const serviceNamed: Field["set"] = (target, value) =>
  withField(target, ["spec", "services", String(value)], {
    image: "taller2fiuba/metrics:1.0.0",
    env: {},
    secretEnv: {},
    replicas: 1,
  });

interface Base {
  readonly name: string;
  readonly document: () => Document;
  readonly fields: readonly Field[];
}

const withRegistry = (document: Document) =>
  withField(document, "spec.registry", {
    server: "registry.example.com:5000",
    username: "ci",
    password: { secret: "REGISTRY_PASSWORD" },
  });
const azure = (document: Document) =>
  withField(withField(document, "spec.target", "azure-container-apps"), "spec.azure", {
    resourceGroup: "chefcito-rg",
    location: "eastus2",
    registry: { create: { name: "chefcitoprod" } },
    hostBinding: "certificate",
  });

/** A field that takes one of a few values (`undefined` leaves it out). */
function oneOf(name: string, choices: readonly unknown[], set: Field["set"] = at(name)): Field {
  return { name, values: fc.constantFrom(...choices), sweep: choices, set };
}

/** Sets `spec.azure.registry` to an adopted registry, with `part` replaced by the value. */
const adopted =
  (part: "name" | "resourceGroup"): Field["set"] =>
  (target, value) =>
    withField(target, "spec.azure.registry", {
      existing: { name: "chefcitoprod", resourceGroup: "chefcito-rg", [part]: value },
    });

/** Pins `spec.host.hostKey` to the value, instead of trusting the key on first use. */
const pinned: Field["set"] = (target, value) =>
  withField(withField(target, "spec.host.trustOnFirstUse", undefined), "spec.host.hostKey", value);

const appServiceFields: Field[] = [
  text("spec.services.users.image", "image", ["taller2fiuba/users:1.4.0", `users@${digest}`]),
  number("spec.services.users.port"),
  text("spec.services.users.path", "path", ["/users", "/api/v1.2/~me"]),
  text("spec.services.<name>", "name", ["goals", "metrics-api"], serviceNamed),
  text("spec.services.users.env.<key>", "envKey", ["PORT", "DB_HOST"], (target, key) =>
    withField(target, ["spec", "services", "users", "env", String(key)], "x"),
  ),
  text("spec.services.users.secretEnv.<key>", "secretKey", ["TOKEN"], (target, key) =>
    withField(target, ["spec", "services", "users", "secretEnv", String(key)], { secret: "X" }),
  ),
  text("spec.ingress.host", "domain", ["fiufit.example.com", "api.fiufit.com.ar"]),
  text("spec.registry.server", "registry", ["ghcr.io", "chefcitoprod.azurecr.io"]),
  text("spec.registry.username", "text", ["ci", "ci-bot"]),
];

const bases: readonly Base[] = [
  {
    name: "HostRoute",
    document: () => validDocument("HostRoute"),
    fields: [
      nameLength("metadata.name"),
      text("spec.domain", "domain", ["blog.marcosrgz.com", "marcosrgz.com"]),
      text("spec.upstream.host", "address", ["10.154.30.12", "web1.lxd", "fd42::15"]),
      number("spec.upstream.port"),
      text("spec.publicIp", "address", ["203.0.113.40", "2001:db8::40"]),
      text("spec.host.address", "address", ["203.0.113.40", "vps.example.com"]),
      number("spec.host.port"),
      text("spec.host.user", "user", ["deploy", "www-data"]),
      text("spec.cloudflare.zone", "domain", ["marcosrgz.com"]),
      {
        name: "spec.cloudflare.proxied",
        values: fc.boolean(),
        sweep: [true, false],
        set: at("spec.cloudflare.proxied"),
      },
      text("spec.cloudflare.sslMode", "sslMode", ["strict", "full"]),
      text("spec.host.hostKey", "hostKey", [ed25519HostKey], pinned),
      oneOf("spec.host.trustOnFirstUse", [true, false, undefined]),
    ],
  },
  {
    name: "BoxSite",
    document: () => validDocument("BoxSite"),
    fields: [
      number("spec.siteId"),
      text("spec.code", "name", ["acme", "a-1"]),
      text("spec.domain", "domain", ["acme.com.pe", "acme.com"]),
      text("spec.techEmail", "email", ["tech@acme.com.pe", "it.ops+box@acme.com"]),
      text("spec.oidc.clientId", "text", ["acme-box", "x"]),
      text("spec.image.repository", "repository", ["ghcr.io/juntoz/jzbox", "localhost:5000/jzbox"]),
      text("spec.image.tag", "tag", ["0", "0.1.3"]),
      text("spec.themes.source", "url", ["https://sitecentral.example.com/themes/1042"]),
    ],
  },
  {
    name: "BoxSite with DNS and pub/sub",
    document: () =>
      withField(
        withField(validDocument("BoxSite"), "spec.dns", { cloudflare: { zone: "acme.com.pe" } }),
        "spec.themes.pubsub",
        { channel: "themes", redisUrl: { secret: "ACME_REDIS_URL" } },
      ),
    fields: [
      nameLength("metadata.name"),
      text("spec.dns.cloudflare.zone", "domain", ["acme.com.pe"]),
      text("spec.themes.pubsub.channel", "text", ["themes", "box:1042"]),
    ],
  },
  {
    name: "App on Kubernetes",
    document: () => withRegistry(validDocument("App")),
    fields: [text("metadata.name", "name", ["fiuba", "fiuba-2"]), ...appServiceFields],
  },
  {
    name: "App on Azure Container Apps",
    document: () => azure(withRegistry(validDocument("App"))),
    fields: [
      // The ingress host is the custom domain, checked by the component's public host name rule.
      ...appServiceFields,
      text("spec.azure.location", "azure", ["eastus2", "westeurope"]),
      text("spec.azure.resourceGroup", "azure", ["chefcito-rg", "rg_(prod).1"]),
      // Site files stop at 100 replicas, Container Apps at 300: a deliberate, smaller limit.
      { ...number("spec.services.metrics-consumer.replicas"), agree: false },
      { ...number("spec.services.users.replicas"), agree: false },
      text("spec.azure.registry.create.name", "registryName", ["chefcitoprod", "a".repeat(50)]),
      text("spec.azure.registry.existing.name", "registryName", ["chefcitoprod"], adopted("name")),
      text(
        "spec.azure.registry.existing.resourceGroup",
        "azure",
        ["chefcito-rg"],
        adopted("resourceGroup"),
      ),
      oneOf("spec.azure.registry", [
        { existing: { name: "chefcitoprod", resourceGroup: "chefcito-rg" } },
        { create: { name: "chefcitoprod", sku: "Premium" } },
        {
          existing: { name: "chefcitoprod", resourceGroup: "chefcito-rg" },
          create: { name: "chefcitoprod" },
        },
        {},
        undefined,
      ]),
      oneOf("spec.azure.hostBinding", [
        "none",
        "hostname",
        "certificate",
        "Certificate",
        "",
        undefined,
      ]),
      // A second service with a port and this path: one Container Apps host routes to one app.
      text("spec.services.goals.path", "path", ["/goals"], (target, path) =>
        withField(target, "spec.services.goals", {
          image: "taller2fiuba/goals:1.0.0",
          port: 8000,
          path,
          env: {},
          secretEnv: {},
          replicas: 1,
        }),
      ),
    ],
  },
  {
    name: "Staging",
    document: () => validDocument("Staging"),
    fields: [text("metadata.name", "name", ["pr-42", "x".repeat(53)])],
  },
];

// ---- the two sides -------------------------------------------------------------------------------

/**
 * The document as site text: JSON (which is YAML too, and fast to write), or YAML when it holds a
 * number JSON cannot write (`.nan`, `.inf`). Strings are always quoted, so YAML cannot turn a value
 * into another type on the way (`0b101`, `true`): the test compares rules, not YAML typing.
 */
function textOf(document: Document): string {
  const json = JSON.stringify(document, (_key, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? undefined : value,
  );
  if (isDeepStrictEqual(JSON.parse(json), document)) return json;
  const text = stringify(document, { defaultStringType: "QUOTE_DOUBLE", lineWidth: 0 });
  if (!isDeepStrictEqual(load(text, { schema: CORE_SCHEMA }), document)) {
    throw new Error(`the YAML round trip changed ${JSON.stringify(document)}: ${text}`);
  }
  return text;
}

function validateAnswer(document: Document): ParseResult {
  return parseSiteText(textOf(document), "sites/x.yaml", { matchFileName: false });
}

function describeProblems(result: ParseResult): string {
  return result.ok ? "accepts" : result.problems.map((p) => `${p.path}: ${p.message}`).join("; ");
}

const parsedBases = new Map<string, SiteSpec>();
function parsedBase(base: Base): SiteSpec {
  let spec = parsedBases.get(base.name);
  if (spec === undefined) {
    const result = validateAnswer(base.document());
    if (!result.ok) throw new Error(`${base.name} is invalid: ${describeProblems(result)}`);
    spec = result.spec;
    parsedBases.set(base.name, spec);
  }
  return structuredClone(spec);
}

/**
 * Where validate and up disagree on `field` = `value` in `base`, or `undefined` when they agree.
 * For a field that agrees one way only, only "validate accepts, up refuses" counts.
 */
function disagreement(base: Base, field: Field, value: unknown): string | undefined {
  const validated = validateAnswer(field.set(base.document(), value));
  if (field.agree === false && !validated.ok) return undefined;
  const spec = field.set(parsedBase(base) as unknown as Document, value) as unknown as SiteSpec;
  const up = renderProblem(spec);
  if (validated.ok === (up === undefined)) return undefined;
  return `${base.name} ${field.name} = ${JSON.stringify(value)}: validate ${describeProblems(validated)}; up ${up ?? "renders"}`;
}

const pairs = bases.flatMap((base) => base.fields.map((field) => ({ base, field })));
const pairNamed = new Map(pairs.map((pair) => [`${pair.base.name} ${pair.field.name}`, pair]));

/** One field of one base with a value; by name, so counterexamples read well. */
const oneField = fc
  .constantFrom(...pairNamed.keys())
  .chain((name) => pairNamed.get(name)!.field.values.map((value) => ({ name, value })));

/** A base and one to three of its fields with values. */
const someFields = fc.constantFrom(...bases).chain((base) =>
  fc
    .array(
      fc
        .constantFrom(...base.fields)
        .chain((chosen) => chosen.values.map((value) => ({ field: chosen.name, value }))),
      { minLength: 1, maxLength: 3 },
    )
    .map((settings) => ({ base: base.name, settings })),
);
const baseNamed = new Map(bases.map((base) => [base.name, base]));

// A few seconds in all (about 5 on a machine busy with other builds); the timeout leaves room
// for slow CI machines.
describe("validate and up agree", { timeout: 60_000 }, () => {
  test("on every edge value of every field", () => {
    const found = pairs.flatMap(({ base, field }) =>
      field.sweep.flatMap((value) => disagreement(base, field, value) ?? []),
    );
    expect(found).toEqual([]);
  });

  test("on one field with random and near-valid values", () => {
    fc.assert(
      fc.property(oneField, ({ name, value }) => {
        const { base, field } = pairNamed.get(name)!;
        const found = disagreement(base, field, value);
        if (found !== undefined) throw new Error(found);
      }),
      { numRuns: 400 },
    );
  });

  test("on several fields: whatever validate accepts, up renders", () => {
    fc.assert(
      fc.property(someFields, ({ base: baseName, settings }) => {
        const base = baseNamed.get(baseName)!;
        const document = settings.reduce(
          (current, { field: name, value }) =>
            base.fields.find((f) => f.name === name)!.set(current, value),
          base.document(),
        );
        const validated = validateAnswer(document);
        if (!validated.ok) return;
        const up = renderProblem(validated.spec);
        if (up !== undefined) {
          throw new Error(`${base.name}: validate accepts ${textOf(document)}\nbut up: ${up}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
