//! The demo's listeners: two in process, one queued.

use std::collections::BTreeMap;

use broadcast_protocol::PrivateChannel;
use serde::Serialize;
use worker::Env;

use super::message_posted::MessagePosted;
use super::room_reported::RoomReported;
use crate::broadcast_manager::BroadcastManager;
use crate::events::{BroadcastableEvent, Listener, ListenerError};

/// KV binding where [`CountMessages`] keeps its counts.
pub const STATS_BINDING: &str = "STATS";

/// Most users one message may notify.
const MAX_MENTIONS: usize = 5;

/// The KV key of a room's counts.
pub fn stats_key(room: &str) -> String {
    format!("messages:{room}")
}

/// In process: a log line per message.
#[derive(Default)]
pub struct LogMessage;

impl Listener<MessagePosted> for LogMessage {
    async fn handle(&self, event: &MessagePosted, _env: &Env) -> Result<(), ListenerError> {
        worker::console_log!(
            "room {}: {} posted {} characters",
            event.room,
            event.user_id,
            event.text.chars().count()
        );
        Ok(())
    }
}

/// In process: tells each `@user` mentioned in the message on their private channel
/// (`private-user.{id}`), at most five; a message mentioning more fails this listener (the
/// message itself is still delivered).
#[derive(Default)]
pub struct NotifyMentions;

/// Sent to `private-user.{id}` as `mentioned`.
#[derive(Serialize)]
struct Mentioned<'a> {
    room: &'a str,
    by: &'a str,
    message_id: &'a str,
    #[serde(skip)]
    user: &'a str,
}

impl BroadcastableEvent for Mentioned<'_> {
    fn broadcast_on(&self) -> Vec<broadcast_protocol::ChannelName> {
        PrivateChannel::new(&format!("user.{}", self.user))
            .map(Into::into)
            .into_iter()
            .collect()
    }

    fn broadcast_as(&self) -> String {
        "mentioned".into()
    }
}

impl Listener<MessagePosted> for NotifyMentions {
    async fn handle(&self, event: &MessagePosted, env: &Env) -> Result<(), ListenerError> {
        let mut mentions: Vec<&str> = event
            .text
            .split_whitespace()
            .filter_map(|word| word.strip_prefix('@'))
            .filter(|user| !user.is_empty())
            .collect();
        mentions.sort_unstable();
        mentions.dedup();
        if mentions.len() > MAX_MENTIONS {
            return Err(format!(
                "{} users mentioned; at most {MAX_MENTIONS} are notified, so nobody was",
                mentions.len()
            )
            .into());
        }
        let manager = BroadcastManager::from_env(env)?;
        for user in mentions {
            let mentioned = Mentioned {
                room: &event.room,
                by: &event.user_id,
                message_id: &event.id,
                user,
            };
            manager
                .broadcast(&mentioned)
                .await
                .map_err(|err| ListenerError(err.to_string()))?;
        }
        Ok(())
    }
}

/// Queued: counts messages per user and room in KV, off the request's path.
#[derive(Default)]
pub struct CountMessages;

impl Listener<MessagePosted> for CountMessages {
    const SHOULD_QUEUE: bool = true;

    async fn handle(&self, event: &MessagePosted, env: &Env) -> Result<(), ListenerError> {
        let kv = env.kv(STATS_BINDING)?;
        let key = stats_key(&event.room);
        let mut counts: BTreeMap<String, u64> = kv
            .get(&key)
            .json()
            .await
            .map_err(|err| ListenerError(err.to_string()))?
            .unwrap_or_default();
        *counts.entry(event.user_id.clone()).or_default() += 1;
        kv.put(
            &key,
            serde_json::to_string(&counts).map_err(|e| e.to_string())?,
        )
        .map_err(|err| ListenerError(err.to_string()))?
        .execute()
        .await
        .map_err(|err| ListenerError(err.to_string()))?;
        worker::console_log!(
            "counted a message of {} in room {}",
            event.user_id,
            event.room
        );
        Ok(())
    }
}

/// In process: moderators read the log.
#[derive(Default)]
pub struct LogReport;

impl Listener<RoomReported> for LogReport {
    async fn handle(&self, event: &RoomReported, _env: &Env) -> Result<(), ListenerError> {
        worker::console_log!(
            "room {} reported by {}: {}",
            event.room,
            event.user_id,
            event.reason
        );
        Ok(())
    }
}
