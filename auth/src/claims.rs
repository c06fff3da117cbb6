//! What a channel token says.

use broadcast_protocol::ChannelName;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::channel_pattern::pattern_matches;

/// Largest `user_info` a token may carry, in bytes of JSON. It is stored with every socket of
/// the user (socket attachments hold at most 16 KiB) and sent in every presence frame.
pub const MAX_USER_INFO_BYTES: usize = 2048;

/// The claims of a channel token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id: presence counts members by it, and whispers on presence channels are
    /// stamped with it.
    pub sub: String,
    /// Expiry, in seconds since the Unix epoch.
    pub exp: u64,
    /// Not valid before, in seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Issued at, in seconds since the Unix epoch (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Channel names or `prefix*` patterns the token may join; absent means every private and
    /// presence channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
    /// What other members see of this user on presence channels (any JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_info: Option<Box<RawValue>>,
}

impl Claims {
    /// Claims for user `sub`, valid until `exp` (seconds since the Unix epoch), for every channel.
    pub fn new(sub: impl Into<String>, exp: u64) -> Self {
        Self {
            sub: sub.into(),
            exp,
            nbf: None,
            iat: None,
            channels: None,
            user_info: None,
        }
    }

    /// Restricts the token to these channel names or `prefix*` patterns.
    pub fn with_channels<S: Into<String>>(mut self, channels: impl IntoIterator<Item = S>) -> Self {
        self.channels = Some(channels.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the member info other members see; fails if it is not JSON.
    pub fn with_user_info(mut self, json: &str) -> Result<Self, serde_json::Error> {
        self.user_info = Some(RawValue::from_string(json.to_owned())?);
        Ok(self)
    }

    /// Whether the `channels` claim admits `channel`.
    pub fn allows(&self, channel: &ChannelName) -> bool {
        self.channels.as_ref().is_none_or(|patterns| {
            patterns
                .iter()
                .any(|pattern| pattern_matches(pattern, channel.as_str()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(name: &str) -> ChannelName {
        ChannelName::parse(name).unwrap()
    }

    #[test]
    fn no_channels_claim_allows_every_channel() {
        assert!(Claims::new("ada", 1).allows(&channel("private-x")));
    }

    #[test]
    fn the_channels_claim_restricts() {
        let claims = Claims::new("ada", 1).with_channels(["private-x", "presence-room.*"]);
        assert!(claims.allows(&channel("private-x")));
        assert!(claims.allows(&channel("presence-room.1")));
        assert!(!claims.allows(&channel("private-y")));
    }
}
