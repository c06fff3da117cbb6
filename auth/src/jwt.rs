//! Minting and verifying HS256 JSON Web Tokens (RFC 7519) with the RustCrypto HMAC.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::claims::{Claims, MAX_USER_INFO_BYTES};

type HmacSha256 = Hmac<Sha256>;

/// The only header this crate mints; verification accepts any header with `alg: HS256`.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// Seconds of clock difference tolerated between the minting server and the Worker.
const LEEWAY_SECS: u64 = 30;

/// Why a token was refused. The messages are safe to show to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Not three base64url parts with JSON header and claims.
    #[error("the token is not a JWT: {0}")]
    Malformed(String),
    /// The header names an algorithm other than HS256 (`none` included).
    #[error("the token's algorithm is {0}; only HS256 is accepted")]
    UnsupportedAlgorithm(String),
    /// The signature does not match: another secret, or altered claims.
    #[error("the token's signature is invalid")]
    BadSignature,
    /// `exp` is in the past.
    #[error("the token expired at {exp} (now {now})")]
    Expired {
        /// The token's `exp`.
        exp: u64,
        /// The verifier's clock.
        now: u64,
    },
    /// `nbf` is in the future.
    #[error("the token is not valid before {nbf} (now {now})")]
    NotYetValid {
        /// The token's `nbf`.
        nbf: u64,
        /// The verifier's clock.
        now: u64,
    },
    /// `user_info` is larger than [`MAX_USER_INFO_BYTES`].
    #[error("the token's user_info is {0} bytes; at most {MAX_USER_INFO_BYTES} are allowed")]
    UserInfoTooLarge(usize),
}

impl TokenError {
    /// Whether a fresh token would help (the client's URL factory should mint a new one).
    pub fn is_expired(&self) -> bool {
        matches!(self, TokenError::Expired { .. })
    }
}

/// Signs `claims` with `secret` into a compact JWT.
pub fn mint_token(secret: &[u8], claims: &Claims) -> String {
    let claims = serde_json::to_string(claims).expect("claims serialize to JSON");
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let signature = URL_SAFE_NO_PAD.encode(mac(secret, &signing_input).finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// Checks `token`'s signature with `secret`, then its time window against `now` (seconds
/// since the Unix epoch), and returns its claims.
pub fn verify_token(secret: &[u8], token: &str, now: u64) -> Result<Claims, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed(
            "expected three dot-separated parts".into(),
        ));
    };

    #[derive(Deserialize)]
    struct Header {
        alg: String,
    }
    let header: Header = decode_json(header, "header")?;
    if header.alg != "HS256" {
        return Err(TokenError::UnsupportedAlgorithm(header.alg));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Malformed("the signature is not base64url".into()))?;
    let signing_input = &token[..token.len() - signature_len(token)];
    mac(secret, signing_input)
        .verify_slice(&signature)
        .map_err(|_| TokenError::BadSignature)?;

    let claims: Claims = decode_json(claims, "claims")?;
    if now > claims.exp.saturating_add(LEEWAY_SECS) {
        return Err(TokenError::Expired {
            exp: claims.exp,
            now,
        });
    }
    if let Some(nbf) = claims
        .nbf
        .filter(|nbf| now.saturating_add(LEEWAY_SECS) < *nbf)
    {
        return Err(TokenError::NotYetValid { nbf, now });
    }
    let info_len = claims.user_info.as_ref().map_or(0, |info| info.get().len());
    if info_len > MAX_USER_INFO_BYTES {
        return Err(TokenError::UserInfoTooLarge(info_len));
    }
    Ok(claims)
}

/// Length of the `.signature` suffix, so the signed part is sliced without re-joining.
fn signature_len(token: &str) -> usize {
    token
        .rsplit('.')
        .next()
        .map_or(0, |signature| signature.len() + 1)
}

fn mac(secret: &[u8], signing_input: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(signing_input.as_bytes());
    mac
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str, what: &str) -> Result<T, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed(format!("the {what} is not base64url")))?;
    serde_json::from_slice(&bytes)
        .map_err(|err| TokenError::Malformed(format!("the {what} is not valid JSON: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test-secret";
    const NOW: u64 = 1_800_000_000;

    fn token(claims: &Claims) -> String {
        mint_token(SECRET, claims)
    }

    #[test]
    fn a_minted_token_verifies() {
        let claims = Claims::new("ada", NOW + 60)
            .with_channels(["presence-room.*"])
            .with_user_info(r#"{"name":"Ada"}"#)
            .unwrap();
        let verified = verify_token(SECRET, &token(&claims), NOW).unwrap();
        assert_eq!(verified.sub, "ada");
        assert_eq!(verified.user_info.unwrap().get(), r#"{"name":"Ada"}"#);
        assert_eq!(verified.channels.unwrap(), ["presence-room.*"]);
    }

    #[test]
    fn another_secret_is_refused() {
        let minted = mint_token(b"other", &Claims::new("ada", NOW + 60));
        assert_eq!(
            verify_token(SECRET, &minted, NOW).unwrap_err(),
            TokenError::BadSignature
        );
    }

    #[test]
    fn altered_claims_are_refused() {
        let minted = token(&Claims::new("ada", NOW + 60));
        let forged_claims =
            URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"root","exp":{}}}"#, NOW + 60));
        let parts: Vec<&str> = minted.split('.').collect();
        let forged = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
        assert_eq!(
            verify_token(SECRET, &forged, NOW).unwrap_err(),
            TokenError::BadSignature
        );
    }

    #[test]
    fn alg_none_is_refused() {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
        let claims = URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"ada","exp":{}}}"#, NOW + 60));
        let unsigned = format!("{header}.{claims}.");
        assert_eq!(
            verify_token(SECRET, &unsigned, NOW).unwrap_err(),
            TokenError::UnsupportedAlgorithm("none".into())
        );
    }

    #[test]
    fn the_time_window_is_enforced_with_leeway() {
        let expired = token(&Claims::new("ada", NOW - 31));
        assert!(
            verify_token(SECRET, &expired, NOW)
                .unwrap_err()
                .is_expired()
        );
        let just_expired = token(&Claims::new("ada", NOW - 29));
        assert!(verify_token(SECRET, &just_expired, NOW).is_ok());
        let mut early = Claims::new("ada", NOW + 600);
        early.nbf = Some(NOW + 60);
        assert_eq!(
            verify_token(SECRET, &token(&early), NOW).unwrap_err(),
            TokenError::NotYetValid {
                nbf: NOW + 60,
                now: NOW
            }
        );
    }

    #[test]
    fn garbage_is_malformed() {
        for garbage in ["", "a.b", "a.b.c.d", "!!.??.##", "e30.e30.e30"] {
            assert!(
                matches!(
                    verify_token(SECRET, garbage, NOW),
                    Err(TokenError::Malformed(_) | TokenError::BadSignature)
                ),
                "{garbage}"
            );
        }
    }

    #[test]
    fn oversized_user_info_is_refused() {
        let info = format!(r#""{}""#, "x".repeat(MAX_USER_INFO_BYTES));
        let claims = Claims::new("ada", NOW + 60).with_user_info(&info).unwrap();
        assert!(matches!(
            verify_token(SECRET, &token(&claims), NOW),
            Err(TokenError::UserInfoTooLarge(_))
        ));
    }
}
