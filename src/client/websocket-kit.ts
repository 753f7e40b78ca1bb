/** The WebSocket-only engine kit: no polling, no upgrade code in the bundle. */
import { websocket } from "../transport/websocket.js";
import type { EngineKit } from "./engine-options.js";

/** For the websocket-only entry: `transports` defaults to `["websocket"]`. */
export const websocketKit: EngineKit = { transports: [websocket] };
