//! JSON responses for the hot path, made in one JavaScript call.
//!
//! workers-rs' `Response::from_json`, turned into the runtime's `Response`, builds a `Headers`
//! object, copies the body into a fresh `Uint8Array` and converts a `ResponseInit`, about ten
//! crossings in all; a profile of `POST /broadcast` (bench/profile.mjs) put that above the
//! route's own logic. Here the body crosses once, as a string.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use worker::worker_sys::web_sys;

#[wasm_bindgen(inline_js = r#"
export function json_text_response(body, status) {
  return new Response(body, { status, headers: { 'content-type': 'application/json' } });
}
"#)]
extern "C" {
    fn json_text_response(body: &str, status: u16) -> web_sys::Response;
}

/// `value` as a JSON response with `status`, headed `Content-Type: application/json` like
/// workers-rs' `Response::from_json`.
pub fn json_response(value: &impl Serialize, status: u16) -> worker::Result<web_sys::Response> {
    Ok(json_text_response(&serde_json::to_string(value)?, status))
}
