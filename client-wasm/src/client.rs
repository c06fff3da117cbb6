//! `BroadcastClient`: the connection, its retries, and the delivery of frames to listeners.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use broadcast_protocol::{ChannelName, CloseCode, EventName, ReconnectPolicy, ServerFrame};
use gloo_timers::callback::Timeout;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{CloseEvent, MessageEvent};

use crate::backoff::retry_delay_ms;
use crate::frames::{JsPayload, decode, encode_whisper};
use crate::listeners::Registry;
use crate::options::ClientOptions;
use crate::socket::Socket;
use crate::state::{ConnectionState, Transition};
use crate::url::next_url;

/// Registry keys of the lifecycle listeners.
const STATE_KEY: &str = "state";
const ERROR_KEY: &str = "error";
const ANY_KEY: &str = "any";

/// A connection to one channel. Created by `createBroadcastClient`.
#[wasm_bindgen]
pub struct BroadcastClient {
    shared: Shared,
}

/// Everything the socket handlers and timers need; they hold it weakly, so a freed client
/// stops them all.
struct Inner {
    url_factory: JsValue,
    options: ClientOptions,
    state: ConnectionState,
    /// Bumped by every attempt and by `close()`; callbacks of older attempts compare and bail.
    generation: u32,
    /// Retries since the connection last stayed up for `minUptime`.
    attempt: u32,
    socket: Option<Socket>,
    retry_timer: Option<Timeout>,
    socket_id: Option<String>,
    channel: Option<ChannelName>,
    opened_at: Option<f64>,
    /// Encoded whispers waiting for the connection to open.
    queue: VecDeque<String>,
    events: Registry,
    whispers: Registry,
    lifecycle: Registry,
}

#[derive(Clone)]
struct Shared(Rc<RefCell<Inner>>);

impl Shared {
    fn upgrade(weak: &Weak<RefCell<Inner>>) -> Option<Self> {
        weak.upgrade().map(Shared)
    }

    fn weak(&self) -> Weak<RefCell<Inner>> {
        Rc::downgrade(&self.0)
    }

    fn is_current(&self, generation: u32) -> bool {
        self.0.borrow().generation == generation
    }

    /// The one place the state changes; every change is announced to `onStateChange`.
    fn transition(&self, transition: Transition, reason: &str) {
        let (previous, next, lifecycle) = {
            let mut inner = self.0.borrow_mut();
            let previous = inner.state;
            let Some(next) = previous.next(transition) else {
                return;
            };
            inner.state = next;
            (previous, next, inner.lifecycle.clone())
        };
        if previous != next {
            let change = object(&[
                ("state", next.as_str().into()),
                ("previous", previous.as_str().into()),
                ("reason", reason.into()),
            ]);
            lifecycle.emit(STATE_KEY, &Array::of1(&change));
        }
    }

    /// Starts a new attempt, superseding any socket or timer of the previous one.
    fn connect(&self) {
        let (generation, factory) = {
            let mut inner = self.0.borrow_mut();
            inner.retry_timer = None;
            inner.socket = None;
            inner.generation = inner.generation.wrapping_add(1);
            (inner.generation, inner.url_factory.clone())
        };
        self.transition(Transition::Connect, "connecting");
        let weak = self.weak();
        spawn_local(async move {
            let url = next_url(&factory).await;
            let Some(shared) = Shared::upgrade(&weak) else {
                return;
            };
            if !shared.is_current(generation) {
                return;
            }
            match url.and_then(|url| shared.open_socket(&url, generation)) {
                Ok(socket) => shared.0.borrow_mut().socket = Some(socket),
                Err(reason) => shared.retry_later(&reason),
            }
        });
    }

    fn open_socket(&self, url: &str, generation: u32) -> Result<Socket, String> {
        let on_message = {
            let weak = self.weak();
            move |event: MessageEvent| {
                if let Some(shared) = Shared::upgrade(&weak).filter(|s| s.is_current(generation)) {
                    shared.on_message(event);
                }
            }
        };
        let on_close = {
            let weak = self.weak();
            move |event: CloseEvent| {
                if let Some(shared) = Shared::upgrade(&weak).filter(|s| s.is_current(generation)) {
                    shared.on_close(event.code(), &event.reason());
                }
            }
        };
        Socket::open(url, on_message, on_close).map_err(|err| format!("cannot open {url}: {err:?}"))
    }

    fn on_message(&self, event: MessageEvent) {
        let Some(text) = event.data().as_string() else {
            web_sys::console::warn_1(&"broadcast client: ignored a binary frame".into());
            return;
        };
        match decode(&text) {
            Ok(frame) => self.on_frame(frame),
            Err(err) => web_sys::console::warn_2(
                &"broadcast client: ignored a frame:".into(),
                &err.to_string().into(),
            ),
        }
    }

    fn on_frame(&self, frame: ServerFrame<JsPayload>) {
        match frame {
            ServerFrame::Welcome {
                socket_id, channel, ..
            } => self.on_welcome(socket_id, channel),
            ServerFrame::Event {
                channel,
                event,
                data,
            } => {
                let meta = object(&[
                    ("channel", channel.as_str().into()),
                    ("event", event.as_str().into()),
                ]);
                let args = Array::of2(&payload(data), &meta);
                let (events, lifecycle) = {
                    let inner = self.0.borrow();
                    (inner.events.clone(), inner.lifecycle.clone())
                };
                events.emit(event.as_str(), &args);
                lifecycle.emit(ANY_KEY, &args);
            }
            ServerFrame::Whisper {
                channel,
                event,
                data,
                from,
            } => {
                let meta = object(&[
                    ("channel", channel.as_str().into()),
                    ("event", event.as_str().into()),
                    ("from", from.into()),
                ]);
                let whispers = self.0.borrow().whispers.clone();
                whispers.emit(event.as_str(), &Array::of2(&payload(data), &meta));
            }
            ServerFrame::Error { code, message } => {
                let code = serde_wasm_bindgen::to_value(&code).unwrap_or(JsValue::NULL);
                self.report_error(code, &message);
            }
            ServerFrame::Pong => {}
        }
    }

    fn on_welcome(&self, socket_id: String, channel: ChannelName) {
        let queued = {
            let mut inner = self.0.borrow_mut();
            inner.socket_id = Some(socket_id);
            inner.channel = Some(channel);
            inner.opened_at = Some(js_sys::Date::now());
            std::mem::take(&mut inner.queue)
        };
        self.transition(Transition::Welcomed, "welcomed by the server");
        let inner = self.0.borrow();
        if let Some(socket) = &inner.socket {
            for frame in &queued {
                let _ = socket.send(frame);
            }
        }
    }

    fn on_close(&self, code: u16, reason: &str) {
        {
            let mut inner = self.0.borrow_mut();
            inner.socket = None;
            let stayed_up = inner.opened_at.take().map(|at| js_sys::Date::now() - at);
            if stayed_up.is_some_and(|ms| ms >= f64::from(inner.options.min_uptime)) {
                inner.attempt = 0;
            }
        }
        let description = format!(
            "closed by the server ({code}{}{reason})",
            if reason.is_empty() { "" } else { ": " }
        );
        match CloseCode::from(code).reconnect_policy() {
            ReconnectPolicy::Never => {
                self.stop(&description);
                self.report_error(code.into(), &description);
            }
            ReconnectPolicy::Immediately => self.connect(),
            ReconnectPolicy::Backoff => self.retry_later(&description),
        }
    }

    /// Schedules the next attempt after a backoff delay, or gives up after `maxRetries`.
    fn retry_later(&self, reason: &str) {
        let (delay, generation) = {
            let mut inner = self.0.borrow_mut();
            if inner
                .options
                .max_retries
                .is_some_and(|max| inner.attempt >= max)
            {
                drop(inner);
                self.stop(&format!(
                    "gave up after {} retries: {reason}",
                    self.0.borrow().attempt
                ));
                return;
            }
            let options = &inner.options;
            let delay = retry_delay_ms(
                inner.attempt,
                options.initial_delay,
                options.max_delay,
                js_sys::Math::random(),
            );
            inner.attempt += 1;
            (delay, inner.generation)
        };
        self.transition(
            Transition::RetryScheduled,
            &format!("retrying in {delay} ms: {reason}"),
        );
        let weak = self.weak();
        let timer = Timeout::new(delay, move || {
            if let Some(shared) = Shared::upgrade(&weak).filter(|s| s.is_current(generation)) {
                shared.connect();
            }
        });
        self.0.borrow_mut().retry_timer = Some(timer);
    }

    /// Stops for good: no socket, no timer, and older callbacks ignored.
    fn stop(&self, reason: &str) {
        {
            let mut inner = self.0.borrow_mut();
            inner.generation = inner.generation.wrapping_add(1);
            inner.retry_timer = None;
            inner.socket = None;
            inner.opened_at = None;
        }
        self.transition(Transition::Stop, reason);
    }

    fn report_error(&self, code: JsValue, message: &str) {
        let lifecycle = self.0.borrow().lifecycle.clone();
        let error = object(&[("code", code), ("message", message.into())]);
        if lifecycle.has(ERROR_KEY) {
            lifecycle.emit(ERROR_KEY, &Array::of1(&error));
        } else {
            web_sys::console::warn_2(&"broadcast client:".into(), &error);
        }
    }
}

#[wasm_bindgen]
impl BroadcastClient {
    pub(crate) fn create(
        url_factory: JsValue,
        options: JsValue,
    ) -> Result<BroadcastClient, JsError> {
        let is_string = url_factory.is_string();
        if !is_string && !url_factory.is_function() {
            return Err(JsError::new(
                "urlFactory must be a URL string or a function returning one",
            ));
        }
        let options = ClientOptions::from_js(options)?;
        let inner = Inner {
            url_factory,
            options,
            state: ConnectionState::Idle,
            generation: 0,
            attempt: 0,
            socket: None,
            retry_timer: None,
            socket_id: None,
            channel: None,
            opened_at: None,
            queue: VecDeque::new(),
            events: Registry::default(),
            whispers: Registry::default(),
            lifecycle: Registry::default(),
        };
        let shared = Shared(Rc::new(RefCell::new(inner)));
        shared.connect();
        Ok(BroadcastClient { shared })
    }

    /// The connection state: `"idle"`, `"connecting"`, `"open"`, `"reconnecting"` or `"closed"`.
    #[wasm_bindgen(getter, unchecked_return_type = "ConnectionState")]
    pub fn state(&self) -> String {
        self.shared.0.borrow().state.as_str().into()
    }

    /// The server-assigned id of the current socket (`undefined` until the first welcome).
    /// Pass it as `except` to leave this client out of a broadcast it caused.
    #[wasm_bindgen(getter, js_name = socketId)]
    pub fn socket_id(&self) -> Option<String> {
        self.shared.0.borrow().socket_id.clone()
    }

    /// The channel this client is connected to (`undefined` until the first welcome).
    #[wasm_bindgen(getter)]
    pub fn channel(&self) -> Option<String> {
        self.shared
            .0
            .borrow()
            .channel
            .as_ref()
            .map(|c| c.to_string())
    }

    /// Calls `listener(data, meta)` for every server event named `event`. Returns a function
    /// that removes the listener.
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn on(
        &self,
        event: &str,
        #[wasm_bindgen(unchecked_param_type = "EventListener")] listener: &Function,
    ) -> Function {
        self.shared.0.borrow().events.add(event, listener, false)
    }

    /// Like `on`, for the next event named `event` only.
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn once(
        &self,
        event: &str,
        #[wasm_bindgen(unchecked_param_type = "EventListener")] listener: &Function,
    ) -> Function {
        self.shared.0.borrow().events.add(event, listener, true)
    }

    /// Removes a listener added with `on` or `once`.
    pub fn off(
        &self,
        event: &str,
        #[wasm_bindgen(unchecked_param_type = "EventListener")] listener: &Function,
    ) {
        self.shared.0.borrow().events.remove(event, listener);
    }

    /// Calls `listener(data, meta)` for every server event, whatever its name.
    #[wasm_bindgen(js_name = onAny, unchecked_return_type = "() => void")]
    pub fn on_any(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EventListener")] listener: &Function,
    ) -> Function {
        self.shared
            .0
            .borrow()
            .lifecycle
            .add(ANY_KEY, listener, false)
    }

    /// Calls `listener(data, meta)` for every whisper named `event` from another client;
    /// `meta.from` is the sender's socket id, stamped by the server.
    #[wasm_bindgen(js_name = listenForWhisper, unchecked_return_type = "() => void")]
    pub fn listen_for_whisper(
        &self,
        event: &str,
        #[wasm_bindgen(unchecked_param_type = "WhisperListener")] listener: &Function,
    ) -> Function {
        self.shared.0.borrow().whispers.add(event, listener, false)
    }

    /// Calls `listener({ state, previous, reason })` on every change of `state`.
    #[wasm_bindgen(js_name = onStateChange, unchecked_return_type = "() => void")]
    pub fn on_state_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(change: StateChange) => void")] listener: &Function,
    ) -> Function {
        self.shared
            .0
            .borrow()
            .lifecycle
            .add(STATE_KEY, listener, false)
    }

    /// Calls `listener({ code, message })` for errors: refused frames (string codes) and
    /// terminal close codes (numbers).
    #[wasm_bindgen(js_name = onError, unchecked_return_type = "() => void")]
    pub fn on_error(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(error: BroadcastError) => void")]
        listener: &Function,
    ) -> Function {
        self.shared
            .0
            .borrow()
            .lifecycle
            .add(ERROR_KEY, listener, false)
    }

    /// Sends a client event to every other client of `channel` (never back to this one).
    /// Returns `"sent"`, or `"queued"` when not connected: queued whispers go out in order
    /// as soon as the connection opens. Throws on an invalid name, unserializable data, or a
    /// full queue (`maxQueued`).
    #[wasm_bindgen(unchecked_return_type = "'sent' | 'queued'")]
    pub fn whisper(&self, channel: &str, event: &str, data: JsValue) -> Result<String, JsError> {
        let channel = ChannelName::parse(channel).map_err(|err| JsError::new(&err.to_string()))?;
        let event = EventName::parse(event).map_err(|err| JsError::new(&err.to_string()))?;
        let frame = encode_whisper(channel, event, data).map_err(|err| {
            JsError::new(&format!("whisper data must be JSON-serializable: {err:?}"))
        })?;
        let mut inner = self.shared.0.borrow_mut();
        let open_socket = inner
            .socket
            .as_ref()
            .filter(|_| inner.state == ConnectionState::Open);
        if open_socket.is_some_and(|socket| socket.send(&frame).is_ok()) {
            return Ok("sent".into());
        }
        if inner.queue.len() >= inner.options.max_queued {
            return Err(JsError::new(&format!(
                "whisper queue is full ({} waiting, maxQueued)",
                inner.queue.len()
            )));
        }
        inner.queue.push_back(frame);
        Ok("queued".into())
    }

    /// Connects again now, whatever the state: after `close()`, after giving up, or to skip a
    /// pending backoff. The retry count starts over.
    pub fn reconnect(&self) {
        self.shared.0.borrow_mut().attempt = 0;
        self.shared.connect();
    }

    /// Closes the connection and stops reconnecting. Listeners stay registered, so
    /// `reconnect()` resumes where it left off.
    pub fn close(&self) {
        self.shared.stop("closed by the application");
    }
}

impl Drop for BroadcastClient {
    fn drop(&mut self) {
        let inner = self.shared.0.borrow();
        inner.events.clear();
        inner.whispers.clear();
        inner.lifecycle.clear();
        drop(inner);
        self.shared.stop("client freed");
    }
}

fn payload(data: Option<JsPayload>) -> JsValue {
    data.map_or(JsValue::NULL, |payload| payload.0)
}

fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object
}
