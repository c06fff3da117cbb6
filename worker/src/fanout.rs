//! The hot path: sending one frame to every socket of a channel.
//!
//! The frame is turned into a JavaScript string once, and that same value is handed to every
//! socket's `send`, iterating the runtime's own `getWebSockets()` array. Going through
//! workers-rs' `Vec<WebSocket>` and `send_with_str` instead would convert the array and
//! re-decode the UTF-8 frame into a fresh JavaScript string for every socket.

use broadcast_protocol::CloseCode;
use wasm_bindgen::prelude::*;
use worker::State;

use crate::hibernation::{RawSocket, api};

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
        Exclude::Nobody => None,
        Exclude::SocketId(id) => Some(api.get_websockets_with_tag(id).get(0)),
        Exclude::Socket(socket) => Some(socket.clone()),
    };
    let sockets = api.get_websockets();
    let mut delivered = 0;
    for index in 0..sockets.length() {
        let socket = sockets.get(index);
        if excluded.as_ref() == Some(&socket) {
            continue;
        }
        let socket: &RawSocket = socket.unchecked_ref();
        match socket.send(&frame.0) {
            Ok(()) => delivered += 1,
            Err(_) => close_quietly(socket, CloseCode::InternalError, "send failed"),
        }
    }
    delivered
}

/// How many sockets the channel holds, read without converting the runtime's array.
pub fn socket_count(state: &State) -> u32 {
    api(state).get_websockets().length()
}

/// Closes a socket, ignoring the error a socket that is already closing throws.
fn close_quietly(socket: &RawSocket, code: CloseCode, reason: &str) {
    let _ = socket.close(code.code(), reason);
}
