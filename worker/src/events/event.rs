//! What the dispatcher dispatches.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::broadcastable::Broadcastable;

/// A domain event. It serializes, so queued listeners can receive it through a Queue.
///
/// An event that should also reach browsers implements
/// [`BroadcastableEvent`](super::BroadcastableEvent) and says so here:
///
/// ```
/// use broadcast_worker::{Broadcastable, BroadcastableEvent, ChannelName, Event, PresenceChannel};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize)]
/// struct MessagePosted {
///     room: String,
/// }
///
/// impl BroadcastableEvent for MessagePosted {
///     fn broadcast_on(&self) -> Vec<ChannelName> {
///         vec![PresenceChannel::new(&format!("room.{}", self.room)).unwrap().into()]
///     }
/// }
///
/// impl Event for MessagePosted {
///     fn as_broadcastable(&self) -> Option<&dyn Broadcastable> {
///         Some(self)
///     }
/// }
///
/// let event = MessagePosted { room: "7".into() };
/// assert!(event.as_broadcastable().is_some());
/// ```
///
/// Every other event is never broadcast.
pub trait Event: Serialize + DeserializeOwned + 'static {
    /// `Some(self)` for events that implement `BroadcastableEvent`; `None` by default.
    fn as_broadcastable(&self) -> Option<&dyn Broadcastable> {
        None
    }
}
