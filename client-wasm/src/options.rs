//! The options object of `createBroadcastClient`.
//!
//! Read in JavaScript rather than through serde or field by field from Rust: it costs the
//! bundle far less, and every unknown or ill-typed option gets an error that names it.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::text::concat;

/// Client options; every field has a default (see the README's option table).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Upper bound of the first retry's random delay, in ms.
    pub initial_delay: u32,
    /// Largest retry delay, in ms.
    pub max_delay: u32,
    /// Retries after which the client gives up (`None`: never).
    pub max_retries: Option<u32>,
    /// How long a connection must stay open before the retry count starts over, in ms.
    pub min_uptime: u32,
    /// How long an attempt may take to be welcomed by the server, in ms.
    pub connection_timeout: u32,
    /// Quiet time between heartbeat pings while open, in ms (0: no heartbeat).
    pub heartbeat_interval: u32,
    /// How long to wait for the pong before the socket counts as dead, in ms.
    pub heartbeat_timeout: u32,
    /// Most whispers kept while not connected.
    pub max_queued: u32,
    /// Past events to receive when first joining (the server sends at most 100).
    pub history: u32,
    /// Whether `createBroadcastClient` starts connecting at once (else it waits for `connect()`).
    pub auto_connect: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            initial_delay: 1000,
            max_delay: 30_000,
            max_retries: None,
            min_uptime: 5000,
            connection_timeout: 10_000,
            heartbeat_interval: 25_000,
            heartbeat_timeout: 10_000,
            max_queued: 100,
            history: 0,
            auto_connect: true,
        }
    }
}

// Reading the object is JavaScript's work: its own type checks and one pass over the keys,
// which from Rust take a call per key and per check, and a copy of every name.
#[wasm_bindgen(inline_js = "
const NAMES = ['initialDelay', 'maxDelay', 'maxRetries', 'minUptime', 'connectionTimeout',
  'heartbeatInterval', 'heartbeatTimeout', 'maxQueued', 'history', 'autoConnect'];
export function readOptions(options) {
  const values = [];
  if (options == null) return values;
  if (typeof options !== 'object') return 'broadcast client options must be an object';
  for (const name of Object.keys(options)) {
    let value;
    try { value = options[name]; } catch { continue; }
    if (value === undefined) continue;
    const index = NAMES.indexOf(name);
    const invalid = (problem) => `invalid broadcast client options: ${problem}`;
    if (index < 0) return invalid(`unknown option \\`${name}\\`; the options are ${NAMES.join(', ')}`);
    if (index === 9) {
      if (typeof value !== 'boolean') return invalid('option `autoConnect` must be true or false');
    } else if (!(index === 2 && value === null)
        && !(Number.isInteger(value) && value >= 0 && value <= 2147483647)) {
      return invalid(`option \\`${name}\\` must be a whole number from 0 to 2147483647`);
    }
    values[index] = value;
  }
  return values;
}
")]
extern "C" {
    /// The options as an array in the order of `NAMES` (`undefined` where not given; `null`
    /// for `maxRetries: null`), or what is wrong with them, as a string.
    #[wasm_bindgen(js_name = readOptions)]
    fn read_options(options: &JsValue) -> JsValue;
}

impl ClientOptions {
    /// Reads the options object (`undefined` and `null` mean all defaults).
    pub fn from_js(value: &JsValue) -> Result<Self, JsError> {
        let read = read_options(value);
        if let Some(problem) = read.as_string() {
            return Err(JsError::new(&problem));
        }
        let values: &Array = read.unchecked_ref();
        let defaults = Self::default();
        let number = |index, default| {
            values
                .get_unchecked(index)
                .as_f64()
                .map_or(default, |n| n as u32)
        };
        let max_retries = values.get_unchecked(2);
        let options = Self {
            initial_delay: number(0, defaults.initial_delay),
            max_delay: number(1, defaults.max_delay),
            max_retries: if max_retries.is_undefined() {
                defaults.max_retries
            } else {
                max_retries.as_f64().map(|n| n as u32)
            },
            min_uptime: number(3, defaults.min_uptime),
            connection_timeout: number(4, defaults.connection_timeout),
            heartbeat_interval: number(5, defaults.heartbeat_interval),
            heartbeat_timeout: number(6, defaults.heartbeat_timeout),
            max_queued: number(7, defaults.max_queued),
            history: number(8, defaults.history),
            auto_connect: values
                .get_unchecked(9)
                .as_bool()
                .unwrap_or(defaults.auto_connect),
        };
        options.check()?;
        Ok(options)
    }

    fn check(&self) -> Result<(), JsError> {
        if self.initial_delay == 0 || self.max_delay < self.initial_delay {
            return Err(invalid("need 0 < initialDelay <= maxDelay"));
        }
        if self.connection_timeout == 0 {
            return Err(invalid("connectionTimeout must be above 0"));
        }
        if self.heartbeat_interval > 0 && self.heartbeat_timeout == 0 {
            return Err(invalid(
                "heartbeatTimeout must be above 0 (set heartbeatInterval to 0 to turn the heartbeat off)",
            ));
        }
        Ok(())
    }
}

/// The error for options that are each valid but do not fit together.
fn invalid(problem: &str) -> JsError {
    JsError::new(&concat(&["invalid broadcast client options: ", problem]))
}
