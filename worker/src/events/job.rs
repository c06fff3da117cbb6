//! The message a queued listener's job travels in.

use serde::{Deserialize, Serialize};

/// One queued listener to run for one event: sent by `dispatch`, run by the queue consumer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedJob {
    /// The listener's [`Listener::name`](super::Listener::name).
    pub listener: String,
    /// The event as JSON text (Queues carry structured-cloned values; text keeps the event's
    /// serde encoding intact).
    pub event: String,
}
