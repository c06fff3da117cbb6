//! Channel tokens: HS256 JSON Web Tokens that say who a client is and which channels it may
//! join. The Worker verifies them; application servers (and `npm run token`) mint them.
//!
//! ```
//! use broadcast_auth::{Claims, mint_token, verify_token};
//! use broadcast_protocol::ChannelName;
//!
//! let claims = Claims::new("ada", 1_700_000_000 + 3600)
//!     .with_channels(["presence-room.*"])
//!     .with_user_info(r#"{"name":"Ada"}"#)
//!     .unwrap();
//! let token = mint_token(b"secret", &claims);
//! let verified = verify_token(b"secret", &token, 1_700_000_000).unwrap();
//! assert!(verified.allows(&ChannelName::parse("presence-room.7").unwrap()));
//! assert_eq!(verified.sub, "ada");
//! ```
#![warn(missing_docs)]

mod channel_pattern;
mod claims;
mod jwt;

pub use channel_pattern::pattern_matches;
pub use claims::{Claims, MAX_USER_INFO_BYTES};
pub use jwt::{TokenError, mint_token, verify_token};
