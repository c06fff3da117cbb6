//! A chat message was posted to a room.

use broadcast_protocol::{ChannelName, PresenceChannel};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::events::{Broadcastable, BroadcastableEvent, Event};

/// Broadcast to the room's presence channel as `message.posted`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessagePosted {
    /// A random id, so clients can tell messages apart.
    pub id: String,
    /// The room (`7` for `presence-room.7`).
    pub room: String,
    /// Who posted it, from the verified token.
    pub user_id: String,
    /// The poster's member info from the token (`{"name": ...}` in the demo), so a message
    /// still shows its author after the author left the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_info: Option<Box<RawValue>>,
    /// An id the sender chose, echoed back so its page recognizes its own message when it
    /// arrives again (history replay, a retried POST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The message.
    pub text: String,
    /// When the server accepted it, in ms since the epoch.
    pub sent_at: f64,
    /// The sender's socket (`X-Socket-ID`), left out of the broadcast.
    #[serde(skip)]
    pub sender_socket: Option<String>,
}

impl MessagePosted {
    /// The room's presence channel.
    pub fn channel(room: &str) -> Option<ChannelName> {
        PresenceChannel::new(&format!("room.{room}"))
            .ok()
            .map(Into::into)
    }
}

impl BroadcastableEvent for MessagePosted {
    fn broadcast_on(&self) -> Vec<ChannelName> {
        Self::channel(&self.room).into_iter().collect()
    }

    fn broadcast_as(&self) -> String {
        "message.posted".into()
    }

    fn broadcast_except(&self) -> Option<String> {
        self.sender_socket.clone()
    }
}

impl Event for MessagePosted {
    fn as_broadcastable(&self) -> Option<&dyn Broadcastable> {
        Some(self)
    }
}
