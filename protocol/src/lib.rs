//! The wire format shared by the browser SDK and the channel Durable Object.
//!
//! Everything here is plain data and pure functions: no sockets, no runtime. Frames are JSON text
//! objects tagged by a `type` field; the payload type `D` is left to each side, so the server can
//! keep data as raw JSON and the browser as a JavaScript value, both without re-encoding it.
//!
//! ```
//! use broadcast_protocol::{ChannelName, ChannelKind, CloseCode, ReconnectPolicy};
//!
//! let channel = ChannelName::parse("presence-room.7").unwrap();
//! assert_eq!(channel.kind(), ChannelKind::Presence);
//! assert_eq!(CloseCode::from(1009).reconnect_policy(), ReconnectPolicy::Never);
//! ```
#![warn(missing_docs)]
// No I/O needs no standard library: the browser SDK builds without one, so that std's panic
// and formatting machinery stays out of every page's download. Tests use std as usual.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod channel;
mod channel_types;
mod close;
mod error_code;
mod event_name;
mod frame;
mod http;
#[cfg(feature = "json")]
mod json;
mod json_depth;
mod limits;
mod validated_name;

pub use channel::{ChannelKind, ChannelName, ChannelNameError};
pub use channel_types::{Channel, PresenceChannel, PrivateChannel};
pub use close::{CloseCode, ReconnectPolicy};
pub use error_code::ErrorCode;
pub use event_name::{EventName, EventNameError};
pub use frame::{ClientFrame, Envelope, FrameError, Member, PING_FRAME, PONG_FRAME, ServerFrame};
pub use http::{BroadcastRequest, BroadcastResponse, ChannelBroadcast, ChannelDelivery, HttpError};
#[cfg(feature = "json")]
pub use json::{check_depth, decode_client_frame, encode_frame};
pub use json_depth::json_depth;
pub use limits::{
    MAX_BROADCAST_BODY_BYTES, MAX_CHANNELS_PER_BROADCAST, MAX_DATA_DEPTH, MAX_FRAME_BYTES,
};

/// Version of this wire protocol, sent in the welcome frame. Bumped on any incompatible change.
pub const PROTOCOL_VERSION: u32 = 1;
