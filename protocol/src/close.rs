//! WebSocket close codes and what each one tells a client to do next.

/// What a client should do after the server closed its socket with a given code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReconnectPolicy {
    /// Reconnecting unchanged cannot help (refused, forbidden, too big): stop and report.
    Never,
    /// A transient failure: reconnect after the usual backoff.
    Backoff,
    /// The server asked the client to come back right away (a restart or a handover).
    Immediately,
}

/// A WebSocket close code, named where this protocol gives it a meaning.
///
/// Application codes follow the Pusher convention so existing intuition carries over:
/// 4000-4099 never reconnect unchanged, 4100-4199 reconnect with backoff, 4200-4299 reconnect
/// at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CloseCode {
    /// 1000: closed on purpose (the client called `close()`).
    Normal,
    /// 1001: the endpoint is going away (page unload, server shutdown).
    GoingAway,
    /// 1006: the connection dropped without a close frame (never sent, only observed).
    Abnormal,
    /// 1009: a frame exceeded [`crate::MAX_FRAME_BYTES`].
    MessageTooBig,
    /// 1011: the server hit an unexpected error with this socket.
    InternalError,
    /// 1012: the server is restarting.
    ServiceRestart,
    /// 1013: the server is overloaded; try again later.
    TryAgainLater,
    /// 4001: the token is missing, invalid or expired.
    Unauthorized,
    /// 4003: the token is valid but does not allow this channel.
    Forbidden,
    /// 4008: the client broke the protocol's rules repeatedly (for example, flooding).
    PolicyViolation,
    /// 4100: the server asks the client to reconnect later, with backoff.
    ReconnectLater,
    /// 4200: the server asks the client to reconnect at once.
    ReconnectNow,
    /// Any other code.
    Other(u16),
}

impl CloseCode {
    /// The numeric code sent in the close frame.
    pub const fn code(self) -> u16 {
        match self {
            CloseCode::Normal => 1000,
            CloseCode::GoingAway => 1001,
            CloseCode::Abnormal => 1006,
            CloseCode::MessageTooBig => 1009,
            CloseCode::InternalError => 1011,
            CloseCode::ServiceRestart => 1012,
            CloseCode::TryAgainLater => 1013,
            CloseCode::Unauthorized => 4001,
            CloseCode::Forbidden => 4003,
            CloseCode::PolicyViolation => 4008,
            CloseCode::ReconnectLater => 4100,
            CloseCode::ReconnectNow => 4200,
            CloseCode::Other(code) => code,
        }
    }

    /// What a client should do when the server closed its socket with this code.
    ///
    /// `Normal` counts as transient: a server that closes a socket normally (a deploy, an
    /// eviction) still wants its clients back, and a client that closed on purpose never asks.
    pub const fn reconnect_policy(self) -> ReconnectPolicy {
        match self.code() {
            1009 | 1002 | 1003 | 1007 | 1008 => ReconnectPolicy::Never,
            1012 => ReconnectPolicy::Immediately,
            4000..=4099 => ReconnectPolicy::Never,
            4200..=4299 => ReconnectPolicy::Immediately,
            _ => ReconnectPolicy::Backoff,
        }
    }
}

impl From<u16> for CloseCode {
    fn from(code: u16) -> Self {
        [
            CloseCode::Normal,
            CloseCode::GoingAway,
            CloseCode::Abnormal,
            CloseCode::MessageTooBig,
            CloseCode::InternalError,
            CloseCode::ServiceRestart,
            CloseCode::TryAgainLater,
            CloseCode::Unauthorized,
            CloseCode::Forbidden,
            CloseCode::PolicyViolation,
            CloseCode::ReconnectLater,
            CloseCode::ReconnectNow,
        ]
        .into_iter()
        .find(|named| named.code() == code)
        .unwrap_or(CloseCode::Other(code))
    }
}

impl From<CloseCode> for u16 {
    fn from(code: CloseCode) -> Self {
        code.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_codes_round_trip() {
        for code in [
            1000, 1001, 1006, 1009, 1011, 1012, 1013, 4001, 4003, 4008, 4100, 4200,
        ] {
            let named = CloseCode::from(code);
            assert!(!matches!(named, CloseCode::Other(_)), "{code} has a name");
            assert_eq!(named.code(), code);
        }
        assert_eq!(CloseCode::from(4321), CloseCode::Other(4321));
    }

    #[test]
    fn policies_follow_the_ranges() {
        use ReconnectPolicy::*;
        let cases = [
            (1000, Backoff),
            (1001, Backoff),
            (1006, Backoff),
            (1008, Never),
            (1009, Never),
            (1011, Backoff),
            (1012, Immediately),
            (1013, Backoff),
            (4000, Never),
            (4001, Never),
            (4003, Never),
            (4099, Never),
            (4100, Backoff),
            (4199, Backoff),
            (4200, Immediately),
            (4299, Immediately),
            (4300, Backoff),
        ];
        for (code, policy) in cases {
            assert_eq!(
                CloseCode::from(code).reconnect_policy(),
                policy,
                "code {code}"
            );
        }
    }
}
