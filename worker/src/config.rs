//! Settings and secrets from the Worker's bindings (`[vars]` in wrangler.toml, secrets).

use wasm_bindgen::JsValue;
use worker::Env;

/// The text variable or secret `name`, if set. Read as a plain property: `Env::var` and
/// `Env::secret` also look the binding's constructor up by name, three more calls into
/// JavaScript per lookup, and every broadcast reads two secrets.
pub fn text_binding(env: &Env, name: &str) -> Option<String> {
    js_sys::Reflect::get(env, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

/// The variable `name` as a positive number, if it is set to one.
pub fn positive_number(env: &Env, name: &str) -> Option<f64> {
    text_binding(env, name)
        .and_then(|value| value.parse::<f64>().ok())
        .filter(|number| *number > 0.0)
}
