//! The demo application's API, which exercises the server-side chain end to end: a request
//! dispatches a domain event; in-process listeners run, a queued listener runs from the
//! Queue, and browsers on the room's presence channel receive the event.
//!
//! - `POST /api/rooms/{room}/messages` with a channel token for `presence-room.{room}` and
//!   `{"text": "...", "client_id": "..."}` (`client_id` optional, echoed in the event); the
//!   `X-Socket-ID` header names the sender's socket, left out of the broadcast.
//! - `POST /api/rooms/{room}/reports` with the same token and `{"reason": "..."}`: an event
//!   that is not broadcastable.
//! - `GET /api/rooms/{room}/stats`: messages per user, counted by the queued listener.

mod listeners;
mod message_posted;
mod room_reported;
mod routes;

pub use routes::{API_PREFIX, handle};

use worker::{Env, Result};

use crate::events::EventDispatcher;
use listeners::{CountMessages, LogMessage, LogReport, NotifyMentions};
use message_posted::MessagePosted;
use room_reported::RoomReported;

/// The application's dispatcher with every listener registered; the fetch handler dispatches
/// with it and the queue consumer runs queued jobs with it.
pub fn dispatcher(env: Env) -> Result<EventDispatcher> {
    let mut events = EventDispatcher::new(env)?;
    events
        .listen::<MessagePosted, LogMessage>()
        .listen::<MessagePosted, NotifyMentions>()
        .listen::<MessagePosted, CountMessages>()
        .listen::<RoomReported, LogReport>();
    Ok(events)
}
