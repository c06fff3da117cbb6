//! JSON error responses: every refusal says what went wrong and how to fix it.

use broadcast_protocol::{ErrorCode, HttpError};
use worker::{Response, Result};

/// A JSON body `{"error": code, "message": message}` with the given status.
pub fn error_response(
    status: u16,
    error: ErrorCode,
    message: impl Into<String>,
) -> Result<Response> {
    let body = HttpError {
        error,
        message: message.into(),
    };
    Ok(Response::from_json(&body)?.with_status(status))
}

/// 405 naming the one method the route takes, in the body and in `Allow`.
pub fn method_not_allowed(allowed: &str) -> Result<Response> {
    let mut response = error_response(405, ErrorCode::MethodNotAllowed, format!("use {allowed}"))?;
    response.headers_mut().set("Allow", allowed)?;
    Ok(response)
}
