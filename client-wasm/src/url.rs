//! Turning the URL factory into the URL of the next attempt.
//!
//! The factory runs in a microtask, so a failure is reported after `createBroadcastClient` or
//! `connect()` returned (to listeners the application has had a chance to add). A small
//! JavaScript helper awaits its result (a string or a Promise of one), resolves it against the
//! page, maps `http(s):` to `ws(s):`, and adds the resume position: in JavaScript this costs a
//! fraction of what an async runtime and URL bindings cost in WebAssembly. The helper is
//! disarmed when the attempt is superseded, so a late settlement never reaches a freed callback.

use alloc::string::String;

use wasm_bindgen::prelude::*;

use crate::js::error_message;
use crate::text::concat;

#[wasm_bindgen(inline_js = "
export function settle(factory, since, epoch, history, callback) {
  const guard = { live: true };
  Promise.resolve()
    .then(() => (typeof factory === 'function' ? factory() : factory))
    .then((produced) => {
      if (typeof produced !== 'string') {
        throw new TypeError('urlFactory must return a string or a Promise of a string');
      }
      const url = new URL(produced, globalThis.location?.href);
      const scheme = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }[url.protocol];
      if (!scheme) throw new TypeError(`unsupported URL scheme ${url.protocol} in ${produced}`);
      url.protocol = scheme;
      if (epoch !== undefined) {
        url.searchParams.set('since', since);
        url.searchParams.set('epoch', epoch);
      } else if (history > 0) {
        url.searchParams.set('history', history);
      }
      return url.href;
    })
    .then(
      (url) => { if (guard.live) callback(true, url); },
      (err) => { if (guard.live) callback(false, err); },
    );
  return guard;
}
export function disarm(guard) {
  guard.live = false;
}
")]
extern "C" {
    fn settle(
        factory: &JsValue,
        since: f64,
        epoch: Option<String>,
        history: u32,
        callback: &Closure<dyn FnMut(bool, JsValue)>,
    ) -> JsValue;

    fn disarm(guard: &JsValue);
}

/// Where to resume a channel's stream: the last offset received, in its epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct Resume {
    /// The offset of the last event received.
    pub since: f64,
    /// The history epoch that offset belongs to.
    pub epoch: String,
}

/// A URL still being produced. Dropping it disarms the helper and frees the callback.
pub struct PendingUrl {
    guard: JsValue,
    _callback: Closure<dyn FnMut(bool, JsValue)>,
}

impl Drop for PendingUrl {
    fn drop(&mut self) {
        disarm(&self.guard);
    }
}

/// Asks the factory (a string, or a function returning a string or a Promise of one) for the
/// next URL, adds `resume` (or, joining afresh, a request for the latest `history` events) to
/// its query, and hands the WebSocket URL, or why there is none, to
/// `deliver`. Keep the returned [`PendingUrl`] until then.
pub fn request_url(
    factory: &JsValue,
    resume: Option<Resume>,
    history: u32,
    deliver: impl FnOnce(Result<String, String>) + 'static,
) -> PendingUrl {
    let mut deliver = Some(deliver);
    let callback = Closure::<dyn FnMut(bool, JsValue)>::new(move |ok: bool, value: JsValue| {
        let Some(deliver) = deliver.take() else {
            return;
        };
        deliver(match value.as_string() {
            Some(url) if ok => Ok(url),
            _ => Err(concat(&["urlFactory failed: ", &error_message(&value)])),
        });
    });
    let (since, epoch) = match resume {
        Some(resume) => (resume.since, Some(resume.epoch)),
        None => (0.0, None),
    };
    let guard = settle(factory, since, epoch, history, &callback);
    PendingUrl {
        guard,
        _callback: callback,
    }
}
