/**
 * Cloudflare's published edge address ranges: the only peers whose `CF-Connecting-IP` header nginx
 * may trust as the visitor's address. Anyone else can write that header.
 *
 * Shipped as data because the list cannot be fetched from here (and a deploy should not depend on
 * fetching it). Cloudflare changes it rarely and announces changes in advance; refresh it from the
 * source below and bump the date.
 */
export const cloudflareIpRanges = {
  /** Where the list comes from. */
  source: ["https://www.cloudflare.com/ips-v4", "https://www.cloudflare.com/ips-v6"],
  /**
   * When the list was last checked. On this date the source itself was unreachable from the build
   * machine; the list was checked against several public copies of it dated up to 2026-09-29.
   */
  checkedOn: "2026-11-22",
  /** IPv4 ranges, in the source's order. */
  ipv4: [
    "173.245.48.0/20",
    "103.21.244.0/22",
    "103.22.200.0/22",
    "103.31.4.0/22",
    "141.101.64.0/18",
    "108.162.192.0/18",
    "190.93.240.0/20",
    "188.114.96.0/20",
    "197.234.240.0/22",
    "198.41.128.0/17",
    "162.158.0.0/15",
    "104.16.0.0/13",
    "104.24.0.0/14",
    "172.64.0.0/13",
    "131.0.72.0/22",
  ],
  /** IPv6 ranges, in the source's order. */
  ipv6: [
    "2400:cb00::/32",
    "2606:4700::/32",
    "2803:f800::/32",
    "2405:b500::/32",
    "2405:8100::/32",
    "2a06:98c0::/29",
    "2c0f:f248::/32",
  ],
} as const;

/** Every Cloudflare range, IPv4 first. */
export const cloudflareRanges: readonly string[] = [
  ...cloudflareIpRanges.ipv4,
  ...cloudflareIpRanges.ipv6,
];
