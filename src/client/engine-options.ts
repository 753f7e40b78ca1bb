/**
 * Options of the Engine.IO client (names and defaults as socket.io-client 4.8), the transport
 * kit an entry point bundles, and the endpoint URL they produce.
 */
import { VolleyError } from "../protocol/error.js";
import type { PayloadFit } from "../protocol/engine/codec.js";
import { EIO_VERSION } from "../protocol/engine/packet.js";
import type { TransportFactory, TransportOptions } from "../transport/transport.js";
import type { Clock } from "./clock.js";
import type { Deadlines } from "./deadlines.js";
import type { Upgrader } from "./upgrade-host.js";

/**
 * What an entry point bundles: the transports known by name (also the default order) and, in
 * the polling-capable build only, the upgrade. A websocket-only entry passes `{ transports:
 * [websocket] }`, so neither polling nor the upgrade code ends up in its bundle.
 */
export interface EngineKit {
  readonly transports: readonly TransportFactory[];
  readonly upgrade?: Upgrader;
  /**
   * One deadline keeper per clock shared by every engine (Node, where a process may hold
   * thousands of connections); without it each engine keeps a timer of its own.
   */
  readonly deadlines?: (clock: Clock) => Deadlines;
  /**
   * Cuts the frames of a transport with `payloads` (polling) to the server's maxPayload; the
   * WebSocket-only kit has none, so its bundle leaves that code out.
   */
  readonly fit?: PayloadFit;
}

/** Engine options; transport options (headers, credentials, WebSocket, TLS) are inherited. */
export interface EngineOptions extends TransportOptions {
  /** Path of the Engine.IO endpoint on the server. @default "/socket.io" */
  path?: string;
  /** Append a slash to `path`, as servers expect. @default true */
  addTrailingSlash?: boolean;
  /** Extra query parameters sent with every request (an object or a query string). */
  query?: string | Readonly<Record<string, string | number | boolean>>;
  /**
   * Transports in order of preference: names of the built-ins or transport values. The first
   * one opens the session; the others are upgrade targets (or fallbacks, see `tryAllTransports`).
   * @default ["polling", "websocket"]
   */
  transports?: readonly (string | TransportFactory)[];
  /** Upgrade a polling session to WebSocket when the server offers it. @default true */
  upgrade?: boolean;
  /** Open with WebSocket directly when the last session (in this page or process) opened with or upgraded to WebSocket. @default false */
  rememberUpgrade?: boolean;
  /** When the first transport fails to open, try the next ones in order. @default false */
  tryAllTransports?: boolean;
  /**
   * WebSocket-first mode: open a WebSocket directly (the fewest round trips), and fall back to
   * polling when it fails or has not opened within `websocketFallbackDelay`. Needs both
   * transports in `transports`.
   * @default false
   */
  websocketFirst?: boolean;
  /** In websocket-first mode, how long the WebSocket may take to open before polling is tried. @default 3000 */
  websocketFallbackDelay?: number;
  /** Close the connection silently on `beforeunload` (browsers). @default false */
  closeOnBeforeunload?: boolean;
  /** The transports known by name and the upgrade; set by the entry point (`io()` passes it). */
  kit?: EngineKit;
}

export const DEFAULT_FALLBACK_DELAY = 3000;

/** The transport values the options name, in order. Unknown names are local misuse: they throw. */
export function resolveTransports(options: EngineOptions): TransportFactory[] {
  const known = options.kit?.transports ?? [];
  const out = (options.transports ?? known).map((item) => {
    const found = typeof item === "string" ? known.find((t) => t.name === item) : item;
    if (!found) throw new VolleyError("ERR_UNKNOWN_TRANSPORT", `unknown transport "${String(item)}" (known: ${known.map((t) => t.name).join(", ") || "none"})`);
    return found;
  });
  if (out.length === 0) throw new VolleyError("ERR_UNKNOWN_TRANSPORT", "no transport to connect with");
  return out;
}

function queryString(query: EngineOptions["query"]): string {
  if (query === undefined) return "";
  if (typeof query === "string") return query.replace(/^\?/, "");
  return Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
}

/**
 * The endpoint of `transport` without the session id:
 * `http://host/socket.io/?<query>&EIO=4&transport=<name>` (user parameters first, like the
 * reference client); `&sid=...` follows once the session is open.
 */
export function endpoint(uri: string, options: EngineOptions, transport: string): string {
  const path = (options.path ?? "/socket.io").replace(/\/$/, "") + (options.addTrailingSlash === false ? "" : "/");
  const user = queryString(options.query);
  return `${uri.replace(/\/$/, "")}${path}?${user ? `${user}&` : ""}EIO=${EIO_VERSION}&transport=${encodeURIComponent(transport)}`;
}

/** Whether the last session in this page or process ran over WebSocket (for `rememberUpgrade`). */
export const websocketMemory = { worked: false };

/**
 * The transports to try, in order, before the session opens: the first one only, unless
 * `tryAllTransports` or `websocketFirst`; WebSocket moves to the front in websocket-first mode
 * and, with `rememberUpgrade`, after a WebSocket success.
 */
export function openingOrder(options: EngineOptions): TransportFactory[] {
  const { websocketFirst } = options;
  const order = resolveTransports(options);
  if (websocketFirst || (options.rememberUpgrade && websocketMemory.worked)) {
    const ws = order.findIndex((t) => t.name === "websocket");
    if (ws > 0) order.unshift(...order.splice(ws, 1));
  }
  return options.tryAllTransports || websocketFirst ? order : order.slice(0, 1);
}
