//! Sending one event to many channels, each through its own Durable Object.

use std::collections::BTreeSet;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use broadcast_protocol::{
    BroadcastRequest, BroadcastResponse, ChannelBroadcast, ChannelDelivery, ChannelName,
};
use futures_util::future::join_all;
use serde_json::value::RawValue;
use worker::{Env, ObjectNamespace, Result, Stub};

use crate::CHANNEL_BINDING;
use crate::channel_post::post;
use crate::events::{BroadcastError, Broadcastable, BroadcastableEvent};

/// The URL of broadcasts inside a channel's Durable Object; the host is never resolved, the
/// request goes through the namespace stub.
const CHANNEL_BROADCAST_URL: &str = "https://channel.internal/broadcast";

/// Sends events to channels through their Durable Objects, in parallel.
///
/// ```no_run
/// use broadcast_worker::BroadcastManager;
/// use broadcast_protocol::{BroadcastRequest, ChannelName, EventName};
///
/// # async fn example(env: worker::Env) -> worker::Result<()> {
/// let manager = BroadcastManager::from_env(&env)?;
/// // The typed way is `manager.broadcast(&event)`; `send` takes a ready-made request, as the
/// // HTTP endpoint does.
/// let request = BroadcastRequest {
///     channels: vec![ChannelName::parse("news").unwrap()],
///     event: EventName::parse("headline").unwrap(),
///     data: Some(serde_json::value::to_raw_value(&"hello").unwrap()),
///     except: None,
/// };
/// let response = manager.send(&request).await;
/// assert!(response.failed.is_empty());
/// # Ok(())
/// # }
/// ```
pub struct BroadcastManager {
    namespace: ObjectNamespace,
}

impl BroadcastManager {
    /// A manager using the `CHANNEL` Durable Object binding of `env`.
    pub fn from_env(env: &Env) -> Result<Self> {
        Self::with_binding(env, CHANNEL_BINDING)
    }

    /// A manager using the Durable Object binding named `binding`.
    pub fn with_binding(env: &Env, binding: &str) -> Result<Self> {
        Ok(Self {
            namespace: env.durable_object(binding)?,
        })
    }

    /// The stub of the Durable Object that serves `channel`.
    pub fn channel_stub(&self, channel: &ChannelName) -> Result<Stub> {
        self.namespace.id_from_name(channel.as_str())?.get_stub()
    }

    /// Broadcasts `event` to the channels it names; await the result, optionally after
    /// [`PendingBroadcast::to_others`]. Nothing is sent (and the response is empty) when
    /// `broadcast_when` says no or the event names no channels.
    ///
    /// ```no_run
    /// # use broadcast_worker::{BroadcastManager, BroadcastableEvent, ChannelName, PrivateChannel};
    /// # #[derive(serde::Serialize)]
    /// # struct OrderShipped { id: u32 }
    /// # impl BroadcastableEvent for OrderShipped {
    /// #     fn broadcast_on(&self) -> Vec<ChannelName> {
    /// #         vec![PrivateChannel::new(&format!("orders.{}", self.id)).unwrap().into()]
    /// #     }
    /// # }
    /// # async fn example(env: worker::Env, socket_id: String) -> Result<(), Box<dyn std::error::Error>> {
    /// let manager = BroadcastManager::from_env(&env)?;
    /// let report = manager.broadcast(&OrderShipped { id: 7 }).to_others(socket_id).await?;
    /// println!("{:?}", report.delivered);
    /// # Ok(())
    /// # }
    /// ```
    pub fn broadcast<'a, E: BroadcastableEvent>(&'a self, event: &'a E) -> PendingBroadcast<'a> {
        PendingBroadcast {
            manager: self,
            event,
            except: None,
        }
    }

    /// Delivers `request` to each of its channels (duplicates once) and reports, per channel,
    /// how many sockets it reached or why it failed.
    pub async fn send(&self, request: &BroadcastRequest<Box<RawValue>>) -> BroadcastResponse {
        let channels: BTreeSet<&ChannelName> = request.channels.iter().collect();
        let deliveries = channels.into_iter().map(|channel| async move {
            let outcome = self.deliver(channel, request).await;
            (channel.to_string(), outcome)
        });
        let mut response = BroadcastResponse::default();
        for (channel, outcome) in join_all(deliveries).await {
            match outcome {
                Ok(delivered) => response.delivered.insert(channel, delivered).map(drop),
                Err(err) => response.failed.insert(channel, err.to_string()).map(drop),
            };
        }
        response
    }

    async fn deliver(
        &self,
        channel: &ChannelName,
        request: &BroadcastRequest<Box<RawValue>>,
    ) -> Result<u32> {
        let body = ChannelBroadcast {
            channel: channel.clone(),
            event: request.event.clone(),
            data: request.data.as_deref(),
            except: request.except.clone(),
        };
        let body = serde_json::to_string(&body)?;
        let text = post(self.channel_stub(channel)?, CHANNEL_BROADCAST_URL, &body).await?;
        Ok(serde_json::from_str::<ChannelDelivery>(&text)?.delivered)
    }
}

/// A broadcast being prepared by [`BroadcastManager::broadcast`]; sent when awaited.
pub struct PendingBroadcast<'a> {
    manager: &'a BroadcastManager,
    event: &'a dyn Broadcastable,
    except: Option<String>,
}

impl PendingBroadcast<'_> {
    /// Leaves out the socket whose action caused the event (its `socketId`, sent by the
    /// client with the request), so it does not receive its own news twice.
    // The name users of Laravel's `broadcast(...)->toOthers()` look for, builder style.
    #[allow(clippy::wrong_self_convention)]
    pub fn to_others(mut self, socket_id: impl Into<String>) -> Self {
        self.except = Some(socket_id.into());
        self
    }
}

impl<'a> IntoFuture for PendingBroadcast<'a> {
    type Output = std::result::Result<BroadcastResponse, BroadcastError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let Some(mut request) = self.event.broadcast_request()? else {
                return Ok(BroadcastResponse::default());
            };
            if self.except.is_some() {
                request.except = self.except;
            }
            Ok(self.manager.send(&request).await)
        })
    }
}
