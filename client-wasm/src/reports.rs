//! The objects lifecycle listeners receive, made as object literals in JavaScript: one call
//! each, where building them from Rust takes a call and a key conversion per field.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "
export function stateChange(state, previous, reason, attempt, delay) {
  return attempt === undefined
    ? { state, previous, reason }
    : { state, previous, reason, attempt, delay };
}
export function errorReport(code, message) {
  return { code, message };
}
export function recoveryFailure(channel, reason) {
  return { channel, reason };
}
")]
extern "C" {
    #[wasm_bindgen(js_name = stateChange)]
    fn state_change(
        state: &str,
        previous: &str,
        reason: &str,
        attempt: JsValue,
        delay: JsValue,
    ) -> JsValue;

    /// `{ code, message }` for `onError`.
    #[wasm_bindgen(js_name = errorReport)]
    pub fn error_report(code: &JsValue, message: &str) -> JsValue;

    /// `{ channel, reason }` for `onRecoveryFailed`.
    #[wasm_bindgen(js_name = recoveryFailure)]
    pub fn recovery_failure(channel: &str, reason: &str) -> JsValue;
}

/// `{ state, previous, reason }` for `onStateChange`, with `attempt` and `delay` when a retry
/// is scheduled.
pub fn state_change_report(
    state: &str,
    previous: &str,
    reason: &str,
    retry: Option<(u32, u32)>,
) -> JsValue {
    let (attempt, delay) = match retry {
        Some((attempt, delay)) => (attempt.into(), delay.into()),
        None => (JsValue::UNDEFINED, JsValue::UNDEFINED),
    };
    state_change(state, previous, reason, attempt, delay)
}
