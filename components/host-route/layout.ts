import { isAbsolute } from "node:path";

/**
 * Where the host route's files live on the nginx host, and how nginx is invoked there. The install
 * script and the server block both derive their paths from this, so they always agree.
 */
export interface NginxLayout {
  /**
   * A directory nginx includes inside `http {}`: Debian and Ubuntu's `nginx.conf` includes
   * `/etc/nginx/conf.d/*.conf`. The route's server blocks go here.
   */
  readonly confDir: string;
  /**
   * A directory nginx does NOT include: origin certificates, staging and backups go here, on the same
   * file system as `confDir` so moving a checked file into place is atomic.
   */
  readonly stateDir: string;
  /** The nginx command line, without `-t` or `-s reload`, e.g. `nginx` or `nginx -p /tmp/x -c /tmp/x/nginx.conf`. */
  readonly nginxCommand: string;
}

/** The layout of a Debian/Ubuntu host with the distribution's nginx package. */
export const debianNginxLayout: NginxLayout = {
  confDir: "/etc/nginx/conf.d",
  stateDir: "/etc/nginx/sitestack",
  nginxCommand: "nginx",
};

/** The files of one domain's route on the host. */
export interface RouteFiles {
  /** The server blocks, loaded by nginx. */
  readonly conf: string;
  /** The origin certificate (PEM, chain included). */
  readonly certificate: string;
  /** The origin certificate's private key (PEM, mode 0600). */
  readonly key: string;
}

/** The files of `domain`'s route under `layout`. */
export function routeFiles(layout: NginxLayout, domain: string): RouteFiles {
  const tlsDir = `${layout.stateDir}/tls/${domain}`;
  return {
    conf: `${layout.confDir}/sitestack-${domain}.conf`,
    certificate: `${tlsDir}/origin.crt`,
    key: `${tlsDir}/origin.key`,
  };
}

// Paths and commands are pasted into nginx config and shell scripts: only characters that mean
// nothing to either are allowed, so no value can end a directive or a quoted string.
const safePath = /^\/[A-Za-z0-9._/-]*$/;
const safeCommand = /^[A-Za-z0-9._/ =-]+$/;

/** Every problem with a layout, as `field message` strings. */
export function layoutProblems(layout: NginxLayout): string[] {
  const problems: string[] = [];
  for (const field of ["confDir", "stateDir"] as const) {
    const value = layout[field];
    if (!isAbsolute(value) || !safePath.test(value) || value.split("/").includes("..")) {
      problems.push(
        `layout.${field} must be an absolute path of letters, digits, ".", "_", "-" and "/" without "..", got ${JSON.stringify(value)}`,
      );
    }
  }
  if (!safeCommand.test(layout.nginxCommand) || layout.nginxCommand.trim() === "") {
    problems.push(
      `layout.nginxCommand must be a plain command line of letters, digits, spaces and ". _ / = -", got ${JSON.stringify(layout.nginxCommand)}`,
    );
  }
  if (layout.confDir === layout.stateDir) {
    problems.push(
      "layout.stateDir must differ from layout.confDir: nginx would load staged and backup files",
    );
  }
  return problems;
}
