//! Checking the broadcaster's bearer secret, and reading secrets that can be rotated.

use subtle::ConstantTimeEq;
use worker::{Env, Headers};

/// The secrets under `name` in the order to try them: the current one, then, during a rotation,
/// the one in `{name}_PREVIOUS`, still accepted until it is deleted (docs/deploy.md). Empty
/// values count as unset.
pub fn rotating_secrets(env: &Env, name: &str) -> Vec<String> {
    [name.to_owned(), format!("{name}_PREVIOUS")]
        .iter()
        .filter_map(|key| env.secret(key).ok().map(|secret| secret.to_string()))
        .filter(|secret| !secret.is_empty())
        .collect()
}

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
