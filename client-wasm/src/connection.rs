//! The connection engine: at most one socket and one timer at a time, the retries, the
//! heartbeat, and the delivery of frames to listeners.
//!
//! Every callback (socket, timer, browser signal) holds the engine weakly and carries the
//! generation it was created for; `connect` and `stop` bump the generation, so a callback of a
//! superseded attempt finds itself stale and does nothing. Listeners are only ever called with
//! nothing borrowed, so they may call back into the client (even `close()`).

use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use broadcast_protocol::{
    ChannelName, CloseCode, ErrorCode, PING_FRAME, ReconnectPolicy, ServerFrame,
};
use js_sys::{Array, Object, Promise, WeakRef};
use wasm_bindgen::prelude::*;

use crate::backoff::retry_delay_ms;
use crate::frames::{Received, decode, event_data, parse};
use crate::js::{error_message, warn};
use crate::known_event::KnownEvent;
use crate::listeners::{Lifecycle, Registry, Topic, deliver_event, deliver_whisper};
use crate::options::ClientOptions;
use crate::presence::Members;
use crate::ready::{ReadyWaiters, rejected};
use crate::reports::{error_report, recovery_failure, state_change_report};
use crate::signals::{BrowserSignals, Signal};
use crate::socket::Socket;
use crate::state::{ConnectionState, Transition};
use crate::text::{concat, decimal};
use crate::timer::Timeout;
use crate::url::{PendingUrl, Resume, request_url};

/// What the one pending timer waits for (see `Inner::timer`).
#[derive(Clone, Copy)]
enum Timer {
    /// The server's welcome, while connecting (`connectionTimeout`).
    Welcome,
    /// The next attempt, while reconnecting (the backoff delay).
    Retry,
    /// The next ping, while open (`heartbeatInterval`).
    Ping,
    /// The pong of the ping sent (`heartbeatTimeout`).
    Pong,
}

/// Why a whisper could not be sent or queued.
pub struct QueueFull(pub usize);

struct Inner {
    url_factory: JsValue,
    options: ClientOptions,
    state: ConnectionState,
    /// Bumped by every attempt and by `stop`; callbacks of older attempts compare and bail.
    generation: u32,
    /// Retries since the connection last stayed up for `minUptime`.
    attempt: u32,
    /// The factory's Promise of the current attempt's URL, while it is pending.
    pending_url: Option<PendingUrl>,
    socket: Option<Socket>,
    /// The one pending timer of the current state: the attempt's deadline while connecting,
    /// the heartbeat while open, the next attempt while reconnecting.
    timer: Option<Timeout>,
    /// A ping went out and its pong has not come back yet.
    awaiting_pong: bool,
    /// `online` and `visibilitychange` listeners, present while the client is active.
    signals: Option<BrowserSignals>,
    socket_id: Option<String>,
    channel: Option<ChannelName>,
    /// The last event offset received and its epoch: the next attempt resumes there.
    resume: Option<Resume>,
    opened_at: Option<f64>,
    /// Encoded whispers waiting for the connection to open.
    queue: Vec<String>,
    ready: ReadyWaiters,
    /// The client's JavaScript object, weakly, and strongly (`pinned`) while the connection is
    /// active: a client the application keeps no reference to runs on until it closes, as a
    /// browser WebSocket does, instead of stopping when the garbage collector frees it.
    handle: Option<WeakRef>,
    pinned: Option<Object>,
}

/// The engine's state, and the JavaScript collections it fills, which live outside the
/// `RefCell`: reaching them takes no borrow and no copy of their handles, which matters on
/// every message.
struct Shared {
    inner: RefCell<Inner>,
    events: Registry,
    whispers: Registry,
    lifecycle: Lifecycle,
    /// Presence members by user id, as of the last `presence:here` and the joins and leaves
    /// since.
    members: Members,
    /// The last event channel and name checked in full: the fast path for the next ones.
    known_event: KnownEvent,
}

/// The engine, shared by the client handle and (weakly) by every callback.
#[derive(Clone)]
pub struct Connection(Rc<Shared>);

impl Connection {
    /// An idle connection; nothing happens until [`Connection::connect`].
    pub fn new(url_factory: JsValue, options: ClientOptions) -> Self {
        Self(Rc::new(Shared {
            inner: RefCell::new(Inner {
                url_factory,
                options,
                state: ConnectionState::Idle,
                generation: 0,
                attempt: 0,
                pending_url: None,
                socket: None,
                timer: None,
                awaiting_pong: false,
                signals: None,
                socket_id: None,
                channel: None,
                resume: None,
                opened_at: None,
                queue: Vec::new(),
                ready: ReadyWaiters::default(),
                handle: None,
                pinned: None,
            }),
            events: Registry::default(),
            whispers: Registry::default(),
            lifecycle: Lifecycle::default(),
            members: Members::default(),
            known_event: KnownEvent::default(),
        }))
    }

    /// Tells the connection which JavaScript object is its client (see `Inner::handle`).
    pub fn set_handle(&self, client: &Object) {
        let mut inner = self.0.inner.borrow_mut();
        inner.handle = Some(WeakRef::new(client));
        if inner.state.is_active() {
            inner.pinned = Some(client.clone());
        }
    }

    fn upgrade(weak: &Weak<Shared>) -> Option<Self> {
        weak.upgrade().map(Connection)
    }

    fn weak(&self) -> Weak<Shared> {
        Rc::downgrade(&self.0)
    }

    fn generation(&self) -> u32 {
        self.0.inner.borrow().generation
    }

    fn is_current(&self, generation: u32) -> bool {
        self.generation() == generation
    }

    pub fn state(&self) -> ConnectionState {
        self.0.inner.borrow().state
    }

    pub fn socket_id(&self) -> Option<String> {
        self.0.inner.borrow().socket_id.clone()
    }

    /// The presence members, as of the last `presence:here` and the joins and leaves since.
    pub fn members(&self) -> Array {
        self.0.members.list()
    }

    pub fn channel(&self) -> Option<String> {
        self.0
            .inner
            .borrow()
            .channel
            .as_ref()
            .map(|c| c.as_str().into())
    }

    /// Server events by name.
    pub fn events(&self) -> &Registry {
        &self.0.events
    }

    /// Whispers by name.
    pub fn whispers(&self) -> &Registry {
        &self.0.whispers
    }

    /// State changes, errors and catch-all event listeners.
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.0.lifecycle
    }

    /// The one place the state changes; every change is announced to `onStateChange`.
    /// `retry` is the attempt number and delay of a scheduled retry. Returns whether the
    /// transition applied.
    fn transition(&self, transition: Transition, reason: &str, retry: Option<(u32, u32)>) -> bool {
        let (previous, next) = {
            let mut inner = self.0.inner.borrow_mut();
            let previous = inner.state;
            let Some(next) = previous.next(transition) else {
                return false;
            };
            inner.state = next;
            inner.pinned = match (next.is_active(), inner.pinned.take()) {
                (true, None) => inner.handle.as_ref().and_then(WeakRef::deref),
                (true, pinned) => pinned,
                (false, _) => None,
            };
            (previous, next)
        };
        if previous != next {
            let change = state_change_report(next.as_str(), previous.as_str(), reason, retry);
            self.lifecycle().emit(Topic::State, &change);
        }
        true
    }

    /// Calls [`Connection::on_timer`] with `timer` after `ms`, unless the generation moved on
    /// first. Replaces the pending timer, if any.
    fn start_timer(&self, generation: u32, ms: u32, timer: Timer) {
        if !self.is_current(generation) {
            return;
        }
        let weak = self.weak();
        let timer = Timeout::new(ms, move || {
            if let Some(connection) = Self::upgrade(&weak).filter(|c| c.is_current(generation)) {
                connection.on_timer(timer);
            }
        });
        self.0.inner.borrow_mut().timer = Some(timer);
    }

    /// Starts a new attempt, superseding any socket or timer of the previous one.
    pub fn connect(&self, reason: &str) {
        let (generation, factory, timeout, resume, history) = {
            let mut inner = self.0.inner.borrow_mut();
            inner.generation = inner.generation.wrapping_add(1);
            inner.timer = None;
            inner.pending_url = None;
            inner.socket = None;
            inner.opened_at = None;
            inner.awaiting_pong = false;
            if inner.signals.is_none() {
                let weak = self.weak();
                inner.signals = BrowserSignals::listen(move |signal| {
                    if let Some(connection) = Self::upgrade(&weak) {
                        connection.wake(signal);
                    }
                });
            }
            let timeout = inner.options.connection_timeout;
            (
                inner.generation,
                inner.url_factory.clone(),
                timeout,
                inner.resume.clone(),
                inner.options.history,
            )
        };
        self.transition(Transition::Connect, reason, None);
        self.start_timer(generation, timeout, Timer::Welcome);
        let weak = self.weak();
        let pending = request_url(&factory, resume, history, move |url| {
            if let Some(connection) = Self::upgrade(&weak).filter(|c| c.is_current(generation)) {
                connection.on_url(url, generation);
            }
        });
        if self.is_current(generation) {
            self.0.inner.borrow_mut().pending_url = Some(pending);
        }
    }

    fn on_url(&self, url: Result<String, String>, generation: u32) {
        self.0.inner.borrow_mut().pending_url = None;
        match url.and_then(|url| self.open_socket(&url, generation)) {
            Ok(socket) => self.0.inner.borrow_mut().socket = Some(socket),
            Err(reason) => self.retry_later(&reason),
        }
    }

    fn open_socket(&self, url: &str, generation: u32) -> Result<Socket, String> {
        let on_message = {
            let weak = self.weak();
            move |data: JsValue| {
                if let Some(connection) = Self::upgrade(&weak).filter(|c| c.is_current(generation))
                {
                    connection.on_message(data);
                }
            }
        };
        let on_close = {
            let weak = self.weak();
            move |code: u16, reason: String| {
                if let Some(connection) = Self::upgrade(&weak).filter(|c| c.is_current(generation))
                {
                    connection.on_close(code, &reason);
                }
            }
        };
        Socket::open(url, on_message, on_close)
            .map_err(|err| concat(&["cannot open ", url, ": ", &error_message(&err)]))
    }

    /// The frame stays a JavaScript string: `JSON.parse` reads it where it is, so it is never
    /// copied into wasm memory.
    fn on_message(&self, text: JsValue) {
        if !text.is_string() {
            warn(
                "ignored a frame:",
                &ErrorCode::BinaryUnsupported.as_str().into(),
                &text,
            );
            return;
        }
        let received = parse(&text).and_then(|value| {
            if let Some(offset) = self.0.known_event.offset(&value) {
                let frame: &Object = value.unchecked_ref();
                self.on_event(frame, Some(offset), &event_data(frame));
                return Ok(());
            }
            decode(&value).map(|received| self.on_frame(received))
        });
        // The code and the frame itself say what is wrong, without the cost of formatting.
        if let Err(err) = received {
            warn("ignored a frame:", &err.code().as_str().into(), &text);
        }
    }

    /// Delivers a checked event frame (in full, or by [`KnownEvent`]) unless its offset says
    /// it was received already.
    fn on_event(&self, frame: &Object, offset: Option<u64>, data: &JsValue) {
        if offset.is_none_or(|offset| self.advance(offset)) {
            deliver_event(self.events(), self.lifecycle(), frame, data);
        }
    }

    fn on_frame(&self, Received { frame, parsed }: Received) {
        match frame {
            ServerFrame::Welcome {
                socket_id,
                channel,
                epoch,
                offset,
                ..
            } => {
                if let Some(epoch) = epoch {
                    self.start_epoch(epoch, offset.unwrap_or(0));
                }
                self.on_welcome(socket_id, channel)
            }
            // Names and metadata come from `parsed`, as JavaScript strings (see `Parsed`).
            ServerFrame::Event { data, offset, .. } => {
                self.0.known_event.remember(parsed.object());
                let data = data.unwrap_or(JsValue::NULL);
                self.on_event(parsed.object(), offset, &data);
            }
            ServerFrame::Whisper { data, .. } => {
                let data = data.unwrap_or(JsValue::NULL);
                deliver_whisper(self.whispers(), parsed.object(), &data);
            }
            // The members are merged from `parsed`, as `Parsed` explains.
            ServerFrame::PresenceHere { .. } => {
                let list = self.0.members.replace(&parsed.field("members"));
                self.lifecycle().emit(Topic::Here, &list);
            }
            ServerFrame::PresenceJoin { .. } => {
                if let Some(member) = self.0.members.add(&parsed.field("member")) {
                    self.lifecycle().emit(Topic::Join, &member);
                }
            }
            ServerFrame::PresenceLeave { .. } => {
                if let Some(member) = self.0.members.remove(&parsed.field("member")) {
                    self.lifecycle().emit(Topic::Leave, &member);
                }
            }
            ServerFrame::RecoveryFailed { channel, reason } => {
                let failure = recovery_failure(channel.as_str(), &reason);
                self.lifecycle().emit(Topic::Recovery, &failure);
            }
            ServerFrame::Error { code, message } => {
                self.report_error(code.as_str().into(), &message)
            }
            ServerFrame::Pong => {
                if self.0.inner.borrow().awaiting_pong {
                    self.schedule_ping();
                }
            }
        }
    }

    /// A welcome names the channel's epoch and latest offset. Within the epoch we resume
    /// from, our own position stands (the replay follows); a new epoch starts us afresh at
    /// its latest offset, less the `history` events we asked for (the server sends
    /// `recovery:failed` if we had asked to resume).
    fn start_epoch(&self, epoch: String, latest: u64) {
        let mut inner = self.0.inner.borrow_mut();
        let known = inner
            .resume
            .as_ref()
            .is_some_and(|resume| resume.epoch == epoch);
        if !known {
            let history = u64::from(inner.options.history);
            inner.resume = Some(Resume {
                since: latest.saturating_sub(history) as f64,
                epoch,
            });
        }
    }

    /// Moves our position to `offset`; `false` for an event already received (a duplicate).
    fn advance(&self, offset: u64) -> bool {
        let mut inner = self.0.inner.borrow_mut();
        let Some(resume) = inner.resume.as_mut() else {
            return true;
        };
        let offset = offset as f64;
        if offset <= resume.since {
            return false;
        }
        resume.since = offset;
        true
    }

    fn on_welcome(&self, socket_id: String, channel: ChannelName) {
        let generation = self.generation();
        if self.state() != ConnectionState::Connecting {
            return;
        }
        {
            let mut inner = self.0.inner.borrow_mut();
            inner.socket_id = Some(socket_id.clone());
            inner.channel = Some(channel);
            inner.opened_at = Some(js_sys::Date::now());
        }
        self.schedule_ping();
        self.transition(Transition::Welcomed, "welcomed by the server", None);
        if !self.is_current(generation) {
            return;
        }
        let (queued, ready) = {
            let mut inner = self.0.inner.borrow_mut();
            (core::mem::take(&mut inner.queue), inner.ready.take())
        };
        if let Some(socket) = &self.0.inner.borrow().socket {
            for frame in &queued {
                let _ = socket.send(frame);
            }
        }
        ready.resolve(&socket_id.into());
    }

    fn on_close(&self, code: u16, reason: &str) {
        let was_open = self.lose_socket();
        let code_text = decimal(code.into());
        let description = if reason.is_empty() {
            concat(&["closed by the server (", &code_text, ")"])
        } else {
            concat(&["closed by the server (", &code_text, ": ", reason, ")"])
        };
        match CloseCode::from(code).reconnect_policy() {
            ReconnectPolicy::Never => {
                self.stop(&description);
                self.report_error(code.into(), &description);
            }
            // Only a connection that was up may skip the backoff, so a server that keeps
            // answering "reconnect now" cannot start a tight loop.
            ReconnectPolicy::Immediately if was_open => self.connect(&description),
            ReconnectPolicy::Immediately | ReconnectPolicy::Backoff => {
                self.retry_later(&description)
            }
        }
    }

    /// Drops the socket and the timer. A connection that stayed up for `minUptime` earns a
    /// fresh retry count. Returns whether the socket had been welcomed.
    fn lose_socket(&self) -> bool {
        let mut inner = self.0.inner.borrow_mut();
        inner.pending_url = None;
        inner.socket = None;
        inner.timer = None;
        inner.awaiting_pong = false;
        let uptime = inner.opened_at.take().map(|at| js_sys::Date::now() - at);
        if uptime.is_some_and(|ms| ms >= f64::from(inner.options.min_uptime)) {
            inner.attempt = 0;
        }
        uptime.is_some()
    }

    /// Schedules the next attempt after a backoff delay, or gives up after `maxRetries`.
    fn retry_later(&self, reason: &str) {
        let generation = self.generation();
        let retry = {
            let mut inner = self.0.inner.borrow_mut();
            let attempt = inner.attempt;
            if inner.options.max_retries.is_some_and(|max| attempt >= max) {
                None
            } else {
                let options = &inner.options;
                let delay = retry_delay_ms(
                    attempt,
                    options.initial_delay,
                    options.max_delay,
                    js_sys::Math::random(),
                );
                inner.attempt = attempt + 1;
                Some((attempt + 1, delay))
            }
        };
        let Some((attempt, delay)) = retry else {
            let max = self.0.inner.borrow().attempt;
            self.stop(&concat(&[
                "gave up (maxRetries ",
                &decimal(max),
                " reached): ",
                reason,
            ]));
            return;
        };
        if self.transition(Transition::RetryScheduled, reason, Some((attempt, delay))) {
            self.start_timer(generation, delay, Timer::Retry);
        }
    }

    /// Waits `heartbeatInterval` before the next ping.
    fn schedule_ping(&self) {
        let (generation, interval) = {
            let mut inner = self.0.inner.borrow_mut();
            inner.awaiting_pong = false;
            inner.timer = None;
            (inner.generation, inner.options.heartbeat_interval)
        };
        if interval > 0 {
            self.start_timer(generation, interval, Timer::Ping);
        }
    }

    /// Pings the server; a pong must come back within `heartbeatTimeout`, or the socket is
    /// taken for dead (half-open) and replaced.
    fn send_ping(&self) {
        let (generation, timeout) = {
            let mut inner = self.0.inner.borrow_mut();
            if let Some(socket) = &inner.socket {
                let _ = socket.send(PING_FRAME);
            }
            inner.awaiting_pong = true;
            (inner.generation, inner.options.heartbeat_timeout)
        };
        self.start_timer(generation, timeout, Timer::Pong);
    }

    /// The pending timer of the current state ran out.
    fn on_timer(&self, timer: Timer) {
        let (what, ms) = match timer {
            Timer::Retry => return self.connect("retrying"),
            Timer::Ping => return self.send_ping(),
            Timer::Welcome => {
                let timeout = self.0.inner.borrow().options.connection_timeout;
                ("not welcomed within ", timeout)
            }
            Timer::Pong => (
                "no pong within ",
                self.0.inner.borrow().options.heartbeat_timeout,
            ),
        };
        self.lose_socket();
        self.retry_later(&concat(&[what, &decimal(ms), " ms"]));
    }

    /// The browser says now is a good time: retry at once if waiting for a retry, or check an
    /// open socket at once (after a sleep it may be dead without knowing).
    fn wake(&self, signal: Signal) {
        let (state, awaiting_pong, heartbeat) = {
            let inner = self.0.inner.borrow();
            (
                inner.state,
                inner.awaiting_pong,
                inner.options.heartbeat_interval > 0,
            )
        };
        match state {
            ConnectionState::Reconnecting => self.connect(match signal {
                Signal::Online => "the browser is back online",
                Signal::Visible => "the page is visible again",
            }),
            ConnectionState::Open if heartbeat && !awaiting_pong => self.send_ping(),
            _ => {}
        }
    }

    /// Stops for good: no socket, no timer, no browser listeners, older callbacks ignored, and
    /// pending `ready()` promises rejected.
    pub fn stop(&self, reason: &str) {
        let waiters = {
            let mut inner = self.0.inner.borrow_mut();
            inner.generation = inner.generation.wrapping_add(1);
            inner.timer = None;
            inner.pending_url = None;
            inner.socket = None;
            inner.signals = None;
            inner.opened_at = None;
            inner.awaiting_pong = false;
            inner.ready.take()
        };
        self.transition(Transition::Stop, reason, None);
        waiters.reject(reason);
    }

    /// Starts over with a fresh retry count.
    pub fn restart(&self, reason: &str) {
        self.0.inner.borrow_mut().attempt = 0;
        self.connect(reason);
    }

    /// Releases what the application handed over (queued whispers, every listener) and the
    /// member list.
    pub fn release(&self) {
        {
            let mut inner = self.0.inner.borrow_mut();
            inner.queue.clear();
            inner.resume = None;
        }
        self.0.members.clear();
        self.0.events.clear();
        self.0.whispers.clear();
        self.0.lifecycle.clear();
    }

    /// A promise of the socket id, resolved once open (at once if open now).
    pub fn ready(&self) -> Promise {
        let mut inner = self.0.inner.borrow_mut();
        match (inner.state, &inner.socket_id) {
            (ConnectionState::Open, Some(id)) => Promise::resolve(&JsValue::from_str(id)),
            (ConnectionState::Closed, _) => {
                rejected("the broadcast client is closed; call connect() to open it again")
            }
            _ => inner.ready.wait(),
        }
    }

    /// Sends `frame` if open (returns `true`), else queues it (returns `false`).
    pub fn send_or_queue(&self, frame: String) -> Result<bool, QueueFull> {
        let mut inner = self.0.inner.borrow_mut();
        let open_socket = inner
            .socket
            .as_ref()
            .filter(|_| inner.state == ConnectionState::Open);
        if open_socket.is_some_and(|socket| socket.send(&frame).is_ok()) {
            return Ok(true);
        }
        if inner.queue.len() >= inner.options.max_queued as usize {
            return Err(QueueFull(inner.queue.len()));
        }
        inner.queue.push(frame);
        Ok(false)
    }

    fn report_error(&self, code: JsValue, message: &str) {
        let lifecycle = self.lifecycle();
        if lifecycle.has(Topic::Error) {
            let error = error_report(&code, message);
            lifecycle.emit(Topic::Error, &error);
        } else {
            warn("error", &code, &message.into());
        }
    }
}
