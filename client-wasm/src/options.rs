//! The options object of `createBroadcastClient`.

use serde::Deserialize;
use wasm_bindgen::{JsCast, JsError, JsValue};

/// The option names, as JavaScript spells them.
const KNOWN_OPTIONS: [&str; 5] = [
    "initialDelay",
    "maxDelay",
    "maxRetries",
    "minUptime",
    "maxQueued",
];

/// Client options; every field has a default (see the README's option table).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientOptions {
    /// Upper bound of the first retry's random delay, in ms.
    pub initial_delay: u32,
    /// Largest retry delay, in ms.
    pub max_delay: u32,
    /// Retries after which the client gives up (`None`: never).
    pub max_retries: Option<u32>,
    /// How long a connection must stay open before the retry count starts over, in ms.
    pub min_uptime: u32,
    /// Most whispers kept while not connected.
    pub max_queued: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            initial_delay: 1000,
            max_delay: 30_000,
            max_retries: None,
            min_uptime: 5000,
            max_queued: 100,
        }
    }
}

impl ClientOptions {
    /// Reads the options object (`undefined` and `null` mean all defaults).
    pub fn from_js(value: JsValue) -> Result<Self, JsError> {
        if value.is_undefined() || value.is_null() {
            return Ok(Self::default());
        }
        if !value.is_object() {
            return Err(JsError::new("broadcast client options must be an object"));
        }
        // serde-wasm-bindgen reads only the fields it knows, so a misspelt option would be
        // silently ignored: check the keys first.
        for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
            let key = key.as_string().unwrap_or_default();
            if !KNOWN_OPTIONS.contains(&key.as_str()) {
                let known = KNOWN_OPTIONS.join(", ");
                return Err(JsError::new(&format!(
                    "unknown broadcast client option `{key}`; the options are {known}"
                )));
            }
        }
        let options: Self = serde_wasm_bindgen::from_value(value)
            .map_err(|err| JsError::new(&format!("invalid broadcast client options: {err}")))?;
        if options.initial_delay == 0 || options.max_delay < options.initial_delay {
            return Err(JsError::new(
                "invalid broadcast client options: need 0 < initialDelay <= maxDelay",
            ));
        }
        Ok(options)
    }
}
