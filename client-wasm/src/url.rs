//! Turning the URL factory into the URL of the next attempt.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Url;

/// Produces the WebSocket URL for one attempt: calls the factory (a string, or a function
/// returning a string or a Promise of one), resolves a relative URL against the page, and
/// maps `http(s):` to `ws(s):`. Every failure is an error value, counted as a failed attempt.
pub async fn next_url(factory: &JsValue) -> Result<String, String> {
    let produced = match factory.dyn_ref::<Function>() {
        Some(function) => function
            .call0(&JsValue::UNDEFINED)
            .map_err(|err| describe("urlFactory threw", &err))?,
        None => factory.clone(),
    };
    let resolved = JsFuture::from(Promise::resolve(&produced))
        .await
        .map_err(|err| describe("urlFactory rejected", &err))?;
    let url = resolved
        .as_string()
        .ok_or("urlFactory must return a string or a Promise of a string")?;
    to_websocket_url(&url)
}

fn to_websocket_url(url: &str) -> Result<String, String> {
    let parsed = match page_location() {
        Some(base) => Url::new_with_base(url, &base),
        None => Url::new(url),
    }
    .map_err(|err| describe(&format!("invalid URL {url:?}"), &err))?;
    match parsed.protocol().as_str() {
        "http:" => parsed.set_protocol("ws:"),
        "https:" => parsed.set_protocol("wss:"),
        "ws:" | "wss:" => {}
        other => return Err(format!("unsupported URL scheme {other} in {url:?}")),
    }
    Ok(parsed.href())
}

fn page_location() -> Option<String> {
    let location = Reflect::get(&js_sys::global(), &"location".into()).ok()?;
    Reflect::get(&location, &"href".into()).ok()?.as_string()
}

fn describe(context: &str, err: &JsValue) -> String {
    let detail = err
        .dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".into());
    format!("{context}: {detail}")
}
