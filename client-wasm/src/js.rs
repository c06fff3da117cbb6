//! Small helpers for building and reading JavaScript values.

use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::JsThreadLocal;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

/// Declares JavaScript strings made once, when the module starts (the glue puts them in the
/// reference table), where a `&str` is converted by a `TextDecoder` at every use: about half a
/// microsecond. Each costs the bundle a few bytes. (A macro, because rustfmt would drop the
/// values of such statics written out in an `extern` block.)
macro_rules! js_strings {
    ($($name:ident = $value:tt),* $(,)?) => {
        #[wasm_bindgen]
        extern "C" {
            $(
                #[doc = concat!("`", $value, "` as a JavaScript string.")]
                #[wasm_bindgen(thread_local_v2, static_string)]
                pub static $name: JsString = $value;
            )*
        }
    };
}

// The property names read on every event and whisper.
js_strings! {
    TYPE = "type",
    CHANNEL = "channel",
    EVENT = "event",
    DATA = "data",
    OFFSET = "offset",
    FROM = "from",
    USER = "user",
}

/// A property name: one of the strings above, or a `&str` for names that only rare frames
/// carry.
pub trait Key {
    /// `object[self]`.
    fn get_from(self, object: &Object) -> JsValue;
}

impl Key for &'static JsThreadLocal<JsString> {
    fn get_from(self, object: &Object) -> JsValue {
        self.with(|key| get_property(object, key))
    }
}

impl Key for &str {
    fn get_from(self, object: &Object) -> JsValue {
        get_property(object, &self.into())
    }
}

/// `object[key]`. Cannot throw on the objects `JSON.parse` makes (they have no getters), but
/// would on `undefined` or `null`: the glue catches the `TypeError`, and an exception per
/// message was once a third of the cost of receiving one. Hence `&Object` and [`as_object`].
fn get_property(object: &Object, key: &JsValue) -> JsValue {
    Reflect::get(object, key).unwrap_or(JsValue::UNDEFINED)
}

/// `value` if it is an object (`null` is not), whose properties can be read without throwing.
pub fn as_object(value: &JsValue) -> Option<&Object> {
    value.is_object().then(|| value.unchecked_ref())
}

/// `object[key]`.
pub fn get(object: &Object, key: impl Key) -> JsValue {
    key.get_from(object)
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
