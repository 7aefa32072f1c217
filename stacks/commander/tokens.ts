import { createHash, randomBytes } from "node:crypto";
import type { Database } from "./database.js";

/**
 * The verb classes a token may be allowed: `read` (status, list, outputs, history, jobs, events,
 * metrics, the OpenAPI document), `preview`, `change` (submit a spec, refresh, archive, restore),
 * `destroy` (cleanup) and `admin` (the audit log; implies every other scope).
 */
export const scopes = ["read", "preview", "change", "destroy", "admin"] as const;

/** One verb class. */
export type Scope = (typeof scopes)[number];

/** Who is calling: a token's name and what it may do. Never the token itself. */
export interface Principal {
  readonly name: string;
  readonly scopes: readonly Scope[];
}

/** Whether a principal may use routes of `scope` (`admin` may use all). */
export function allows(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes(scope) || principal.scopes.includes("admin");
}

const tokenPrefix = "sst_";
const namePattern = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * Parses `read,preview` into scopes.
 * @throws Error naming the unknown scope and the known ones.
 */
export function parseScopes(text: string): Scope[] {
  const parsed = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const unknown = parsed.filter((part) => !(scopes as readonly string[]).includes(part));
  if (unknown.length > 0 || parsed.length === 0) {
    throw new Error(
      `scopes must be a comma-separated list of ${scopes.join(", ")}${unknown.length > 0 ? `; unknown: ${unknown.join(", ")}` : ""}`,
    );
  }
  return [...new Set(parsed)] as Scope[];
}

/**
 * A token is 32 random bytes, so its SHA-256 is all the protection a stored copy needs: no one can
 * search a 256-bit space, and a fast hash keeps each request's check at microseconds. bcrypt and
 * its kin exist to slow down guessing of low-entropy passwords, which these are not, and would cost
 * every API request tens of milliseconds.
 */
export function tokenHash(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/**
 * Creates (or replaces) the token `name` with `scopes` and returns it: the only time it is seen;
 * the database keeps its hash.
 */
export async function createToken(
  db: Database,
  name: string,
  granted: readonly Scope[],
): Promise<string> {
  if (!namePattern.test(name)) {
    throw new Error(
      "token names are lower-case letters, digits, '.', '_' and '-' (up to 63), like ci-bot",
    );
  }
  const token = `${tokenPrefix}${randomBytes(32).toString("base64url")}`;
  await db.query(
    `insert into sitestack.tokens (name, hash, scopes) values ($1, $2, $3)
     on conflict (name) do update set hash = excluded.hash, scopes = excluded.scopes, created_at = now()`,
    [name, tokenHash(token), granted],
  );
  return token;
}

/** Removes a token; true when it existed. */
export async function revokeToken(db: Database, name: string): Promise<boolean> {
  const result = await db.query("delete from sitestack.tokens where name = $1", [name]);
  return (result.rowCount ?? 0) > 0;
}

/** Every token's name and scopes (never a hash). */
export async function listTokens(db: Database): Promise<Principal[]> {
  const result = await db.query<{ name: string; scopes: Scope[] }>(
    "select name, scopes from sitestack.tokens order by name",
  );
  return result.rows;
}

/**
 * Finds the principal of a presented token. Answers are kept for a few seconds, so a burst of
 * requests costs one lookup; a revoked token stops working within that time.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, { principal: Principal | undefined; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly cacheMs = 5_000,
  ) {}

  async verify(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(tokenPrefix) || token.length > 200) return undefined;
    const key = tokenHash(token).toString("hex");
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.until > now) return cached.principal;
    const result = await this.db.query<{ name: string; scopes: Scope[] }>(
      "select name, scopes from sitestack.tokens where hash = $1",
      [Buffer.from(key, "hex")],
    );
    const principal = result.rows[0];
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { principal, until: now + this.cacheMs });
    return principal;
  }
}
