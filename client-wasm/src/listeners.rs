//! Listener registries, kept as JavaScript `Map`s of `Set`s of functions.
//!
//! Keeping them on the JavaScript side means an unsubscribe function is a plain JavaScript
//! closure over the set: no Rust closure is handed out, so nothing can leak or be called after
//! it was freed. Calling the listeners happens there too: one call from Rust per message (its
//! `meta` made there as well), with no argument array to allocate and no snapshot to walk
//! element by element across the boundary.

use js_sys::{Function, Map, Object};
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
export function deliverEvent(events, lifecycle, any, frame, data) {
  const meta = { channel: frame.channel, event: frame.event };
  emit(events, frame.event, data, meta);
  emit(lifecycle, any, data, meta);
}
export function deliverWhisper(whispers, frame, data) {
  const user = typeof frame.user === 'string' ? frame.user : undefined;
  const meta = { channel: frame.channel, event: frame.event, from: frame.from, user };
  emit(whispers, frame.event, data, meta);
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
    fn add_listener(map: &Map, key: &JsValue, listener: &Function, once: &JsValue) -> Function;

    #[wasm_bindgen(js_name = removeListener)]
    fn remove_listener(map: &Map, key: &JsValue, listener: &Function);

    #[wasm_bindgen(js_name = deliverEvent)]
    fn deliver_event_js(events: &Map, lifecycle: &Map, any: i32, frame: &Object, data: &JsValue);

    #[wasm_bindgen(js_name = deliverWhisper)]
    fn deliver_whisper_js(whispers: &Map, frame: &Object, data: &JsValue);

    // The same functions, keyed by a topic's number. (Only JavaScript values and numbers as
    // arguments: the glue then imports these functions as they are, with no wrapper.)
    #[wasm_bindgen(js_name = addListener)]
    fn add_topic_listener(map: &Map, topic: i32, listener: &Function) -> Function;

    #[wasm_bindgen(js_name = hasListener)]
    fn has_topic_listener(map: &Map, topic: i32) -> bool;

    #[wasm_bindgen(js_name = emit)]
    fn emit_topic1(map: &Map, topic: i32, arg: &JsValue);
}

/// What a lifecycle listener listens for, and its key in the lifecycle registry: a number,
/// which reaches JavaScript as it is, where a name would be converted (or a `JsValue` made) on
/// every message.
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

/// Lifecycle listeners by [`Topic`].
pub struct Lifecycle(Map);

impl Default for Lifecycle {
    fn default() -> Self {
        Self(Map::new())
    }
}

impl Lifecycle {
    /// Adds `listener` for `topic`; returns the function that removes it again.
    pub fn add(&self, topic: Topic, listener: &Function) -> Function {
        add_topic_listener(&self.0, topic as i32, listener)
    }

    /// Whether any listener is registered for `topic`.
    pub fn has(&self, topic: Topic) -> bool {
        has_topic_listener(&self.0, topic as i32)
    }

    /// Calls every listener of `topic` with `arg`. A listener that throws is logged and the
    /// others still run.
    pub fn emit(&self, topic: Topic, arg: &JsValue) {
        emit_topic1(&self.0, topic as i32, arg);
    }

    /// Removes every listener.
    pub fn clear(&self) {
        self.0.clear();
    }
}

/// Listeners by event name (a JavaScript string).
pub struct Registry(Map);

impl Default for Registry {
    fn default() -> Self {
        Self(Map::new())
    }
}

impl Registry {
    /// Adds `listener` under `key`; returns the function that removes it again.
    pub fn add(&self, key: &JsValue, listener: &Function, once: bool) -> Function {
        add_listener(&self.0, key, listener, &once.into())
    }

    /// Removes `listener` (also a `once` listener) from `key`.
    pub fn remove(&self, key: &JsValue, listener: &Function) {
        remove_listener(&self.0, key, listener);
    }

    /// Removes every listener.
    pub fn clear(&self) {
        self.0.clear();
    }
}

/// Calls the listeners of a received event with `(data, { channel, event })`, the names taken
/// from `frame` (the object `JSON.parse` made): those of its name in `events`, then the
/// `onAny` ones in `lifecycle`.
pub fn deliver_event(events: &Registry, lifecycle: &Lifecycle, frame: &Object, data: &JsValue) {
    deliver_event_js(&events.0, &lifecycle.0, Topic::Any as i32, frame, data);
}

/// Calls the listeners of a received whisper's name with `(data, { channel, event, from,
/// user })`, taken from `frame`; `user` is `undefined` unless a string (as `decode` reads it).
pub fn deliver_whisper(whispers: &Registry, frame: &Object, data: &JsValue) {
    deliver_whisper_js(&whispers.0, frame, data);
}
