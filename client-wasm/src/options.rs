//! The options object of `createBroadcastClient`.
//!
//! Read field by field with `Reflect` rather than through serde: it costs the bundle far less,
//! and every unknown or ill-typed option gets an error that names it.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsError, JsValue};

/// The longest delay a browser timer accepts (2^31 - 1 ms).
const MAX_MS: f64 = 2_147_483_647.0;

/// The option names, as JavaScript spells them.
const KNOWN_OPTIONS: &str = "initialDelay, maxDelay, maxRetries, minUptime, connectionTimeout, \
                             heartbeatInterval, heartbeatTimeout, maxQueued, history, autoConnect";

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

impl ClientOptions {
    /// Reads the options object (`undefined` and `null` mean all defaults).
    pub fn from_js(value: &JsValue) -> Result<Self, JsError> {
        let mut options = Self::default();
        if value.is_undefined() || value.is_null() {
            return Ok(options);
        }
        let Some(object) = value.dyn_ref::<Object>().filter(|_| value.is_object()) else {
            return Err(JsError::new("broadcast client options must be an object"));
        };
        for key in Object::keys(object).iter() {
            let name = key.as_string().unwrap_or_default();
            let field = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
            if field.is_undefined() {
                continue;
            }
            match name.as_str() {
                "initialDelay" => options.initial_delay = milliseconds(&name, &field)?,
                "maxDelay" => options.max_delay = milliseconds(&name, &field)?,
                "maxRetries" if field.is_null() => options.max_retries = None,
                "maxRetries" => options.max_retries = Some(milliseconds(&name, &field)?),
                "minUptime" => options.min_uptime = milliseconds(&name, &field)?,
                "connectionTimeout" => options.connection_timeout = milliseconds(&name, &field)?,
                "heartbeatInterval" => options.heartbeat_interval = milliseconds(&name, &field)?,
                "heartbeatTimeout" => options.heartbeat_timeout = milliseconds(&name, &field)?,
                "maxQueued" => options.max_queued = milliseconds(&name, &field)?,
                "history" => options.history = milliseconds(&name, &field)?,
                "autoConnect" => {
                    options.auto_connect = field.as_bool().ok_or_else(|| {
                        invalid("option `autoConnect` must be true or false".into())
                    })?
                }
                _ => {
                    return Err(invalid(format!(
                        "unknown option `{name}`; the options are {KNOWN_OPTIONS}"
                    )));
                }
            }
        }
        options.check()?;
        Ok(options)
    }

    fn check(&self) -> Result<(), JsError> {
        if self.initial_delay == 0 || self.max_delay < self.initial_delay {
            return Err(invalid("need 0 < initialDelay <= maxDelay".into()));
        }
        if self.connection_timeout == 0 {
            return Err(invalid("connectionTimeout must be above 0".into()));
        }
        if self.heartbeat_interval > 0 && self.heartbeat_timeout == 0 {
            return Err(invalid(
                "heartbeatTimeout must be above 0 (set heartbeatInterval to 0 to turn the heartbeat off)"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// A whole, non-negative number that fits a browser timer (counts use the same bounds).
fn milliseconds(name: &str, value: &JsValue) -> Result<u32, JsError> {
    match value.as_f64() {
        Some(number) if number.fract() == 0.0 && (0.0..=MAX_MS).contains(&number) => {
            Ok(number as u32)
        }
        _ => Err(invalid(format!(
            "option `{name}` must be a whole number from 0 to 2147483647"
        ))),
    }
}

fn invalid(message: String) -> JsError {
    JsError::new(&format!("invalid broadcast client options: {message}"))
}
