/**
 * The seam between the engine and the upgrade (types only). The upgrade lives in its own
 * module, reached through the engine kit, so a websocket-only bundle never contains it.
 */
import type { Transport, TransportHandlers } from "../transport/transport.js";
import type { Cancel } from "./clock.js";

/**
 * What the engine lets an upgrade do. As the carrier of the session (its transport handlers),
 * it takes the probe's events once switched, and a probe that dies after the pause closes
 * the session through `onClose`.
 */
export interface UpgradeHost extends TransportHandlers {
  /** The probe answered: hold writes back and pause the current transport (in-flight requests finish). */
  pauseForUpgrade(onPaused: () => void): void;
  /** The old transport is paused and the probe answered: make the probe the transport. */
  switchTo(probe: Transport): void;
  /** The probe failed before the switch was under way: stay on the current transport. */
  upgradeFailed(): void;
}

/**
 * Runs the upgrade over `probe` (a transport bound to the session's sid, not yet open); returns
 * its cancel, which does nothing once the upgrade has switched or failed.
 */
export type Upgrader = (host: UpgradeHost, probe: Transport) => Cancel;
