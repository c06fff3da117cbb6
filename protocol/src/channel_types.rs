//! Typed channel constructors for server code: `PrivateChannel::new("users.123")` instead of
//! spelling the `private-` prefix by hand.
//!
//! ```
//! use broadcast_protocol::{Channel, ChannelName, PresenceChannel, PrivateChannel};
//!
//! let channels: Vec<ChannelName> = vec![
//!     Channel::new("announcements").unwrap().into(),
//!     PrivateChannel::new("users.123").unwrap().into(),
//!     PresenceChannel::new("room.7").unwrap().into(),
//! ];
//! assert_eq!(channels[1].as_str(), "private-users.123");
//! assert!(Channel::new("private-x").is_err(), "a public channel cannot have a private name");
//! ```

use alloc::format;

use crate::{ChannelKind, ChannelName, ChannelNameError};

macro_rules! channel_type {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(ChannelName);

        impl $name {
            /// The channel `base` (without the kind's prefix); fails if the full name is not a
            /// valid channel name.
            pub fn new(base: &str) -> Result<Self, ChannelNameError> {
                let name = ChannelName::parse(&format!("{}{base}", $kind.prefix()))?;
                if name.kind() != $kind {
                    // "private-x" passed to Channel::new would silently become a private channel.
                    return Err(ChannelNameError::WrongKind {
                        expected: $kind,
                        actual: name.kind(),
                    });
                }
                Ok(Self(name))
            }

            /// The full channel name, prefix included.
            pub fn name(&self) -> &ChannelName {
                &self.0
            }
        }

        impl From<$name> for ChannelName {
            fn from(channel: $name) -> ChannelName {
                channel.0
            }
        }
    };
}

channel_type!(
    /// A public channel: anyone may join (`Channel::new("announcements")`).
    Channel,
    ChannelKind::Public
);
channel_type!(
    /// A private channel: joining needs a token (`PrivateChannel::new("users.123")` is
    /// `private-users.123`).
    PrivateChannel,
    ChannelKind::Private
);
channel_type!(
    /// A presence channel: private, with a member list (`PresenceChannel::new("room.7")` is
    /// `presence-room.7`).
    PresenceChannel,
    ChannelKind::Presence
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_adds_its_prefix() {
        let names: Vec<ChannelName> = vec![
            Channel::new("announcements").unwrap().into(),
            PrivateChannel::new("users.123").unwrap().into(),
            PresenceChannel::new("room.7").unwrap().into(),
        ];
        let names: Vec<&str> = names.iter().map(ChannelName::as_str).collect();
        assert_eq!(
            names,
            ["announcements", "private-users.123", "presence-room.7"]
        );
    }

    #[test]
    fn a_prefix_in_the_base_is_refused() {
        assert_eq!(
            Channel::new("private-x"),
            Err(ChannelNameError::WrongKind {
                expected: ChannelKind::Public,
                actual: ChannelKind::Private,
            })
        );
        assert!(
            PrivateChannel::new("presence-x").is_ok(),
            "private-presence-x is private"
        );
        assert!(PrivateChannel::new("a b").is_err());
    }
}
