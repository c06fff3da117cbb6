//! Decoding and encoding frames with the browser's own JSON.
//!
//! `JSON.parse` builds the JavaScript values listeners receive, so payloads are never converted;
//! the fields are then checked by the protocol crate's [`Envelope`], the same code the server
//! uses, so both sides agree on what a valid frame is.

use alloc::string::String;
use alloc::vec::Vec;

use broadcast_protocol::{
    ChannelName, Envelope, ErrorCode, EventName, FrameError, Member, ServerFrame,
};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::js::{CHANNEL, DATA, EVENT, FROM, Key, OFFSET, TYPE, USER, as_object, get};

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of the message event's data as it is. `js_sys::JSON::parse` takes a
    /// `&str`: the frame would be copied into wasm memory only to be copied back out.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
}

// An object literal is one call from Rust and gets V8's fast path; an `Object` filled with
// `Reflect.set` from Rust is one call per field and the slow path.
#[wasm_bindgen(inline_js = "
export function whisperJson(channel, event, data) {
  return JSON.stringify({ type: 'whisper', channel, event, data });
}
")]
extern "C" {
    #[wasm_bindgen(js_name = whisperJson, catch)]
    fn whisper_json(channel: &str, event: &str, data: &JsValue) -> Result<String, JsValue>;
}

/// A frame from the server: the checked `frame`, and the object `JSON.parse` made of it.
pub struct Received {
    pub frame: ServerFrame<JsValue>,
    pub parsed: Parsed,
}

/// The object `JSON.parse` made of a valid frame. Its strings (channel, event name, sender)
/// go to listeners as they are: converting the checked Rust copies back to JavaScript would
/// cost more than the rest of the delivery. They are equal, as the server only sends valid
/// Unicode (Rust strings), which the conversion to Rust keeps as it is.
pub struct Parsed(Object);

impl Parsed {
    /// The object itself, for the listeners' `meta` (see `listeners::deliver_event`).
    pub fn object(&self) -> &Object {
        &self.0
    }

    /// A field only rare frames carry, such as `members`.
    pub fn field(&self, key: &str) -> JsValue {
        get(&self.0, key)
    }
}

/// `JSON.parse` of a text frame from the server (a JavaScript string).
pub fn parse(text: &JsValue) -> Result<JsValue, FrameError> {
    parse_json(text).map_err(|_| FrameError::Malformed("not JSON".into()))
}

/// Checks a frame [`parse`] returned; the payload stays the value `JSON.parse` produced.
pub fn decode(value: &JsValue) -> Result<Received, FrameError> {
    // An array is an object too, but one without a `type`, so it fails just below.
    let Some(object) = as_object(value) else {
        return Err(FrameError::Malformed("not a JSON object".into()));
    };
    let kind = get(object, &TYPE)
        .as_string()
        .ok_or_else(|| FrameError::Malformed("no string `type`".into()))?;
    // Every read is a call into JavaScript: an event (nearly every frame) or a whisper skips
    // the fields only other types have.
    let whisper = kind == "whisper";
    let rare = !whisper && kind != "event";
    let frame = Envelope {
        channel: get(object, &CHANNEL).as_string(),
        event: get(object, &EVENT).as_string(),
        data: present(get(object, &DATA)),
        offset: get(object, &OFFSET).as_f64().map(|offset| offset as u64),
        from: get_if(whisper, object, &FROM).as_string(),
        user: get_if(whisper, object, &USER).as_string(),
        members: members(&get_if(rare, object, "members")),
        member: member(&get_if(rare, object, "member")),
        socket_id: get_if(rare, object, "socket_id").as_string(),
        protocol: get_if(rare, object, "protocol")
            .as_f64()
            .map(|version| version as u32),
        epoch: get_if(rare, object, "epoch").as_string(),
        reason: get_if(rare, object, "reason").as_string(),
        code: get_if(rare, object, "code")
            .as_string()
            .map(|code| ErrorCode::from_name(&code)),
        message: get_if(rare, object, "message").as_string(),
        kind,
    }
    .into_server_frame()?;
    Ok(Received {
        frame,
        parsed: Parsed(object.clone()),
    })
}

/// The `data` of an event frame `JSON.parse` returned, `null` if it has none (as [`decode`]
/// reads it).
pub fn event_data(frame: &Object) -> JsValue {
    present(get(frame, &DATA)).unwrap_or(JsValue::NULL)
}

/// `object[key]` if `wanted`, else `undefined` (without a call into JavaScript).
fn get_if(wanted: bool, object: &Object, key: impl Key) -> JsValue {
    if wanted {
        get(object, key)
    } else {
        JsValue::UNDEFINED
    }
}

/// `None` for JSON `null` (and a missing field).
fn present(value: JsValue) -> Option<JsValue> {
    Some(value).filter(|value| !value.is_null_or_undefined())
}

/// A presence member `{ id, info }`; `None` if it is not an object with a string `id`.
fn member(value: &JsValue) -> Option<Member<JsValue>> {
    let object = as_object(value)?;
    Some(Member {
        id: get(object, "id").as_string()?,
        info: present(get(object, "info")),
    })
}

/// The `members` array; `None` if any entry is not a member.
fn members(value: &JsValue) -> Option<Vec<Member<JsValue>>> {
    // A loop rather than `collect` into an `Option`: the same result in less code.
    let mut members = Vec::new();
    for entry in value.dyn_ref::<Array>()?.iter() {
        members.push(member(&entry)?);
    }
    Some(members)
}

/// Encodes a whisper as JSON text; fails if `data` cannot be serialized (a cycle, a BigInt).
pub fn encode_whisper(
    channel: &ChannelName,
    event: &EventName,
    data: &JsValue,
) -> Result<String, JsValue> {
    whisper_json(channel.as_str(), event.as_str(), data)
}
