//! The SDK in headless Chromium against the real Worker on workerd.
//!
//! Run by `npm test`, which starts the Worker and a control server and passes their URLs at
//! compile time (`BROADCAST_TEST_WORKER_URL`, `BROADCAST_TEST_CONTROL_URL`).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use broadcast_client::{BroadcastClient, create_broadcast_client};
use futures_util::future::{Either, select};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HOW_TO_RUN: &str = "run these tests through `npm test`, which starts the Worker";

fn worker_url() -> &'static str {
    match option_env!("BROADCAST_TEST_WORKER_URL") {
        Some(url) => url,
        None => panic!("{HOW_TO_RUN}"),
    }
}

fn control_url() -> &'static str {
    match option_env!("BROADCAST_TEST_CONTROL_URL") {
        Some(url) => url,
        None => panic!("{HOW_TO_RUN}"),
    }
}

fn channel_url(channel: &str) -> String {
    format!(
        "{}/ws/channel/{channel}",
        worker_url().replacen("http", "ws", 1)
    )
}

fn unique_channel(name: &str) -> String {
    format!("browser.{name}.{}", (js_sys::Math::random() * 1e9) as u64)
}

fn options(fields: &[(&str, f64)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        Reflect::set(&object, &(*key).into(), &(*value).into()).unwrap();
    }
    object.into()
}

/// Awaits `promise`, failing the test after `ms`.
async fn within(ms: u32, what: &str, promise: Promise) -> JsValue {
    match select(JsFuture::from(promise), TimeoutFuture::new(ms)).await {
        Either::Left((result, _)) => result.unwrap_or_else(|err| panic!("{what} failed: {err:?}")),
        Either::Right(_) => panic!("timed out after {ms} ms waiting for {what}"),
    }
}

/// A Promise resolved by the first call of the listener it hands to `subscribe`.
fn first_call(subscribe: impl FnOnce(&Function) -> Function) -> (Promise, Function) {
    let mut subscribe = Some(subscribe);
    let mut unsubscribe = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        unsubscribe = subscribe.take().map(|subscribe| subscribe(&resolve));
    });
    (promise, unsubscribe.unwrap())
}

/// Resolves when the client reaches `state`.
async fn reach_state(client: &BroadcastClient, state: &'static str, ms: u32) {
    if client.state() == state {
        return;
    }
    let resolve_slot: Rc<RefCell<Option<Function>>> = Rc::default();
    let promise = Promise::new(&mut |resolve, _| *resolve_slot.borrow_mut() = Some(resolve));
    let slot = resolve_slot.clone();
    let listener = Closure::<dyn Fn(JsValue)>::new(move |change: JsValue| {
        let now = Reflect::get(&change, &"state".into()).unwrap();
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

async fn control(path: &str, body: &str) -> JsValue {
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

async fn broadcast(channel: &str, event: &str, data: &str) -> JsValue {
    let body = format!(r#"{{"channels":["{channel}"],"event":"{event}","data":{data}}}"#);
    control("/broadcast", &body).await
}

#[wasm_bindgen_test]
async fn receives_a_broadcast_from_the_worker() {
    let channel = unique_channel("receive");
    let client = create_broadcast_client(channel_url(&channel).into(), None).unwrap();
    reach_state(&client, "open", 10_000).await;
    assert!(client.socket_id().is_some());
    assert_eq!(client.channel().as_deref(), Some(channel.as_str()));

    let (received, _unsubscribe) = first_call(|listener| client.on("greeting", listener));
    broadcast(&channel, "greeting", r#"{"text":"hello"}"#).await;
    let data = within(5000, "the broadcast", received).await;
    assert_eq!(Reflect::get(&data, &"text".into()).unwrap(), "hello");
    client.close();
    assert_eq!(client.state(), "closed");
}

#[wasm_bindgen_test]
async fn whispers_reach_the_other_client_but_not_the_sender() {
    let channel = unique_channel("whisper");
    let sender = create_broadcast_client(channel_url(&channel).into(), None).unwrap();
    let receiver = create_broadcast_client(channel_url(&channel).into(), None).unwrap();
    reach_state(&sender, "open", 10_000).await;
    reach_state(&receiver, "open", 10_000).await;

    let echoes = Rc::new(RefCell::new(0));
    let count = echoes.clone();
    let echo_listener = Closure::<dyn Fn()>::new(move || *count.borrow_mut() += 1);
    let _stop_echo = sender.listen_for_whisper("typing", echo_listener.as_ref().unchecked_ref());
    let (whispered, _unsubscribe) =
        first_call(|listener| receiver.listen_for_whisper("typing", listener));

    assert_eq!(
        sender.whisper(&channel, "typing", "ada".into()).unwrap(),
        "sent"
    );
    assert_eq!(within(5000, "the whisper", whispered).await, "ada");
    // A broadcast after the whisper reaches the sender after its echo would have.
    let (after, _unsubscribe) = first_call(|listener| sender.on("after", listener));
    broadcast(&channel, "after", "null").await;
    within(5000, "the broadcast after the whisper", after).await;
    assert_eq!(*echoes.borrow(), 0, "the sender received its own whisper");
    sender.close();
    receiver.close();
}

#[wasm_bindgen_test]
async fn reconnects_by_itself_after_the_server_closed_it() {
    let channel = unique_channel("reconnect");
    let calls = Rc::new(RefCell::new(0u32));
    let counter = calls.clone();
    let url = channel_url(&channel);
    let factory = Closure::<dyn Fn() -> JsValue>::new(move || {
        *counter.borrow_mut() += 1;
        url.clone().into()
    });
    let client = create_broadcast_client(
        factory.as_ref().clone(),
        Some(options(&[("initialDelay", 200.0), ("maxDelay", 1000.0)])),
    )
    .unwrap();
    reach_state(&client, "open", 10_000).await;
    let first_socket = client.socket_id().unwrap();

    let (reconnecting, _unsubscribe) = first_call(|listener| client.on_state_change(listener));
    control("/restart", "").await;
    let change = within(10_000, "the drop to be noticed", reconnecting).await;
    assert_eq!(
        Reflect::get(&change, &"state".into()).unwrap(),
        "reconnecting"
    );
    reach_state(&client, "open", 30_000).await;
    assert_ne!(
        client.socket_id().unwrap(),
        first_socket,
        "a new socket after the restart"
    );
    assert!(
        *calls.borrow() >= 2,
        "the URL factory is called on every attempt"
    );

    let (received, _unsubscribe) = first_call(|listener| client.on("back", listener));
    broadcast(&channel, "back", "1").await;
    assert_eq!(
        within(5000, "the broadcast after reconnecting", received).await,
        1
    );
    client.close();
}

#[wasm_bindgen_test]
fn rejects_bad_arguments_with_clear_errors() {
    let err = create_broadcast_client(JsValue::from(5), None)
        .err()
        .unwrap();
    let message = Reflect::get(&JsValue::from(err), &"message".into()).unwrap();
    assert!(message.as_string().unwrap().contains("urlFactory"));

    let bad_options = options(&[("initalDelay", 5.0)]);
    let err = create_broadcast_client("ws://127.0.0.1:9/x".into(), Some(bad_options))
        .err()
        .unwrap();
    let message = Reflect::get(&JsValue::from(err), &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(message.contains("initalDelay"), "{message}");
}
