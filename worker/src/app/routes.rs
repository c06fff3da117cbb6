//! The demo API's routes.

use std::collections::BTreeMap;

use broadcast_protocol::{ErrorCode, MAX_FRAME_BYTES};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use worker::{Env, Method, Request, Response, Result};

use super::dispatcher;
use super::listeners::{STATS_BINDING, stats_key};
use super::message_posted::MessagePosted;
use super::room_reported::RoomReported;
use crate::admission::admit;
use crate::events::{DispatchReport, ListenerFailure};
use crate::http_error::error_response;
use crate::ids::random_id;

/// Prefix of the application's API.
pub const API_PREFIX: &str = "/api/";

/// Prefix of the room API.
const ROOMS_PREFIX: &str = "/api/rooms/";

/// Longest message text, in characters.
const MAX_TEXT_CHARS: usize = 2000;

/// Answers a request under [`API_PREFIX`].
pub async fn handle(req: Request, env: &Env) -> Result<Response> {
    let path = req.path();
    let route = path
        .strip_prefix(ROOMS_PREFIX)
        .and_then(|rest| rest.split_once('/'));
    let Some((room, action)) = route else {
        return error_response(404, ErrorCode::NotFound, format!("no route for {path}"));
    };
    let room = room.to_owned();
    match (req.method(), action) {
        (Method::Post, "messages") => post_message(req, env, &room).await,
        (Method::Post, "reports") => report_room(req, env, &room).await,
        (Method::Get, "stats") => stats(env, &room).await,
        _ => error_response(404, ErrorCode::NotFound, format!("no route for {path}")),
    }
}

#[derive(Deserialize)]
struct PostMessage {
    text: String,
    #[serde(default)]
    client_id: Option<String>,
}

/// Longest `client_id`, in bytes.
const MAX_CLIENT_ID_BYTES: usize = 64;

#[derive(Deserialize)]
struct ReportRoom {
    reason: String,
}

/// What a dispatch did, as the API reports it.
#[derive(Serialize)]
struct Dispatched {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    listeners: Vec<String>,
    queued: Vec<String>,
    failures: Vec<ListenerFailure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delivered: Option<BTreeMap<String, u32>>,
}

impl Dispatched {
    fn from_report(id: Option<String>, report: DispatchReport) -> Self {
        Self {
            id,
            listeners: report.ran,
            queued: report.queued,
            failures: report.failures,
            delivered: report.broadcast.map(|response| response.delivered),
        }
    }
}

/// The verified user posting to `room`, with the same token that joins its presence channel.
async fn room_user(
    req: &Request,
    env: &Env,
    room: &str,
) -> Result<std::result::Result<RoomUser, Response>> {
    let Some(channel) = MessagePosted::channel(room) else {
        let message = format!("invalid room {room}");
        return error_response(400, ErrorCode::InvalidChannel, message).map(Err);
    };
    match admit(req, &channel, env).await? {
        Ok(admitted) => match admitted.user_id {
            Some(id) => Ok(Ok(RoomUser {
                id,
                info: admitted.user_info,
            })),
            None => error_response(403, ErrorCode::Forbidden, "the token names no user").map(Err),
        },
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// Who is posting: the token's user id and member info (a JSON text).
struct RoomUser {
    id: String,
    info: Option<String>,
}

async fn post_message(mut req: Request, env: &Env, room: &str) -> Result<Response> {
    let user = match room_user(&req, env, room).await? {
        Ok(user) => user,
        Err(refusal) => return Ok(refusal),
    };
    let body = req.text().await?;
    if body.len() > MAX_FRAME_BYTES {
        return error_response(413, ErrorCode::PayloadTooLarge, "the message is too large");
    }
    let (text, client_id) = match serde_json::from_str::<PostMessage>(&body) {
        Ok(message) => (message.text.trim().to_owned(), message.client_id),
        Err(err) => return error_response(400, ErrorCode::MalformedFrame, err.to_string()),
    };
    if client_id
        .as_ref()
        .is_some_and(|id| id.is_empty() || id.len() > MAX_CLIENT_ID_BYTES)
    {
        let message = format!("client_id has 1 to {MAX_CLIENT_ID_BYTES} bytes");
        return error_response(400, ErrorCode::MalformedFrame, message);
    }
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        let message = format!("send 1 to {MAX_TEXT_CHARS} characters of text");
        return error_response(400, ErrorCode::MalformedFrame, message);
    }
    let event = MessagePosted {
        id: random_id(),
        room: room.to_owned(),
        user_id: user.id,
        user_info: user.info.and_then(|info| RawValue::from_string(info).ok()),
        client_id,
        text,
        sent_at: js_sys::Date::now(),
        // The sender's socket shows its own message already: leave it out of the broadcast.
        sender_socket: req.headers().get("X-Socket-ID")?,
    };
    let report = dispatcher(env.clone())?.dispatch(&event).await;
    Ok(Response::from_json(&Dispatched::from_report(Some(event.id), report))?.with_status(202))
}

async fn report_room(mut req: Request, env: &Env, room: &str) -> Result<Response> {
    let user_id = match room_user(&req, env, room).await? {
        Ok(user) => user.id,
        Err(refusal) => return Ok(refusal),
    };
    let reason = match req.json::<ReportRoom>().await {
        Ok(report) => report.reason,
        Err(err) => return error_response(400, ErrorCode::MalformedFrame, err.to_string()),
    };
    let event = RoomReported {
        room: room.to_owned(),
        user_id,
        reason,
    };
    let report = dispatcher(env.clone())?.dispatch(&event).await;
    Ok(Response::from_json(&Dispatched::from_report(None, report))?.with_status(202))
}

async fn stats(env: &Env, room: &str) -> Result<Response> {
    let counts: BTreeMap<String, u64> = env
        .kv(STATS_BINDING)?
        .get(&stats_key(room))
        .json()
        .await
        .map_err(|err| worker::Error::RustError(err.to_string()))?
        .unwrap_or_default();
    Response::from_json(&counts)
}
