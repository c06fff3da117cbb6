//! Decoding and encoding frames with the browser's own JSON.
//!
//! `JSON.parse` builds the JavaScript values listeners receive, so payloads are never converted;
//! the fields are then checked by the protocol crate's [`Envelope`], the same code the server
//! uses, so both sides agree on what a valid frame is.

use broadcast_protocol::{
    ChannelName, Envelope, ErrorCode, EventName, FrameError, Member, ServerFrame,
};
use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::js::object;

/// Decodes a text frame from the server; the payload stays the value `JSON.parse` produced.
pub fn decode(text: &str) -> Result<ServerFrame<JsValue>, FrameError> {
    let value = JSON::parse(text).map_err(|_| FrameError::Malformed("not JSON".into()))?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(FrameError::Malformed("not a JSON object".into()));
    }
    let field = |name: &str| get(&value, name);
    let text = |name: &str| get_string(&value, name);
    let kind = text("type").ok_or_else(|| FrameError::Malformed("no string `type`".into()))?;
    let data = present(field("data"));
    Envelope {
        kind,
        channel: text("channel"),
        event: text("event"),
        data,
        from: text("from"),
        user: text("user"),
        members: members(&field("members")),
        member: member(&field("member")),
        socket_id: text("socket_id"),
        protocol: field("protocol").as_f64().map(|version| version as u32),
        epoch: text("epoch"),
        offset: field("offset").as_f64().map(|offset| offset as u64),
        reason: text("reason"),
        code: text("code").map(|code| ErrorCode::from_name(&code)),
        message: text("message"),
    }
    .into_server_frame()
}

// Not inlined: a dozen call sites share one copy of the JavaScript interop code.
#[inline(never)]
fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

#[inline(never)]
fn get_string(value: &JsValue, name: &str) -> Option<String> {
    get(value, name).as_string()
}

/// `None` for JSON `null` (and a missing field).
fn present(value: JsValue) -> Option<JsValue> {
    Some(value).filter(|value| !value.is_null() && !value.is_undefined())
}

/// A presence member `{ id, info }`; `None` without a string `id`.
fn member(value: &JsValue) -> Option<Member<JsValue>> {
    Some(Member {
        id: get_string(value, "id")?,
        info: present(get(value, "info")),
    })
}

/// The `members` array; `None` if any entry is not a member.
fn members(value: &JsValue) -> Option<Vec<Member<JsValue>>> {
    value
        .dyn_ref::<Array>()?
        .iter()
        .map(|m| member(&m))
        .collect()
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
