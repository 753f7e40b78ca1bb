/**
 * `io()`: resolves the URL (relative URLs against the page origin in browsers), takes the
 * namespace from its path, and reuses one Manager per origin + Engine.IO path so that
 * `io(url)` and `io(url + "/chat")` share one connection (socket.io-client's cache).
 */
import { InvalidArgumentError } from "../errors.js";
import type { ManagerOptions, SocketOptions } from "../types.js";
import type { Manager } from "./manager.js";
import type { Socket } from "./socket.js";
import type { DefaultEventsMap, EventsMap } from "../types.js";

/** A parsed `io()` URL. */
export interface ParsedUrl {
  /** `http(s)://host:port` of the server (ws/wss mapped to http/https). */
  readonly origin: string;
  /** The namespace: the URL's path, "/" by default. */
  readonly nsp: string;
  /** The URL's query string without "?", or "" when none. */
  readonly query: string;
}

interface LocationLike {
  readonly protocol: string;
  readonly host: string;
}

/**
 * Parses what `io()` was given. A missing URL means the page origin; "/chat" and "//host"
 * are resolved against the page; a URL without scheme gets the page's (or https).
 */
export function parseUrl(uri: string | undefined, loc: LocationLike | undefined): ParsedUrl {
  let text = uri ?? "";
  if (!(loc && (text === "" || text.startsWith("/"))) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `${loc ? loc.protocol : "https:"}//${text}`;
  let url: URL;
  try {
    // the page is the base of what is still relative
    url = new URL(text, loc && `${loc.protocol}//${loc.host}`);
  } catch {
    throw new InvalidArgumentError(`invalid URL: ${JSON.stringify(uri)}`);
  }
  // http, https, ws or wss; ws(s) maps to http(s)
  const secure = /^(?:http|ws)(s?):$/.exec(url.protocol)?.[1];
  if (secure === undefined) throw new InvalidArgumentError(`unsupported URL scheme ${url.protocol} (use http, https, ws or wss)`);
  // the path of an http(s) URL is never empty: "/" at least
  return { origin: `http${secure}://${url.host}`, nsp: decodeURIComponent(url.pathname), query: url.search.slice(1) };
}

/** The page location in browsers, undefined elsewhere. */
function pageLocation(): LocationLike | undefined {
  const loc = (globalThis as { location?: Partial<LocationLike> }).location;
  // a page served from a host (not file: or about:blank)
  return loc?.host && typeof loc.protocol === "string" ? (loc as LocationLike) : undefined;
}

/** `io(url?, options?)` as an entry point exports it. */
export interface Lookup {
  <ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
    opts?: Partial<ManagerOptions & SocketOptions>,
  ): Socket<ListenEvents, EmitEvents>;
  <ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>(
    uri?: string,
    opts?: Partial<ManagerOptions & SocketOptions>,
  ): Socket<ListenEvents, EmitEvents>;
}

/** What an entry point's Manager class looks like to `io()`. */
export type ManagerClass = new (uri: string, opts: Partial<ManagerOptions>) => Manager;

/**
 * Builds an `io()` with its own Manager cache over an entry point's Manager class (which
 * injects the transport kit and platform parts).
 */
export function createLookup(ManagerCtor: ManagerClass): Lookup {
  const cache = new Map<string, Manager>();
  // Managers of one origin share one string for it rather than a copy each.
  let lastOrigin = "";
  function lookup(
    uri?: string | Partial<ManagerOptions & SocketOptions>,
    options?: Partial<ManagerOptions & SocketOptions>,
  ): Socket {
    if (typeof uri === "object") {
      options = uri;
      uri = undefined;
    }
    let opts = options ?? {};
    const parsed = parseUrl(uri, pageLocation());
    const origin = parsed.origin === lastOrigin ? lastOrigin : (lastOrigin = parsed.origin);
    const id = origin + (opts.path ?? "/socket.io");
    if (parsed.query && opts.query === undefined) opts = { ...opts, query: parsed.query };
    let manager = cache.get(id);
    if (opts.forceNew === true || opts.multiplex === false || manager?.hasSocket(parsed.nsp)) manager = new ManagerCtor(origin, opts);
    else if (!manager) cache.set(id, (manager = new ManagerCtor(origin, opts)));
    return manager.socket(parsed.nsp, opts);
  }
  return lookup as Lookup;
}
