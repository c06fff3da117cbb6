//! Channel names and the kind of channel a name denotes.

use alloc::borrow::ToOwned;
use alloc::string::String;

/// What a client must prove to join a channel; decided by the name's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// Anyone may join (no prefix).
    Public,
    /// A valid bearer token is required (`private-` prefix).
    Private,
    /// Private plus a member list with join and leave events (`presence-` prefix).
    Presence,
}

impl ChannelKind {
    /// The kind in words: `"public"`, `"private"` or `"presence"`.
    pub const fn name(self) -> &'static str {
        match self {
            ChannelKind::Public => "public",
            ChannelKind::Private => "private",
            ChannelKind::Presence => "presence",
        }
    }

    /// The name prefix that selects this kind (empty for public channels).
    pub const fn prefix(self) -> &'static str {
        match self {
            ChannelKind::Public => "",
            ChannelKind::Private => "private-",
            ChannelKind::Presence => "presence-",
        }
    }
}

/// Why a string is not a valid channel name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChannelNameError {
    /// The name is empty, or is only a kind prefix such as `private-`.
    #[error("channel name is empty")]
    Empty,
    /// The name is longer than [`ChannelName::MAX_LEN`] bytes.
    #[error("channel name is {len} bytes long; the maximum is {max}", max = ChannelName::MAX_LEN)]
    TooLong {
        /// Length of the rejected name in bytes.
        len: usize,
    },
    /// The name contains a character outside `A-Z a-z 0-9 _ - = @ , . ;`.
    #[error(
        "channel name contains '{found}' (U+{:04X}); allowed are A-Z a-z 0-9 and _ - = @ , . ;",
        u32::from(*found)
    )]
    InvalidCharacter {
        /// The first offending character.
        found: char,
    },
    /// A typed constructor got a name whose prefix makes it another kind of channel.
    #[error(
        "a {} channel name cannot start with `{}`",
        expected.name(),
        actual.prefix()
    )]
    WrongKind {
        /// The kind the constructor makes.
        expected: ChannelKind,
        /// The kind the name's prefix makes.
        actual: ChannelKind,
    },
}

/// A validated channel name: 1 to [`ChannelName::MAX_LEN`] characters from
/// `A-Z a-z 0-9 _ - = @ , . ;` (the set Pusher clients already use), so it is safe in a URL path,
/// a log line and a Durable Object name without escaping.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelName(String);

impl ChannelName {
    /// Longest allowed name, in bytes.
    pub const MAX_LEN: usize = 164;

    /// Validates `name`.
    pub fn parse(name: &str) -> Result<Self, ChannelNameError> {
        if name.len() > Self::MAX_LEN {
            return Err(ChannelNameError::TooLong { len: name.len() });
        }
        if let Some(found) = name.chars().find(|c| !is_allowed(*c)) {
            return Err(ChannelNameError::InvalidCharacter { found });
        }
        let name = Self(name.to_owned());
        if name.base().is_empty() {
            return Err(ChannelNameError::Empty);
        }
        Ok(name)
    }

    /// The kind of channel, from the name's prefix.
    pub fn kind(&self) -> ChannelKind {
        [ChannelKind::Private, ChannelKind::Presence]
            .into_iter()
            .find(|kind| self.0.starts_with(kind.prefix()))
            .unwrap_or(ChannelKind::Public)
    }

    /// The name without its kind prefix (`room.7` for `presence-room.7`).
    pub fn base(&self) -> &str {
        let prefix = self.kind().prefix();
        self.0.strip_prefix(prefix).unwrap_or(&self.0)
    }

    /// The full name, as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '=' | '@' | ',' | '.' | ';')
}

crate::validated_name::impl_validated_name!(ChannelName, ChannelNameError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_prefixes() {
        let cases = [
            ("news", ChannelKind::Public, "news"),
            ("private-users.1", ChannelKind::Private, "users.1"),
            ("presence-room.7", ChannelKind::Presence, "room.7"),
            ("privately", ChannelKind::Public, "privately"),
        ];
        for (name, kind, base) in cases {
            let parsed = ChannelName::parse(name).unwrap();
            assert_eq!(parsed.kind(), kind, "{name}");
            assert_eq!(parsed.base(), base, "{name}");
            assert_eq!(parsed.as_str(), name);
        }
    }

    #[test]
    fn rejects_empty_and_prefix_only_names() {
        for name in ["", "private-", "presence-"] {
            assert_eq!(
                ChannelName::parse(name),
                Err(ChannelNameError::Empty),
                "{name:?}"
            );
        }
    }

    #[test]
    fn rejects_characters_outside_the_set() {
        for (name, found) in [("a b", ' '), ("a/b", '/'), ("é", 'é'), ("a\u{0}", '\u{0}')] {
            assert_eq!(
                ChannelName::parse(name),
                Err(ChannelNameError::InvalidCharacter { found })
            );
        }
        assert!(ChannelName::parse("A-z_0=9@,.;").is_ok());
    }

    #[test]
    fn enforces_the_maximum_length() {
        let longest = "a".repeat(ChannelName::MAX_LEN);
        assert!(ChannelName::parse(&longest).is_ok());
        let too_long = "a".repeat(ChannelName::MAX_LEN + 1);
        assert_eq!(
            ChannelName::parse(&too_long),
            Err(ChannelNameError::TooLong {
                len: ChannelName::MAX_LEN + 1
            })
        );
    }

    #[test]
    fn deserializing_validates() {
        let ok: ChannelName = serde_json::from_str("\"news\"").unwrap();
        assert_eq!(ok.as_str(), "news");
        let err = serde_json::from_str::<ChannelName>("\"a b\"").unwrap_err();
        assert!(err.to_string().contains("channel name contains"), "{err}");
    }
}
