//! The frames exchanged over a channel's WebSocket.
//!
//! Encoding uses the typed enums ([`ServerFrame`], [`ClientFrame`]), tagged by `type`.
//! Decoding goes through the flat [`Envelope`] first: it needs no buffering, so the payload can be
//! kept as raw JSON (server) or a JavaScript value (browser) without being converted.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::{ChannelName, ChannelNameError, ErrorCode, EventName, EventNameError};

/// The heartbeat a client sends. The Durable Object answers it with [`PONG_FRAME`] through the
/// runtime's auto-response, so heartbeats never wake a hibernating channel. Must be sent
/// byte for byte.
pub const PING_FRAME: &str = r#"{"type":"ping"}"#;

/// The answer to [`PING_FRAME`].
pub const PONG_FRAME: &str = r#"{"type":"pong"}"#;

/// A frame sent by the server to a client. `data: None` is JSON `null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame<D> {
    /// First frame on every socket: who the socket is and what it joined.
    Welcome {
        /// [`crate::PROTOCOL_VERSION`] of the server.
        protocol: u32,
        /// The server-assigned id of this socket, used to exclude it from broadcasts (`except`).
        socket_id: String,
        /// The channel this socket is connected to.
        channel: ChannelName,
        /// The channel's history epoch: offsets are only comparable within one epoch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        epoch: Option<String>,
        /// The offset of the channel's latest event (0 before the first): where a client
        /// that has seen nothing yet resumes from.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offset: Option<u64>,
    },
    /// A server broadcast (`POST /broadcast`).
    Event {
        /// The channel it was broadcast on.
        channel: ChannelName,
        /// The event name chosen by the broadcaster.
        event: EventName,
        /// The event's payload.
        data: Option<D>,
        /// Its position in the channel's history (1, 2, 3, ... within the epoch).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offset: Option<u64>,
    },
    /// The events a resuming client missed cannot be replayed (the epoch changed, or they are
    /// no longer in the history, or there are too many): it should refetch its state. Live
    /// events follow as usual.
    #[serde(rename = "recovery:failed")]
    RecoveryFailed {
        /// The channel.
        channel: ChannelName,
        /// Why, for people.
        reason: String,
    },
    /// A client event relayed from another socket of the channel.
    Whisper {
        /// The channel it was whispered on.
        channel: ChannelName,
        /// The event name chosen by the sender.
        event: EventName,
        /// The sender's payload.
        data: Option<D>,
        /// The sender's socket id, stamped by the server (never taken from the client).
        from: String,
        /// On presence channels, the sender's user id from its verified token.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user: Option<String>,
    },
    /// Sent to a socket that joined a presence channel: every member, itself included.
    #[serde(rename = "presence:here")]
    PresenceHere {
        /// The presence channel.
        channel: ChannelName,
        /// One entry per user, however many sockets each has.
        members: Vec<Member<D>>,
    },
    /// A user's first socket joined the presence channel.
    #[serde(rename = "presence:join")]
    PresenceJoin {
        /// The presence channel.
        channel: ChannelName,
        /// Who joined.
        member: Member<D>,
    },
    /// A user's last socket left the presence channel (closed, or swept as vanished).
    #[serde(rename = "presence:leave")]
    PresenceLeave {
        /// The presence channel.
        channel: ChannelName,
        /// Who left.
        member: Member<D>,
    },
    /// The server refused a frame; the socket stays open.
    Error {
        /// What went wrong, for programs.
        code: ErrorCode,
        /// What went wrong, for people.
        message: String,
    },
    /// The answer to a ping.
    Pong,
}

/// A member of a presence channel: a user, with the info their token carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member<D> {
    /// The user id (the token's `sub`).
    pub id: String,
    /// The token's `user_info` (`null` when it has none).
    pub info: Option<D>,
}

/// A frame sent by a client to the server. `data: None` is JSON `null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame<D> {
    /// A client event for every other socket of the channel.
    Whisper {
        /// The channel this socket is connected to.
        channel: ChannelName,
        /// The event name.
        event: EventName,
        /// The payload.
        data: Option<D>,
    },
    /// A heartbeat; see [`PING_FRAME`].
    Ping,
}

/// Why a frame could not be decoded. Every variant maps to an [`ErrorCode`] for the error frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Not JSON, or not an object with a string `type`.
    #[error("malformed frame: {0}")]
    Malformed(String),
    /// The `type` is not one this side understands.
    #[error("unknown frame type `{0}`")]
    UnknownType(String),
    /// A field that this frame type requires is absent.
    #[error("{frame} frame lacks the `{field}` field")]
    MissingField {
        /// The frame's `type`.
        frame: &'static str,
        /// The missing field.
        field: &'static str,
    },
    /// The channel name is not valid.
    #[error(transparent)]
    Channel(#[from] ChannelNameError),
    /// The event name is not valid.
    #[error(transparent)]
    Event(#[from] EventNameError),
}

impl FrameError {
    /// The code to put in the error frame that answers this frame.
    pub fn code(&self) -> ErrorCode {
        match self {
            FrameError::Malformed(_) | FrameError::MissingField { .. } => ErrorCode::MalformedFrame,
            FrameError::UnknownType(_) => ErrorCode::UnknownFrame,
            FrameError::Channel(_) => ErrorCode::InvalidChannel,
            FrameError::Event(_) => ErrorCode::InvalidEvent,
        }
    }
}

/// Every field any frame may carry, all optional: the first step of decoding either direction.
#[derive(Debug, Deserialize)]
pub struct Envelope<D> {
    /// The frame's `type` tag.
    #[serde(rename = "type")]
    pub kind: String,
    /// `channel` of welcome, event and whisper frames.
    pub channel: Option<String>,
    /// `event` of event and whisper frames.
    pub event: Option<String>,
    /// `data` of event and whisper frames (absent and `null` are the same).
    pub data: Option<D>,
    /// `from` of relayed whispers.
    pub from: Option<String>,
    /// `user` of whispers relayed on presence channels.
    #[serde(default)]
    pub user: Option<String>,
    /// `members` of `presence:here`.
    #[serde(default = "none")]
    pub members: Option<Vec<Member<D>>>,
    /// `member` of `presence:join` and `presence:leave`.
    #[serde(default = "none")]
    pub member: Option<Member<D>>,
    /// `socket_id` of the welcome frame.
    pub socket_id: Option<String>,
    /// `protocol` of the welcome frame.
    pub protocol: Option<u32>,
    /// `epoch` of the welcome frame.
    #[serde(default)]
    pub epoch: Option<String>,
    /// `offset` of welcome and event frames.
    #[serde(default)]
    pub offset: Option<u64>,
    /// `reason` of `recovery:failed`.
    #[serde(default)]
    pub reason: Option<String>,
    /// `code` of error frames.
    pub code: Option<ErrorCode>,
    /// `message` of error frames.
    pub message: Option<String>,
}

/// Absent fields are `None` without requiring `D: Default`.
fn none<T>() -> Option<T> {
    None
}

fn require<T>(value: Option<T>, frame: &'static str, field: &'static str) -> Result<T, FrameError> {
    value.ok_or(FrameError::MissingField { frame, field })
}

impl<D> Envelope<D> {
    /// Checks the fields of a frame received by the server.
    pub fn into_client_frame(self) -> Result<ClientFrame<D>, FrameError> {
        match self.kind.as_str() {
            "whisper" => Ok(ClientFrame::Whisper {
                channel: ChannelName::parse(&require(self.channel, "whisper", "channel")?)?,
                event: EventName::parse(&require(self.event, "whisper", "event")?)?,
                data: self.data,
            }),
            "ping" => Ok(ClientFrame::Ping),
            _ => Err(FrameError::UnknownType(self.kind)),
        }
    }

    /// Checks the fields of a frame received by a client.
    ///
    /// The fields most frames share (`channel`, `event`) are checked once, before the match:
    /// the browser SDK ships this function, so its size counts.
    pub fn into_server_frame(self) -> Result<ServerFrame<D>, FrameError> {
        const TYPES: [&str; 8] = [
            "welcome",
            "event",
            "whisper",
            "presence:here",
            "presence:join",
            "presence:leave",
            "recovery:failed",
            "error",
        ];
        if self.kind == "pong" {
            return Ok(ServerFrame::Pong);
        }
        let Some(kind) = TYPES.into_iter().find(|known| *known == self.kind) else {
            return Err(FrameError::UnknownType(self.kind));
        };
        if kind == "error" {
            return Ok(ServerFrame::Error {
                code: require(self.code, kind, "code")?,
                message: self.message.unwrap_or_default(),
            });
        }
        let channel = ChannelName::parse(&require(self.channel, kind, "channel")?)?;
        let event = || -> Result<EventName, FrameError> {
            Ok(EventName::parse(&require(self.event, kind, "event")?)?)
        };
        Ok(match kind {
            "welcome" => ServerFrame::Welcome {
                protocol: require(self.protocol, kind, "protocol")?,
                socket_id: require(self.socket_id, kind, "socket_id")?,
                channel,
                epoch: self.epoch,
                offset: self.offset,
            },
            "event" => ServerFrame::Event {
                event: event()?,
                channel,
                data: self.data,
                offset: self.offset,
            },
            "recovery:failed" => ServerFrame::RecoveryFailed {
                channel,
                reason: self.reason.unwrap_or_default(),
            },
            "whisper" => ServerFrame::Whisper {
                event: event()?,
                channel,
                data: self.data,
                from: require(self.from, kind, "from")?,
                user: self.user,
            },
            "presence:here" => ServerFrame::PresenceHere {
                channel,
                members: require(self.members, kind, "members")?,
            },
            _ => {
                let member = require(self.member, kind, "member")?;
                if kind == "presence:join" {
                    ServerFrame::PresenceJoin { channel, member }
                } else {
                    ServerFrame::PresenceLeave { channel, member }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn envelope(value: Value) -> Envelope<Value> {
        serde_json::from_value(value).unwrap()
    }

    fn channel(name: &str) -> ChannelName {
        ChannelName::parse(name).unwrap()
    }

    fn event(name: &str) -> EventName {
        EventName::parse(name).unwrap()
    }

    #[test]
    fn ping_and_pong_constants_match_the_encoders() {
        let ping = serde_json::to_string(&ClientFrame::<Value>::Ping).unwrap();
        assert_eq!(ping, PING_FRAME);
        let pong = serde_json::to_string(&ServerFrame::<Value>::Pong).unwrap();
        assert_eq!(pong, PONG_FRAME);
    }

    #[test]
    fn server_frames_round_trip_through_the_envelope() {
        let frames = [
            ServerFrame::Welcome {
                protocol: crate::PROTOCOL_VERSION,
                socket_id: "s1".into(),
                channel: channel("news"),
                epoch: Some("ep".into()),
                offset: Some(0),
            },
            ServerFrame::Event {
                channel: channel("news"),
                event: event("e"),
                data: Some(json!({"a": [1, 2]})),
                offset: Some(7),
            },
            ServerFrame::Event {
                channel: channel("news"),
                event: event("e"),
                data: None,
                offset: None,
            },
            ServerFrame::RecoveryFailed {
                channel: channel("news"),
                reason: "epoch changed".into(),
            },
            ServerFrame::Whisper {
                channel: channel("private-x"),
                event: event("typing"),
                data: Some(json!("hi")),
                from: "s2".into(),
                user: None,
            },
            ServerFrame::Whisper {
                channel: channel("presence-x"),
                event: event("typing"),
                data: None,
                from: "s3".into(),
                user: Some("ada".into()),
            },
            ServerFrame::PresenceHere {
                channel: channel("presence-x"),
                members: vec![
                    Member {
                        id: "ada".into(),
                        info: Some(json!({"name": "Ada"})),
                    },
                    Member {
                        id: "bob".into(),
                        info: None,
                    },
                ],
            },
            ServerFrame::PresenceJoin {
                channel: channel("presence-x"),
                member: Member {
                    id: "bob".into(),
                    info: None,
                },
            },
            ServerFrame::PresenceLeave {
                channel: channel("presence-x"),
                member: Member {
                    id: "bob".into(),
                    info: Some(json!(1)),
                },
            },
            ServerFrame::Error {
                code: ErrorCode::UnknownFrame,
                message: "no".into(),
            },
            ServerFrame::Pong,
        ];
        for frame in frames {
            let encoded = serde_json::to_value(&frame).unwrap();
            let decoded = envelope(encoded.clone()).into_server_frame().unwrap();
            assert_eq!(decoded, frame, "{encoded}");
        }
    }

    #[test]
    fn client_whisper_round_trips() {
        let frame = ClientFrame::Whisper {
            channel: channel("private-x"),
            event: event("typing"),
            data: Some(json!(1)),
        };
        let encoded = serde_json::to_value(&frame).unwrap();
        assert_eq!(
            encoded,
            json!({"type": "whisper", "channel": "private-x", "event": "typing", "data": 1})
        );
        assert_eq!(envelope(encoded).into_client_frame().unwrap(), frame);
    }

    #[test]
    fn null_data_is_encoded_as_null() {
        let frame = ServerFrame::<Value>::Event {
            channel: channel("news"),
            event: event("e"),
            data: None,
            offset: None,
        };
        let encoded = serde_json::to_value(&frame).unwrap();
        assert_eq!(encoded["data"], Value::Null);
    }

    #[test]
    fn decoding_reports_what_is_wrong() {
        let cases = [
            (json!({"type": "nope"}), ErrorCode::UnknownFrame),
            (
                json!({"type": "whisper", "event": "e"}),
                ErrorCode::MalformedFrame,
            ),
            (
                json!({"type": "whisper", "channel": "news"}),
                ErrorCode::MalformedFrame,
            ),
            (
                json!({"type": "whisper", "channel": "a b", "event": "e"}),
                ErrorCode::InvalidChannel,
            ),
            (
                json!({"type": "whisper", "channel": "news", "event": ""}),
                ErrorCode::InvalidEvent,
            ),
            (json!({"type": "welcome"}), ErrorCode::UnknownFrame),
        ];
        for (value, code) in cases {
            let err = envelope(value.clone()).into_client_frame().unwrap_err();
            assert_eq!(err.code(), code, "{value}: {err}");
        }
    }

    #[test]
    fn server_frames_a_client_does_not_send_are_unknown_to_the_server() {
        let err = envelope(json!({"type": "event", "channel": "a", "event": "b"}))
            .into_client_frame()
            .unwrap_err();
        assert_eq!(err, FrameError::UnknownType("event".into()));
    }
}
