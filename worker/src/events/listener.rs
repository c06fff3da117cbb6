//! Code that reacts to an event.

use std::future::Future;

use super::type_name::short_type_name;

/// Why a listener failed; reported by the dispatcher (or, for queued listeners, the Queue
/// consumer retries the job).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ListenerError(pub String);

impl From<worker::Error> for ListenerError {
    fn from(err: worker::Error) -> Self {
        Self(err.to_string())
    }
}

impl From<String> for ListenerError {
    fn from(message: String) -> Self {
        Self(message)
    }
}

impl From<&str> for ListenerError {
    fn from(message: &str) -> Self {
        Self(message.to_owned())
    }
}

/// Reacts to events of type `E`, with the context `C` (the Worker's `Env` in a Worker).
///
/// The dispatcher creates the listener with `Default`. A listener with
/// `const SHOULD_QUEUE: bool = true` is not run during `dispatch`: it is sent as a job to the
/// Queue and run by the Worker's queue consumer, with the Queue's retries.
///
/// ```
/// use broadcast_worker::{Listener, ListenerError};
///
/// struct Greeting(String);
///
/// #[derive(Default)]
/// struct Shout;
///
/// impl Listener<Greeting, Vec<String>> for Shout {
///     async fn handle(&self, event: &Greeting, _log: &Vec<String>) -> Result<(), ListenerError> {
///         if event.0.is_empty() {
///             return Err("nothing to shout".into());
///         }
///         Ok(())
///     }
/// }
/// ```
pub trait Listener<E, C = worker::Env>: Default + 'static {
    /// Run from the Queue consumer instead of during `dispatch`.
    const SHOULD_QUEUE: bool = false;

    /// The name jobs and failure reports carry; unique among a dispatcher's listeners. The
    /// type's name by default.
    fn name() -> String {
        short_type_name::<Self>()
    }

    /// Handles one event.
    fn handle(&self, event: &E, context: &C) -> impl Future<Output = Result<(), ListenerError>>;
}
