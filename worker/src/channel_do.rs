//! `ChannelDO`: the hub of one channel.

use broadcast_protocol::{
    ChannelBroadcast, ChannelDelivery, ChannelKind, ChannelName, ClientFrame, CloseCode, ErrorCode,
    EventName, MAX_FRAME_BYTES, PING_FRAME, PONG_FRAME, PROTOCOL_VERSION, ServerFrame,
    decode_client_frame, encode_frame,
};
use serde_json::value::RawValue;
use worker::{
    DurableObject, Env, Request, Response, Result, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair, WebSocketRequestResponsePair, durable_object,
};

use std::cell::{RefCell, RefMut};

use crate::admission::{Admitted, admit};
use crate::attachment::SocketAttachment;
use crate::config::positive_number;
use crate::fanout::{EncodedFrame, Exclude, send_to_all, socket_count};
use crate::hibernation::last_auto_response;
use crate::history::{History, HistoryLimits, Replay};
use crate::http_error::error_response;
use crate::ids::random_id;
use crate::presence::{has_other_socket, live_sockets, members};
use crate::routes::{BROADCAST_PATH, channel_from_path};
use crate::whisper_limit::{BURST, Verdict, WHISPERS_PER_SECOND, WhisperBucket};

/// Variable: how long a presence socket may go without a heartbeat before it is swept.
const PRESENCE_TIMEOUT_VAR: &str = "BROADCAST_PRESENCE_TIMEOUT_MS";
/// Default of [`PRESENCE_TIMEOUT_VAR`]: two missed pings of the SDK's 25 s heartbeat.
const DEFAULT_PRESENCE_TIMEOUT_MS: f64 = 60_000.0;
/// Variable: most events a channel's history keeps (default 2000).
const HISTORY_SIZE_VAR: &str = "BROADCAST_HISTORY_SIZE";
/// Variable: oldest event a channel's history keeps, in ms (default 10 minutes).
const HISTORY_TTL_VAR: &str = "BROADCAST_HISTORY_TTL_MS";

/// Most past events a joining client may ask for with `?history=<count>`.
const MAX_HISTORY_ON_JOIN: u64 = 100;

/// What a joining client asks of the history: to resume where it left off
/// (`?since=<offset>&epoch=<epoch>`), or to see the latest events (`?history=<count>`).
enum Resume {
    Since { since: u64, epoch: String },
    Latest(u64),
}

impl Resume {
    fn from_request(req: &Request) -> Option<Self> {
        let url = req.url().ok()?;
        let mut since = None;
        let mut epoch = None;
        let mut latest = None;
        for (name, value) in url.query_pairs() {
            match name.as_ref() {
                "since" => since = value.parse().ok(),
                "epoch" => epoch = Some(value.into_owned()),
                "history" => latest = value.parse::<u64>().ok(),
                _ => {}
            }
        }
        match (since, epoch, latest) {
            (Some(since), Some(epoch), _) => Some(Resume::Since { since, epoch }),
            (_, _, Some(count)) if count > 0 => {
                Some(Resume::Latest(count.min(MAX_HISTORY_ON_JOIN)))
            }
            _ => None,
        }
    }
}

/// The Durable Object that holds one channel's sockets and relays its messages.
///
/// It keeps no per-socket state in memory: everything it must remember lives in each socket's
/// attachment and tag, so the object can hibernate while its sockets stay open.
#[durable_object]
pub struct ChannelDO {
    state: State,
    env: Env,
    /// Opened on first use: most wake-ups (a whisper, a close) never need it.
    history: RefCell<Option<History>>,
}

impl DurableObject for ChannelDO {
    fn new(state: State, env: Env) -> Self {
        // Heartbeats are answered by the runtime itself, so they never wake the object.
        match WebSocketRequestResponsePair::new(PING_FRAME, PONG_FRAME) {
            Ok(pair) => state.set_websocket_auto_response(&pair),
            Err(err) => worker::console_error!("cannot set the ping auto-response: {err:?}"),
        }
        let sockets = socket_count(&state);
        if sockets > 0 {
            worker::console_log!("ChannelDO resumed from hibernation with {sockets} sockets");
        }
        Self {
            state,
            env,
            history: RefCell::new(None),
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let path = req.path();
        if path == BROADCAST_PATH {
            return self.broadcast(req).await;
        }
        let Some(Ok(channel)) = channel_from_path(&path) else {
            return error_response(404, ErrorCode::NotFound, format!("no route for {path}"));
        };
        match admit(&req, &channel, &self.env).await? {
            Ok(admitted) => {
                let resume = Resume::from_request(&req);
                self.accept(channel, admitted, resume).await
            }
            Err(refusal) => Ok(refusal),
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
            }) => self.whisper(&ws, sender, channel, event, data),
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
        self.depart(&ws);
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
        self.depart(&ws);
        let _ = ws.close(Some(CloseCode::InternalError.code()), Some("socket error"));
        Ok(())
    }

    async fn alarm(&self) -> Result<Response> {
        self.sweep().await?;
        Response::ok("swept")
    }
}

impl ChannelDO {
    /// Accepts a WebSocket for `channel` with the hibernation API and welcomes it. On a
    /// presence channel it also gets the member list, and the others hear of the user's
    /// arrival if this is their first socket.
    async fn accept(
        &self,
        channel: ChannelName,
        admitted: Admitted,
        resume: Option<Resume>,
    ) -> Result<Response> {
        let presence = channel.kind() == ChannelKind::Presence;
        let others = if presence {
            live_sockets(&self.state)
        } else {
            Vec::new()
        };
        let pair = WebSocketPair::new()?;
        let socket_id = random_id();
        self.state
            .accept_websocket_with_tags(&pair.server, &[&socket_id]);
        let now = js_sys::Date::now();
        let attachment = SocketAttachment {
            socket_id: socket_id.clone(),
            channel: channel.clone(),
            user_id: admitted.user_id,
            user_info: admitted.user_info,
            connected_at: now,
            whispers: WhisperBucket::full(now),
            gone: false,
        };
        attachment.save(&pair.server)?;
        let (epoch, last) = {
            let history = self.history()?;
            (history.epoch().to_owned(), history.last())
        };
        let welcome = ServerFrame::<()>::Welcome {
            protocol: PROTOCOL_VERSION,
            socket_id: socket_id.clone(),
            channel: channel.clone(),
            epoch: Some(epoch),
            offset: Some(last),
        };
        pair.server.send_with_str(encode_frame(&welcome))?;
        // Missed events go out in this same turn, before any later broadcast can: in order,
        // with no gap and no duplicate.
        let replay = match resume {
            None => Replay::Frames(Vec::new()),
            Some(Resume::Latest(count)) => Replay::Frames(self.history()?.latest(count)?),
            Some(Resume::Since { since, epoch }) => self.history()?.replay(since, &epoch)?,
        };
        match replay {
            Replay::Frames(frames) => {
                for frame in frames {
                    pair.server.send_with_str(frame)?;
                }
            }
            Replay::Failed(reason) => {
                let failed = ServerFrame::<()>::RecoveryFailed {
                    channel: channel.clone(),
                    reason,
                };
                pair.server.send_with_str(encode_frame(&failed))?;
            }
        }

        if let (true, Some(member)) = (presence, attachment.member()) {
            if !has_other_socket(&others, &member.id, &socket_id) {
                let join = ServerFrame::PresenceJoin {
                    channel: channel.clone(),
                    member,
                };
                let join = EncodedFrame::new(&encode_frame(&join));
                send_to_all(&self.state, &join, Exclude::SocketId(&socket_id));
            }
            let mut everyone = others;
            everyone.push((pair.server.clone(), attachment));
            let here = ServerFrame::PresenceHere {
                channel,
                members: members(&everyone),
            };
            pair.server.send_with_str(encode_frame(&here))?;
            self.schedule_sweep(false).await?;
        }
        Response::from_websocket(pair.client)
    }

    /// Relays a whisper to every other socket, stamped with the sender's socket id (and user
    /// id on presence channels), within the sender's rate limit.
    fn whisper(
        &self,
        ws: &WebSocket,
        mut sender: SocketAttachment,
        channel: ChannelName,
        event: EventName,
        data: Option<Box<RawValue>>,
    ) -> Result<()> {
        if channel != sender.channel {
            let message = format!(
                "this socket is connected to {}, not {channel}",
                sender.channel
            );
            return send_error(ws, ErrorCode::ChannelMismatch, &message);
        }
        if channel.kind() == ChannelKind::Public {
            return send_error(
                ws,
                ErrorCode::WhisperNotAllowed,
                "whispers are relayed on private- and presence- channels only",
            );
        }
        let verdict = sender.whispers.take(js_sys::Date::now());
        sender.save(ws)?;
        match verdict {
            Verdict::Allow => {}
            Verdict::Refuse => {
                let message = format!(
                    "at most {WHISPERS_PER_SECOND} whispers a second (bursts of {BURST}); this one was dropped"
                );
                return send_error(ws, ErrorCode::RateLimited, &message);
            }
            Verdict::Close => {
                let reason = "whisper flood: too many whispers over the rate limit";
                return ws.close(Some(CloseCode::PolicyViolation.code()), Some(reason));
            }
        }
        let user = match channel.kind() {
            ChannelKind::Presence => sender.user_id,
            _ => None,
        };
        let frame = ServerFrame::Whisper {
            channel,
            event,
            data,
            from: sender.socket_id,
            user,
        };
        let frame = EncodedFrame::new(&encode_frame(&frame));
        send_to_all(&self.state, &frame, Exclude::Socket(ws.as_ref()));
        Ok(())
    }

    /// A socket closed, errored or was swept: it stops counting, and on a presence channel
    /// the others hear that its user left if it was their last socket. Runs once per socket.
    fn depart(&self, ws: &WebSocket) {
        let Some(mut attachment) = SocketAttachment::load(ws) else {
            return;
        };
        if attachment.gone {
            return;
        }
        attachment.gone = true;
        let _ = attachment.save(ws);
        if attachment.channel.kind() != ChannelKind::Presence {
            return;
        }
        let Some(member) = attachment.member() else {
            return;
        };
        let sockets = live_sockets(&self.state);
        if has_other_socket(&sockets, &member.id, &attachment.socket_id) {
            return;
        }
        let leave = ServerFrame::PresenceLeave {
            channel: attachment.channel,
            member,
        };
        let leave = EncodedFrame::new(&encode_frame(&leave));
        send_to_all(
            &self.state,
            &leave,
            Exclude::SocketId(&attachment.socket_id),
        );
    }

    /// Removes presence sockets that vanished without a close (the runtime has not answered a
    /// ping of theirs for the presence timeout), announcing their leave. Runs from the alarm;
    /// timers would keep the object from hibernating.
    async fn sweep(&self) -> Result<()> {
        let timeout = self.presence_timeout_ms();
        let now = js_sys::Date::now();
        let mut watched = 0;
        for (ws, attachment) in live_sockets(&self.state) {
            if attachment.channel.kind() != ChannelKind::Presence {
                continue;
            }
            let last_heard = last_auto_response(&self.state, &ws)
                .unwrap_or(0.0)
                .max(attachment.connected_at);
            if now - last_heard <= timeout {
                watched += 1;
                continue;
            }
            worker::console_log!(
                "swept socket {} of {}: no heartbeat for {} ms",
                attachment.socket_id,
                attachment.channel,
                now - last_heard
            );
            self.depart(&ws);
            let _ = ws.close(Some(CloseCode::ReconnectLater.code()), Some("no heartbeat"));
        }
        if watched > 0 {
            self.schedule_sweep(true).await?;
        }
        Ok(())
    }

    /// Sets the sweep alarm half a presence timeout from now; `replace` also when one is set.
    async fn schedule_sweep(&self, replace: bool) -> Result<()> {
        let storage = self.state.storage();
        if !replace && storage.get_alarm().await?.is_some() {
            return Ok(());
        }
        let interval = (self.presence_timeout_ms() / 2.0).max(250.0);
        storage.set_alarm(interval as i64).await
    }

    fn presence_timeout_ms(&self) -> f64 {
        positive_number(&self.env, PRESENCE_TIMEOUT_VAR).unwrap_or(DEFAULT_PRESENCE_TIMEOUT_MS)
    }

    fn history_limits(&self) -> HistoryLimits {
        let defaults = HistoryLimits::default();
        HistoryLimits {
            max_events: positive_number(&self.env, HISTORY_SIZE_VAR)
                .map_or(defaults.max_events, |events| events as u64),
            max_age_ms: positive_number(&self.env, HISTORY_TTL_VAR).unwrap_or(defaults.max_age_ms),
            ..defaults
        }
    }

    /// The channel's history, opened on first use and kept while the object is awake.
    fn history(&self) -> Result<RefMut<'_, History>> {
        let mut slot = self.history.borrow_mut();
        if slot.is_none() {
            *slot = Some(History::open(&self.state, self.history_limits())?);
        }
        Ok(RefMut::map(slot, |history| {
            history.as_mut().expect("opened just above")
        }))
    }

    /// Delivers a broadcast the Worker forwarded, and answers with the number of sockets reached.
    async fn broadcast(&self, mut req: Request) -> Result<Response> {
        let body = req.text().await?;
        let broadcast: ChannelBroadcast<Box<RawValue>> = match serde_json::from_str(&body) {
            Ok(broadcast) => broadcast,
            Err(err) => return error_response(400, ErrorCode::MalformedFrame, err.to_string()),
        };
        let text = self.history()?.append(|offset| {
            encode_frame(&ServerFrame::Event {
                channel: broadcast.channel,
                event: broadcast.event,
                data: broadcast.data,
                offset: Some(offset),
            })
        })?;
        let frame = EncodedFrame::new(&text);
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
