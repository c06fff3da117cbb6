//! Small helpers for building and reading JavaScript values.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

/// `globalThis`: the window in a page, `self` in a worker. Cheaper than `js_sys::global()`,
/// which probes four names to support engines older than any that run this SDK.
pub fn global_this() -> JsValue {
    GLOBAL_THIS.with(JsValue::clone)
}

/// A plain object with the given fields.
pub fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object
}

/// What a thrown value says: an `Error`'s message, a thrown string, or a placeholder.
pub fn error_message(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
