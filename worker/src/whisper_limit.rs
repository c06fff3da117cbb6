//! The whisper rate limit: a token bucket per socket, kept in the socket's attachment so it
//! survives hibernation.

use serde::{Deserialize, Serialize};

/// Whispers a socket may send per second, on average.
pub const WHISPERS_PER_SECOND: f64 = 10.0;
/// Whispers a socket may send at once after a quiet spell.
pub const BURST: f64 = 20.0;
/// Refused whispers in a row after which the socket is closed (4008).
pub const STRIKES_BEFORE_CLOSE: u32 = 100;

/// One socket's bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WhisperBucket {
    /// Whispers available now.
    tokens: f64,
    /// When `tokens` was last brought up to date, in ms since the epoch.
    updated_at: f64,
    /// Whispers refused since the last accepted one.
    pub strikes: u32,
}

/// What to do with a whisper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Relay it.
    Allow,
    /// Refuse it with an error frame.
    Refuse,
    /// Refuse it and close the socket: it kept flooding after being told.
    Close,
}

impl WhisperBucket {
    /// A full bucket at `now` (ms).
    pub fn full(now: f64) -> Self {
        Self {
            tokens: BURST,
            updated_at: now,
            strikes: 0,
        }
    }

    /// Takes one whisper at `now` (ms).
    pub fn take(&mut self, now: f64) -> Verdict {
        let elapsed = (now - self.updated_at).max(0.0) / 1000.0;
        self.tokens = (self.tokens + elapsed * WHISPERS_PER_SECOND).min(BURST);
        self.updated_at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.strikes = 0;
            return Verdict::Allow;
        }
        self.strikes += 1;
        if self.strikes >= STRIKES_BEFORE_CLOSE {
            Verdict::Close
        } else {
            Verdict::Refuse
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate() {
        let mut bucket = WhisperBucket::full(0.0);
        let allowed = (0..30)
            .filter(|_| bucket.take(0.0) == Verdict::Allow)
            .count();
        assert_eq!(allowed, BURST as usize);
        // One second later, ten more.
        let allowed = (0..30)
            .filter(|_| bucket.take(1000.0) == Verdict::Allow)
            .count();
        assert_eq!(allowed, 10);
    }

    #[test]
    fn a_steady_sender_under_the_rate_is_never_refused() {
        let mut bucket = WhisperBucket::full(0.0);
        for n in 0..1000 {
            assert_eq!(
                bucket.take(f64::from(n) * 110.0),
                Verdict::Allow,
                "whisper {n}"
            );
        }
    }

    #[test]
    fn persistent_flooding_closes() {
        let mut bucket = WhisperBucket::full(0.0);
        let verdicts: Vec<Verdict> = (0..(BURST as u32 + STRIKES_BEFORE_CLOSE))
            .map(|_| bucket.take(0.0))
            .collect();
        assert_eq!(verdicts.last(), Some(&Verdict::Close));
        assert_eq!(
            verdicts.iter().filter(|v| **v == Verdict::Refuse).count(),
            99
        );
    }

    #[test]
    fn an_accepted_whisper_clears_the_strikes() {
        let mut bucket = WhisperBucket::full(0.0);
        for _ in 0..(BURST as u32 + 50) {
            bucket.take(0.0);
        }
        assert_eq!(bucket.strikes, 50);
        assert_eq!(bucket.take(1000.0), Verdict::Allow);
        assert_eq!(bucket.strikes, 0);
    }
}
