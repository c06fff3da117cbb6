//! Checking the broadcaster's bearer secret, and reading secrets that can be rotated.

use subtle::ConstantTimeEq;
use worker::Env;

use crate::config::text_binding;

/// The secrets under `name` in the order to try them: the current one, then, during a rotation,
/// the one in `{name}_PREVIOUS`, still accepted until it is deleted (docs/deploy.md). Empty
/// values count as unset.
pub fn rotating_secrets(env: &Env, name: &str) -> Vec<String> {
    [name, &[name, "_PREVIOUS"].concat()]
        .into_iter()
        .filter_map(|key| text_binding(env, key))
        .filter(|secret| !secret.is_empty())
        .collect()
}

/// Whether the `Authorization` header value `authorization` is `Bearer <expected>`.
///
/// The comparison takes the same time wherever the first differing byte is, so response timing
/// does not reveal how much of a guess was right.
pub fn bearer_matches(authorization: Option<&str>, expected: &str) -> bool {
    let Some(token) = authorization.and_then(|value| value.strip_prefix("Bearer ")) else {
        return false;
    };
    !expected.is_empty() && bool::from(token.as_bytes().ct_eq(expected.as_bytes()))
}
