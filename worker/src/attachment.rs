//! What a channel remembers about each socket, stored on the socket itself.

use broadcast_protocol::{ChannelName, Member};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use worker::WebSocket;

use crate::whisper_limit::WhisperBucket;

/// Per-socket state, kept in the socket's serialized attachment so it survives hibernation:
/// the Durable Object may be evicted and re-created between any two messages. Kept well under
/// the runtime's 16 KiB attachment limit (`user_info` is at most 2 KiB).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SocketAttachment {
    /// Server-assigned socket id (also the socket's hibernation tag, for `except`).
    pub socket_id: String,
    /// The channel the socket joined.
    pub channel: ChannelName,
    /// The verified user id (private and presence channels).
    pub user_id: Option<String>,
    /// The verified member info as JSON text (presence channels).
    pub user_info: Option<String>,
    /// When the socket was accepted, in ms since the epoch.
    pub connected_at: f64,
    /// The whisper rate limit's state.
    pub whispers: WhisperBucket,
    /// The socket closed, errored or was swept: it no longer counts as a member, and its leave
    /// (if any) has been announced.
    pub gone: bool,
}

impl SocketAttachment {
    /// Stores `self` on `ws`.
    pub fn save(&self, ws: &WebSocket) -> worker::Result<()> {
        ws.serialize_attachment(self)
    }

    /// Reads the attachment of `ws`; `None` for a socket that is not ours.
    pub fn load(ws: &WebSocket) -> Option<Self> {
        ws.deserialize_attachment().ok().flatten()
    }

    /// This socket's user as a presence member.
    pub fn member(&self) -> Option<Member<Box<RawValue>>> {
        let id = self.user_id.clone()?;
        let info = self
            .user_info
            .as_ref()
            .and_then(|json| RawValue::from_string(json.clone()).ok());
        Some(Member { id, info })
    }
}
