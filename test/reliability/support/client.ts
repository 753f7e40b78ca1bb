/**
 * The client under test: volley's Node entry, used exactly as an app would use
 * socket.io-client 4.8 (`io(url, options)`).
 */
export { io } from "../../../src/node.js";
