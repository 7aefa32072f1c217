/**
 * HostRoute's rules for single plain values, in a module without Pulumi so that the site-file
 * schema (`stacks/site-model/host-route.ts`) calls the very same functions (one rule per fact). Each
 * returns what is allowed, or `undefined`; the caller adds the field and the value.
 */

/** A Unix user name as `useradd` accepts it by default. */
export const unixUserPattern = /^[a-z_][a-z0-9_-]{0,31}$/;

/** Why `user` is not a Unix user name nginx files can be written as, or `undefined`. */
export function unixUserProblem(user: string): string | undefined {
  return unixUserPattern.test(user) ? undefined : 'must be a Unix user name like "deploy"';
}

/**
 * Why a route cannot be served with Cloudflare's proxy set to `proxied`, or `undefined`. A route is
 * always proxied: the origin certificate (Origin CA or self-signed) is trusted by Cloudflare only,
 * so visitors reaching the VPS directly would get certificate errors.
 */
export function proxiedProblem(proxied: boolean): string | undefined {
  return proxied
    ? undefined
    : "must be true: the origin certificate is trusted by Cloudflare only, so visitors reaching the VPS directly would get certificate errors";
}

/**
 * Why `mode` is not an origin SSL mode sitestack offers (`OriginSslMode`), or `undefined`.
 */
export function sslModeProblem(mode: string): string | undefined {
  if (mode === "full" || mode === "strict") return undefined;
  return mode === "flexible"
    ? 'must be "full" or "strict"; "flexible" is not allowed: it leaves the Cloudflare-to-origin leg unencrypted and, with an origin that redirects port 80 to https, loops redirects forever. Use "strict" (Cloudflare Origin CA certificate, the default) or "full" (self-signed origin certificate)'
    : 'must be "full" or "strict"';
}
