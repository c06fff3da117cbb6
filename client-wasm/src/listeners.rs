//! Listener registries, kept as JavaScript `Map`s of `Set`s of functions.
//!
//! Keeping them on the JavaScript side means an unsubscribe function is a plain JavaScript
//! closure over the set: no Rust closure is handed out, so nothing can leak or be called after
//! it was freed. Calling the listeners happens there too: one call from Rust per message, with
//! no argument array to allocate and no snapshot to walk element by element across the
//! boundary.

use js_sys::{Function, Map};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "
export function addListener(map, key, listener, once) {
  let set = map.get(key);
  if (!set) { set = new Set(); map.set(key, set); }
  let entry = listener;
  if (once) {
    entry = function (...args) { set.delete(entry); return listener.apply(this, args); };
    entry.listener = listener;
  }
  set.add(entry);
  return () => { set.delete(entry); };
}
export function removeListener(map, key, listener) {
  const set = map.get(key);
  if (!set) return;
  for (const entry of set) {
    if (entry === listener || entry.listener === listener) set.delete(entry);
  }
}
export function hasListener(map, key) {
  return map.get(key)?.size > 0;
}
export function emit(map, key, ...args) {
  const set = map.get(key);
  if (!set) return;
  // A snapshot, so listeners may subscribe and unsubscribe while being called.
  for (const listener of [...set]) {
    try {
      listener(...args);
    } catch (err) {
      console.error('broadcast client: a listener threw', err);
    }
  }
}
")]
extern "C" {
    #[wasm_bindgen(js_name = addListener)]
    fn add_listener(map: &Map, key: &JsValue, listener: &Function, once: bool) -> Function;

    #[wasm_bindgen(js_name = removeListener)]
    fn remove_listener(map: &Map, key: &JsValue, listener: &Function);

    #[wasm_bindgen(js_name = hasListener)]
    fn has_listener(map: &Map, key: &JsValue) -> bool;

    #[wasm_bindgen(js_name = emit)]
    fn emit1(map: &Map, key: &JsValue, arg: &JsValue);

    #[wasm_bindgen(js_name = emit)]
    fn emit2(map: &Map, key: &JsValue, arg: &JsValue, meta: &JsValue);
}

/// What a lifecycle listener listens for, and its key in the lifecycle registry: a number,
/// which reaches JavaScript without the string conversion a name would cost on every message.
#[derive(Clone, Copy)]
pub enum Topic {
    State,
    Error,
    Any,
    Here,
    Join,
    Leave,
    Recovery,
}

impl From<Topic> for JsValue {
    fn from(topic: Topic) -> Self {
        (topic as u32).into()
    }
}

/// Listeners by key: an event name (a string), or a [`Topic`].
#[derive(Clone)]
pub struct Registry(Map);

impl Default for Registry {
    fn default() -> Self {
        Self(Map::new())
    }
}

impl Registry {
    /// Adds `listener` under `key`; returns the function that removes it again.
    pub fn add(&self, key: &JsValue, listener: &Function, once: bool) -> Function {
        add_listener(&self.0, key, listener, once)
    }

    /// Removes `listener` (also a `once` listener) from `key`.
    pub fn remove(&self, key: &JsValue, listener: &Function) {
        remove_listener(&self.0, key, listener);
    }

    /// Whether any listener is registered under `key`.
    pub fn has(&self, key: &JsValue) -> bool {
        has_listener(&self.0, key)
    }

    /// Calls every listener of `key` with `arg`. A listener that throws is logged and the
    /// others still run.
    pub fn emit(&self, key: &JsValue, arg: &JsValue) {
        emit1(&self.0, key, arg);
    }

    /// Calls every listener of `key` with `(data, meta)`, as [`Registry::emit`].
    pub fn emit_with_meta(&self, key: &JsValue, data: &JsValue, meta: &JsValue) {
        emit2(&self.0, key, data, meta);
    }

    /// Removes every listener.
    pub fn clear(&self) {
        self.0.clear();
    }
}
