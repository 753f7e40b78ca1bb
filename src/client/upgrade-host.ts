/**
 * The seam between the engine and the upgrade (types only). The upgrade lives in its own
 * module, reached through the engine kit, so a websocket-only bundle never contains it.
 */
import type { ClientSession } from "../protocol/engine/client-session.js";
import type { Transport, TransportFactory, TransportHandlers, TransportCloseReason } from "../transport/transport.js";
import type { Cancel } from "./clock.js";

/** What the engine lets an upgrade do. */
export interface UpgradeHost {
  readonly session: ClientSession;
  /** The transport the session runs on now (it can pause). */
  readonly current: Transport & { pause(onPaused: () => void): void };
  /** Where the transport that carries the session reports: the probe's events go there once switched. */
  readonly carrier: TransportHandlers;
  /** Creates the probe transport for `factory`, bound to the session's sid. */
  createProbe(factory: TransportFactory): Transport;
  /** The old transport is paused and the probe answered: make the probe the transport. */
  switchTo(probe: Transport): void;
  /** The probe failed before the switch was under way: stay on the current transport. */
  upgradeFailed(error?: Error): void;
  /** The probe died after the old transport was paused: the session cannot go on. */
  abort(reason: TransportCloseReason, error?: Error): void;
}

/** Starts an upgrade to `target`; the returned Cancel stops it and closes the probe. */
export type Upgrader = (host: UpgradeHost, target: TransportFactory) => Cancel;
