//! Who may join private and presence channels, and who they are.
//!
//! The default policy verifies an HS256 JWT with the `BROADCAST_JWT_SECRET` secret (see
//! `broadcast-auth`). An application that validates its own sessions implements
//! [`ChannelAuthorizer`] and installs it with [`set_authorizer`] when the module starts; the
//! Worker's routes and every `ChannelDO` then ask it instead (docs/security.md shows how).

use std::cell::RefCell;
use std::rc::Rc;

use broadcast_auth::verify_token;
use broadcast_protocol::{ChannelName, ErrorCode};
use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use worker::Env;

use crate::secret::rotating_secrets;

/// Name of the secret the default policy verifies tokens with.
pub const JWT_SECRET: &str = "BROADCAST_JWT_SECRET";

/// A verified client of a private or presence channel.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Identity {
    /// The user id (the JWT's `sub`); presence counts members by it.
    pub user_id: Option<String>,
    /// What other presence members see of this user (the JWT's `user_info`).
    pub user_info: Option<Box<RawValue>>,
}

/// Why a client may not join, mapped to an HTTP status before any upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// 401: no credentials, or credentials that are not valid. `code` is
    /// [`ErrorCode::Unauthorized`] or [`ErrorCode::TokenExpired`].
    Unauthorized {
        /// The machine-readable reason.
        code: ErrorCode,
        /// The reason, for people.
        message: String,
    },
    /// 403: valid credentials that do not allow this channel.
    Forbidden(String),
    /// 500: the server cannot check credentials (a secret is missing).
    Misconfigured(String),
}

/// What an authorizer gets to decide with.
pub struct AuthRequest<'a> {
    /// The private or presence channel being joined.
    pub channel: &'a ChannelName,
    /// The bearer token from the `Authorization` header or the `token` query parameter.
    pub token: Option<&'a str>,
    /// The Worker's bindings, for secrets, KV or D1 lookups.
    pub env: &'a Env,
}

/// Decides who may join private and presence channels.
///
/// ```
/// use broadcast_worker::{AuthError, AuthRequest, ChannelAuthorizer, Identity, set_authorizer};
/// use futures_util::future::LocalBoxFuture;
///
/// /// Lets anyone with a token join, as the user the token names (a made-up scheme).
/// struct NameTokens;
///
/// impl ChannelAuthorizer for NameTokens {
///     fn authorize<'a>(
///         &'a self,
///         request: AuthRequest<'a>,
///     ) -> LocalBoxFuture<'a, Result<Identity, AuthError>> {
///         Box::pin(async move {
///             let user = request.token.ok_or(AuthError::Unauthorized {
///                 code: broadcast_protocol::ErrorCode::Unauthorized,
///                 message: "send ?token=<your name>".into(),
///             })?;
///             Ok(Identity { user_id: Some(user.to_owned()), user_info: None })
///         })
///     }
/// }
///
/// // In the application's #[event(start)]:
/// set_authorizer(NameTokens);
/// ```
pub trait ChannelAuthorizer {
    /// Verifies the request's credentials for its channel and says who the client is.
    fn authorize<'a>(
        &'a self,
        request: AuthRequest<'a>,
    ) -> LocalBoxFuture<'a, Result<Identity, AuthError>>;

    /// The user id presence counts by; the default takes [`Identity::user_id`]. A socket
    /// without one is refused on presence channels.
    fn extract_user_id(&self, identity: &Identity) -> Option<String> {
        identity.user_id.clone()
    }
}

/// The default policy: an HS256 JWT signed with `BROADCAST_JWT_SECRET`, checked for its
/// signature, `exp`, `nbf` and `channels` claim.
pub struct JwtAuthorizer;

impl ChannelAuthorizer for JwtAuthorizer {
    fn authorize<'a>(
        &'a self,
        request: AuthRequest<'a>,
    ) -> LocalBoxFuture<'a, Result<Identity, AuthError>> {
        Box::pin(async move {
            let secrets = rotating_secrets(request.env, JWT_SECRET);
            let Some((current, previous)) = secrets.split_first() else {
                return Err(AuthError::Misconfigured(format!(
                    "the server has no {JWT_SECRET}: set it with `wrangler secret put {JWT_SECRET}`"
                )));
            };
            let Some(token) = request.token.filter(|token| !token.is_empty()) else {
                return Err(unauthorized(
                    ErrorCode::Unauthorized,
                    format!(
                        "{} needs a token: `Authorization: Bearer <token>` or `?token=<token>`",
                        request.channel
                    ),
                ));
            };
            let now = (js_sys::Date::now() / 1000.0) as u64;
            // During a rotation, tokens signed with the previous secret stay valid until they
            // expire or the previous secret is deleted. The verdict reported is the previous
            // secret's when it signed the token (valid, or expired), else the current one's.
            let verdict = verify_token(current.as_bytes(), token, now).or_else(|err| {
                previous
                    .iter()
                    .map(|secret| verify_token(secret.as_bytes(), token, now))
                    .find(|verdict| {
                        verdict
                            .as_ref()
                            .map_or_else(|err| err.is_expired(), |_| true)
                    })
                    .unwrap_or(Err(err))
            });
            let claims = verdict.map_err(|err| {
                let code = if err.is_expired() {
                    ErrorCode::TokenExpired
                } else {
                    ErrorCode::Unauthorized
                };
                unauthorized(code, err.to_string())
            })?;
            if !claims.allows(request.channel) {
                return Err(AuthError::Forbidden(format!(
                    "the token does not allow {}",
                    request.channel
                )));
            }
            Ok(Identity {
                user_id: Some(claims.sub),
                user_info: claims.user_info,
            })
        })
    }
}

fn unauthorized(code: ErrorCode, message: String) -> AuthError {
    AuthError::Unauthorized { code, message }
}

thread_local! {
    static INSTALLED: RefCell<Option<Rc<dyn ChannelAuthorizer>>> = const { RefCell::new(None) };
}

/// Replaces the default JWT policy for this Worker (its routes and its `ChannelDO`s). Call it
/// from the application's `#[event(start)]`.
pub fn set_authorizer(authorizer: impl ChannelAuthorizer + 'static) {
    INSTALLED.with(|installed| *installed.borrow_mut() = Some(Rc::new(authorizer)));
}

/// The installed authorizer, or the default JWT policy.
pub fn authorizer() -> Rc<dyn ChannelAuthorizer> {
    INSTALLED
        .with(|installed| installed.borrow().clone())
        .unwrap_or_else(|| Rc::new(JwtAuthorizer))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An application's own policy: everyone is "guest", and presence counts by a prefixed id.
    struct Guests;

    impl ChannelAuthorizer for Guests {
        fn authorize<'a>(
            &'a self,
            _request: AuthRequest<'a>,
        ) -> LocalBoxFuture<'a, Result<Identity, AuthError>> {
            Box::pin(async {
                Ok(Identity {
                    user_id: Some("guest".into()),
                    user_info: None,
                })
            })
        }

        fn extract_user_id(&self, identity: &Identity) -> Option<String> {
            identity.user_id.as_ref().map(|id| format!("app:{id}"))
        }
    }

    #[test]
    fn an_installed_authorizer_replaces_the_default() {
        let identity = Identity {
            user_id: Some("ada".into()),
            user_info: None,
        };
        assert_eq!(
            authorizer().extract_user_id(&identity).as_deref(),
            Some("ada")
        );
        set_authorizer(Guests);
        assert_eq!(
            authorizer().extract_user_id(&identity).as_deref(),
            Some("app:ada")
        );
    }
}
