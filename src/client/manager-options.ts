/**
 * Option checks of the Manager: socket.io-client options volley does not implement fail at
 * construction instead of being ignored; engine close reasons become socket disconnect reasons.
 */
import { UnsupportedOptionError } from "../errors.js";
import type { DisconnectReason, ManagerOptions } from "../types.js";
import type { EngineCloseReason } from "./engine.js";

/**
 * socket.io-client options volley does not implement, with the one value accepted for each
 * (its default; `undefined` always passes). Anything else fails at construction.
 */
const UNSUPPORTED: Readonly<Record<string, unknown>> = {
  host: undefined,
  hostname: undefined,
  secure: undefined,
  port: undefined,
  forceBase64: false,
  onlyBinaryUpgrades: false,
  requestTimeout: undefined,
  perMessageDeflate: false,
  forceNode: false,
  localAddress: undefined,
  useNativeTimers: false,
  autoUnref: false,
};

/** Throws `UnsupportedOptionError` for a non-default value of an option volley does not implement. */
export function checkOptions(opts: Partial<ManagerOptions>): void {
  for (const name in UNSUPPORTED) {
    const value = opts[name as keyof ManagerOptions];
    if (value !== undefined && value !== UNSUPPORTED[name]) throw new UnsupportedOptionError(name);
  }
  const transportOptions = opts.transportOptions;
  if (transportOptions !== undefined && Object.keys(transportOptions).length > 0) throw new UnsupportedOptionError("transportOptions");
}

/** Engine close reasons as socket disconnect reasons. */
export function socketReason(reason: EngineCloseReason | "parse error"): DisconnectReason {
  return reason === "forced close" || reason === "forced server close" ? "transport close" : reason;
}
