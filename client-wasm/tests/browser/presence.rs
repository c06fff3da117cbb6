//! Presence through the SDK against the real Worker: `members`, `onHere`, `onJoin`,
//! `onLeave`, and the list across a reconnect.

use broadcast_client::create_broadcast_client;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

fn ids(members: &Array) -> Vec<String> {
    members
        .iter()
        .map(|member| get_string(&member, "id"))
        .collect()
}

async fn presence_url(channel: &str, sub: &str) -> String {
    let claims = format!(r#""user_info":{{"name":"{sub}"}}"#);
    format!(
        "{}?token={}",
        channel_url(channel),
        token(sub, &claims).await
    )
}

#[wasm_bindgen_test]
async fn members_follow_joins_and_leaves_and_survive_a_reconnect() {
    let channel = format!("presence-{}", unique("room"));
    let ada = create_broadcast_client(presence_url(&channel, "ada").await.into(), None).unwrap();
    let (heres, record_here) = recorder();
    let (joins, record_join) = recorder();
    let (leaves, record_leave) = recorder();
    ada.on_here(&record_here);
    ada.on_join(&record_join);
    ada.on_leave(&record_leave);
    eventually(10_000, "ada's here", || heres.length() == 1).await;
    assert_eq!(ids(&ada.members()), ["ada"]);
    let info = js_sys::JSON::stringify(&get(&ada.members().get(0), "info")).unwrap();
    assert_eq!(String::from(info), r#"{"name":"ada"}"#);

    let bob_url = presence_url(&channel, "bob").await;
    let bob_tabs = [
        create_broadcast_client(bob_url.clone().into(), None).unwrap(),
        create_broadcast_client(bob_url.into(), None).unwrap(),
    ];
    for tab in &bob_tabs {
        within(10_000, "bob ready", tab.ready()).await;
    }
    eventually(10_000, "bob's join", || joins.length() == 1).await;
    assert_eq!(get_string(&joins.get(0), "id"), "bob");
    assert_eq!(ids(&ada.members()), ["ada", "bob"]);
    eventually(10_000, "bob's list", || bob_tabs[1].members().length() == 2).await;

    // A reconnect brings a fresh here that replaces the list, and no join for anyone.
    ada.reconnect();
    eventually(10_000, "a second here", || heres.length() == 2).await;
    assert_eq!(ids(&Array::from(&heres.get(1))), ["bob", "ada"]);
    assert_eq!(ids(&ada.members()), ["bob", "ada"]);

    bob_tabs[0].close();
    // Frames arrive in order: once a broadcast sent after the close is in, a leave would be too.
    let (marker, _stop) = first_call(|listener| ada.on("marker", listener));
    broadcast(&channel, "marker", "1").await;
    within(5000, "the marker", marker).await;
    assert_eq!(leaves.length(), 0, "bob still has a tab open");

    bob_tabs[1].close();
    eventually(10_000, "bob's leave", || leaves.length() == 1).await;
    assert_eq!(get_string(&leaves.get(0), "id"), "bob");
    assert_eq!(ids(&ada.members()), ["ada"]);
    assert_eq!(joins.length(), 1, "joins: {:?}", ids(&joins));
    ada.close();
    assert_eq!(ada.members().length(), 0, "close() clears the list");
}

#[wasm_bindgen_test]
async fn whispers_on_presence_carry_the_sender_user_id() {
    let channel = format!("presence-{}", unique("whisper"));
    let ada = create_broadcast_client(presence_url(&channel, "ada").await.into(), None).unwrap();
    let bob = create_broadcast_client(presence_url(&channel, "bob").await.into(), None).unwrap();
    within(10_000, "ada ready", ada.ready()).await;
    within(10_000, "bob ready", bob.ready()).await;
    let (metas, record_meta) = recorder();
    let meta_listener =
        js_sys::Function::new_with_args("data, meta", "this(meta)").bind0(&record_meta);
    bob.listen_for_whisper("wave", &meta_listener);
    ada.whisper(&channel, "wave", JsValue::TRUE).unwrap();
    eventually(5000, "the whisper", || metas.length() == 1).await;
    assert_eq!(get_string(&metas.get(0), "user"), "ada");
    ada.close();
    bob.close();
}
