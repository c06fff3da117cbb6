//! The Worker and the `ChannelDO` Durable Object.
//!
//! Every channel name maps to its own `ChannelDO` instance, which holds that channel's
//! WebSockets through the hibernation API, so an idle channel costs nothing. The Worker in front
//! validates requests, authenticates broadcasters, and routes each request to the right object.
//!
//! Routes:
//! - `GET /ws/channel/{name}` with `Upgrade: websocket`: join a channel; private and presence
//!   channels need a channel token (`?token=` or `Authorization: Bearer`), see [`ChannelAuthorizer`].
//! - `POST /broadcast` with `Authorization: Bearer <BROADCAST_SECRET>`: send an event to channels.
#![warn(missing_docs)]

mod admission;
#[cfg(feature = "entrypoint")]
mod app;
mod attachment;
mod authorizer;
mod broadcast_manager;
mod broadcast_route;
// The `#[durable_object]` macro generates undocumented glue methods.
#[allow(missing_docs)]
mod channel_do;
mod channel_post;
mod config;
mod credentials;
#[cfg(feature = "dev-endpoints")]
mod dev_token;
pub mod events;
mod fanout;
mod hibernation;
mod history;
mod http_error;
mod ids;
mod json_response;
mod presence;
mod request_path;
mod routes;
mod secret;
mod whisper_limit;

pub use authorizer::{
    AuthError, AuthRequest, ChannelAuthorizer, Identity, JWT_SECRET, JwtAuthorizer, set_authorizer,
};
pub use broadcast_auth::{Claims, mint_token};
pub use broadcast_manager::BroadcastManager;
pub use broadcast_protocol::{Channel, ChannelName, PresenceChannel, PrivateChannel};
pub use channel_do::ChannelDO;
pub use events::{
    BroadcastError, Broadcastable, BroadcastableEvent, DispatchReport, Event, EventDispatcher,
    Listener, ListenerError, ListenerFailure, QueuedJob,
};

#[cfg(feature = "entrypoint")]
use worker::{Context, MessageBatch, event};
use worker::{Env, Request, Response, Result};

/// Name of the Durable Object namespace binding in `wrangler.toml`.
pub const CHANNEL_BINDING: &str = "CHANNEL";

/// Serves one request the way this crate's own Worker does: the channel WebSocket route and
/// `POST /broadcast`, 404 for anything else. An application with its own entry point (feature
/// `entrypoint` off) calls it for the paths it hands over.
pub async fn handle_request(req: Request, env: Env) -> Result<Response> {
    routes::handle(req, env).await
}

/// The Worker's own entry points; turn the default `entrypoint` feature off to write yours
/// (for example to call [`set_authorizer`] at start).
#[cfg(feature = "entrypoint")]
mod entrypoint {
    use super::*;
    use crate::request_path::request_path;
    use worker::worker_sys::web_sys;

    #[event(start)]
    fn start() {
        console_error_panic_hook::set_once();
    }

    /// Takes the runtime's own request, so that `POST /broadcast`, the busiest route, skips
    /// workers-rs' `Request` (whose conversion reads `cf`); every other route gets one.
    #[event(fetch)]
    async fn fetch(req: web_sys::Request, env: Env, _ctx: Context) -> Result<web_sys::Response> {
        let url = req.url();
        let path = request_path(&url);
        if path == crate::routes::BROADCAST_PATH {
            return crate::broadcast_route::handle(&req, &env).await;
        }
        #[cfg(feature = "dev-endpoints")]
        if path == crate::dev_token::DEV_TOKEN_PATH && crate::dev_token::enabled(&env) {
            return crate::dev_token::handle(req.into(), &env)
                .await
                .map(Into::into);
        }
        let response = if path.starts_with(crate::app::API_PREFIX) {
            crate::app::handle(req.into(), &env).await
        } else {
            handle_request(req.into(), env).await
        };
        response.map(Into::into)
    }

    #[event(queue)]
    async fn queue(batch: MessageBatch<QueuedJob>, env: Env, _ctx: Context) -> Result<()> {
        crate::app::dispatcher(env)?.consume(batch).await
    }
}
