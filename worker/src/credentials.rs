//! Where a client's token travels: browsers cannot set headers on a WebSocket upgrade, so they
//! put it in the URL (that is what the SDK's URL factory is for); other clients use the header.

use worker::{Request, Result};

/// The query parameter browsers carry their token in.
const TOKEN_PARAM: &str = "token";

/// The bearer token of `req`: `Authorization: Bearer <token>`, else `?token=<token>`.
pub fn bearer_token(req: &Request) -> Result<Option<String>> {
    if let Some(header) = req.headers().get("Authorization")?
        && let Some(token) = header.strip_prefix("Bearer ")
    {
        return Ok(Some(token.trim().to_owned()));
    }
    let url = req.url()?;
    Ok(url
        .query_pairs()
        .find(|(name, _)| name == TOKEN_PARAM)
        .map(|(_, token)| token.into_owned()))
}
