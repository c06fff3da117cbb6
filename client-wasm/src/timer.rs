//! One-shot timers: `setTimeout` with a Rust callback, cancelled and freed on drop.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Closure<dyn FnMut()>, ms: u32) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// A pending `setTimeout`. Dropping it clears the timer and frees the callback, so a callback
/// can never run after its owner let go of it.
#[must_use = "the timer is cleared when dropped"]
pub struct Timeout {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `callback` once, after `ms` milliseconds (at most 2^31 - 1: longer delays fire at
    /// once in browsers, so callers clamp them).
    pub fn new(ms: u32, callback: impl FnOnce() + 'static) -> Self {
        let callback = Closure::once(callback);
        let id = set_timeout(&callback, ms);
        Self {
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}
