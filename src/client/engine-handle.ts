/**
 * What `manager.engine` shows apps, shaped like socket.io-client's engine where apps rely on
 * it: `engine.id`, `engine.transport.name`, `engine.on("upgrade", (transport) => ...)`,
 * `engine.on("close", (reason) => ...)`, `engine.close()`.
 */
import type { Engine } from "./engine.js";
import { Emitter } from "./emitter.js";

/** Events of {@link EngineHandle}. */
export type EngineHandleEvents = {
  upgrade: (transport: { readonly name: string }) => void;
  close: (reason: string, description?: Error) => void;
};

/** Where the handle finds the current connection (its Manager). */
interface EngineOwner {
  readonly _engine: Engine | undefined;
}

/**
 * The Engine.IO connection of a Manager, as apps see it; it follows each new connection, and
 * its listeners are dropped when the next connection starts (they belong to one connection).
 */
export class EngineHandle extends Emitter<EngineHandleEvents, EngineHandleEvents> {
  /** @internal */
  constructor(private readonly owner: EngineOwner) {
    super();
  }

  /** The Engine.IO session id, while connected. */
  get id(): string | undefined {
    return this.owner._engine?.id;
  }

  /** The transport in use ("" while there is no connection). */
  get transport(): { readonly name: string } {
    return { name: this.owner._engine?.transport ?? "" };
  }

  /** Whether a packet can be written now (volatile emits are dropped otherwise). */
  get writable(): boolean {
    return this.owner._engine?.writable ?? false;
  }

  /** Closes the connection (reconnection follows as after any lost connection). */
  close(): void {
    this.owner._engine?.close();
  }

  /** @internal */
  _emit<Ev extends keyof EngineHandleEvents>(ev: Ev, ...args: Parameters<EngineHandleEvents[Ev]>): void {
    this.dispatch(ev, args, 0);
  }
}
