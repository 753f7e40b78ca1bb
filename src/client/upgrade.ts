/**
 * Upgrade of a polling session to WebSocket (PROTOCOL.md 1.8): open the new transport with
 * the session's sid, send `2probe`, expect `3probe`, pause the old transport (in-flight GET and
 * POST finish), then switch, send `5` and flush. A probe that fails before the pause leaves
 * polling running untouched. Once switched, the probe's events go to the host's carrier (a
 * failed or cancelled probe is closed and reports nothing).
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
  const carrier = host.carrier;
  probe.open({
    onOpen: () => probe.send([PROBE_PING]),
    onFrame: (frame) => {
      if (phase === "done") carrier.onFrame(frame);
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
    onDrain: () => {
      if (phase === "done") carrier.onDrain();
    },
    onClose: (reason, error) => {
      if (phase === "done") {
        carrier.onClose(reason, error);
        return;
      }
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
