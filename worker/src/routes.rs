//! The Worker's routes: validate at the edge, then hand each request to the right channel.

use broadcast_protocol::{
    BroadcastRequest, ChannelName, ChannelNameError, ErrorCode, MAX_BROADCAST_BODY_BYTES,
    MAX_CHANNELS_PER_BROADCAST, check_depth,
};
use serde_json::value::RawValue;
use worker::{Env, Method, Request, Response, Result};

use crate::admission::admit;
use crate::broadcast_manager::BroadcastManager;
use crate::http_error::error_response;
use crate::secret::{bearer_matches, rotating_secrets};

/// Path of the broadcast endpoint, on the Worker and inside each channel's Durable Object.
pub const BROADCAST_PATH: &str = "/broadcast";

/// Prefix of the WebSocket endpoint; the channel name follows it.
const CHANNEL_PATH_PREFIX: &str = "/ws/channel/";

/// Name of the secret broadcasters present as a bearer token.
const BROADCAST_SECRET: &str = "BROADCAST_SECRET";

/// The channel named by a `/ws/channel/{name}` path; `None` for any other path.
pub fn channel_from_path(path: &str) -> Option<std::result::Result<ChannelName, ChannelNameError>> {
    path.strip_prefix(CHANNEL_PATH_PREFIX)
        .map(ChannelName::parse)
}

/// Routes one request to the Worker.
pub async fn handle(req: Request, env: Env) -> Result<Response> {
    let path = req.path();
    if let Some(channel) = channel_from_path(&path) {
        return join_channel(req, &env, channel).await;
    }
    if path == BROADCAST_PATH {
        return broadcast(req, &env).await;
    }
    error_response(404, ErrorCode::NotFound, format!("no route for {path}"))
}

/// `GET /ws/channel/{name}`: checked here, token included, before any Durable Object is woken.
async fn join_channel(
    req: Request,
    env: &Env,
    channel: std::result::Result<ChannelName, ChannelNameError>,
) -> Result<Response> {
    if req.method() != Method::Get {
        return method_not_allowed("GET");
    }
    let channel = match channel {
        Ok(channel) => channel,
        Err(err) => return error_response(400, ErrorCode::InvalidChannel, err.to_string()),
    };
    let upgrade = req.headers().get("Upgrade")?.unwrap_or_default();
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return error_response(
            426,
            ErrorCode::UpgradeRequired,
            "this endpoint only speaks WebSocket: connect with new WebSocket(url)",
        );
    }
    if let Err(refusal) = admit(&req, &channel, env).await? {
        return Ok(refusal);
    }
    let manager = BroadcastManager::from_env(env)?;
    manager
        .channel_stub(&channel)?
        .fetch_with_request(req)
        .await
}

/// `POST /broadcast`: authenticated, size-checked, then fanned out to every named channel.
async fn broadcast(mut req: Request, env: &Env) -> Result<Response> {
    if req.method() != Method::Post {
        return method_not_allowed("POST");
    }
    let secrets = rotating_secrets(env, BROADCAST_SECRET);
    if secrets.is_empty() {
        worker::console_error!("{BROADCAST_SECRET} is not set; every broadcast is refused");
        return error_response(
            500,
            ErrorCode::Internal,
            "the server has no BROADCAST_SECRET: set it with `wrangler secret put BROADCAST_SECRET`",
        );
    }
    if !secrets
        .iter()
        .any(|secret| bearer_matches(req.headers(), secret))
    {
        let mut response = error_response(
            401,
            ErrorCode::Unauthorized,
            "send the broadcast secret as `Authorization: Bearer <BROADCAST_SECRET>`",
        )?;
        response.headers_mut().set("WWW-Authenticate", "Bearer")?;
        return Ok(response);
    }
    let declared_len = req
        .headers()
        .get("Content-Length")?
        .and_then(|len| len.parse::<usize>().ok());
    if declared_len.is_some_and(|len| len > MAX_BROADCAST_BODY_BYTES) {
        return too_large();
    }
    let body = req.text().await?;
    if body.len() > MAX_BROADCAST_BODY_BYTES {
        return too_large();
    }
    let request: BroadcastRequest<Box<RawValue>> = match serde_json::from_str(&body) {
        Ok(request) => request,
        Err(err) => return error_response(400, ErrorCode::MalformedFrame, err.to_string()),
    };
    if let Err(err) = check_depth(request.data.as_deref()) {
        return error_response(400, ErrorCode::MalformedFrame, err.to_string());
    }
    if request.channels.is_empty() || request.channels.len() > MAX_CHANNELS_PER_BROADCAST {
        let message = format!("name 1 to {MAX_CHANNELS_PER_BROADCAST} channels");
        return error_response(400, ErrorCode::InvalidChannel, message);
    }
    let result = BroadcastManager::from_env(env)?.send(&request).await;
    let status = if result.failed.is_empty() { 200 } else { 502 };
    Ok(Response::from_json(&result)?.with_status(status))
}

fn method_not_allowed(allowed: &str) -> Result<Response> {
    let mut response = error_response(405, ErrorCode::MethodNotAllowed, format!("use {allowed}"))?;
    response.headers_mut().set("Allow", allowed)?;
    Ok(response)
}

fn too_large() -> Result<Response> {
    let message = format!("the body exceeds {MAX_BROADCAST_BODY_BYTES} bytes");
    error_response(413, ErrorCode::PayloadTooLarge, message)
}
