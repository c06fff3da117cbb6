//! Domain events, dispatched once: in-process listeners run at once, queued listeners run later
//! from a Cloudflare Queue, and events that are broadcastable reach browsers, none of these
//! parts knowing about the others. [`EventDispatcher`] has a complete example.

mod broadcastable;
mod dispatcher;
mod event;
mod job;
mod listener;
mod outlet;
mod type_name;

pub use broadcastable::{BroadcastError, Broadcastable, BroadcastableEvent};
pub use dispatcher::{DispatchReport, EventDispatcher, ListenerFailure};
pub use event::Event;
pub use job::QueuedJob;
pub use listener::{Listener, ListenerError};
pub use outlet::{EnvOutlet, LISTENER_QUEUE_BINDING, Outlet};
