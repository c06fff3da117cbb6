//! `BroadcastClient`: what JavaScript sees. The work happens in [`Connection`].

use alloc::string::String;

use broadcast_protocol::{ChannelName, EventName, MAX_FRAME_BYTES};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use crate::connection::Connection;
use crate::frames::encode_whisper;
use crate::js::error_message;
use crate::listeners::Topic;
use crate::options::ClientOptions;
use crate::state::ConnectionState;
use crate::text::{concat, decimal};

// The whisper error names the limit as a literal, which this keeps honest.
const _: () = assert!(MAX_FRAME_BYTES == 65_536);

/// A connection to one channel. Created by `createBroadcastClient`.
#[wasm_bindgen]
pub struct BroadcastClient {
    connection: Connection,
}

#[wasm_bindgen]
impl BroadcastClient {
    pub(crate) fn create(url_factory: JsValue, options: &JsValue) -> Result<Self, JsError> {
        if !url_factory.is_string() && !url_factory.is_function() {
            return Err(JsError::new(
                "urlFactory must be a URL string or a function returning one (or a Promise of one)",
            ));
        }
        let options = ClientOptions::from_js(options)?;
        let auto_connect = options.auto_connect;
        let connection = Connection::new(url_factory, options);
        if auto_connect {
            connection.connect("created");
        }
        Ok(Self { connection })
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.connection
    }

    // Strings go out as JavaScript values and event names come in as them: a `String`
    // crossing the boundary costs glue on both sides, and the registries key by JavaScript
    // strings anyway.

    /// The connection state: `"idle"`, `"connecting"`, `"open"`, `"reconnecting"` or `"closed"`.
    #[wasm_bindgen(getter, js_name = state, unchecked_return_type = "ConnectionState")]
    pub fn state_js(&self) -> JsValue {
        self.state().into()
    }

    /// The server-assigned id of the current socket (`undefined` until the first welcome).
    /// Pass it as `except` to leave this client out of a broadcast it caused.
    #[wasm_bindgen(getter, js_name = socketId, unchecked_return_type = "string | undefined")]
    pub fn socket_id_js(&self) -> JsValue {
        self.socket_id().map_or(JsValue::UNDEFINED, JsValue::from)
    }

    /// The channel this client is connected to (`undefined` until the first welcome).
    #[wasm_bindgen(getter, js_name = channel, unchecked_return_type = "string | undefined")]
    pub fn channel_js(&self) -> JsValue {
        self.channel().map_or(JsValue::UNDEFINED, JsValue::from)
    }

    /// The members of a presence channel (`{ id, info }`, one per user), kept up to date by
    /// the server's `presence:here`, `presence:join` and `presence:leave`. Empty on other
    /// channels. After a reconnect, the next `presence:here` replaces the whole list.
    #[wasm_bindgen(getter, unchecked_return_type = "Member[]")]
    pub fn members(&self) -> js_sys::Array {
        self.connection.members()
    }

    /// Calls `listener(members)` with the full member list whenever the server sends it: on
    /// joining a presence channel, and again after every reconnect.
    #[wasm_bindgen(js_name = onHere, unchecked_return_type = "() => void")]
    pub fn on_here(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(members: Member[]) => void")] listener: &Function,
    ) -> Function {
        self.connection.lifecycle().add(Topic::Here, listener)
    }

    /// Calls `listener(member)` when a user's first socket joins the presence channel.
    #[wasm_bindgen(js_name = onJoin, unchecked_return_type = "() => void")]
    pub fn on_join(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(member: Member) => void")] listener: &Function,
    ) -> Function {
        self.connection.lifecycle().add(Topic::Join, listener)
    }

    /// Calls `listener(member)` when a user's last socket leaves the presence channel.
    #[wasm_bindgen(js_name = onLeave, unchecked_return_type = "() => void")]
    pub fn on_leave(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(member: Member) => void")] listener: &Function,
    ) -> Function {
        self.connection.lifecycle().add(Topic::Leave, listener)
    }

    /// Calls `listener({ channel, reason })` when events missed while disconnected cannot be
    /// replayed (too many, too old, or the channel's history was reset): refetch the state
    /// those events would have updated. Otherwise every missed event is delivered on
    /// reconnect, in order, before live ones.
    #[wasm_bindgen(js_name = onRecoveryFailed, unchecked_return_type = "() => void")]
    pub fn on_recovery_failed(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(failure: RecoveryFailure) => void")]
        listener: &Function,
    ) -> Function {
        self.connection.lifecycle().add(Topic::Recovery, listener)
    }

    /// Resolves with the socket id once the connection is open (at once if it is open now).
    /// Rejects if the client stops first: `close()`, a terminal close code, or `maxRetries`.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn ready(&self) -> Promise {
        self.connection.ready()
    }

    /// Calls `listener(data, meta)` for every server event named `event`. Returns a function
    /// that removes the listener.
    #[wasm_bindgen(js_name = on, unchecked_return_type = "() => void")]
    pub fn on_js(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] event: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "EventListener")] listener: &Function,
    ) -> Function {
        self.connection.events().add(event, listener, false)
    }

    /// Like `on`, for the next event named `event` only.
    #[wasm_bindgen(js_name = once, unchecked_return_type = "() => void")]
    pub fn once_js(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] event: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "EventListener")] listener: &Function,
    ) -> Function {
        self.connection.events().add(event, listener, true)
    }

    /// Removes a listener added with `on` or `once`.
    #[wasm_bindgen(js_name = off)]
    pub fn off_js(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] event: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "EventListener")] listener: &Function,
    ) {
        self.connection.events().remove(event, listener);
    }

    /// Calls `listener(data, meta)` for every server event, whatever its name.
    #[wasm_bindgen(js_name = onAny, unchecked_return_type = "() => void")]
    pub fn on_any(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventListener")] listener: &Function,
    ) -> Function {
        self.connection.lifecycle().add(Topic::Any, listener)
    }

    /// Calls `listener(data, meta)` for every whisper named `event` from another client;
    /// `meta.from` is the sender's socket id, stamped by the server.
    #[wasm_bindgen(js_name = listenForWhisper, unchecked_return_type = "() => void")]
    pub fn listen_for_whisper_js(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] event: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "WhisperListener")] listener: &Function,
    ) -> Function {
        self.connection.whispers().add(event, listener, false)
    }

    /// Calls `listener({ state, previous, reason, attempt?, delay? })` on every change of
    /// `state`; `attempt` and `delay` come with `"reconnecting"`.
    #[wasm_bindgen(js_name = onStateChange, unchecked_return_type = "() => void")]
    pub fn on_state_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(change: StateChange) => void")] listener: &Function,
    ) -> Function {
        self.connection.lifecycle().add(Topic::State, listener)
    }

    /// Calls `listener({ code, message })` for errors: refused frames (string codes) and
    /// terminal close codes (numbers).
    #[wasm_bindgen(js_name = onError, unchecked_return_type = "() => void")]
    pub fn on_error(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(error: BroadcastError) => void")]
        listener: &Function,
    ) -> Function {
        self.connection.lifecycle().add(Topic::Error, listener)
    }

    /// Sends a client event to every other client of `channel` (never back to this one).
    /// Returns `"sent"`, or `"queued"` when not connected: queued whispers go out in order
    /// as soon as the connection opens. Throws on an invalid name, data that JSON cannot
    /// encode, a frame over the size limit, or a full queue (`maxQueued`).
    #[wasm_bindgen(unchecked_return_type = "'sent' | 'queued'")]
    pub fn whisper(
        &self,
        channel: &str,
        event: &str,
        #[wasm_bindgen(unchecked_param_type = "unknown")] data: JsValue,
    ) -> Result<JsValue, JsError> {
        // Fixed messages rather than the errors' Display (see `text`).
        let channel = ChannelName::parse(channel).map_err(|_| {
            JsError::new("invalid channel name: use 1 to 164 of A-Z a-z 0-9 _ - = @ , . ;")
        })?;
        let event = EventName::parse(event).map_err(|_| {
            JsError::new("invalid event name: use 1 to 200 bytes without control characters")
        })?;
        let frame = encode_whisper(&channel, &event, &data).map_err(|err| {
            JsError::new(&concat(&[
                "whisper data must be JSON-serializable: ",
                &error_message(&err),
            ]))
        })?;
        if frame.len() > MAX_FRAME_BYTES {
            return Err(JsError::new(&concat(&[
                "whisper is ",
                &decimal(frame.len() as u32),
                " bytes encoded, over the 65536-byte frame limit",
            ])));
        }
        match self.connection.send_or_queue(frame) {
            Ok(true) => Ok("sent".into()),
            Ok(false) => Ok("queued".into()),
            Err(full) => Err(JsError::new(&concat(&[
                "whisper queue is full (",
                &decimal(full.0 as u32),
                " waiting, maxQueued)",
            ]))),
        }
    }

    /// Starts connecting if idle, closed, or waiting for a retry (then without waiting);
    /// does nothing while connecting or open.
    pub fn connect(&self) {
        match self.connection.state() {
            ConnectionState::Connecting | ConnectionState::Open => {}
            ConnectionState::Reconnecting => self.connection.connect("connect() called"),
            ConnectionState::Idle | ConnectionState::Closed => {
                self.connection.restart("connect() called")
            }
        }
    }

    /// Drops the current socket, if any, and connects again now, whatever the state: after
    /// `close()`, after giving up, or to skip a pending backoff. The retry count starts over.
    pub fn reconnect(&self) {
        self.connection.restart("reconnect() called");
    }

    /// Closes the connection and releases everything the client holds: the socket, its
    /// timers, its browser listeners, queued whispers and every listener (after telling
    /// `onStateChange` listeners about `"closed"`). `connect()` opens it again.
    pub fn close(&self) {
        self.connection.stop("closed by the application");
        self.connection.release();
    }
}

/// The Rust spelling of the methods JavaScript gets with JavaScript values (see above).
impl BroadcastClient {
    /// The connection state: `"idle"`, `"connecting"`, `"open"`, `"reconnecting"` or `"closed"`.
    pub fn state(&self) -> &'static str {
        self.connection.state().as_str()
    }

    /// The server-assigned id of the current socket (`None` until the first welcome).
    pub fn socket_id(&self) -> Option<String> {
        self.connection.socket_id()
    }

    /// The channel this client is connected to (`None` until the first welcome).
    pub fn channel(&self) -> Option<String> {
        self.connection.channel()
    }

    /// Calls `listener(data, meta)` for every server event named `event`. Returns a function
    /// that removes the listener.
    pub fn on(&self, event: &str, listener: &Function) -> Function {
        self.on_js(&event.into(), listener)
    }

    /// Like `on`, for the next event named `event` only.
    pub fn once(&self, event: &str, listener: &Function) -> Function {
        self.once_js(&event.into(), listener)
    }

    /// Removes a listener added with `on` or `once`.
    pub fn off(&self, event: &str, listener: &Function) {
        self.off_js(&event.into(), listener);
    }

    /// Calls `listener(data, meta)` for every whisper named `event` from another client.
    pub fn listen_for_whisper(&self, event: &str, listener: &Function) -> Function {
        self.listen_for_whisper_js(&event.into(), listener)
    }
}

impl Drop for BroadcastClient {
    fn drop(&mut self) {
        self.close();
    }
}
