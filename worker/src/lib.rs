//! The Worker and the `ChannelDO` Durable Object.
//!
//! Every channel name maps to its own `ChannelDO` instance, which holds that channel's
//! WebSockets through the hibernation API, so an idle channel costs nothing. The Worker in front
//! validates requests, authenticates broadcasters, and routes each request to the right object.
//!
//! Routes:
//! - `GET /ws/channel/{name}` with `Upgrade: websocket`: join a channel.
//! - `POST /broadcast` with `Authorization: Bearer <BROADCAST_SECRET>`: send an event to channels.
#![warn(missing_docs)]

mod admission;
mod attachment;
mod authorizer;
mod broadcast_manager;
// The `#[durable_object]` macro generates undocumented glue methods.
#[allow(missing_docs)]
mod channel_do;
mod credentials;
mod fanout;
mod hibernation;
mod http_error;
mod presence;
mod routes;
mod secret;
mod whisper_limit;

pub use authorizer::{
    AuthError, AuthRequest, ChannelAuthorizer, Identity, JWT_SECRET, JwtAuthorizer, set_authorizer,
};
pub use broadcast_auth::{Claims, mint_token};
pub use broadcast_manager::BroadcastManager;
pub use channel_do::ChannelDO;

use worker::{Context, Env, Request, Response, Result, event};

/// Name of the Durable Object namespace binding in `wrangler.toml`.
pub const CHANNEL_BINDING: &str = "CHANNEL";

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    routes::handle(req, env).await
}
