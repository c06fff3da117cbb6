//! The Worker's routes: validate at the edge, then hand each request to the right channel.

use broadcast_protocol::{ChannelName, ChannelNameError, ErrorCode};
use worker::{Env, Method, Request, Response, Result};

use crate::admission::admit;
use crate::broadcast_manager::BroadcastManager;
use crate::http_error::{error_response, method_not_allowed};

/// Path of the broadcast endpoint, on the Worker and inside each channel's Durable Object.
pub const BROADCAST_PATH: &str = "/broadcast";

/// Prefix of the WebSocket endpoint; the channel name follows it.
const CHANNEL_PATH_PREFIX: &str = "/ws/channel/";

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
        return crate::broadcast_route::handle(req.inner(), &env)
            .await
            .map(Response::from);
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
