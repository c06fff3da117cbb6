//! The `channels` claim: which channels a token may join.

/// Whether `pattern` admits `channel`: an exact name, or a prefix ending in `*`
/// (`presence-room.*` admits `presence-room.7`; `*` alone admits every channel).
pub fn pattern_matches(pattern: &str, channel: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => channel.starts_with(prefix),
        None => pattern == channel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_and_prefixes() {
        assert!(pattern_matches("private-orders", "private-orders"));
        assert!(!pattern_matches("private-orders", "private-orders.2"));
        assert!(pattern_matches("presence-room.*", "presence-room.7"));
        assert!(!pattern_matches("presence-room.*", "presence-lobby"));
        assert!(pattern_matches("*", "anything"));
    }

    #[test]
    fn a_star_inside_is_literal() {
        assert!(!pattern_matches("presence-*.x", "presence-a.x"));
    }
}
