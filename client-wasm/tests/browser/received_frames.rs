//! What the client does with the frames it receives, fed straight to its socket in the page:
//! an event that repeats a checked channel and name takes a shorter path (`known_event.rs`),
//! which must accept, drop and refuse exactly what the full checks do.

use broadcast_client::create_broadcast_client;
use js_sys::{Array, Function, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

/// Sockets to `ws://in-page/...` URLs are stand-ins that the test hands frames to; any other
/// URL still gets the browser's WebSocket. Dropping it puts the browser's back.
struct InPageSockets(Object);

impl InPageSockets {
    fn install() -> Self {
        let install = Function::new_no_args(
            "const Real = globalThis.WebSocket;
             const sockets = [];
             class InPage {
               constructor(url) { this.url = url; this.readyState = 1; sockets.push(this); }
               send() {}
               close() { this.readyState = 3; }
               deliver(frame) { this.onmessage({ data: frame }); }
             }
             function WebSocket(url, protocols) {
               return url.startsWith('ws://in-page/') ? new InPage(url) : new Real(url, protocols);
             }
             Object.assign(WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
             globalThis.WebSocket = WebSocket;
             return { sockets, restore() { globalThis.WebSocket = Real; } };",
        );
        Self(install.call0(&JsValue::NULL).unwrap().unchecked_into())
    }

    fn sockets(&self) -> Array {
        get(&self.0, "sockets").unchecked_into()
    }

    /// Waits for the client to open a socket (it asks for the URL first, asynchronously).
    async fn opened(&self) {
        eventually(5000, "the client opening a socket", || {
            self.sockets().length() > 0
        })
        .await;
    }

    /// Hands `frame` to the last socket opened, as its `onmessage` would get it.
    fn deliver(&self, frame: &str) {
        let socket = self.sockets().at(-1);
        let deliver: Function = get(&socket, "deliver").unchecked_into();
        deliver.call1(&socket, &frame.into()).unwrap();
    }
}

impl Drop for InPageSockets {
    fn drop(&mut self) {
        let restore: Function = get(&self.0, "restore").unchecked_into();
        restore.call0(&self.0).unwrap();
    }
}

#[wasm_bindgen_test]
async fn repeated_events_are_checked_as_the_first_one_was() {
    let sockets = InPageSockets::install();
    let client = create_broadcast_client("ws://in-page/ws/channel/news".into(), None).unwrap();
    sockets.opened().await;
    sockets.deliver(
        r#"{"type":"welcome","protocol":1,"socket_id":"s1","channel":"news","epoch":"e1","offset":0}"#,
    );
    within(5000, "ready()", client.ready()).await;
    let (ticks, record_ticks) = recorder();
    let (metas, record_metas) = (
        Array::new(),
        Function::new_with_args("data, meta", "this.push(meta)"),
    );
    let (any, record_any) = recorder();
    client.on("tick", &record_ticks);
    client.on_any(&record_any);
    client.on("tick", &record_metas.bind0(&metas));

    let event =
        |rest: &str| format!(r#"{{"type":"event","channel":"news","event":"tick",{rest}}}"#);
    // The first goes through the full checks, the others repeat its channel and name.
    sockets.deliver(&event(r#""data":1,"offset":1"#));
    sockets.deliver(&event(r#""data":2,"offset":2"#));
    // Offsets already seen are dropped, whole or not (the full path truncates 1.5 to 1).
    sockets.deliver(&event(r#""data":"again","offset":2"#));
    sockets.deliver(&event(r#""data":"fraction","offset":1.5"#));
    // No data is `null`, and an offset that is not a number is no offset at all.
    sockets.deliver(&event(r#""offset":3"#));
    sockets.deliver(&event(r#""data":"no offset","offset":"9""#));
    // Same channel and name, but not an event, or with a name or channel that fails the checks.
    sockets.deliver(r#"{"type":"whisper","channel":"news","event":"tick","data":"w","from":"s2"}"#);
    sockets.deliver(
        r#"{"type":"event","channel":"news","event":"tick\u0007","data":"bad name","offset":4}"#,
    );
    sockets.deliver(
        r#"{"type":"event","channel":"news!","event":"tick","data":"bad channel","offset":5}"#,
    );
    sockets
        .deliver(r#"[{"type":"event","channel":"news","event":"tick","data":"array","offset":6}]"#);
    sockets.deliver(&event(r#""data":7,"offset":7"#));

    let expected = [
        JsValue::from(1),
        JsValue::from(2),
        JsValue::NULL,
        JsValue::from("no offset"),
        JsValue::from(7),
    ];
    assert_eq!(ticks.to_vec(), expected, "events delivered to `on`");
    // `onAny` would also get events of other names, such as an invalid one.
    assert_eq!(any.to_vec(), expected, "events delivered to `onAny`");
    let meta = metas.get(1);
    assert_eq!(get_string(&meta, "channel"), "news");
    assert_eq!(get_string(&meta, "event"), "tick");
    client.close();
}
