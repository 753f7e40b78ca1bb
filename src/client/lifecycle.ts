/**
 * Browser page lifecycle for an open connection (as socket.io-client): going `offline` ends the
 * session with "transport close" so reconnection starts; with `closeOnBeforeunload`, leaving
 * the page closes it silently. Elsewhere (Node, workers without these events) nothing is added.
 */

/** Takes the page events itself (the DOM's listener objects), so no closure is made per connection. */
export interface PageListener {
  handleEvent(event: { readonly type: string }): void;
}

interface EventTargetLike {
  addEventListener(type: string, listener: PageListener): void;
  removeEventListener(type: string, listener: PageListener): void;
}

/** Adds `listener` for the page events (`on`), or removes it. */
export function watchPage(on: boolean, listener: PageListener, closeOnBeforeunload: boolean | undefined): void {
  const target = globalThis as Partial<EventTargetLike>;
  const method = on ? "addEventListener" : "removeEventListener";
  target[method]?.("offline", listener);
  if (closeOnBeforeunload) target[method]?.("beforeunload", listener);
}
