//! Where a dispatch sends what is not run in process: jobs to the Queue, events to browsers.

use broadcast_protocol::{BroadcastRequest, BroadcastResponse};
use futures_util::future::LocalBoxFuture;
use serde_json::value::RawValue;
use worker::{Env, Queue};

use super::job::QueuedJob;
use crate::broadcast_manager::BroadcastManager;

/// Binding name of the Queue that carries queued listeners' jobs (`wrangler.toml`).
pub const LISTENER_QUEUE_BINDING: &str = "LISTENER_QUEUE";

/// The dispatcher's way out: a Queue producer and a broadcaster. [`EnvOutlet`] is the real one;
/// tests substitute their own.
pub trait Outlet {
    /// Sends jobs to the Queue.
    fn enqueue(&self, jobs: Vec<QueuedJob>) -> LocalBoxFuture<'_, Result<(), String>>;

    /// Broadcasts one event.
    fn broadcast(
        &self,
        request: BroadcastRequest<Box<RawValue>>,
    ) -> LocalBoxFuture<'_, BroadcastResponse>;
}

/// The Worker's Queue producer and [`BroadcastManager`].
pub struct EnvOutlet {
    queue: Option<Queue>,
    manager: BroadcastManager,
}

impl EnvOutlet {
    /// Uses the bindings `queue_binding` (optional: without it, dispatching an event that has
    /// queued listeners reports an error) and `channel_binding`.
    pub fn new(env: &Env, queue_binding: &str, channel_binding: &str) -> worker::Result<Self> {
        Ok(Self {
            queue: env.queue(queue_binding).ok(),
            manager: BroadcastManager::with_binding(env, channel_binding)?,
        })
    }
}

impl Outlet for EnvOutlet {
    fn enqueue(&self, jobs: Vec<QueuedJob>) -> LocalBoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let queue = self
                .queue
                .as_ref()
                .ok_or("no Queue binding for queued listeners (see wrangler.toml)")?;
            queue.send_batch(jobs).await.map_err(|err| err.to_string())
        })
    }

    fn broadcast(
        &self,
        request: BroadcastRequest<Box<RawValue>>,
    ) -> LocalBoxFuture<'_, BroadcastResponse> {
        Box::pin(async move { self.manager.send(&request).await })
    }
}
