//! `POST /broadcast`: authenticated, size-checked, then fanned out to every named channel.
//!
//! The busiest route, so it works on the runtime's own request and response: workers-rs'
//! `Request` reads the request's `cf` object on every conversion (a cost bench/profile.mjs shows
//! on every broadcast), and nothing here needs it.

use broadcast_protocol::{
    BroadcastRequest, ErrorCode, MAX_BROADCAST_BODY_BYTES, MAX_CHANNELS_PER_BROADCAST, check_depth,
};
use serde_json::value::RawValue;
use worker::wasm_bindgen_futures::JsFuture;
use worker::worker_sys::web_sys;
use worker::{Env, Headers, Result};

use crate::broadcast_manager::BroadcastManager;
use crate::http_error::{error_response, method_not_allowed};
use crate::json_response::json_response;
use crate::secret::{bearer_matches, rotating_secrets};

/// Name of the secret broadcasters present as a bearer token.
const BROADCAST_SECRET: &str = "BROADCAST_SECRET";

/// Answers `POST /broadcast`.
pub async fn handle(req: &web_sys::Request, env: &Env) -> Result<web_sys::Response> {
    if req.method() != "POST" {
        return Ok(method_not_allowed("POST")?.into());
    }
    let secrets = rotating_secrets(env, BROADCAST_SECRET);
    if secrets.is_empty() {
        worker::console_error!("{BROADCAST_SECRET} is not set; every broadcast is refused");
        return refuse(
            500,
            ErrorCode::Internal,
            "the server has no BROADCAST_SECRET: set it with `wrangler secret put BROADCAST_SECRET`",
        );
    }
    let headers = Headers(req.headers());
    let authorization = headers.get("Authorization")?;
    if !secrets
        .iter()
        .any(|secret| bearer_matches(authorization.as_deref(), secret))
    {
        let mut response = error_response(
            401,
            ErrorCode::Unauthorized,
            "send the broadcast secret as `Authorization: Bearer <BROADCAST_SECRET>`",
        )?;
        response.headers_mut().set("WWW-Authenticate", "Bearer")?;
        return Ok(response.into());
    }
    let declared_len = headers
        .get("Content-Length")?
        .and_then(|len| len.parse::<usize>().ok());
    if declared_len.is_some_and(|len| len > MAX_BROADCAST_BODY_BYTES) {
        return too_large();
    }
    let body = body_text(req).await?;
    if body.len() > MAX_BROADCAST_BODY_BYTES {
        return too_large();
    }
    let request: BroadcastRequest<Box<RawValue>> = match serde_json::from_str(&body) {
        Ok(request) => request,
        Err(err) => return refuse(400, ErrorCode::MalformedFrame, err.to_string()),
    };
    if let Err(err) = check_depth(request.data.as_deref()) {
        return refuse(400, ErrorCode::MalformedFrame, err.to_string());
    }
    if request.channels.is_empty() || request.channels.len() > MAX_CHANNELS_PER_BROADCAST {
        let message = format!("name 1 to {MAX_CHANNELS_PER_BROADCAST} channels");
        return refuse(400, ErrorCode::InvalidChannel, message);
    }
    let result = BroadcastManager::from_env(env)?.send(&request).await;
    let status = if result.failed.is_empty() { 200 } else { 502 };
    json_response(&result, status)
}

/// The body of `req` as text.
async fn body_text(req: &web_sys::Request) -> Result<String> {
    let text = JsFuture::from(req.text()?).await?;
    Ok(text.as_string().unwrap_or_default())
}

fn refuse(status: u16, error: ErrorCode, message: impl Into<String>) -> Result<web_sys::Response> {
    Ok(error_response(status, error, message)?.into())
}

fn too_large() -> Result<web_sys::Response> {
    let message = format!("the body exceeds {MAX_BROADCAST_BODY_BYTES} bytes");
    refuse(413, ErrorCode::PayloadTooLarge, message)
}
