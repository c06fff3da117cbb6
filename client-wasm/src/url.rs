//! Turning the URL factory into the URL of the next attempt.
//!
//! The factory runs in a microtask, so a failure is reported after `createBroadcastClient` or
//! `connect()` returned (to listeners the application has had a chance to add). Its result,
//! a string or a Promise of one, is awaited by a small JavaScript helper instead of an async
//! runtime (which would cost the bundle a few kilobytes); the helper is disarmed when the
//! attempt is superseded, so a late settlement never reaches a freed callback.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::Url;

use crate::js::{error_message, global_this};

#[wasm_bindgen(inline_js = "
export function settle(factory, callback) {
  const guard = { live: true };
  Promise.resolve()
    .then(() => (typeof factory === 'function' ? factory() : factory))
    .then(
      (url) => { if (guard.live) callback(true, url); },
      (err) => { if (guard.live) callback(false, err); },
    );
  return guard;
}
")]
extern "C" {
    fn settle(factory: &JsValue, callback: &Closure<dyn FnMut(bool, JsValue)>) -> Object;
}

/// A URL still being produced. Dropping it disarms the helper and frees the callback.
pub struct PendingUrl {
    guard: Object,
    _callback: Closure<dyn FnMut(bool, JsValue)>,
}

impl Drop for PendingUrl {
    fn drop(&mut self) {
        let _ = Reflect::set(&self.guard, &"live".into(), &JsValue::FALSE);
    }
}

/// Asks the factory (a string, or a function returning a string or a Promise of one) for the
/// next URL and hands the WebSocket URL, or why there is none, to `deliver`. Keep the returned
/// [`PendingUrl`] until then.
pub fn request_url(
    factory: &JsValue,
    deliver: impl FnOnce(Result<String, String>) + 'static,
) -> PendingUrl {
    let mut deliver = Some(deliver);
    let callback = Closure::<dyn FnMut(bool, JsValue)>::new(move |ok: bool, value: JsValue| {
        let Some(deliver) = deliver.take() else {
            return;
        };
        deliver(if ok {
            websocket_url(&value)
        } else {
            Err(format!("urlFactory failed: {}", error_message(&value)))
        });
    });
    let guard = settle(factory, &callback);
    PendingUrl {
        guard,
        _callback: callback,
    }
}

/// Resolves a relative URL against the page and maps `http(s):` to `ws(s):`.
fn websocket_url(produced: &JsValue) -> Result<String, String> {
    let url = produced
        .as_string()
        .ok_or("urlFactory must return a string or a Promise of a string")?;
    let parsed = match page_location() {
        Some(base) => Url::new_with_base(&url, &base),
        None => Url::new(&url),
    }
    .map_err(|err| format!("invalid URL `{url}`: {}", error_message(&err)))?;
    match parsed.protocol().as_str() {
        "http:" => parsed.set_protocol("ws:"),
        "https:" => parsed.set_protocol("wss:"),
        "ws:" | "wss:" => {}
        other => return Err(format!("unsupported URL scheme {other} in `{url}`")),
    }
    Ok(parsed.href())
}

fn page_location() -> Option<String> {
    let location = Reflect::get(&global_this(), &"location".into()).ok()?;
    Reflect::get(&location, &"href".into()).ok()?.as_string()
}
