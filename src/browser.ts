/**
 * The CDN script's entry: the global `io` is the `io()` function with `io.Manager`,
 * `io.Socket`, `io.protocol` and `io.connect` attached, like socket.io-client's bundle.
 */
import { Socket } from "./client/socket.js";
import { Manager, io } from "./index.js";
import { SIO_PROTOCOL } from "./protocol/socketio/packet.js";

export default Object.assign(io, { Manager, Socket, protocol: SIO_PROTOCOL, connect: io, io });
