//! Whether a socket may join a channel: the same check runs in the Worker (before any Durable
//! Object is woken) and again in the `ChannelDO` (which does not trust that it was done).

use broadcast_protocol::{ChannelKind, ChannelName, ErrorCode};
use worker::{Env, Request, Response, Result};

use crate::authorizer::{AuthError, AuthRequest, authorizer};
use crate::credentials::bearer_token;
use crate::http_error::error_response;

/// Who joined, as the socket's attachment will remember it.
#[derive(Debug, Default)]
pub struct Admitted {
    /// The verified user id (private and presence channels).
    pub user_id: Option<String>,
    /// The verified member info as JSON text.
    pub user_info: Option<String>,
}

/// Admits the upgrade request `req` to `channel`, or returns the refusal to send instead:
/// 401 (no or invalid token), 403 (not for this channel), 500 (no secret configured).
pub async fn admit(
    req: &Request,
    channel: &ChannelName,
    env: &Env,
) -> Result<std::result::Result<Admitted, Response>> {
    if channel.kind() == ChannelKind::Public {
        return Ok(Ok(Admitted::default()));
    }
    let token = bearer_token(req)?;
    let authorizer = authorizer();
    let request = AuthRequest {
        channel,
        token: token.as_deref(),
        env,
    };
    let identity = match authorizer.authorize(request).await {
        Ok(identity) => identity,
        Err(err) => return refusal(err).map(Err),
    };
    let user_id = authorizer.extract_user_id(&identity);
    if channel.kind() == ChannelKind::Presence && user_id.is_none() {
        let refused = AuthError::Forbidden(format!("{channel} needs a user id in the token"));
        return refusal(refused).map(Err);
    }
    Ok(Ok(Admitted {
        user_id,
        user_info: identity.user_info.map(|info| info.get().to_owned()),
    }))
}

fn refusal(err: AuthError) -> Result<Response> {
    match err {
        AuthError::Unauthorized { code, message } => {
            let mut response = error_response(401, code, message)?;
            response.headers_mut().set("WWW-Authenticate", "Bearer")?;
            Ok(response)
        }
        AuthError::Forbidden(message) => error_response(403, ErrorCode::Forbidden, message),
        AuthError::Misconfigured(message) => {
            worker::console_error!("{message}");
            error_response(500, ErrorCode::Internal, message)
        }
    }
}
