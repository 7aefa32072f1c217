import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import { setMocks, type MockHarness } from "../support/mocks.js";
import {
  DnsRecord,
  recordTypeFor,
  resolveDnsRecord,
  type DnsRecordSettings,
} from "../../components/dns-record/index.js";

const zoneLookups: Record<string, unknown>[] = [];
let mocks: MockHarness;

beforeAll(async () => {
  mocks = await setMocks({
    stack: "site-acme",
    calls: {
      "cloudflare:index/getZone:getZone": (inputs) => {
        zoneLookups.push(inputs);
        return { id: "zone-looked-up", name: "acme.com" };
      },
    },
  });
});

beforeEach(() => {
  mocks.reset();
  zoneLookups.length = 0;
});

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

const base: DnsRecordSettings = {
  zoneName: "acme.com",
  name: "acme.com",
  type: "A",
  content: "203.0.113.10",
  ownerStack: "site-acme",
};

describe("DnsRecord resolution", () => {
  test("proxies web records with automatic TTL by default", () => {
    expect(resolveDnsRecord("r", base)).toEqual({
      fqdn: "acme.com",
      placement: "apex",
      type: "A",
      proxied: true,
      ttl: 1,
      comment: "managed by sitestack stack site-acme; manual edits are overwritten",
    });
  });

  test.each([
    ["A", "203.0.113.10"],
    ["AAAA", "2001:db8::10"],
    ["CNAME", "acme.pages.dev"],
  ] as const)("proxies %s records by default", (type, content) => {
    expect(resolveDnsRecord("r", { ...base, type, content }).proxied).toBe(true);
  });

  test.each([
    ["203.0.113.10", "A"],
    ["2001:db8::10", "AAAA"],
    ["lb-1.example.net", "CNAME"],
    ["1.2.3.4.example.net", "CNAME"],
  ] as const)("without a type, points at %s with an %s record", (content, type) => {
    expect(recordTypeFor(content)).toBe(type);
    expect(resolveDnsRecord("r", { ...base, type: undefined, content }).type).toBe(type);
  });

  test("leaves TXT records unproxied by default", () => {
    const txt = resolveDnsRecord("r", {
      ...base,
      name: "_dmarc.acme.com",
      type: "TXT",
      content: "v=DMARC1; p=none",
    });
    expect(txt).toMatchObject({ proxied: false, ttl: 1, placement: "subdomain" });
  });

  test("keeps an explicit TTL on an unproxied record", () => {
    expect(resolveDnsRecord("r", { ...base, proxied: false, ttlSeconds: 300 }).ttl).toBe(300);
  });

  test.each([
    ["www.acme.com", "subdomain"],
    ["*.acme.com", "subdomain"],
    ["a.b.acme.com", "subdomain"],
    ["acme.com", "apex"],
  ] as const)("places %s in the zone as %s", (name, placement) => {
    expect(resolveDnsRecord("r", { ...base, name }).placement).toBe(placement);
  });

  test.each([
    [
      "a name outside the zone",
      { name: "acme.org" },
      'DnsRecord "r":\n  name must be the zone apex "acme.com" or a name ending in ".acme.com", got "acme.org"',
    ],
    [
      "a name that only ends with the zone's letters",
      { name: "notacme.com" },
      'DnsRecord "r":\n  name must be the zone apex "acme.com" or a name ending in ".acme.com", got "notacme.com"',
    ],
    [
      "an upper-case name",
      { name: "WWW.acme.com" },
      'DnsRecord "r":\n  name must be lower case, got "WWW.acme.com"',
    ],
    [
      "a name with a trailing dot",
      { name: "www.acme.com." },
      'DnsRecord "r":\n  name must not end with a dot, got "www.acme.com."',
    ],
    [
      "a name with a line break",
      { name: "www.acme.com\n" },
      // The value is shown as JSON: a line break cannot split the message.
      'DnsRecord "r":\n  name must not contain spaces or line breaks, got "www.acme.com\\n"',
    ],
    [
      "a non-Punycode name",
      { name: "café.acme.com" },
      'DnsRecord "r":\n  name must be ASCII: write internationalised names in Punycode (xn--...), got "café.acme.com"',
    ],
    [
      "an A record that is not IPv4",
      { content: "2001:db8::1" },
      'DnsRecord "r":\n  content of an A record must be an IPv4 address, got "2001:db8::1"',
    ],
    [
      "an AAAA record that is not IPv6",
      { type: "AAAA", content: "203.0.113.10" },
      'DnsRecord "r":\n  content of an AAAA record must be an IPv6 address, got "203.0.113.10"',
    ],
    [
      "a proxied TXT record",
      { type: "TXT", content: "hello", proxied: true },
      'DnsRecord "r":\n  proxied is only possible for A, AAAA and CNAME records, not TXT',
    ],
    [
      "a TTL on a proxied record",
      { ttlSeconds: 300 },
      'DnsRecord "r":\n  ttlSeconds must be left unset (automatic) on a proxied record, got 300: Cloudflare answers proxied names itself',
    ],
    [
      "a TTL below 60 seconds",
      { proxied: false, ttlSeconds: 30 },
      'DnsRecord "r":\n  ttlSeconds must be 1 (automatic) or a whole number from 60 to 86400, got 30',
    ],
    [
      "an unsupported type",
      { type: "MX" },
      'DnsRecord "r":\n  type must be one of A, AAAA, CNAME, TXT, got "MX"',
    ],
  ])("rejects %s", (_what, change, message) => {
    expect(() => resolveDnsRecord("r", { ...base, ...change } as DnsRecordSettings)).toThrow(
      new Error(message),
    );
  });

  test("reports every problem at once", () => {
    expect(() =>
      resolveDnsRecord("r", {
        zoneName: "acme.com",
        name: "acme.org",
        type: "A",
        content: "not-an-ip",
        ttlSeconds: 120,
        ownerStack: "site acme",
      }),
    ).toThrow(
      new Error(
        'DnsRecord "r":\n  name must be the zone apex "acme.com" or a name ending in ".acme.com", got "acme.org"\n  ' +
          'content of an A record must be an IPv4 address, got "not-an-ip"\n  ' +
          "ttlSeconds must be left unset (automatic) on a proxied record, got 120: Cloudflare answers proxied names itself\n  " +
          'ownerStack must use letters, digits, ".", "_" and "-", got "site acme"',
      ),
    );
  });

  test("rejects an owner stack that overflows Cloudflare's comment limit", () => {
    const ownerStack = "s".repeat(60);
    expect(() => resolveDnsRecord("r", { ...base, ownerStack })).toThrow(
      `DnsRecord "r":\n  ownerStack must be at most 43 characters long: it is written in the comment of each DNS record, which Cloudflare limits to 100 characters, got "${ownerStack}"`,
    );
  });
});

describe("DnsRecord component", () => {
  test("creates exactly one Cloudflare record with the zone id given", async () => {
    const record = new DnsRecord("acme-www", {
      zone: { name: "acme.com", id: "zone-123" },
      name: "www.acme.com",
      type: "CNAME",
      content: "acme.com",
      ownerStack: "site-acme",
    });
    await mocks.settle();
    expect(record.fqdn).toBe("www.acme.com");
    expect(mocks.children()).toEqual([
      "cloudflare:index/dnsRecord:DnsRecord::acme-www",
      "sitestack:edge:DnsRecord::acme-www",
    ]);
    expect(mocks.find("cloudflare:index/dnsRecord:DnsRecord", "acme-www").parent).toBe(
      "sitestack:edge:DnsRecord::acme-www",
    );
    expect(mocks.find("cloudflare:index/dnsRecord:DnsRecord", "acme-www").inputs).toEqual({
      zoneId: "zone-123",
      name: "www.acme.com",
      type: "CNAME",
      content: "acme.com",
      proxied: true,
      ttl: 1,
      comment: "managed by sitestack stack site-acme; manual edits are overwritten",
    });
    expect(zoneLookups).toEqual([]);
  });

  test("looks the zone up by exact name when no id is given", async () => {
    const record = new DnsRecord("acme-apex", {
      zone: { name: "acme.com" },
      name: "acme.com",
      type: "A",
      content: pulumi.output("203.0.113.10"),
      ownerStack: "site-acme",
    });
    expect(await settled(record.zoneId)).toBe("zone-looked-up");
    await mocks.settle();
    expect(zoneLookups).toEqual([{ filter: { name: "acme.com", match: "all" } }]);
    expect(mocks.find("cloudflare:index/dnsRecord:DnsRecord", "acme-apex").inputs).toMatchObject({
      zoneId: "zone-looked-up",
      content: "203.0.113.10",
    });
  });

  test.each([
    [{ retainOnDelete: true }, true],
    [{ retainOnDelete: false }, false],
    [{}, false],
  ])("with options %j, destroy keeps the Cloudflare record itself: %s", async (opts, kept) => {
    new DnsRecord(
      "acme-apex",
      {
        zone: { name: "acme.com", id: "zone-123" },
        name: "acme.com",
        type: "A",
        content: "203.0.113.10",
        ownerStack: "site-acme",
      },
      opts,
    );
    await mocks.settle();
    expect(mocks.find("cloudflare:index/dnsRecord:DnsRecord", "acme-apex").retainOnDelete).toBe(
      kept,
    );
    expect(mocks.find("sitestack:edge:DnsRecord", "acme-apex").retainOnDelete).toBe(kept);
  });

  test("creates nothing when the arguments are invalid", async () => {
    expect(
      () =>
        new DnsRecord("bad", {
          zone: { name: "acme.com", id: "zone-123" },
          name: "acme.org",
          type: "A",
          content: "203.0.113.10",
          ownerStack: "site-acme",
        }),
    ).toThrow('DnsRecord "bad":\n  name must be the zone apex');
    await mocks.settle();
    expect(mocks.resources).toEqual([]);
  });
});
