//! The promises handed out by `ready()`, settled when the connection opens or stops.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

// Made and settled in JavaScript: a Promise executor written in Rust costs a closure type's
// glue on both sides, and each settlement would be a call from Rust.
#[wasm_bindgen(inline_js = "
export function waitFor(waiters) {
  return new Promise((resolve, reject) => waiters.push([resolve, reject]));
}
export function settle(waiters, resolved, value) {
  for (const [resolve, reject] of waiters) {
    if (resolved) resolve(value);
    else reject(new Error(value));
  }
}
export function rejected(reason) {
  return Promise.reject(new Error(reason));
}
")]
extern "C" {
    #[wasm_bindgen(js_name = waitFor)]
    fn wait_for(waiters: &Array) -> Promise;

    fn settle(waiters: &Array, resolved: bool, value: &JsValue);

    /// A promise already rejected with an `Error` saying `reason`.
    pub fn rejected(reason: &str) -> Promise;
}

/// The resolve and reject functions of every pending `ready()` promise.
pub struct ReadyWaiters(Array);

impl Default for ReadyWaiters {
    fn default() -> Self {
        Self(Array::new())
    }
}

impl ReadyWaiters {
    /// A promise settled by the next `resolve` or `reject`.
    pub fn wait(&mut self) -> Promise {
        wait_for(&self.0)
    }

    /// Takes every waiter out, so they can be settled without holding the client borrowed.
    pub fn take(&mut self) -> Settle {
        Settle(core::mem::take(self).0)
    }
}

/// Waiters taken out of [`ReadyWaiters`], to be settled once.
pub struct Settle(Array);

impl Settle {
    /// Resolves every waiter with `value`.
    pub fn resolve(self, value: &JsValue) {
        settle(&self.0, true, value);
    }

    /// Rejects every waiter with an `Error` saying `reason`.
    pub fn reject(self, reason: &str) {
        settle(&self.0, false, &reason.into());
    }
}
