//! JSON text encoding with serde_json, for the server side (feature `json`).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::{ClientFrame, Envelope, FrameError, MAX_DATA_DEPTH, json_depth};

/// Decodes a text frame from a client, keeping `data` as raw JSON so relaying it costs no
/// re-encoding.
pub fn decode_client_frame(text: &str) -> Result<ClientFrame<Box<RawValue>>, FrameError> {
    let envelope: Envelope<Box<RawValue>> =
        serde_json::from_str(text).map_err(|err| FrameError::Malformed(err.to_string()))?;
    check_depth(envelope.data.as_deref())?;
    envelope.into_client_frame()
}

/// Refuses a payload nested deeper than [`MAX_DATA_DEPTH`].
pub fn check_depth(data: Option<&RawValue>) -> Result<(), FrameError> {
    match data.map(|data| json_depth(data.get())) {
        Some(depth) if depth > MAX_DATA_DEPTH => Err(FrameError::Malformed(format!(
            "data nests {depth} levels deep; at most {MAX_DATA_DEPTH} are allowed"
        ))),
        _ => Ok(()),
    }
}

/// Encodes a frame as JSON text.
pub fn encode_frame<F: Serialize>(frame: &F) -> String {
    // The protocol's types have string keys and infallible Serialize impls, and RawValue holds
    // JSON that was already validated, so serialization cannot fail.
    serde_json::to_string(frame).expect("protocol frames always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorCode, ServerFrame};

    #[test]
    fn whisper_data_is_relayed_byte_for_byte() {
        let text =
            r#"{"type":"whisper","channel":"news","event":"e","data":{"b":1,  "a":[1e400]}}"#;
        let ClientFrame::Whisper {
            channel,
            event,
            data,
        } = decode_client_frame(text).unwrap()
        else {
            panic!("not a whisper");
        };
        let relayed = encode_frame(&ServerFrame::Whisper {
            channel,
            event,
            data,
            from: "s".into(),
            user: None,
        });
        assert_eq!(
            relayed,
            r#"{"type":"whisper","channel":"news","event":"e","data":{"b":1,  "a":[1e400]},"from":"s"}"#
        );
    }

    #[test]
    fn rejects_what_is_not_a_frame() {
        for text in ["", "null", "5", "[]", "{", "{\"type\":1}", "{}", "\u{0}"] {
            let err = decode_client_frame(text).unwrap_err();
            assert_eq!(err.code(), ErrorCode::MalformedFrame, "{text:?}: {err}");
        }
    }

    #[test]
    fn data_nested_deeper_than_the_limit_is_refused_without_recursing() {
        let frame = |depth: usize| {
            format!(
                r#"{{"type":"whisper","channel":"a","event":"e","data":{}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            )
        };
        assert!(decode_client_frame(&frame(crate::MAX_DATA_DEPTH)).is_ok());
        let err = decode_client_frame(&frame(crate::MAX_DATA_DEPTH + 1)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::MalformedFrame);
        let err = decode_client_frame(&frame(100_000)).unwrap_err();
        assert!(err.to_string().contains("100000 levels"), "{err}");
    }
}
