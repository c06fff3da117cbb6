//! The receiving fast path: an event frame that repeats the channel and event name of one
//! already checked skips the checks and the copies of those strings into wasm memory.
//!
//! Nearly every frame a client receives is an event of a name it has seen before. Checking it
//! in full reads each field across the boundary and copies the type, channel and name into
//! wasm memory to validate them: most of the SDK's work per message. Strings equal (`===`) to
//! ones [`decode`](crate::frames::decode) accepted are valid, so one JavaScript call can tell
//! whether a frame is such an event and hand back its offset; anything else takes the full path.

use js_sys::Object;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "
export function knownEvent() {
  return { channel: undefined, event: undefined };
}
export function remember(known, frame) {
  known.channel = frame.channel;
  known.event = frame.event;
}
export function knownEventOffset(known, frame) {
  if (frame === null || typeof frame !== 'object' || frame.type !== 'event') return -1;
  if (frame.channel !== known.channel || frame.event !== known.event) return -1;
  const offset = frame.offset;
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : -1;
}
")]
extern "C" {
    #[wasm_bindgen(js_name = knownEvent)]
    fn known_event() -> Object;

    fn remember(known: &Object, frame: &Object);

    #[wasm_bindgen(js_name = knownEventOffset)]
    fn known_event_offset(known: &Object, frame: &JsValue) -> f64;
}

/// The channel and name of the last event frame that passed the full checks.
pub struct KnownEvent(Object);

impl Default for KnownEvent {
    fn default() -> Self {
        Self(known_event())
    }
}

impl KnownEvent {
    /// Records the channel and name of `frame`, an event frame that passed the full checks.
    pub fn remember(&self, frame: &Object) {
        remember(&self.0, frame);
    }

    /// The offset of `frame` (the value `JSON.parse` returned) if it is an event frame with
    /// the remembered channel and name and a whole, non-negative offset; `None` for anything
    /// else, which the full checks then decide on.
    pub fn offset(&self, frame: &JsValue) -> Option<u64> {
        let offset = known_event_offset(&self.0, frame);
        (offset >= 0.0).then_some(offset as u64)
    }
}
