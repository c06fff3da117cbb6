//! Listener registries, kept as JavaScript `Map`s of `Set`s of functions.
//!
//! Keeping them on the JavaScript side means an unsubscribe function is a plain JavaScript
//! closure over the set: no Rust closure is handed out, so nothing can leak or be called after
//! it was freed.

use js_sys::{Array, Function, Map, Set};
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
")]
extern "C" {
    #[wasm_bindgen(js_name = addListener)]
    fn add_listener(map: &Map, key: &str, listener: &Function, once: bool) -> Function;

    #[wasm_bindgen(js_name = removeListener)]
    fn remove_listener(map: &Map, key: &str, listener: &Function);
}

/// Listeners by key (an event name, or a fixed key such as `"state"`).
#[derive(Clone)]
pub struct Registry(Map);

impl Default for Registry {
    fn default() -> Self {
        Self(Map::new())
    }
}

impl Registry {
    /// Adds `listener` under `key`; returns the function that removes it again.
    pub fn add(&self, key: &str, listener: &Function, once: bool) -> Function {
        add_listener(&self.0, key, listener, once)
    }

    /// Removes `listener` (also a `once` listener) from `key`.
    pub fn remove(&self, key: &str, listener: &Function) {
        remove_listener(&self.0, key, listener);
    }

    /// Whether any listener is registered under `key`.
    pub fn has(&self, key: &str) -> bool {
        self.0
            .get(&key.into())
            .dyn_into::<Set>()
            .is_ok_and(|set| set.size() > 0)
    }

    /// Calls every listener of `key` with `args`. A listener that throws is logged and the
    /// others still run.
    pub fn emit(&self, key: &str, args: &Array) {
        let Ok(set) = self.0.get(&key.into()).dyn_into::<Set>() else {
            return;
        };
        // A snapshot, so listeners may subscribe and unsubscribe while being called.
        for listener in Array::from(&set).iter() {
            let listener: Function = listener.unchecked_into();
            if let Err(err) = listener.apply(&JsValue::UNDEFINED, args) {
                web_sys::console::error_2(&"broadcast client: a listener threw".into(), &err);
            }
        }
    }

    /// Removes every listener.
    pub fn clear(&self) {
        self.0.clear();
    }
}
