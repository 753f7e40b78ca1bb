/** The full engine kit: polling and WebSocket by name (polling first), the upgrade, and payload batching. */
import { payloadPrefix } from "../protocol/engine/codec.js";
import { polling } from "../transport/polling.js";
import { websocket } from "../transport/websocket.js";
import type { EngineKit } from "./engine-options.js";
import { upgrade } from "./upgrade.js";

/** For the default entry: `transports: ["polling", "websocket"]` with upgrade, as socket.io-client. */
export const defaultKit: EngineKit = { transports: [polling, websocket], upgrade, fit: payloadPrefix };
