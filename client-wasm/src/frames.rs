//! Decoding and encoding frames with the browser's own JSON.
//!
//! `JSON.parse` builds the JavaScript values listeners receive, so payloads are never converted;
//! the fields are then checked by the protocol crate's [`Envelope`], the same code the server
//! uses, so both sides agree on what a valid frame is.

use broadcast_protocol::{ChannelName, Envelope, ErrorCode, EventName, FrameError, ServerFrame};
use js_sys::{JSON, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::js::object;

/// Decodes a text frame from the server; the payload stays the value `JSON.parse` produced.
pub fn decode(text: &str) -> Result<ServerFrame<JsValue>, FrameError> {
    let value = JSON::parse(text).map_err(|_| FrameError::Malformed("not JSON".into()))?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(FrameError::Malformed("not a JSON object".into()));
    }
    let field = |name: &str| Reflect::get(&value, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let text = |name: &str| field(name).as_string();
    let kind = text("type").ok_or_else(|| FrameError::Malformed("no string `type`".into()))?;
    let data = Some(field("data")).filter(|data| !data.is_null() && !data.is_undefined());
    Envelope {
        kind,
        channel: text("channel"),
        event: text("event"),
        data,
        from: text("from"),
        socket_id: text("socket_id"),
        protocol: field("protocol").as_f64().map(|version| version as u32),
        code: text("code").map(|code| ErrorCode::from_name(&code)),
        message: text("message"),
    }
    .into_server_frame()
}

/// Encodes a whisper as JSON text; fails if `data` cannot be serialized (a cycle, a BigInt).
pub fn encode_whisper(
    channel: &ChannelName,
    event: &EventName,
    data: &JsValue,
) -> Result<String, JsValue> {
    let frame: Object = object(&[
        ("type", "whisper".into()),
        ("channel", channel.as_str().into()),
        ("event", event.as_str().into()),
        ("data", data.clone()),
    ]);
    JSON::stringify(&frame)?
        .as_string()
        .ok_or_else(|| "whisper data is not serializable".into())
}
