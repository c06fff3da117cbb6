//! Small helpers for building and reading JavaScript values.

use alloc::string::String;

use js_sys::{JsString, Object};
use wasm_bindgen::JsThreadLocal;
use wasm_bindgen::prelude::*;

use crate::text::concat;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(prefix: &str, what: &JsValue, detail: &JsValue);
}

/// Warns in the console: `broadcast client: <what> <detail>`, each shown as the console shows
/// values (a frame or an error code as it is). One binding for every warning.
pub fn warn(what: &str, value: &JsValue, detail: &JsValue) {
    console_warn(&concat(&["broadcast client: ", what]), value, detail);
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

/// `object[key]`, without `Reflect.get`'s exception handling: it cannot throw on the objects
/// `JSON.parse` makes (they have no getters), which are the only ones read here. It would on
/// `undefined` or `null`, whence `&Object` and [`as_object`]. (An exception per message was
/// once a third of the cost of receiving one; the catching wrapper itself cost a little on
/// every read.)
fn get_property(object: &Object, key: &JsValue) -> JsValue {
    field(object, key)
}

/// `value` if it is an object (`null` is not), whose properties can be read without throwing.
pub fn as_object(value: &JsValue) -> Option<&Object> {
    value.is_object().then(|| value.unchecked_ref())
}

/// `object[key]`.
pub fn get(object: &Object, key: impl Key) -> JsValue {
    key.get_from(object)
}

#[wasm_bindgen(inline_js = "
export function field(object, key) {
  return object[key];
}
export function errorMessage(err) {
  if (err instanceof Error) return String(err.message);
  return typeof err === 'string' ? err : 'unknown error';
}
")]
extern "C" {
    fn field(object: &Object, key: &JsValue) -> JsValue;

    /// What a thrown value says: an `Error`'s message, a thrown string, or a placeholder.
    #[wasm_bindgen(js_name = errorMessage)]
    pub fn error_message(err: &JsValue) -> String;
}
