//! Machine-readable error codes, shared by WebSocket error frames and HTTP error bodies.

use alloc::string::String;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why the server refused something. Sent as a snake_case string (`"malformed_frame"`).
///
/// The names live in [`ErrorCode::as_str`] alone; serde and the browser SDK (which decodes with
/// the browser's JSON and no serde) both go through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// Whispers are only relayed on private and presence channels.
    WhisperNotAllowed,
    /// Too many whispers: the socket is over its rate limit.
    RateLimited,
    /// The request lacks valid credentials.
    Unauthorized,
    /// The token expired: fetch a fresh one and connect again.
    TokenExpired,
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
    Unknown,
}

impl ErrorCode {
    /// Every code, for lookups by name.
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::MalformedFrame,
        ErrorCode::UnknownFrame,
        ErrorCode::InvalidChannel,
        ErrorCode::InvalidEvent,
        ErrorCode::ChannelMismatch,
        ErrorCode::BinaryUnsupported,
        ErrorCode::WhisperNotAllowed,
        ErrorCode::RateLimited,
        ErrorCode::Unauthorized,
        ErrorCode::TokenExpired,
        ErrorCode::Forbidden,
        ErrorCode::UpgradeRequired,
        ErrorCode::PayloadTooLarge,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Internal,
        ErrorCode::Unknown,
    ];

    /// The wire name (`"malformed_frame"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedFrame => "malformed_frame",
            ErrorCode::UnknownFrame => "unknown_frame",
            ErrorCode::InvalidChannel => "invalid_channel",
            ErrorCode::InvalidEvent => "invalid_event",
            ErrorCode::ChannelMismatch => "channel_mismatch",
            ErrorCode::BinaryUnsupported => "binary_unsupported",
            ErrorCode::WhisperNotAllowed => "whisper_not_allowed",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::TokenExpired => "token_expired",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::UpgradeRequired => "upgrade_required",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Internal => "internal",
            ErrorCode::Unknown => "unknown",
        }
    }

    /// The code of a wire name; names this version does not know are [`ErrorCode::Unknown`].
    pub fn from_name(name: &str) -> ErrorCode {
        ErrorCode::ALL
            .into_iter()
            .find(|code| code.as_str() == name)
            .unwrap_or(ErrorCode::Unknown)
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(ErrorCode::from_name(&name))
    }
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

    #[test]
    fn every_name_maps_back_to_its_code() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.as_str()), code);
        }
    }
}
