/**
 * The session cookie of the `cookie` option (PROTOCOL.md 1.13): set on the polling handshake
 * response with the session id as its value, for load balancers that stick sessions by
 * cookie. As engine.io writes it: name `io`, path `/`, `HttpOnly`, `SameSite=Lax` by default,
 * attributes in the `cookie` package's order, and none on a WebSocket handshake.
 */
export interface CookieOptions {
  /** @default "io" */
  readonly name?: string;
  /** @default "/" */
  readonly path?: string;
  /** @default true */
  readonly httpOnly?: boolean;
  /** @default "lax" */
  readonly sameSite?: "lax" | "strict" | "none";
  /** @default false (browsers refuse sameSite "none" without it) */
  readonly secure?: boolean;
  /** @default none (the host only) */
  readonly domain?: string;
  /** Lifetime in seconds. @default none (a session cookie) */
  readonly maxAge?: number;
}

// RFC 6265 token characters for the name; the value (a session id) is base64url already.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE = /^[^\x00-\x1f\x7f;]*$/;

/** Checks the options once, at server start, so a bad one fails loudly there. */
export function cookieOptions(option: boolean | CookieOptions | undefined): CookieOptions | undefined {
  if (option === undefined || option === false) return undefined;
  const o = option === true ? {} : option;
  if (o.name !== undefined && !TOKEN.test(o.name)) throw new TypeError(`cookie.name ${JSON.stringify(o.name)} is not a cookie name`);
  for (const key of ["path", "domain"] as const) {
    const value = o[key];
    if (value !== undefined && !ATTRIBUTE.test(value)) throw new TypeError(`cookie.${key} ${JSON.stringify(value)} has a control character or ";"`);
  }
  if (o.maxAge !== undefined && !(Number.isInteger(o.maxAge) && o.maxAge >= 0)) throw new TypeError(`cookie.maxAge must be a whole number of seconds, got ${o.maxAge}`);
  return o;
}

/** The `Set-Cookie` header value for session `sid`. */
export function sessionCookie(o: CookieOptions, sid: string): string {
  const sameSite = o.sameSite ?? "lax";
  const parts = [`${o.name ?? "io"}=${sid}`];
  if (o.maxAge !== undefined) parts.push(`Max-Age=${o.maxAge}`);
  if (o.domain !== undefined) parts.push(`Domain=${o.domain}`);
  parts.push(`Path=${o.path ?? "/"}`);
  if (o.httpOnly ?? true) parts.push("HttpOnly");
  if (o.secure === true) parts.push("Secure");
  parts.push(`SameSite=${sameSite[0]!.toUpperCase()}${sameSite.slice(1)}`);
  return parts.join("; ");
}
