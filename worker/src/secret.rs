//! Checking the broadcaster's bearer secret.

use subtle::ConstantTimeEq;
use worker::Headers;

/// Whether `headers` carry `Authorization: Bearer <expected>`.
///
/// The comparison takes the same time wherever the first differing byte is, so response timing
/// does not reveal how much of a guess was right.
pub fn bearer_matches(headers: &Headers, expected: &str) -> bool {
    let Ok(Some(value)) = headers.get("Authorization") else {
        return false;
    };
    let Some(token) = value.strip_prefix("Bearer ") else {
        return false;
    };
    !expected.is_empty() && bool::from(token.as_bytes().ct_eq(expected.as_bytes()))
}
