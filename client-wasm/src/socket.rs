//! One WebSocket and the handlers attached to it, released together.

use alloc::string::String;

use wasm_bindgen::prelude::*;

// Opening, wiring and closing in JavaScript: three imports instead of the eight WebSocket and
// event accessors the bindings would need, and the handlers get the values themselves.
#[wasm_bindgen(inline_js = "
export function openSocket(url, onMessage, onClose) {
  const ws = new WebSocket(url);
  ws.onmessage = (event) => onMessage(event.data);
  ws.onclose = (event) => onClose(event.code, event.reason);
  return ws;
}
export function closeSocket(ws) {
  ws.onmessage = ws.onclose = null;
  if (ws.readyState <= WebSocket.OPEN) ws.close(1000);
}
")]
extern "C" {
    /// A browser `WebSocket`.
    pub type WebSocket;

    #[wasm_bindgen(js_name = openSocket, catch)]
    fn open_socket(
        url: &str,
        on_message: &Closure<dyn FnMut(JsValue)>,
        on_close: &Closure<dyn FnMut(u16, String)>,
    ) -> Result<WebSocket, JsValue>;

    #[wasm_bindgen(js_name = closeSocket)]
    fn close_socket(ws: &WebSocket);

    #[wasm_bindgen(method, catch)]
    fn send(this: &WebSocket, text: &str) -> Result<(), JsValue>;
}

/// An open (or opening) browser WebSocket. Dropping it detaches its handlers, frees their
/// closures and closes the socket, so a superseded socket can never call back.
pub struct Socket {
    ws: WebSocket,
    _on_message: Closure<dyn FnMut(JsValue)>,
    _on_close: Closure<dyn FnMut(u16, String)>,
}

impl Socket {
    /// Opens a WebSocket to `url`; `on_message` gets each message's data, `on_close` the close
    /// code and reason.
    pub fn open(
        url: &str,
        on_message: impl FnMut(JsValue) + 'static,
        on_close: impl FnMut(u16, String) + 'static,
    ) -> Result<Self, JsValue> {
        let on_message = Closure::<dyn FnMut(JsValue)>::new(on_message);
        let on_close = Closure::<dyn FnMut(u16, String)>::new(on_close);
        let ws = open_socket(url, &on_message, &on_close)?;
        Ok(Self {
            ws,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    /// Sends a text frame.
    pub fn send(&self, text: &str) -> Result<(), JsValue> {
        self.ws.send(text)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        close_socket(&self.ws);
    }
}
