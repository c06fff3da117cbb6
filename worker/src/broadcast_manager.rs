//! Sending one event to many channels, each through its own Durable Object.

use std::collections::BTreeSet;

use broadcast_protocol::{
    BroadcastRequest, BroadcastResponse, ChannelBroadcast, ChannelDelivery, ChannelName,
};
use futures_util::future::join_all;
use serde_json::value::RawValue;
use wasm_bindgen::JsValue;
use worker::{Env, Method, ObjectNamespace, Request, RequestInit, Result, Stub};

use crate::CHANNEL_BINDING;

/// The URL of broadcasts inside a channel's Durable Object; the host is never resolved, the
/// request goes through the namespace stub.
const CHANNEL_BROADCAST_URL: &str = "https://channel.internal/broadcast";

/// Sends events to channels through their Durable Objects, in parallel.
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
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_body(Some(JsValue::from_str(&serde_json::to_string(&body)?)));
        let request = Request::new_with_init(CHANNEL_BROADCAST_URL, &init)?;
        let mut response = self
            .channel_stub(channel)?
            .fetch_with_request(request)
            .await?;
        if response.status_code() != 200 {
            let detail = response.text().await.unwrap_or_default();
            return Err(worker::Error::RustError(format!(
                "channel answered {}: {detail}",
                response.status_code()
            )));
        }
        Ok(response.json::<ChannelDelivery>().await?.delivered)
    }
}
