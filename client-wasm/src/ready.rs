//! The promises handed out by `ready()`, settled when the connection opens or stops.

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;

/// The resolve and reject functions of every pending `ready()` promise.
#[derive(Default)]
pub struct ReadyWaiters(Vec<(Function, Function)>);

impl ReadyWaiters {
    /// A promise settled by the next `resolve` or `reject`.
    pub fn wait(&mut self) -> Promise {
        Promise::new(&mut |resolve, reject| self.0.push((resolve, reject)))
    }

    /// Takes every waiter out, so they can be settled without holding the client borrowed.
    pub fn take(&mut self) -> Settle {
        Settle(std::mem::take(&mut self.0))
    }
}

/// Waiters taken out of [`ReadyWaiters`], to be settled once.
pub struct Settle(Vec<(Function, Function)>);

impl Settle {
    /// Resolves every waiter with `value`.
    pub fn resolve(self, value: &JsValue) {
        for (resolve, _) in self.0 {
            let _ = resolve.call1(&JsValue::UNDEFINED, value);
        }
    }

    /// Rejects every waiter with an `Error` saying `reason`.
    pub fn reject(self, reason: &str) {
        if self.0.is_empty() {
            return;
        }
        let error = js_sys::Error::new(reason);
        for (_, reject) in self.0 {
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        }
    }
}

/// A promise already rejected with an `Error` saying `reason`.
pub fn rejected(reason: &str) -> Promise {
    Promise::reject(&js_sys::Error::new(reason).into())
}
