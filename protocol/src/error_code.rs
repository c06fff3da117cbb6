//! Machine-readable error codes, shared by WebSocket error frames and HTTP error bodies.

use serde::{Deserialize, Serialize};

/// Why the server refused something. Sent as a snake_case string (`"malformed_frame"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The frame or body is not a JSON object of the expected shape.
    MalformedFrame,
    /// The frame's `type` is not one this server knows.
    UnknownFrame,
    /// A channel name is not valid (see [`crate::ChannelName`]).
    InvalidChannel,
    /// An event name is not valid (see [`crate::EventName`]).
    InvalidEvent,
    /// A whisper named a channel other than the one this socket is connected to.
    ChannelMismatch,
    /// Binary frames are not part of the protocol; send JSON text.
    BinaryUnsupported,
    /// The request lacks valid credentials.
    Unauthorized,
    /// The credentials are valid but do not allow this.
    Forbidden,
    /// The endpoint only speaks WebSocket: send an `Upgrade: websocket` request.
    UpgradeRequired,
    /// The request body or frame is larger than the documented limit.
    PayloadTooLarge,
    /// No such endpoint.
    NotFound,
    /// The endpoint exists but not with this HTTP method.
    MethodNotAllowed,
    /// The server failed; retrying later may help.
    Internal,
    /// A code this version of the protocol does not know (sent by a newer server).
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_strings() {
        let json = serde_json::to_string(&ErrorCode::MalformedFrame).unwrap();
        assert_eq!(json, "\"malformed_frame\"");
        let code: ErrorCode = serde_json::from_str("\"channel_mismatch\"").unwrap();
        assert_eq!(code, ErrorCode::ChannelMismatch);
    }

    #[test]
    fn unknown_codes_from_newer_servers_decode() {
        let code: ErrorCode = serde_json::from_str("\"something_new\"").unwrap();
        assert_eq!(code, ErrorCode::Unknown);
    }
}
