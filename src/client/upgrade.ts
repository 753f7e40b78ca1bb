/**
 * Upgrade of a polling session to WebSocket (PROTOCOL.md 1.8): open the new transport with
 * the session's sid, send `2probe`, expect `3probe`, pause the old transport (in-flight GET and
 * POST finish), then switch, send `5` and flush. A probe that fails before the pause leaves
 * polling running untouched. Once switched, the probe's events go to the host's carrier (a
 * failed or cancelled probe is closed and reports nothing).
 */
import { PROBE_PING, PROBE_PONG } from "../protocol/engine/client-session.js";
import type { Upgrader } from "./upgrade-host.js";

// phases of one upgrade
const PROBING = 0;
const PAUSING = 1;
const DONE = 2;

/** The default upgrade, bundled only with polling-capable entry points. */
export const upgrade: Upgrader = (host, probe) => {
  let phase = PROBING;
  const finish = (): void => {
    phase = DONE;
    probe.close();
  };
  probe.open({
    onOpen: () => probe.send([PROBE_PING]),
    onFrame: (frame) => {
      if (phase === DONE) host.onFrame(frame);
      if (phase !== PROBING) return;
      if (frame !== PROBE_PONG) {
        finish();
        host.upgradeFailed();
        return;
      }
      phase = PAUSING;
      host.pauseForUpgrade(() => {
        if (phase !== PAUSING) return;
        phase = DONE;
        host.switchTo(probe);
      });
    },
    onDrain: () => {
      if (phase === DONE) host.onDrain();
    },
    // once paused, losing the probe ends the session as losing the transport would
    onClose: (reason, error) => {
      if (phase === PROBING) {
        finish();
        host.upgradeFailed();
        return;
      }
      if (phase === PAUSING) finish();
      host.onClose(reason, error);
    },
  });
  return () => {
    if (phase !== DONE) finish();
  };
};
