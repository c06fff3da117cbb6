//! TypeScript declarations for the values the generated bindings would otherwise type as `any`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The channel URL, or a function producing it (called before every connection attempt). */
export type UrlFactory = string | (() => string | Promise<string>);

/** Options of `createBroadcastClient`; every field is optional. */
export interface BroadcastClientOptions {
  /** Upper bound of the first retry's random delay, in ms. Default 1000. */
  initialDelay?: number;
  /** Largest retry delay, in ms. Default 30000. */
  maxDelay?: number;
  /** Retries before giving up; unlimited when absent. */
  maxRetries?: number;
  /** How long a connection must stay open before the retry count starts over, in ms. Default 5000. */
  minUptime?: number;
  /** Most whispers kept while not connected. Default 100. */
  maxQueued?: number;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  reason: string;
}

export interface EventMeta {
  channel: string;
  event: string;
}

export interface WhisperMeta extends EventMeta {
  /** Socket id of the sender, stamped by the server. */
  from: string;
}

export interface BroadcastError {
  /** A close code (number) or an error frame's code (string, such as "malformed_frame"). */
  code: number | string;
  message: string;
}

export type EventListener = (data: unknown, meta: EventMeta) => void;
export type WhisperListener = (data: unknown, meta: WhisperMeta) => void;
"#;
