import { describe, expect, test } from "vitest";
import {
  cloudflareIpRanges,
  cloudflareRanges,
  connectionUpgradeVariable,
  debianNginxLayout,
  renderInstallPayload,
  renderInstallScript,
  renderServerBlock,
  shellQuote,
  type ServerBlockSettings,
} from "../../components/host-route/index.js";

const base: ServerBlockSettings = {
  domain: "app.acme.com",
  upstream: { host: "10.0.3.15", port: 3000 },
  layout: debianNginxLayout,
};

describe("renderServerBlock", () => {
  test("redirects port 80 to the fixed https name, on IPv4 and IPv6", () => {
    const block = renderServerBlock(base);
    expect(block).toContain(
      "server {\n    listen 80;\n    listen [::]:80;\n    server_name app.acme.com;\n    return 301 https://app.acme.com$request_uri;\n}",
    );
  });

  test("terminates TLS with the origin certificate under the state directory", () => {
    const block = renderServerBlock(base);
    expect(block).toContain("    listen 443 ssl;\n    listen [::]:443 ssl;\n");
    expect(block).toContain(
      "    ssl_certificate /etc/nginx/sitestack/tls/app.acme.com/origin.crt;\n",
    );
    expect(block).toContain(
      "    ssl_certificate_key /etc/nginx/sitestack/tls/app.acme.com/origin.key;\n",
    );
  });

  test("trusts CF-Connecting-IP from exactly Cloudflare's ranges by default", () => {
    const lines = renderServerBlock(base).split("\n");
    const trusted = lines.filter((l) => l.includes("set_real_ip_from")).map((l) => l.trim());
    expect(trusted).toEqual(cloudflareRanges.map((range) => `set_real_ip_from ${range};`));
    expect(trusted).toHaveLength(22);
    expect(lines).toContain("    real_ip_header CF-Connecting-IP;");
  });

  test("ships the Cloudflare list with its source and check date", () => {
    expect(cloudflareIpRanges.source).toEqual([
      "https://www.cloudflare.com/ips-v4",
      "https://www.cloudflare.com/ips-v6",
    ]);
    expect(cloudflareIpRanges.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test("proxies with Host, X-Forwarded-* and the WebSocket upgrade headers", () => {
    const upgrade = connectionUpgradeVariable("app.acme.com");
    const block = renderServerBlock(base);
    expect(block).toContain(
      `map $http_upgrade ${upgrade} {\n    default upgrade;\n    '' close;\n}`,
    );
    expect(block).toContain(
      [
        "    location / {",
        "        proxy_pass http://10.0.3.15:3000;",
        "        proxy_http_version 1.1;",
        "        proxy_set_header Host $host;",
        "        proxy_set_header X-Real-IP $remote_addr;",
        "        proxy_set_header X-Forwarded-For $remote_addr;",
        "        proxy_set_header X-Forwarded-Proto https;",
        "        proxy_set_header X-Forwarded-Host $host;",
        "        proxy_set_header Upgrade $http_upgrade;",
        `        proxy_set_header Connection ${upgrade};`,
        "    }",
      ].join("\n"),
    );
  });

  test("brackets an IPv6 upstream", () => {
    expect(renderServerBlock({ ...base, upstream: { host: "fd42::15", port: 8080 } })).toContain(
      "proxy_pass http://[fd42::15]:8080;",
    );
  });

  test("gives each domain its own WebSocket map variable", () => {
    expect(connectionUpgradeVariable("a-b.acme.com")).not.toBe(
      connectionUpgradeVariable("a.b.acme.com"),
    );
    expect(connectionUpgradeVariable("app.acme.com")).toMatch(
      /^\$sitestack_connection_upgrade_[0-9a-f]{12}$/,
    );
  });

  test.each([
    [
      "a semicolon in the domain",
      { domain: "acme.com;include" },
      'domain has an invalid label "com;include"',
    ],
    ["a brace in the domain", { domain: "acme.com{" }, 'domain has an invalid label "com{"'],
    [
      "a newline in the domain",
      { domain: "acme.com\nreturn 200" },
      "domain must not contain spaces or line breaks",
    ],
    [
      "a directive in the upstream host",
      { upstream: { host: "10.0.3.15;return", port: 80 } },
      'upstream.host must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (has an invalid label "15;return"',
    ],
    [
      "a brace in the upstream host",
      { upstream: { host: "app}", port: 80 } },
      'upstream.host must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (must have at least two labels',
    ],
    [
      "port 0",
      { upstream: { host: "10.0.3.15", port: 0 } },
      "upstream.port must be a whole number from 1 to 65535, got 0",
    ],
    [
      "a fractional port",
      { upstream: { host: "10.0.3.15", port: 80.5 } },
      "upstream.port must be a whole number from 1 to 65535, got 80.5",
    ],
    [
      "a trusted range with a semicolon",
      { trustedProxyRanges: ["10.0.0.0/8; allow all"] },
      'trustedProxyRanges[0] must be an address range like "203.0.113.0/24" or "2001:db8::/32", got "10.0.0.0/8; allow all"',
    ],
    [
      "a state directory with a quote",
      { layout: { ...debianNginxLayout, stateDir: "/etc/nginx/x'y" } },
      'layout.stateDir must be an absolute path of letters, digits, ".", "_", "-" and "/" without "..", got "/etc/nginx/x\'y"',
    ],
    [
      "an nginx command with a command separator",
      { layout: { ...debianNginxLayout, nginxCommand: "nginx; rm -rf /" } },
      'layout.nginxCommand must be a plain command line of letters, digits, spaces and ". _ / = -", got "nginx; rm -rf /"',
    ],
    [
      "a listen address that is not an IP",
      { listen: { address: "0.0.0.0;" } },
      'listen.address must be an IP address, got "0.0.0.0;"',
    ],
  ])("refuses %s", (_what, change, message) => {
    expect(() => renderServerBlock({ ...base, ...change })).toThrow(message);
  });

  test("names every problem in one error", () => {
    expect(() =>
      renderServerBlock({ ...base, domain: "Acme.com", upstream: { host: "10.0.3.15", port: -1 } }),
    ).toThrow(
      new Error(
        'nginx server block for "Acme.com":\n  domain must be lower case, got "Acme.com"\n  upstream.port must be a whole number from 1 to 65535, got -1',
      ),
    );
  });
});

describe("install script and payload", () => {
  test("ends every part of the payload with a newline", () => {
    expect(renderInstallPayload("server {}", "CERT", "KEY\n")).toBe(
      "server {}\n# sitestack:end-of-server-block\nCERT\nKEY\n",
    );
  });

  test("refuses a domain that would escape its quotes in the script", () => {
    expect(() => renderInstallScript("acme.com'; reboot; '", debianNginxLayout)).toThrow(
      "nginx install script for \"acme.com'; reboot; '\":\n  domain must not contain spaces or line breaks, got \"acme.com'; reboot; '\"",
    );
  });

  test("quotes a word for the shell, single quotes included", () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
