//! Connecting to the real Worker: events, whispers, `ready()`, restarts, closing, bad input.

use std::cell::RefCell;
use std::rc::Rc;

use broadcast_client::create_broadcast_client;
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

#[wasm_bindgen_test]
async fn receives_a_broadcast_and_ready_gives_the_socket_id() {
    let channel = unique("receive");
    let client = create_broadcast_client(channel_url(&channel).into(), None).unwrap();
    assert_eq!(client.state(), "connecting");
    let socket_id = within(10_000, "ready()", client.ready()).await;
    assert_eq!(client.state(), "open");
    assert_eq!(socket_id.as_string(), client.socket_id());
    assert_eq!(client.channel().as_deref(), Some(channel.as_str()));

    let (received, _unsubscribe) = first_call(|listener| client.on("greeting", listener));
    let (calls, record_call) = recorder();
    client.on("greeting", &describe_call(&record_call));
    client.on_any(&describe_call(&record_call));
    broadcast(&channel, "greeting", r#"{"text":"hello"}"#).await;
    let data = within(5000, "the broadcast", received).await;
    assert_eq!(get_string(&data, "text"), "hello");
    let expected = format!("2 channel,event {channel} greeting");
    assert_eq!(calls.get(0).as_string().unwrap(), expected, "on()");
    assert_eq!(calls.get(1).as_string().unwrap(), expected, "onAny()");
    client.close();
    assert_eq!(client.state(), "closed");
}

#[wasm_bindgen_test]
async fn whispers_reach_the_other_client_but_not_the_sender() {
    let channel = format!("private-{}", unique("whisper"));
    let sender = create_broadcast_client(user_url(&channel, "ada").await.into(), None).unwrap();
    let receiver = create_broadcast_client(user_url(&channel, "bob").await.into(), None).unwrap();
    let sender_id = within(10_000, "sender ready", sender.ready()).await;
    within(10_000, "receiver ready", receiver.ready()).await;

    let (echoes, record_echo) = recorder();
    sender.listen_for_whisper("typing", &record_echo);
    let (metas, record_meta) = recorder();
    let meta_listener = Function::new_with_args("data, meta", "this(meta)").bind0(&record_meta);
    receiver.listen_for_whisper("typing", &meta_listener);
    let (whispered, _unsubscribe) =
        first_call(|listener| receiver.listen_for_whisper("typing", listener));
    let (calls, record_call) = recorder();
    receiver.listen_for_whisper("typing", &describe_call(&record_call));

    assert_eq!(
        sender.whisper(&channel, "typing", "ada".into()).unwrap(),
        "sent"
    );
    assert_eq!(within(5000, "the whisper", whispered).await, "ada");
    let meta = metas.get(0);
    assert_eq!(
        get(&meta, "from"),
        sender_id,
        "stamped with the sender's socket id"
    );
    assert_eq!(get_string(&meta, "channel"), channel);
    assert_eq!(get_string(&meta, "event"), "typing");
    assert!(
        get(&meta, "user").is_undefined(),
        "a user on a channel without presence"
    );
    assert_eq!(
        calls.get(0).as_string().unwrap(),
        format!("2 channel,event,from,user {channel} typing"),
    );
    // A broadcast after the whisper reaches the sender after its echo would have.
    let (after, _unsubscribe) = first_call(|listener| sender.on("after", listener));
    broadcast(&channel, "after", "null").await;
    within(5000, "the broadcast after the whisper", after).await;
    assert_eq!(echoes.length(), 0, "the sender received its own whisper");
    sender.close();
    receiver.close();
}

#[wasm_bindgen_test]
async fn reconnects_by_itself_after_the_worker_restarts() {
    let channel = unique("restart");
    let url = channel_url(&channel);
    let calls = Rc::new(RefCell::new(0u32));
    let counter = calls.clone();
    let factory = Closure::<dyn Fn() -> JsValue>::new(move || {
        *counter.borrow_mut() += 1;
        url.clone().into()
    });
    let client = create_broadcast_client(
        factory.as_ref().clone(),
        Some(options(&[
            ("initialDelay", ms(200)),
            ("maxDelay", ms(1000)),
        ])),
    )
    .unwrap();
    let first_socket = within(10_000, "ready()", client.ready()).await;

    let (reconnecting, _unsubscribe) = first_call(|listener| client.on_state_change(listener));
    control("/restart", "").await;
    let change = within(10_000, "the drop to be noticed", reconnecting).await;
    assert_eq!(get_string(&change, "state"), "reconnecting");
    let second_socket = within(30_000, "ready() after the restart", client.ready()).await;
    assert_ne!(
        second_socket, first_socket,
        "a new socket after the restart"
    );
    assert!(
        *calls.borrow() >= 2,
        "the URL factory runs on every attempt"
    );

    let (received, _unsubscribe) = first_call(|listener| client.on("back", listener));
    broadcast(&channel, "back", "1").await;
    assert_eq!(
        within(5000, "a broadcast after reconnecting", received).await,
        1
    );
    client.close();
}

#[wasm_bindgen_test]
async fn reconnect_and_connect_after_close_open_a_new_connection() {
    let channel = unique("reopen");
    let client = create_broadcast_client(channel_url(&channel).into(), None).unwrap();
    let first = within(10_000, "ready()", client.ready()).await;
    let changes = state_changes(&client);
    client.close();
    assert_eq!(client.state(), "closed");
    assert_eq!(states(&changes), ["closed"], "listeners hear the close");
    let refused = rejection(1000, "ready() while closed", client.ready()).await;
    assert!(format!("{refused:?}").contains("closed"));

    client.reconnect();
    let second = within(10_000, "ready() after reconnect()", client.ready()).await;
    assert_ne!(first, second);
    let released = states(&changes);
    assert_eq!(released, ["closed"], "close() released the listeners");

    client.reconnect();
    assert_eq!(client.state(), "connecting");
    let third = within(10_000, "ready() after a second reconnect()", client.ready()).await;
    assert_ne!(second, third, "reconnect() replaces an open socket");

    client.close();
    client.connect();
    let fourth = within(10_000, "ready() after connect()", client.ready()).await;
    assert_ne!(third, fourth);
    client.close();
}

#[wasm_bindgen_test]
async fn auto_connect_false_waits_for_connect() {
    let channel = unique("manual");
    let client = create_broadcast_client(
        channel_url(&channel).into(),
        Some(options(&[("autoConnect", false.into())])),
    )
    .unwrap();
    assert_eq!(client.state(), "idle");
    let ready = client.ready();
    client.connect();
    within(10_000, "ready() after connect()", ready).await;
    client.close();
}

fn message_of(result: Result<impl Sized, JsError>) -> String {
    let err = JsValue::from(result.err().expect("an error"));
    get_string(&err, "message")
}

#[wasm_bindgen_test]
fn rejects_bad_arguments_with_clear_errors() {
    let url = || JsValue::from("ws://127.0.0.1:9/ws/channel/x");
    let idle = || Some(options(&[("autoConnect", false.into())]));

    let message = message_of(create_broadcast_client(JsValue::from(5), None));
    assert!(message.contains("urlFactory"), "{message}");

    let cases: [(&str, JsValue, &str); 6] = [
        ("initalDelay", ms(5), "unknown option `initalDelay`"),
        (
            "maxDelay",
            "soon".into(),
            "`maxDelay` must be a whole number",
        ),
        ("initialDelay", ms(0), "initialDelay"),
        ("heartbeatTimeout", ms(0), "heartbeatTimeout"),
        (
            "maxRetries",
            (-1.0).into(),
            "`maxRetries` must be a whole number",
        ),
        (
            "autoConnect",
            "yes".into(),
            "`autoConnect` must be true or false",
        ),
    ];
    for (key, value, expected) in cases {
        let message = message_of(create_broadcast_client(
            url(),
            Some(options(&[(key, value)])),
        ));
        assert!(message.contains(expected), "{key}: {message}");
    }
    let message = message_of(create_broadcast_client(url(), Some("fast".into())));
    assert!(message.contains("must be an object"), "{message}");

    let client = create_broadcast_client(url(), idle()).unwrap();
    let message = message_of(client.whisper("no spaces", "typing", JsValue::NULL));
    assert!(message.contains("channel name"), "{message}");
    let message = message_of(client.whisper("x", "", JsValue::NULL));
    assert!(message.contains("event name"), "{message}");
    let cyclic = js_sys::Object::new();
    js_sys::Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let message = message_of(client.whisper("x", "typing", cyclic.into()));
    assert!(message.contains("JSON-serializable"), "{message}");
    let huge = "x".repeat(70 * 1024);
    let message = message_of(client.whisper("x", "typing", huge.into()));
    assert!(message.contains("65536-byte frame limit"), "{message}");
    assert_eq!(
        client.state(),
        "idle",
        "refused whispers leave the client alone"
    );
}

#[wasm_bindgen_test]
async fn the_history_option_delivers_the_latest_events_on_joining() {
    let channel = unique("history");
    for n in 1..=4 {
        broadcast(&channel, "n", &n.to_string()).await;
    }
    let client = create_broadcast_client(
        channel_url(&channel).into(),
        Some(options(&[("history", ms(2))])),
    )
    .unwrap();
    let (received, record) = recorder();
    client.on("n", &record);
    within(10_000, "ready()", client.ready()).await;
    broadcast(&channel, "n", "5").await;
    eventually(5000, "two past events and a live one", || {
        received.length() == 3
    })
    .await;
    let numbers: Vec<f64> = received.iter().map(|n| n.as_f64().unwrap()).collect();
    assert_eq!(numbers, [3.0, 4.0, 5.0]);
    client.close();
}

/// A listener that records how it was called: the number of arguments, then `meta`'s keys,
/// channel and event.
fn describe_call(record: &Function) -> Function {
    Function::new_with_args(
        "data, meta",
        "this(`${arguments.length} ${Object.keys(meta)} ${meta.channel} ${meta.event}`)",
    )
    .bind0(record)
}
