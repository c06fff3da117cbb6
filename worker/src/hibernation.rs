//! The parts of the runtime's hibernation API that workers-rs 0.8 does not bind, or binds
//! with a conversion the hot path cannot afford.

use wasm_bindgen::prelude::*;
use worker::State;

#[wasm_bindgen]
extern "C" {
    /// `DurableObjectState`, seen through its hibernation methods.
    #[wasm_bindgen(extends = js_sys::Object)]
    pub type HibernationApi;

    /// Every accepted socket, as the runtime's own array.
    #[wasm_bindgen(method, js_name = getWebSockets)]
    pub fn get_websockets(this: &HibernationApi) -> js_sys::Array;

    /// The sockets with hibernation tag `tag`.
    #[wasm_bindgen(method, js_name = getWebSockets)]
    pub fn get_websockets_with_tag(this: &HibernationApi, tag: &str) -> js_sys::Array;

    /// When the runtime last answered this socket's ping on its own (auto-response), or
    /// `null` if it never has.
    #[wasm_bindgen(method, js_name = getWebSocketAutoResponseTimestamp)]
    fn get_websocket_auto_response_timestamp(
        this: &HibernationApi,
        ws: &JsValue,
    ) -> Option<js_sys::Date>;
}

/// The state's hibernation methods.
pub fn api(state: &State) -> &HibernationApi {
    state.as_raw().unchecked_ref()
}

/// When the runtime last auto-responded to a ping of `ws`, in ms since the epoch.
pub fn last_auto_response(state: &State, ws: &worker::WebSocket) -> Option<f64> {
    let ws: &JsValue = ws.as_ref().as_ref();
    api(state)
        .get_websocket_auto_response_timestamp(ws)
        .map(|date| date.get_time())
}
