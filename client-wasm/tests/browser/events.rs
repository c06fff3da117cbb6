//! Listener management: unsubscribe functions, `once`, `off`, `onAny`, and throwing listeners.

use broadcast_client::create_broadcast_client;
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

#[wasm_bindgen_test]
async fn unsubscribing_stops_delivery() {
    let channel = unique("unsubscribe");
    let client = create_broadcast_client(channel_url(&channel).into(), None).unwrap();
    within(10_000, "ready()", client.ready()).await;

    let (kept, record_kept) = recorder();
    let (dropped, record_dropped) = recorder();
    let (offed, record_offed) = recorder();
    let (once, record_once) = recorder();
    let (any, record_any) = recorder();
    client.on("tick", &record_kept);
    let unsubscribe = client.on("tick", &record_dropped);
    client.on("tick", &record_offed);
    client.once("tick", &record_once);
    let stop_any = client.on_any(&record_any);

    broadcast(&channel, "tick", "1").await;
    eventually(5000, "the first tick", || kept.length() == 1).await;
    unsubscribe.call0(&JsValue::NULL).unwrap();
    client.off("tick", &record_offed);
    stop_any.call0(&JsValue::NULL).unwrap();
    broadcast(&channel, "tick", "2").await;
    broadcast(&channel, "other", "3").await;
    // Frames arrive in order and listeners run synchronously, so once the kept listener has
    // the second tick, every other listener has had its chance too.
    eventually(5000, "the second tick", || kept.length() == 2).await;

    assert_eq!(dropped.length(), 1, "the unsubscribed listener ran again");
    assert_eq!(
        offed.length(),
        1,
        "the listener removed with off() ran again"
    );
    assert_eq!(once.length(), 1, "the once listener ran twice");
    assert_eq!(
        any.length(),
        1,
        "the onAny listener ran after unsubscribing"
    );
    client.close();
}

#[wasm_bindgen_test]
async fn a_throwing_listener_does_not_break_the_others() {
    let channel = unique("throwing");
    let client = create_broadcast_client(channel_url(&channel).into(), None).unwrap();
    within(10_000, "ready()", client.ready()).await;

    let throwing = Function::new_no_args("throw new Error('listener bug')");
    let (before, record_before) = recorder();
    let (after, record_after) = recorder();
    client.on("news", &record_before);
    client.on("news", &throwing);
    client.on("news", &record_after);
    client.on_state_change(&throwing);

    broadcast(&channel, "news", r#""first""#).await;
    broadcast(&channel, "news", r#""second""#).await;
    eventually(5000, "both broadcasts", || after.length() == 2).await;
    assert_eq!(before.length(), 2);
    assert_eq!(client.state(), "open", "the SDK kept going");
    client.close();
    assert_eq!(
        client.state(),
        "closed",
        "a throwing state listener does not stop close()"
    );
}
