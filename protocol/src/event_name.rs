//! Event names, as carried by broadcasts and whispers.

use alloc::borrow::ToOwned;
use alloc::string::String;

/// Why a string is not a valid event name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventNameError {
    /// The name is empty.
    #[error("event name is empty")]
    Empty,
    /// The name is longer than [`EventName::MAX_LEN`] bytes.
    #[error("event name is {len} bytes long; the maximum is {max}", max = EventName::MAX_LEN)]
    TooLong {
        /// Length of the rejected name in bytes.
        len: usize,
    },
    /// The name contains a control character.
    #[error("event name contains the control character U+{:04X}", u32::from(*found))]
    ControlCharacter {
        /// The first offending character.
        found: char,
    },
}

/// A validated event name: 1 to [`EventName::MAX_LEN`] bytes of printable text
/// (`message.posted`, `App\Events\OrderShipped`, `typing`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventName(String);

impl EventName {
    /// Longest allowed name, in bytes.
    pub const MAX_LEN: usize = 200;

    /// Validates `name`.
    pub fn parse(name: &str) -> Result<Self, EventNameError> {
        if name.is_empty() {
            return Err(EventNameError::Empty);
        }
        if name.len() > Self::MAX_LEN {
            return Err(EventNameError::TooLong { len: name.len() });
        }
        if let Some(found) = name.chars().find(|c| c.is_control()) {
            return Err(EventNameError::ControlCharacter { found });
        }
        Ok(Self(name.to_owned()))
    }

    /// The name as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::validated_name::impl_validated_name!(EventName, EventNameError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_printable_names() {
        for name in [
            "typing",
            "message.posted",
            "App\\Events\\OrderShipped",
            "émoji 🎉",
        ] {
            assert_eq!(EventName::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn rejects_empty_long_and_control() {
        assert_eq!(EventName::parse(""), Err(EventNameError::Empty));
        let long = "e".repeat(EventName::MAX_LEN + 1);
        assert_eq!(
            EventName::parse(&long),
            Err(EventNameError::TooLong {
                len: EventName::MAX_LEN + 1
            })
        );
        assert_eq!(
            EventName::parse("a\nb"),
            Err(EventNameError::ControlCharacter { found: '\n' })
        );
    }
}
