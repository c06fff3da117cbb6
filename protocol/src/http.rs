//! Bodies of the HTTP API: `POST /broadcast` and the JSON error responses.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::{ChannelName, ErrorCode, EventName};

/// Body of `POST /broadcast`: one event for one or more channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BroadcastRequest<D> {
    /// The channels to deliver to (1 to [`crate::MAX_CHANNELS_PER_BROADCAST`]).
    pub channels: Vec<ChannelName>,
    /// The event name listeners subscribe to.
    pub event: EventName,
    /// The payload, any JSON value.
    #[serde(default)]
    pub data: Option<D>,
    /// A socket id to leave out, usually the socket whose action caused the event ("to others").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except: Option<String>,
}

/// What the Worker sends to one channel's Durable Object for a broadcast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelBroadcast<D> {
    /// The channel the Durable Object serves.
    pub channel: ChannelName,
    /// The event name.
    pub event: EventName,
    /// The payload.
    #[serde(default)]
    pub data: Option<D>,
    /// A socket id to leave out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except: Option<String>,
}

/// A channel Durable Object's answer to a [`ChannelBroadcast`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelDelivery {
    /// Sockets the event was sent to.
    pub delivered: u32,
}

/// Answer to `POST /broadcast`: how many sockets each channel reached, and which channels failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadcastResponse {
    /// Sockets reached, by channel name.
    pub delivered: BTreeMap<String, u32>,
    /// Channels whose Durable Object could not be reached, with the reason. The event was not
    /// delivered there; the caller may retry those channels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failed: BTreeMap<String, String>,
}

/// The JSON body of every HTTP error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpError {
    /// What went wrong, for programs.
    pub error: ErrorCode,
    /// What went wrong and how to fix it, for people.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    #[test]
    fn broadcast_request_reads_the_documented_shape() {
        let body = json!({"channels": ["news", "private-a"], "event": "e", "data": {"x": 1}, "except": "s1"});
        let request: BroadcastRequest<Value> = serde_json::from_value(body).unwrap();
        assert_eq!(request.channels.len(), 2);
        assert_eq!(request.except.as_deref(), Some("s1"));
        assert_eq!(request.data, Some(json!({"x": 1})));
    }

    #[test]
    fn broadcast_request_rejects_bad_channel_names() {
        let body = json!({"channels": ["bad name"], "event": "e"});
        let err = serde_json::from_value::<BroadcastRequest<Value>>(body).unwrap_err();
        assert!(
            err.to_string().contains("channel name contains ' '"),
            "{err}"
        );
    }

    #[test]
    fn response_omits_failed_when_all_succeeded() {
        let mut response = BroadcastResponse::default();
        response.delivered.insert("news".into(), 3);
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({"delivered": {"news": 3}})
        );
    }
}
