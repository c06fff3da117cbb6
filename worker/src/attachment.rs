//! What a channel remembers about each socket, stored on the socket itself.

use broadcast_protocol::ChannelName;
use serde::{Deserialize, Serialize};
use worker::WebSocket;

/// Per-socket state, kept in the socket's serialized attachment so it survives hibernation:
/// the Durable Object may be evicted and re-created between any two messages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SocketAttachment {
    /// Server-assigned socket id (also the socket's hibernation tag, for `except`).
    pub socket_id: String,
    /// The channel the socket joined.
    pub channel: ChannelName,
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
}
