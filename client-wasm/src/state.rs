//! The connection's state machine, as a pure function.

/// Where a client's connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// Created, not connecting yet.
    Idle,
    /// An attempt is under way (resolving the URL or opening the socket).
    Connecting,
    /// The server welcomed the socket; events flow.
    Open,
    /// The connection was lost; a retry is scheduled.
    Reconnecting,
    /// Stopped: closed by the application, by a terminal close code, or after `maxRetries`.
    Closed,
}

impl ConnectionState {
    /// The name JavaScript sees (`"open"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Idle => "idle",
            ConnectionState::Connecting => "connecting",
            ConnectionState::Open => "open",
            ConnectionState::Reconnecting => "reconnecting",
            ConnectionState::Closed => "closed",
        }
    }

    /// Whether the client is at work (connecting, open or waiting to retry), so that it keeps
    /// itself alive even when the application holds no reference to it.
    pub const fn is_active(self) -> bool {
        matches!(
            self,
            ConnectionState::Connecting | ConnectionState::Open | ConnectionState::Reconnecting
        )
    }
}

/// What happened to the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// A connection attempt starts (first connect, retry timer, `reconnect()`).
    Connect,
    /// The server's welcome arrived.
    Welcomed,
    /// The socket or the attempt failed and a retry is scheduled.
    RetryScheduled,
    /// The connection stopped for good: `close()`, a terminal code, or retries exhausted.
    Stop,
}

impl ConnectionState {
    /// The state after `transition`, or `None` where the transition makes no sense from here
    /// (a welcome while closed, say), which the client then ignores.
    pub const fn next(self, transition: Transition) -> Option<ConnectionState> {
        use ConnectionState::*;
        match (self, transition) {
            (_, Transition::Connect) => Some(Connecting),
            (Connecting, Transition::Welcomed) => Some(Open),
            (Connecting | Open | Reconnecting, Transition::RetryScheduled) => Some(Reconnecting),
            (_, Transition::Stop) => Some(Closed),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ConnectionState::*;
    use super::Transition::*;
    use super::*;

    #[test]
    fn a_connection_lives_and_dies() {
        let path = [
            (Connect, Connecting),
            (Welcomed, Open),
            (RetryScheduled, Reconnecting),
            (Connect, Connecting),
            (Welcomed, Open),
            (Stop, Closed),
        ];
        let mut state = Idle;
        for (transition, expected) in path {
            state = state.next(transition).unwrap();
            assert_eq!(state, expected, "after {transition:?}");
        }
    }

    #[test]
    fn reconnect_works_from_every_state() {
        for state in [Idle, Connecting, Open, Reconnecting, Closed] {
            assert_eq!(state.next(Connect), Some(Connecting), "from {state:?}");
        }
    }

    #[test]
    fn stale_events_are_refused() {
        assert_eq!(Closed.next(Welcomed), None);
        assert_eq!(Open.next(Welcomed), None);
        assert_eq!(Idle.next(RetryScheduled), None);
        assert_eq!(Closed.next(RetryScheduled), None);
    }

    #[test]
    fn names_are_lowercase() {
        let names: Vec<_> = [Idle, Connecting, Open, Reconnecting, Closed]
            .map(ConnectionState::as_str)
            .into();
        assert_eq!(
            names,
            ["idle", "connecting", "open", "reconnecting", "closed"]
        );
    }
}
