/**
 * Option checks of the Manager: an option of the wrong type or range, and socket.io-client
 * options volley does not implement, fail at construction instead of misbehaving later;
 * engine close reasons become socket disconnect reasons.
 */
import { InvalidArgumentError, UnsupportedOptionError } from "../errors.js";
import type { DisconnectReason, ManagerOptions, SocketOptions } from "../types.js";
import type { EngineCloseReason } from "./engine.js";

const count = (v: unknown): v is number => typeof v === "number" && v >= 0;
const isObject = (v: unknown): boolean => typeof v === "object" && v !== null;

/**
 * Options by the values they take: names, the test, and what the error says they must be.
 * Without that text, socket.io-client options volley does not implement: they take only their
 * default (or `undefined`), anything else fails at construction.
 */
const RULES: readonly (readonly [string, (v: unknown) => boolean, string?])[] = [
  [
    "forceNew multiplex reconnection autoConnect upgrade rememberUpgrade tryAllTransports websocketFirst closeOnBeforeunload addTrailingSlash withCredentials timestampRequests",
    (v) => typeof v === "boolean",
    "a boolean",
  ],
  ["reconnectionDelay reconnectionDelayMax ackTimeout websocketFallbackDelay", count, "a number >= 0"],
  ["reconnectionAttempts retries", (v) => count(v) && (Number.isInteger(v) || v === Infinity), "a whole number >= 0 or Infinity"],
  ["randomizationFactor", (v) => count(v) && v <= 1, "a number from 0 to 1"],
  // socket.io-client takes `timeout: false` for "no connect timeout".
  ["timeout", (v) => v === false || count(v), "a number >= 0 or false"],
  ["path timestampParam", (v) => typeof v === "string", "a string"],
  ["extraHeaders", isObject, "an object"],
  ["query", (v) => typeof v === "string" || isObject(v), "a string or an object"],
  ["auth", (v) => typeof v === "function" || isObject(v), "an object or a function"],
  ["transports", (v) => Array.isArray(v) && v.length > 0, "a non-empty array"],
  ["logger random", (v) => typeof v === "function", "a function"],
  // last: the options volley does not implement
  ["host hostname secure port requestTimeout localAddress", () => false],
  ["forceBase64 onlyBinaryUpgrades perMessageDeflate forceNode useNativeTimers autoUnref", (v) => v === false],
  ["transportOptions", (v) => isObject(v) && Object.keys(v as object).length === 0],
];

/**
 * Throws `InvalidArgumentError` for an option of the wrong type or range and, unless only
 * the socket's options are checked (`manager` false), `UnsupportedOptionError` for a
 * non-default value of an option volley does not implement.
 */
export function checkOptions(opts: Partial<ManagerOptions & SocketOptions>, manager = true): void {
  for (const [names, test, what] of RULES) {
    if (what === undefined && !manager) return; // the unsupported options come last
    for (const name of names.split(" ")) {
      const value: unknown = opts[name as keyof ManagerOptions];
      if (value === undefined || test(value)) continue;
      throw what === undefined ? new UnsupportedOptionError(name) : new InvalidArgumentError(`option ${name} must be ${what}, got ${String(value)}`);
    }
  }
}

/** Engine close reasons as the Manager and its sockets report them (socket.io-client reports a server's close packet as a transport close). */
export function socketReason(reason: EngineCloseReason | "parse error"): DisconnectReason {
  return reason === "forced server close" ? "transport close" : reason;
}
