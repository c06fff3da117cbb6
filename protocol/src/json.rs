//! JSON text encoding with serde_json, for the server side (feature `json`).

use serde::Serialize;
use serde_json::value::RawValue;

use crate::{ClientFrame, Envelope, FrameError};

/// Decodes a text frame from a client, keeping `data` as raw JSON so relaying it costs no
/// re-encoding.
pub fn decode_client_frame(text: &str) -> Result<ClientFrame<Box<RawValue>>, FrameError> {
    let envelope: Envelope<Box<RawValue>> =
        serde_json::from_str(text).map_err(|err| FrameError::Malformed(err.to_string()))?;
    envelope.into_client_frame()
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
    fn deep_nesting_in_data_is_kept_raw_without_recursing() {
        let deep = format!(
            r#"{{"type":"whisper","channel":"a","event":"e","data":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(decode_client_frame(&deep).is_ok());
    }
}
