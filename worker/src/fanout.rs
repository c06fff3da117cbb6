//! The hot path: sending one frame to every socket of a channel.
//!
//! The frame is turned into a JavaScript string once, and that same value is handed to every
//! socket's `send`, iterating the runtime's own `getWebSockets()` array. Going through
//! workers-rs' `Vec<WebSocket>` and `send_with_str` instead would convert the array and
//! re-decode the UTF-8 frame into a fresh JavaScript string for every socket.

use broadcast_protocol::CloseCode;
use wasm_bindgen::prelude::*;
use worker::State;

use crate::hibernation::api;

/// A frame encoded once, ready to send to many sockets.
pub struct EncodedFrame(JsValue);

impl EncodedFrame {
    /// Converts the JSON text into a JavaScript string, once.
    pub fn new(text: &str) -> Self {
        Self(JsValue::from_str(text))
    }
}

/// Which socket, if any, a fan-out leaves out.
pub enum Exclude<'a> {
    /// Deliver to every socket.
    Nobody,
    /// Leave out the socket with this socket id (its hibernation tag).
    SocketId(&'a str),
    /// Leave out this socket (the sender of a whisper).
    Socket(&'a JsValue),
}

/// Sends `frame` to every socket of the channel but the excluded one, and returns how many
/// sockets it reached. A socket whose `send` throws is closed with 1011 and not counted.
pub fn send_to_all(state: &State, frame: &EncodedFrame, exclude: Exclude<'_>) -> u32 {
    let api = api(state);
    let excluded = match exclude {
        Exclude::Nobody => JsValue::UNDEFINED,
        Exclude::SocketId(id) => api.get_websockets_with_tag(id).get(0),
        Exclude::Socket(socket) => socket.clone(),
    };
    let close_code = CloseCode::InternalError.code();
    send_each(
        &api.get_websockets(),
        &frame.0,
        &excluded,
        close_code,
        CLOSE_REASON_SEND_FAILED,
    )
}

/// Why a socket whose `send` threw is closed.
const CLOSE_REASON_SEND_FAILED: &str = "send failed";

// The loop itself runs in JavaScript: a loop in Rust crosses into JavaScript two or three times
// per socket (read the array, send, catch), which at thousands of sockets costs more than the
// rest of a broadcast.
#[wasm_bindgen(inline_js = r#"
export function send_each(sockets, frame, excluded, closeCode, reason) {
  let delivered = 0;
  for (const socket of sockets) {
    if (socket === excluded) continue;
    try {
      socket.send(frame);
      delivered += 1;
    } catch {
      try { socket.close(closeCode, reason); } catch {}
    }
  }
  return delivered;
}
"#)]
extern "C" {
    fn send_each(
        sockets: &js_sys::Array,
        frame: &JsValue,
        excluded: &JsValue,
        close_code: u16,
        reason: &str,
    ) -> u32;
}

/// How many sockets the channel holds, read without converting the runtime's array.
pub fn socket_count(state: &State) -> u32 {
    api(state).get_websockets().length()
}
