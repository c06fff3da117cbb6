//! `ChannelDO`: the hub of one channel.

use broadcast_protocol::{
    ChannelBroadcast, ChannelDelivery, ChannelName, ClientFrame, CloseCode, ErrorCode,
    MAX_FRAME_BYTES, PING_FRAME, PONG_FRAME, PROTOCOL_VERSION, ServerFrame, decode_client_frame,
    encode_frame,
};
use serde_json::value::RawValue;
use worker::{
    DurableObject, Env, Request, Response, Result, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair, WebSocketRequestResponsePair, durable_object,
};

use crate::attachment::SocketAttachment;
use crate::fanout::{EncodedFrame, Exclude, send_to_all, socket_count};
use crate::http_error::error_response;
use crate::routes::{BROADCAST_PATH, channel_from_path};

/// The Durable Object that holds one channel's sockets and relays its messages.
///
/// It keeps no per-socket state in memory: everything it must remember lives in each socket's
/// attachment and tag, so the object can hibernate while its sockets stay open.
#[durable_object]
pub struct ChannelDO {
    state: State,
}

impl DurableObject for ChannelDO {
    fn new(state: State, _env: Env) -> Self {
        // Heartbeats are answered by the runtime itself, so they never wake the object.
        match WebSocketRequestResponsePair::new(PING_FRAME, PONG_FRAME) {
            Ok(pair) => state.set_websocket_auto_response(&pair),
            Err(err) => worker::console_error!("cannot set the ping auto-response: {err:?}"),
        }
        let sockets = socket_count(&state);
        if sockets > 0 {
            worker::console_log!("ChannelDO resumed from hibernation with {sockets} sockets");
        }
        Self { state }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let path = req.path();
        if path == BROADCAST_PATH {
            return self.broadcast(req).await;
        }
        match channel_from_path(&path) {
            Some(Ok(channel)) => self.accept(channel),
            _ => error_response(404, ErrorCode::NotFound, format!("no route for {path}")),
        }
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        let Some(sender) = SocketAttachment::load(&ws) else {
            return Ok(());
        };
        let text = match message {
            WebSocketIncomingMessage::String(text) if text.len() > MAX_FRAME_BYTES => {
                return close_too_big(&ws, text.len());
            }
            WebSocketIncomingMessage::Binary(bytes) if bytes.len() > MAX_FRAME_BYTES => {
                return close_too_big(&ws, bytes.len());
            }
            WebSocketIncomingMessage::String(text) => text,
            WebSocketIncomingMessage::Binary(_) => {
                return send_error(
                    &ws,
                    ErrorCode::BinaryUnsupported,
                    "send JSON text frames, not binary",
                );
            }
        };
        match decode_client_frame(&text) {
            Ok(ClientFrame::Whisper {
                channel,
                event,
                data,
            }) => {
                if channel != sender.channel {
                    let message = format!(
                        "this socket is connected to {}, not {channel}",
                        sender.channel
                    );
                    return send_error(&ws, ErrorCode::ChannelMismatch, &message);
                }
                let frame = ServerFrame::Whisper {
                    channel,
                    event,
                    data,
                    from: sender.socket_id,
                };
                let frame = EncodedFrame::new(&encode_frame(&frame));
                send_to_all(&self.state, &frame, Exclude::Socket(ws.as_ref()));
                Ok(())
            }
            // A ping that reached us (the auto-response did not match it byte for byte).
            Ok(ClientFrame::Ping) => ws.send_with_str(PONG_FRAME),
            Err(err) => send_error(&ws, err.code(), &err.to_string()),
        }
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        reason: String,
        _was_clean: bool,
    ) -> Result<()> {
        // Reciprocate, so the client's close handshake completes. 1005 and 1006 are only
        // observed, never sent, so answer those with a normal close.
        let code = match u16::try_from(code) {
            Ok(code @ (1000..=1003 | 1007..=1014 | 3000..=4999)) => code,
            _ => CloseCode::Normal.code(),
        };
        let _ = ws.close(Some(code), Some(reason));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, error: worker::Error) -> Result<()> {
        worker::console_warn!("socket error: {error}");
        let _ = ws.close(Some(CloseCode::InternalError.code()), Some("socket error"));
        Ok(())
    }
}

impl ChannelDO {
    /// Accepts a WebSocket for `channel` with the hibernation API and welcomes it.
    fn accept(&self, channel: ChannelName) -> Result<Response> {
        let pair = WebSocketPair::new()?;
        let socket_id = new_socket_id();
        self.state
            .accept_websocket_with_tags(&pair.server, &[&socket_id]);
        let attachment = SocketAttachment {
            socket_id: socket_id.clone(),
            channel: channel.clone(),
        };
        attachment.save(&pair.server)?;
        let welcome = ServerFrame::<()>::Welcome {
            protocol: PROTOCOL_VERSION,
            socket_id,
            channel,
        };
        pair.server.send_with_str(encode_frame(&welcome))?;
        Response::from_websocket(pair.client)
    }

    /// Delivers a broadcast the Worker forwarded, and answers with the number of sockets reached.
    async fn broadcast(&self, mut req: Request) -> Result<Response> {
        let body = req.text().await?;
        let broadcast: ChannelBroadcast<Box<RawValue>> = match serde_json::from_str(&body) {
            Ok(broadcast) => broadcast,
            Err(err) => return error_response(400, ErrorCode::MalformedFrame, err.to_string()),
        };
        let frame = ServerFrame::Event {
            channel: broadcast.channel,
            event: broadcast.event,
            data: broadcast.data,
        };
        let frame = EncodedFrame::new(&encode_frame(&frame));
        let exclude = match &broadcast.except {
            Some(socket_id) => Exclude::SocketId(socket_id),
            None => Exclude::Nobody,
        };
        let delivered = send_to_all(&self.state, &frame, exclude);
        Response::from_json(&ChannelDelivery { delivered })
    }
}

fn send_error(ws: &WebSocket, code: ErrorCode, message: &str) -> Result<()> {
    let frame = ServerFrame::<()>::Error {
        code,
        message: message.to_owned(),
    };
    ws.send_with_str(encode_frame(&frame))
}

fn close_too_big(ws: &WebSocket, len: usize) -> Result<()> {
    let reason = format!("frame of {len} bytes exceeds {MAX_FRAME_BYTES}");
    ws.close(Some(CloseCode::MessageTooBig.code()), Some(reason))
}

/// A random, unguessable socket id.
fn new_socket_id() -> String {
    random_uuid()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID)]
    fn random_uuid() -> String;
}
