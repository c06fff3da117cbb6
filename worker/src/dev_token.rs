//! `POST /dev/token`: mints a channel token for a display name, so the demo page can sign in
//! without an application backend. Development only: compiled with the `dev-endpoints` feature
//! (local builds; `npm run deploy` builds without it) and even then it answers only when the
//! `BROADCAST_DEV_ENDPOINTS` variable is `1`. In production, the application's own backend
//! mints tokens after its login (docs/security.md).

use broadcast_auth::{Claims, mint_token};
use broadcast_protocol::ErrorCode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use worker::{Env, Method, Request, Response, Result};

use crate::authorizer::JWT_SECRET;
use crate::http_error::error_response;

/// The endpoint's path.
pub const DEV_TOKEN_PATH: &str = "/dev/token";

/// The variable that switches development endpoints on in a build that has them.
pub const DEV_ENDPOINTS_VAR: &str = "BROADCAST_DEV_ENDPOINTS";

/// How long a development token lives; the demo asks for a new one on every connection attempt.
const TOKEN_SECONDS: u64 = 15 * 60;

/// Longest display name, in characters.
const MAX_NAME_CHARS: usize = 32;

/// The channels a development token opens: every room, and the user's own private channel.
const ROOM_PATTERNS: [&str; 2] = ["presence-room.*", "private-room.*"];

#[derive(Deserialize)]
struct TokenRequest {
    name: String,
}

#[derive(Serialize)]
struct DevUser {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct TokenResponse {
    token: String,
    user: DevUser,
    expires_in: u64,
}

/// Whether `env` switches the development endpoints on.
pub fn enabled(env: &Env) -> bool {
    env.var(DEV_ENDPOINTS_VAR)
        .is_ok_and(|value| value.to_string() == "1")
}

/// Answers `POST /dev/token` with `{"name": "..."}`.
pub async fn handle(mut req: Request, env: &Env) -> Result<Response> {
    if req.method() != Method::Post {
        return error_response(
            405,
            ErrorCode::MethodNotAllowed,
            "use POST with {\"name\": ...}",
        );
    }
    let Ok(secret) = env.secret(JWT_SECRET).map(|secret| secret.to_string()) else {
        let message = format!("the server has no {JWT_SECRET}: add it to worker/.dev.vars");
        return error_response(500, ErrorCode::Internal, message);
    };
    let name = match req.json::<TokenRequest>().await {
        Ok(request) => request.name.trim().to_owned(),
        Err(err) => return error_response(400, ErrorCode::MalformedFrame, err.to_string()),
    };
    let length = name.chars().count();
    if length == 0 || length > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        let message = format!("a name has 1 to {MAX_NAME_CHARS} printable characters");
        return error_response(400, ErrorCode::MalformedFrame, message);
    }
    let id = user_id(&name);
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let user_channel = format!("private-user.{id}");
    let claims = Claims::new(id.clone(), now + TOKEN_SECONDS)
        .with_channels(
            ROOM_PATTERNS
                .into_iter()
                .map(String::from)
                .chain([user_channel]),
        )
        .with_user_info(&serde_json::json!({ "name": name }).to_string())
        .map_err(|err| worker::Error::RustError(err.to_string()))?;
    Response::from_json(&TokenResponse {
        token: mint_token(secret.as_bytes(), &claims),
        user: DevUser { id, name },
        expires_in: TOKEN_SECONDS,
    })
}

/// The same id for the same name in any case, so two tabs signed in as "Ada" are one member.
fn user_id(name: &str) -> String {
    let digest = Sha256::digest(name.to_lowercase().as_bytes());
    digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
