//! Reconnect delays: exponential growth with full jitter.

/// Largest delay a browser timer accepts (2^31 - 1 ms); longer ones fire at once.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// The delay before reconnect attempt `attempt` (0 for the first retry): a uniformly random
/// point in `[0, min(max_ms, initial_ms * 2^attempt)]`, where `random` is in `[0, 1)`.
///
/// Full jitter spreads a crowd of clients that lost the server at the same moment (a deploy
/// closes every socket at once) over the whole window instead of letting them return together.
pub fn retry_delay_ms(attempt: u32, initial_ms: u32, max_ms: u32, random: f64) -> u32 {
    // A shift rather than `powi`, which core lacks without the standard library.
    let growth = (1u64 << attempt.min(62)) as f64;
    let cap = (f64::from(initial_ms) * growth).min(f64::from(max_ms));
    // NaN would survive `clamp` and turn into the largest delay.
    let random = if random.is_nan() {
        0.0
    } else {
        random.clamp(0.0, 1.0)
    };
    let delay = cap * random;
    delay.min(MAX_TIMER_MS) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_doubles_until_the_maximum() {
        let windows: Vec<u32> = (0..8)
            .map(|attempt| retry_delay_ms(attempt, 1000, 30_000, 1.0))
            .collect();
        assert_eq!(
            windows,
            [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]
        );
    }

    #[test]
    fn jitter_scales_the_window() {
        assert_eq!(retry_delay_ms(2, 1000, 30_000, 0.0), 0);
        assert_eq!(retry_delay_ms(2, 1000, 30_000, 0.5), 2000);
        assert_eq!(retry_delay_ms(2, 1000, 30_000, 0.999), 3996);
    }

    #[test]
    fn huge_attempts_and_odd_randoms_stay_in_bounds() {
        assert_eq!(retry_delay_ms(u32::MAX, 1000, 30_000, 1.0), 30_000);
        assert_eq!(retry_delay_ms(3, 1000, u32::MAX, 1.0), 8000);
        assert_eq!(retry_delay_ms(40, 1000, u32::MAX, 1.0), 2_147_483_647);
        assert_eq!(retry_delay_ms(1, 1000, 30_000, -3.0), 0);
        assert_eq!(retry_delay_ms(1, 1000, 30_000, f64::NAN), 0);
    }
}
