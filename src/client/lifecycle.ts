/**
 * Browser page lifecycle for an open connection (as socket.io-client): going `offline` ends the
 * session with "transport close" so reconnection starts; with `closeOnBeforeunload`, leaving
 * the page closes it silently. Elsewhere (Node, workers without these events) nothing is added.
 */
import type { Cancel } from "./clock.js";

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

const nothing: Cancel = () => {};

/** Listens while a session is open; the returned Cancel removes every listener. */
export function watchLifecycle(closeOnBeforeunload: boolean, onOffline: () => void, onUnload: () => void): Cancel {
  const target = globalThis as Partial<EventTargetLike>;
  if (typeof target.addEventListener !== "function" || typeof target.removeEventListener !== "function") return nothing;
  const events = target as EventTargetLike;
  const offline = (): void => onOffline();
  const unload = (): void => onUnload();
  events.addEventListener("offline", offline);
  if (closeOnBeforeunload) events.addEventListener("beforeunload", unload);
  return () => {
    events.removeEventListener("offline", offline);
    if (closeOnBeforeunload) events.removeEventListener("beforeunload", unload);
  };
}
