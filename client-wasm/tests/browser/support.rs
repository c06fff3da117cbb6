//! Helpers shared by the browser tests: servers, waiting with deadlines, recording calls.

use std::cell::RefCell;
use std::rc::Rc;

use broadcast_client::BroadcastClient;
use futures_util::future::{Either, select};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

const HOW_TO_RUN: &str = "run these tests through `npm test`, which starts the Worker";

pub fn worker_url() -> &'static str {
    match option_env!("BROADCAST_TEST_WORKER_URL") {
        Some(url) => url,
        None => panic!("{HOW_TO_RUN}"),
    }
}

pub fn control_url() -> &'static str {
    match option_env!("BROADCAST_TEST_CONTROL_URL") {
        Some(url) => url,
        None => panic!("{HOW_TO_RUN}"),
    }
}

/// The real Worker's WebSocket URL for `channel`.
pub fn channel_url(channel: &str) -> String {
    format!(
        "{}/ws/channel/{channel}",
        worker_url().replacen("http", "ws", 1)
    )
}

/// A channel name no other test uses.
pub fn unique(name: &str) -> String {
    format!("browser.{name}.{}", (js_sys::Math::random() * 1e9) as u64)
}

/// A channel token for user `sub` minted by the control server with the Worker's secret;
/// `extra` is more JSON claims (`"exp":1`).
pub async fn token(sub: &str, extra: &str) -> String {
    let comma = if extra.is_empty() { "" } else { "," };
    let claims = format!(r#"{{"sub":"{sub}"{comma}{extra}}}"#);
    get_string(&control("/token", &claims).await, "token")
}

/// The real Worker's URL for `channel` with a fresh token for `sub`.
pub async fn user_url(channel: &str, sub: &str) -> String {
    format!("{}?token={}", channel_url(channel), token(sub, "").await)
}

/// The fake channel's URL for test `key`, with extra query parameters (`mode=close&code=4100`).
pub fn fake_url(key: &str, query: &str) -> String {
    format!(
        "{}/fake?key={key}&{query}",
        control_url().replacen("http", "ws", 1)
    )
}

/// An options object.
pub fn options(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

/// A numeric option.
pub fn ms(value: u32) -> JsValue {
    value.into()
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

pub fn get_string(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

/// Awaits `promise`, failing the test after `ms`.
pub async fn within(ms: u32, what: &str, promise: Promise) -> JsValue {
    match select(JsFuture::from(promise), TimeoutFuture::new(ms)).await {
        Either::Left((result, _)) => result.unwrap_or_else(|err| panic!("{what} failed: {err:?}")),
        Either::Right(_) => panic!("timed out after {ms} ms waiting for {what}"),
    }
}

/// Awaits `promise` and returns its rejection, failing the test if it resolves or hangs.
pub async fn rejection(ms: u32, what: &str, promise: Promise) -> JsValue {
    match select(JsFuture::from(promise), TimeoutFuture::new(ms)).await {
        Either::Left((Err(err), _)) => err,
        Either::Left((Ok(value), _)) => panic!("{what} resolved with {value:?}"),
        Either::Right(_) => panic!("timed out after {ms} ms waiting for {what}"),
    }
}

/// Checks `condition` every 20 ms until it holds, failing the test after `ms`.
pub async fn eventually(ms: u32, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + f64::from(ms);
    while !condition() {
        assert!(
            js_sys::Date::now() < deadline,
            "timed out after {ms} ms waiting for {what}"
        );
        TimeoutFuture::new(20).await;
    }
}

/// A JavaScript function that appends its first argument to an array: a listener that
/// records what it receives, with no Rust closure behind it.
pub fn recorder() -> (Array, Function) {
    let calls = Array::new();
    let record = Function::new_with_args("value", "this.push(value)").bind0(&calls);
    (calls, record)
}

/// A Promise resolved by the first call of the listener handed to `subscribe`.
pub fn first_call(subscribe: impl FnOnce(&Function) -> Function) -> (Promise, Function) {
    let mut subscribe = Some(subscribe);
    let mut unsubscribe = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        unsubscribe = subscribe.take().map(|subscribe| subscribe(&resolve));
    });
    (promise, unsubscribe.unwrap())
}

/// Resolves when the client reaches `state`.
pub async fn reach_state(client: &BroadcastClient, state: &'static str, ms: u32) {
    if client.state() == state {
        return;
    }
    let resolve_slot: Rc<RefCell<Option<Function>>> = Rc::default();
    let promise = Promise::new(&mut |resolve, _| *resolve_slot.borrow_mut() = Some(resolve));
    let slot = resolve_slot.clone();
    let listener = Closure::<dyn Fn(JsValue)>::new(move |change: JsValue| {
        let now = get(&change, "state");
        let resolve = slot
            .borrow_mut()
            .take_if(|_| now.as_string().as_deref() == Some(state));
        if let Some(resolve) = resolve {
            resolve.call0(&JsValue::NULL).unwrap();
        }
    });
    let unsubscribe = client.on_state_change(listener.as_ref().unchecked_ref());
    within(ms, &format!("state {state}"), promise).await;
    unsubscribe.call0(&JsValue::NULL).unwrap();
}

/// Records every state change of `client` (the `{ state, previous, reason, ... }` objects).
pub fn state_changes(client: &BroadcastClient) -> Array {
    let (changes, record) = recorder();
    client.on_state_change(&record);
    changes
}

/// The states in `changes`, in order.
pub fn states(changes: &Array) -> Vec<String> {
    changes.iter().map(|c| get_string(&c, "state")).collect()
}

/// POSTs `body` to the control server and returns the JSON answer.
pub async fn control(path: &str, body: &str) -> JsValue {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.into());
    let window = web_sys::window().unwrap();
    let response = within(
        60_000,
        path,
        window.fetch_with_str_and_init(&format!("{}{path}", control_url()), &init),
    )
    .await;
    let response: web_sys::Response = response.unchecked_into();
    assert!(response.ok(), "{path} answered {}", response.status());
    within(5000, "response body", response.json().unwrap()).await
}

/// Broadcasts through the real Worker.
pub async fn broadcast(channel: &str, event: &str, data: &str) -> JsValue {
    let body = format!(r#"{{"channels":["{channel}"],"event":"{event}","data":{data}}}"#);
    control("/broadcast", &body).await
}

/// The connection attempts the fake channel recorded for `key`: `{ url, at, frames }`.
pub async fn fake_attempts(key: &str) -> Array {
    control("/fake/attempts", key).await.unchecked_into()
}

/// A URL factory that calls `produce` with the attempt number (1 for the first).
pub fn counting_factory(
    produce: impl Fn(u32) -> JsValue + 'static,
) -> Closure<dyn Fn() -> JsValue> {
    let calls = Rc::new(RefCell::new(0u32));
    Closure::new(move || {
        *calls.borrow_mut() += 1;
        let call = *calls.borrow();
        produce(call)
    })
}
