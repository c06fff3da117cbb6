//! TypeScript declarations for the values the generated bindings would otherwise type as `any`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The channel URL, or a function producing it (called before every connection attempt). */
export type UrlFactory = string | (() => string | Promise<string>);

/** Options of `createBroadcastClient`; every field is optional. Times are in milliseconds. */
export interface BroadcastClientOptions {
  /** Upper bound of the first retry's random delay. Default 1000. */
  initialDelay?: number;
  /** Largest retry delay. Default 30000. */
  maxDelay?: number;
  /** Retries before giving up (state `closed`); unlimited when absent or null. */
  maxRetries?: number | null;
  /** How long a connection must stay open before the retry count starts over. Default 5000. */
  minUptime?: number;
  /** How long an attempt may take until the server's welcome. Default 10000. */
  connectionTimeout?: number;
  /** Quiet time between heartbeat pings while open; 0 turns the heartbeat off. Default 25000. */
  heartbeatInterval?: number;
  /** How long a ping may go unanswered before the socket counts as dead. Default 10000. */
  heartbeatTimeout?: number;
  /** Most whispers kept while not connected. Default 100. */
  maxQueued?: number;
  /** Past events to receive when first joining, before live ones (the server sends at most 100). Default 0. */
  history?: number;
  /** Start connecting at once; when false, the client waits in `idle` for `connect()`. Default true. */
  autoConnect?: boolean;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /** Why, for people: "closed by the server (1006)", "no pong within 10000 ms", ... */
  reason: string;
  /** With `reconnecting`: the number of this retry (1 for the first). */
  attempt?: number;
  /** With `reconnecting`: how long until the retry, in ms. */
  delay?: number;
}

export interface EventMeta {
  channel: string;
  event: string;
}

export interface WhisperMeta extends EventMeta {
  /** Socket id of the sender, stamped by the server. */
  from: string;
  /** On presence channels, the sender's user id from its verified token. */
  user?: string;
}

/** A user on a presence channel. */
export interface Member {
  /** The user id (the token's `sub`). */
  id: string;
  /** The token's `user_info`, or null. */
  info: unknown;
}

export interface BroadcastError {
  /** A close code (number, such as 4001) or an error frame's code (string, such as "malformed_frame"). */
  code: number | string;
  message: string;
}

/** Why missed events could not be replayed (`onRecoveryFailed`). */
export interface RecoveryFailure {
  channel: string;
  reason: string;
}

export type EventListener = (data: unknown, meta: EventMeta) => void;
export type WhisperListener = (data: unknown, meta: WhisperMeta) => void;

/**
 * Creates a client for one channel and starts connecting (unless `autoConnect` is false).
 * Throws on an invalid `urlFactory` or options.
 */
export function createBroadcastClient(urlFactory: UrlFactory, options?: BroadcastClientOptions): BroadcastClient;
"#;
