/**
 * Public types of the client: options (names and defaults as socket.io-client 4.8), typed event
 * maps shaped like socket.io-client's, disconnect reasons, the pluggable parser and the logger.
 */
import type { BinaryData, Frame } from "./protocol/binary.js";
import type { SioPacket } from "./protocol/socketio/packet.js";
import type { Clock } from "./client/clock.js";
import type { EngineOptions } from "./client/engine-options.js";

// ---------------------------------------------------------------------------------------
// Typed events

/**
 * A map of event names to listener signatures: `{ news: (title: string) => void }`. Shaped as
 * socket.io-client's: only an `any` index signature lets app interfaces (which have no index
 * signature) fit, and keeps `Socket<EventsMap, EventsMap>` (e.g. `ReturnType<typeof io>`) usable.
 */
export interface EventsMap {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [event: string]: any;
}

/** A listener that accepts any arguments: method syntax makes listeners with typed parameters fit. */
type UntypedListener = { bivariant(...args: unknown[]): unknown }["bivariant"];

/**
 * The map used when no types are given: every name, any arguments. The one `any` of the public
 * types, on purpose: untyped socket.io-client code (`socket.emit("x", (reply) => ...)`) must
 * compile unchanged, and only `any` gives such callbacks a contextual type.
 */
export interface DefaultEventsMap {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [event: string]: (...args: any[]) => void;
}

export type EventNames<Map extends EventsMap> = keyof Map & string;
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Map[Ev] extends (...args: infer P) => unknown ? P : never;

type FallbackToUntyped<T> = [T] extends [never] ? UntypedListener : T;

/** Listener of a reserved event or of a user event. */
export type ReservedOrUserListener<Reserved extends EventsMap, User extends EventsMap, Ev extends string> = FallbackToUntyped<
  Ev extends EventNames<Reserved> ? Reserved[Ev] : Ev extends EventNames<User> ? User[Ev] : never
>;

/** The last element of a parameter list; an untyped one (`any[]`) gives `any`, as in socket.io-client. */
export type Last<T extends readonly unknown[]> = T extends readonly [...unknown[], infer L] ? L : T extends readonly [] ? unknown : T[number];
export type AllButLast<T extends readonly unknown[]> = T extends readonly [...infer H, unknown] ? H : unknown[];
/** The first parameter of a callback; `any` (an untyped socket's ack) stays `any`, as in socket.io-client. */
export type FirstArg<T> = 0 extends 1 & T ? T : T extends (arg: infer P, ...rest: never[]) => unknown ? P : unknown;

/**
 * The acknowledgement callback of a `timeout()` emit gets an error first. Declared as a method
 * so that callbacks written for socket.io-client's types, `(err: Error, ...) => ...`, fit too.
 */
export type PrependTimeoutError<T extends readonly unknown[]> = {
  [K in keyof T]: T[K] extends (...args: infer P) => infer R ? { ack(err: Error | null, ...args: P): R }["ack"] : T[K];
};

/** Where a map seen through `timeout()` keeps the map it came from (a type only: no such property exists). */
declare const undecorated: unique symbol;

/** The event map a `timeout()` view was made from (the map itself when it is not one). */
export type Undecorated<E extends EventsMap> = E extends { readonly [undecorated]: infer U extends EventsMap } ? U : E;

/** Event map seen through `timeout()`: every ack callback gains an error first parameter. */
export type DecorateAcknowledgements<E extends EventsMap> = {
  [K in keyof Undecorated<E>]: Undecorated<E>[K] extends (...args: infer P) => infer R ? (...args: PrependTimeoutError<P>) => R : Undecorated<E>[K];
} & { readonly [undecorated]: Undecorated<E> };

/** What `emitWithAck` resolves with: the first argument of the event's acknowledgement (never `timeout()`'s error). */
export type AckValue<E extends EventsMap, Ev extends string> = Ev extends keyof Undecorated<E> ? FirstArg<Last<EventParams<Undecorated<E>, Ev>>> : never;

/** Why a socket disconnected (the strings of socket.io-client). */
export type DisconnectReason =
  | "io server disconnect"
  | "io client disconnect"
  | "ping timeout"
  | "transport close"
  | "transport error"
  | "parse error"
  | "forced close";

/** Details of a disconnection: the error behind it, when there was one. */
export type DisconnectDescription = Error | { description: string; context?: unknown };

/**
 * socket.io-client's type of the `connect_error` error: an Error with the `data` of the
 * server's middleware. volley's {@link ConnectError} fits it.
 */
export interface ExtendedError extends Error {
  data?: unknown;
}

/** Events a Socket emits itself. */
export type SocketReservedEvents = {
  connect: () => void;
  connect_error: (err: import("./errors.js").ConnectError) => void;
  disconnect: (reason: DisconnectReason, description?: DisconnectDescription) => void;
};

/** Events a Manager emits. */
export type ManagerReservedEvents = {
  open: () => void;
  error: (err: Error) => void;
  ping: () => void;
  packet: (packet: SioPacket) => void;
  close: (reason: string, description?: DisconnectDescription) => void;
  reconnect_failed: () => void;
  reconnect_attempt: (attempt: number) => void;
  reconnect_error: (err: Error) => void;
  reconnect: (attempt: number) => void;
};

// ---------------------------------------------------------------------------------------
// Parser and logger

/** Decodes one Engine.IO session's messages into packets (see {@link Parser}). */
export interface PacketDecoder {
  /** One Engine.IO message; undefined while a packet waits for more parts; an Error for bad data. */
  add(data: string | BinaryData): SioPacket | undefined | Error;
}

/**
 * A Socket.IO packet codec, for the `parser` option (the server must use the same one, e.g. a
 * msgpack parser). The default is the standard JSON + binary attachments codec.
 */
export interface Parser {
  /** The Engine.IO messages of one packet, in order. */
  encode(packet: SioPacket): Frame[];
  /** A fresh decoder, one per Engine.IO session. */
  createDecoder(): PacketDecoder;
}

/** A parser in socket.io-client's shape (socket.io-parser, socket.io-msgpack-parser, ...). */
export interface LegacyParser {
  readonly Encoder: new () => { encode(packet: SioPacket): unknown[] };
  readonly Decoder: new () => {
    add(data: unknown): void;
    on(event: "decoded", listener: (packet: SioPacket) => void): unknown;
  };
}

/** A structured event for the `logger` option. Never built when no logger is set. */
export type LogEvent =
  | { readonly type: "open"; readonly transport: string | undefined }
  | { readonly type: "close"; readonly reason: string }
  | { readonly type: "error"; readonly error: Error }
  | { readonly type: "reconnect_attempt"; readonly attempt: number; readonly delay: number }
  | { readonly type: "reconnect_failed" }
  | { readonly type: "packet_error"; readonly error: Error };

// ---------------------------------------------------------------------------------------
// Options

/**
 * Options of socket.io-client 4.8 that volley does not implement. Each is accepted with its
 * default value; any other value fails at construction with `UnsupportedOptionError`.
 */
export interface UnsupportedOptions {
  /** Put the host in the URL instead. @default undefined */
  host?: string;
  /** Put the host name in the URL instead. @default undefined */
  hostname?: string;
  /** Put the scheme in the URL instead. @default undefined */
  secure?: boolean;
  /** Put the port in the URL instead. @default undefined */
  port?: string | number;
  /** volley always sends binary as binary. @default false */
  forceBase64?: boolean;
  /** @default false */
  onlyBinaryUpgrades?: boolean;
  /** Pass transport values with their own options instead. @default {} */
  transportOptions?: object;
  /** @default undefined */
  requestTimeout?: number;
  /** @default undefined (no compression offered) */
  perMessageDeflate?: boolean | object;
  /** @default false */
  forceNode?: boolean;
  /** @default undefined */
  localAddress?: string;
  /** @default false */
  useNativeTimers?: boolean;
  /** @default false */
  autoUnref?: boolean;
}

/** Options of a Manager (one connection) and of `io()`. */
export interface ManagerOptions extends EngineOptions, UnsupportedOptions {
  /** Create a new Manager (connection) instead of reusing a cached one. @default false */
  forceNew?: boolean;
  /** Reuse one connection for every namespace of the same origin and path (`false` = `forceNew`). @default true */
  multiplex?: boolean;
  /** Reconnect automatically after a lost connection. @default true */
  reconnection?: boolean;
  /** Attempts before giving up (`reconnect_failed`). @default Infinity */
  reconnectionAttempts?: number;
  /** Delay of the first reconnection attempt, in ms; doubles per attempt. @default 1000 */
  reconnectionDelay?: number;
  /** Largest reconnection delay, in ms. @default 5000 */
  reconnectionDelayMax?: number;
  /** Jitter of each delay, 0 to 1. @default 0.5 */
  randomizationFactor?: number;
  /** How long opening a connection may take, in ms, before `connect_error`. @default 20000 */
  timeout?: number;
  /** Connect as soon as the socket is created; otherwise call `socket.connect()`. @default true */
  autoConnect?: boolean;
  /**
   * The packet codec; client and server must agree. Either a {@link Parser} or a parser in
   * socket.io-client's shape (`{ Encoder, Decoder }`, e.g. socket.io-msgpack-parser).
   * @default the standard Socket.IO codec
   */
  parser?: Parser | LegacyParser;
  /** Receives structured events (state changes, reconnection, errors). @default undefined (nothing is logged) */
  logger?: (event: LogEvent) => void;
  /** Time source and timer, for tests. @default the system clock */
  clock?: Clock;
  /** Random source of the reconnection jitter, for tests. @default Math.random */
  random?: () => number;
}

/** Options of one namespace Socket. */
export interface SocketOptions {
  /**
   * Sent with the CONNECT packet (`socket.handshake.auth` on the server). A function is called
   * before every connection attempt and hands its result to the callback.
   * @default undefined
   */
  auth?: object | ((cb: (data: object) => void) => void);
  /** How many times an emit is retried when its ack times out (at-least-once delivery). @default 0 */
  retries?: number;
  /** Default ack timeout in ms of every emit with an ack. @default undefined (no timeout) */
  ackTimeout?: number;
}
