//! POSTing a JSON body to a channel's Durable Object and reading its answer, in one JavaScript
//! call awaited once.
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
  return [response.status, await response.text()];
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn post_text(stub: &JsValue, url: &str, body: &str) -> Result<js_sys::Promise, JsValue>;
}

/// The status and body text of the object's answer to `POST url` with `body`.
pub async fn post(stub: Stub, url: &str, body: &str) -> worker::Result<(u16, String)> {
    let stub: JsValue = stub.into_rpc();
    let reply: js_sys::Array = JsFuture::from(post_text(&stub, url, body)?)
        .await?
        .unchecked_into();
    let status = reply.get(0).as_f64().unwrap_or_default() as u16;
    Ok((status, reply.get(1).as_string().unwrap_or_default()))
}
