//! POSTing a JSON body to a channel's Durable Object and reading its answer, in one JavaScript
//! call awaited once, which hands back the body of a 200 answer and fails on any other.
//!
//! Going through workers-rs' `Request` and `Response` instead cost about a third of a
//! broadcast's per-request CPU in a profile (bench/profile.mjs): building the `Request`, reading
//! `cf` and the headers of the response, and reading its body as a stream chunk by chunk, with
//! an executor round trip per chunk.

use wasm_bindgen::prelude::*;
use worker::Stub;
use worker::wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export async function post_text(stub, url, body) {
  const response = await stub.fetch(url, { method: 'POST', body });
  const text = await response.text();
  if (response.status !== 200) throw `channel answered ${response.status}: ${text}`;
  return text;
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn post_text(stub: &JsValue, url: &str, body: &str) -> Result<js_sys::Promise, JsValue>;
}

/// The body text of the object's 200 answer to `POST url` with `body`. Any other status is an
/// error saying `channel answered {status}: {body}`.
pub async fn post(stub: Stub, url: &str, body: &str) -> worker::Result<String> {
    let stub: JsValue = stub.into_rpc();
    let text = JsFuture::from(post_text(&stub, url, body)?).await?;
    Ok(text.as_string().unwrap_or_default())
}
