//! A client lives as long as it works, like a browser WebSocket: the JavaScript object that
//! `createBroadcastClient` returns survives garbage collection while it connects, is open or
//! waits to retry, even when the page keeps no reference to it; once closed it is collected.

use broadcast_client::create_broadcast_client_object;
use js_sys::{Array, Function, Promise, Reflect, WeakRef};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::memory::collect_garbage;
use crate::support::*;

/// Calls method `name` of the JavaScript client `client`.
fn call(client: &JsValue, name: &str, args: &[JsValue]) -> JsValue {
    let method: Function = Reflect::get(client, &name.into()).unwrap().unchecked_into();
    method
        .apply(client, &args.iter().collect::<Array>())
        .unwrap()
}

/// Lets the current job end (a WeakRef keeps its target alive until then) and collects.
async fn collect_after_this_job() {
    gloo_timers::future::TimeoutFuture::new(0).await;
    collect_garbage();
    gloo_timers::future::TimeoutFuture::new(0).await;
    collect_garbage();
}

#[wasm_bindgen_test]
async fn a_client_nobody_references_keeps_receiving_and_is_collected_once_closed() {
    let channel = unique("unreferenced");
    let (calls, record) = recorder();
    let weak: WeakRef = {
        let client = create_broadcast_client_object(channel_url(&channel).into(), None).unwrap();
        call(&client, "on", &["kept".into(), record.into()]);
        let ready: Promise = call(&client, "ready", &[]).unchecked_into();
        within(10_000, "ready()", ready).await;
        WeakRef::new(client.unchecked_ref())
    };
    collect_after_this_job().await;
    assert!(weak.deref().is_some(), "the open client was collected");

    broadcast(&channel, "kept", r#"{"n":1}"#).await;
    eventually(5000, "the event at the unreferenced client", || {
        calls.length() == 1
    })
    .await;

    let client: JsValue = weak.deref().unwrap().into();
    call(&client, "close", &[]);
    drop(client);
    collect_after_this_job().await;
    assert!(weak.deref().is_none(), "the closed client is still alive");
}
