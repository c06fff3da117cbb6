//! Decoding and encoding frames with the browser's own JSON, through the protocol's types.

use broadcast_protocol::{ChannelName, ClientFrame, Envelope, EventName, FrameError, ServerFrame};
use js_sys::JSON;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// A payload kept as the JavaScript value `JSON.parse` produced: handed to listeners as is.
#[derive(Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsPayload(#[serde(with = "serde_wasm_bindgen::preserve")] pub JsValue);

/// Decodes a text frame from the server.
pub fn decode(text: &str) -> Result<ServerFrame<JsPayload>, FrameError> {
    let value = JSON::parse(text).map_err(|_| FrameError::Malformed("not JSON".into()))?;
    let envelope: Envelope<JsPayload> = serde_wasm_bindgen::from_value(value)
        .map_err(|err| FrameError::Malformed(err.to_string()))?;
    envelope.into_server_frame()
}

/// Encodes a whisper as JSON text; fails if `data` cannot be serialized (a cycle, a BigInt).
pub fn encode_whisper(
    channel: ChannelName,
    event: EventName,
    data: JsValue,
) -> Result<String, JsValue> {
    let frame = ClientFrame::Whisper {
        channel,
        event,
        data: Some(JsPayload(data)),
    };
    let value = frame.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
    JSON::stringify(&value)?
        .as_string()
        .ok_or_else(|| "whisper data is not serializable".into())
}
