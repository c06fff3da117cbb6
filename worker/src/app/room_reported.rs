//! A user reported a room to the moderators: listeners react, browsers hear nothing.

use serde::{Deserialize, Serialize};

use crate::events::Event;

/// Not broadcastable: only listeners receive it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoomReported {
    /// The room.
    pub room: String,
    /// Who reported it.
    pub user_id: String,
    /// Why.
    pub reason: String,
}

impl Event for RoomReported {}
