/**
 * Upgrade of a polling session to WebSocket (PROTOCOL.md 1.8): open the new transport with
 * the session's sid, send `2probe`, expect `3probe`, pause the old transport (in-flight GET and
 * POST finish), then switch, send `5` and flush. A probe that fails before the pause leaves
 * polling running untouched.
 */
import { PROBE_PING, PROBE_PONG } from "../protocol/engine/client-session.js";
import type { Upgrader } from "./upgrade-host.js";

/** The default upgrade, bundled only with polling-capable entry points. */
export const upgrade: Upgrader = (host, target) => {
  let phase: "probing" | "pausing" | "done" = "probing";
  const probe = host.createProbe(target);
  const finish = (): void => {
    phase = "done";
    probe.close();
  };
  host.openProbe(probe, {
    onOpen: () => probe.send([PROBE_PING]),
    onFrame: (frame) => {
      if (phase !== "probing") return;
      if (frame !== PROBE_PONG) {
        finish();
        host.upgradeFailed();
        return;
      }
      phase = "pausing";
      host.session.pauseForUpgrade();
      host.current.pause(() => {
        if (phase !== "pausing") return;
        phase = "done";
        host.switchTo(probe);
      });
    },
    onDrain: () => {},
    onClose: (reason, error) => {
      const was = phase;
      finish();
      if (was === "probing") host.upgradeFailed(error);
      else if (was === "pausing") host.abort(reason, error);
    },
  });
  return () => {
    if (phase !== "done") finish();
  };
};
