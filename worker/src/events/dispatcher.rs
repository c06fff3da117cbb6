//! `EventDispatcher`: one call, three destinations.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::marker::PhantomData;

use broadcast_protocol::BroadcastResponse;
use futures_util::future::LocalBoxFuture;
use worker::Env;

use super::event::Event;
use super::job::QueuedJob;
use super::listener::{Listener, ListenerError};
use super::outlet::{EnvOutlet, LISTENER_QUEUE_BINDING, Outlet};
use crate::CHANNEL_BINDING;

/// A listener that failed, by name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListenerFailure {
    /// The listener's name.
    pub listener: String,
    /// What it reported.
    pub error: String,
}

/// What one `dispatch` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DispatchReport {
    /// In-process listeners that ran, in order (failed ones included).
    pub ran: Vec<String>,
    /// Listeners that failed: in-process ones, and queued ones whose job could not be sent.
    pub failures: Vec<ListenerFailure>,
    /// Queued listeners whose job was sent.
    pub queued: Vec<String>,
    /// The broadcast, if the event is broadcastable and had something to send.
    pub broadcast: Option<BroadcastResponse>,
    /// Why the event could not be broadcast, if it could not.
    pub broadcast_error: Option<String>,
}

/// A registered listener with its event type erased, so listeners of every event live in one
/// table.
trait Runner<C> {
    fn name(&self) -> &str;
    fn queued(&self) -> bool;
    fn run<'a>(
        &'a self,
        event: &'a dyn Any,
        context: &'a C,
    ) -> LocalBoxFuture<'a, Result<(), ListenerError>>;
    fn run_json<'a>(
        &'a self,
        event: &'a str,
        context: &'a C,
    ) -> LocalBoxFuture<'a, Result<(), ListenerError>>;
}

struct Registered<E, L> {
    name: String,
    listener: L,
    event: PhantomData<fn(E)>,
}

impl<E: Event, C: 'static, L: Listener<E, C>> Runner<C> for Registered<E, L> {
    fn name(&self) -> &str {
        &self.name
    }

    fn queued(&self) -> bool {
        L::SHOULD_QUEUE
    }

    fn run<'a>(
        &'a self,
        event: &'a dyn Any,
        context: &'a C,
    ) -> LocalBoxFuture<'a, Result<(), ListenerError>> {
        Box::pin(async move {
            let event = event
                .downcast_ref::<E>()
                .ok_or("the event does not have the listener's type")?;
            self.listener.handle(event, context).await
        })
    }

    fn run_json<'a>(
        &'a self,
        event: &'a str,
        context: &'a C,
    ) -> LocalBoxFuture<'a, Result<(), ListenerError>> {
        Box::pin(async move {
            let event: E = serde_json::from_str(event)
                .map_err(|err| format!("the queued event does not decode: {err}"))?;
            self.listener.handle(&event, context).await
        })
    }
}

/// Dispatches events to listeners, the listener Queue and browsers.
///
/// `dispatch` runs the in-process listeners first (awaited one after the other in registration
/// order; a failing one is reported and the others still run), then sends one Queue job per
/// queued listener, then, if the event is broadcastable, broadcasts it. An event that is not
/// broadcastable is never broadcast; a broadcastable event with no listeners still is.
///
/// `C` is the context listeners receive: the Worker's `Env` (the default), or anything a test
/// needs.
///
/// ```no_run
/// use broadcast_worker::{
///     Broadcastable, BroadcastableEvent, ChannelName, Event, EventDispatcher, Listener,
///     ListenerError, PresenceChannel, QueuedJob,
/// };
/// use serde::{Deserialize, Serialize};
/// use worker::{Env, MessageBatch};
///
/// #[derive(Serialize, Deserialize)]
/// struct MessagePosted {
///     room: String,
///     text: String,
/// }
///
/// impl BroadcastableEvent for MessagePosted {
///     fn broadcast_on(&self) -> Vec<ChannelName> {
///         vec![PresenceChannel::new(&format!("room.{}", self.room)).unwrap().into()]
///     }
/// }
///
/// impl Event for MessagePosted {
///     fn as_broadcastable(&self) -> Option<&dyn Broadcastable> {
///         Some(self)
///     }
/// }
///
/// /// Runs during `dispatch`.
/// #[derive(Default)]
/// struct LogMessage;
///
/// impl Listener<MessagePosted> for LogMessage {
///     async fn handle(&self, event: &MessagePosted, _env: &Env) -> Result<(), ListenerError> {
///         worker::console_log!("{}: {}", event.room, event.text);
///         Ok(())
///     }
/// }
///
/// /// Runs later, from the Queue.
/// #[derive(Default)]
/// struct IndexMessage;
///
/// impl Listener<MessagePosted> for IndexMessage {
///     const SHOULD_QUEUE: bool = true;
///
///     async fn handle(&self, event: &MessagePosted, env: &Env) -> Result<(), ListenerError> {
///         let kv = env.kv("SEARCH")?;
///         kv.put(&event.room, event.text.as_str()).map_err(|e| e.to_string())?
///             .execute().await.map_err(|e| e.to_string())?;
///         Ok(())
///     }
/// }
///
/// /// The same registrations serve `fetch` and the queue consumer.
/// fn events(env: Env) -> worker::Result<EventDispatcher> {
///     let mut events = EventDispatcher::new(env)?;
///     events.listen::<MessagePosted, LogMessage>().listen::<MessagePosted, IndexMessage>();
///     Ok(events)
/// }
///
/// async fn on_post(env: Env) -> worker::Result<()> {
///     let event = MessagePosted { room: "7".into(), text: "hello".into() };
///     let report = events(env)?.dispatch(&event).await;
///     for failure in &report.failures {
///         worker::console_warn!("{} failed: {}", failure.listener, failure.error);
///     }
///     Ok(())
/// }
///
/// async fn on_queue(batch: MessageBatch<QueuedJob>, env: Env) -> worker::Result<()> {
///     events(env)?.consume(batch).await
/// }
/// ```
pub struct EventDispatcher<C = Env> {
    context: C,
    outlet: Box<dyn Outlet>,
    listeners: HashMap<TypeId, Vec<usize>>,
    runners: Vec<Box<dyn Runner<C>>>,
}

impl EventDispatcher<Env> {
    /// A dispatcher for a Worker: listeners receive `env`, jobs go to the `LISTENER_QUEUE`
    /// binding, broadcasts through the `CHANNEL` Durable Object binding.
    pub fn new(env: Env) -> worker::Result<Self> {
        Self::with_bindings(env, LISTENER_QUEUE_BINDING, CHANNEL_BINDING)
    }

    /// Like [`EventDispatcher::new`], with other binding names.
    pub fn with_bindings(env: Env, queue: &str, channels: &str) -> worker::Result<Self> {
        let outlet = EnvOutlet::new(&env, queue, channels)?;
        Ok(Self::with_outlet(env, outlet))
    }
}

impl<C: 'static> EventDispatcher<C> {
    /// A dispatcher with its own context and outlet (tests use this).
    pub fn with_outlet(context: C, outlet: impl Outlet + 'static) -> Self {
        Self {
            context,
            outlet: Box::new(outlet),
            listeners: HashMap::new(),
            runners: Vec::new(),
        }
    }

    /// Registers listener `L` for events of type `E`.
    ///
    /// # Panics
    /// If a listener with the same [`Listener::name`] is already registered: queued jobs find
    /// their listener by name.
    pub fn listen<E: Event, L: Listener<E, C>>(&mut self) -> &mut Self {
        let name = L::name();
        assert!(
            self.runners.iter().all(|runner| runner.name() != name),
            "a listener named {name} is already registered; override Listener::name"
        );
        self.runners.push(Box::new(Registered::<E, L> {
            name,
            listener: L::default(),
            event: PhantomData,
        }));
        self.listeners
            .entry(TypeId::of::<E>())
            .or_default()
            .push(self.runners.len() - 1);
        self
    }

    /// Dispatches `event`; see the type's documentation for the order.
    pub async fn dispatch<E: Event>(&self, event: &E) -> DispatchReport {
        let mut report = DispatchReport::default();
        let runners: Vec<&dyn Runner<C>> = self
            .listeners
            .get(&TypeId::of::<E>())
            .into_iter()
            .flatten()
            .map(|index| self.runners[*index].as_ref())
            .collect();

        for runner in runners.iter().filter(|runner| !runner.queued()) {
            report.ran.push(runner.name().to_owned());
            if let Err(err) = runner.run(event, &self.context).await {
                report.failures.push(failure(runner.name(), err.0));
            }
        }

        let queued: Vec<&&dyn Runner<C>> = runners.iter().filter(|r| r.queued()).collect();
        if !queued.is_empty() {
            match serde_json::to_string(event) {
                Ok(json) => {
                    let jobs = queued
                        .iter()
                        .map(|runner| QueuedJob {
                            listener: runner.name().to_owned(),
                            event: json.clone(),
                        })
                        .collect();
                    match self.outlet.enqueue(jobs).await {
                        Ok(()) => report.queued = queued.iter().map(|r| r.name().into()).collect(),
                        Err(err) => report.failures.extend(
                            queued
                                .iter()
                                .map(|r| failure(r.name(), format!("not queued: {err}"))),
                        ),
                    }
                }
                Err(err) => report.failures.extend(
                    queued
                        .iter()
                        .map(|r| failure(r.name(), format!("the event does not serialize: {err}"))),
                ),
            }
        }

        if let Some(broadcastable) = event.as_broadcastable() {
            match broadcastable.broadcast_request() {
                Ok(Some(request)) => report.broadcast = Some(self.outlet.broadcast(request).await),
                Ok(None) => {}
                Err(err) => report.broadcast_error = Some(err.to_string()),
            }
        }
        report
    }

    /// Runs one queued job (the queue consumer calls this for each message). An error means
    /// the job should be retried.
    pub async fn run_job(&self, job: &QueuedJob) -> Result<(), ListenerError> {
        let runner = self
            .runners
            .iter()
            .find(|runner| runner.name() == job.listener)
            .ok_or_else(|| format!("no listener named {} is registered", job.listener))?;
        runner.run_json(&job.event, &self.context).await
    }
}

fn failure(listener: &str, error: String) -> ListenerFailure {
    ListenerFailure {
        listener: listener.to_owned(),
        error,
    }
}

impl EventDispatcher<Env> {
    /// The queue consumer: runs each message's job, acknowledging it on success and asking
    /// for a retry on failure (after the consumer's `max_retries`, the Queue moves it to the
    /// dead-letter queue, see docs/events.md). Call it from `#[event(queue)]`.
    pub async fn consume(&self, batch: worker::MessageBatch<QueuedJob>) -> worker::Result<()> {
        use worker::MessageExt;
        for message in batch.messages()? {
            match self.run_job(message.body()).await {
                Ok(()) => message.ack(),
                Err(err) => {
                    worker::console_warn!(
                        "queued listener {} failed, retrying message {}: {err}",
                        message.body().listener,
                        message.id()
                    );
                    message.retry();
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use broadcast_protocol::{BroadcastRequest, Channel, ChannelName};
    use futures_util::FutureExt;
    use serde::{Deserialize, Serialize};
    use serde_json::value::RawValue;

    use super::*;
    use crate::events::{Broadcastable, BroadcastableEvent};

    /// Everything that happened, in order: listeners, jobs and broadcasts write here.
    type Log = Rc<RefCell<Vec<String>>>;

    #[derive(Serialize, Deserialize)]
    struct Plain(u32);
    impl Event for Plain {}

    #[derive(Serialize, Deserialize)]
    struct Loud(u32);
    impl Event for Loud {
        fn as_broadcastable(&self) -> Option<&dyn Broadcastable> {
            Some(self)
        }
    }
    impl BroadcastableEvent for Loud {
        fn broadcast_on(&self) -> Vec<ChannelName> {
            vec![Channel::new("news").unwrap().into()]
        }
    }

    macro_rules! listener {
        ($name:ident, queued: $queued:expr, fails: $fails:expr) => {
            #[derive(Default)]
            struct $name;
            impl<E: Event> Listener<E, Log> for $name {
                const SHOULD_QUEUE: bool = $queued;
                async fn handle(&self, event: &E, log: &Log) -> Result<(), ListenerError> {
                    let json = serde_json::to_string(event).unwrap();
                    log.borrow_mut()
                        .push(format!("{} {json}", stringify!($name)));
                    if $fails {
                        Err("it broke".into())
                    } else {
                        Ok(())
                    }
                }
            }
        };
    }
    listener!(First, queued: false, fails: false);
    listener!(Failing, queued: false, fails: true);
    listener!(Third, queued: false, fails: false);
    listener!(Background, queued: true, fails: false);

    struct RecordingOutlet {
        log: Log,
        queue_works: bool,
    }

    impl Outlet for RecordingOutlet {
        fn enqueue(&self, jobs: Vec<QueuedJob>) -> LocalBoxFuture<'_, Result<(), String>> {
            for job in &jobs {
                self.log
                    .borrow_mut()
                    .push(format!("job {} {}", job.listener, job.event));
            }
            let result = if self.queue_works {
                Ok(())
            } else {
                Err("queue down".into())
            };
            Box::pin(async move { result })
        }

        fn broadcast(
            &self,
            request: BroadcastRequest<Box<RawValue>>,
        ) -> LocalBoxFuture<'_, BroadcastResponse> {
            let data = request.data.map(|data| data.get().to_owned());
            self.log.borrow_mut().push(format!(
                "broadcast {} {} {}",
                request.event,
                request.channels[0],
                data.unwrap_or_default()
            ));
            let mut response = BroadcastResponse::default();
            response.delivered.insert("news".into(), 2);
            Box::pin(async move { response })
        }
    }

    fn dispatcher(queue_works: bool) -> (EventDispatcher<Log>, Log) {
        let log = Log::default();
        let outlet = RecordingOutlet {
            log: log.clone(),
            queue_works,
        };
        (EventDispatcher::with_outlet(log.clone(), outlet), log)
    }

    fn run<F: std::future::Future>(future: F) -> F::Output {
        future.now_or_never().expect("the test outlet never waits")
    }

    #[test]
    fn listeners_then_jobs_then_the_broadcast() {
        let (mut events, log) = dispatcher(true);
        events
            .listen::<Loud, First>()
            .listen::<Loud, Background>()
            .listen::<Loud, Failing>()
            .listen::<Loud, Third>();
        let report = run(events.dispatch(&Loud(7)));
        assert_eq!(
            *log.borrow(),
            [
                "First 7",
                "Failing 7",
                "Third 7",
                "job Background 7",
                "broadcast Loud news 7"
            ]
        );
        assert_eq!(report.ran, ["First", "Failing", "Third"]);
        assert_eq!(report.failures, [failure("Failing", "it broke".into())]);
        assert_eq!(report.queued, ["Background"]);
        assert_eq!(report.broadcast.unwrap().delivered["news"], 2);
    }

    #[test]
    fn an_event_that_is_not_broadcastable_only_reaches_listeners() {
        let (mut events, log) = dispatcher(true);
        events.listen::<Plain, First>().listen::<Loud, Third>();
        let report = run(events.dispatch(&Plain(1)));
        assert_eq!(*log.borrow(), ["First 1"]);
        assert_eq!(report.broadcast, None);
    }

    #[test]
    fn a_broadcastable_event_without_listeners_is_still_broadcast() {
        let (events, log) = dispatcher(true);
        let report = run(events.dispatch(&Loud(2)));
        assert_eq!(*log.borrow(), ["broadcast Loud news 2"]);
        assert!(report.ran.is_empty() && report.broadcast.is_some());
    }

    #[test]
    fn a_queue_that_refuses_is_reported_and_the_broadcast_still_happens() {
        let (mut events, log) = dispatcher(false);
        events.listen::<Loud, Background>();
        let report = run(events.dispatch(&Loud(3)));
        assert!(report.queued.is_empty());
        assert_eq!(
            report.failures,
            [failure("Background", "not queued: queue down".into())]
        );
        assert_eq!(log.borrow().last().unwrap(), "broadcast Loud news 3");
    }

    #[test]
    fn the_consumer_runs_a_job_by_listener_name() {
        let (mut events, log) = dispatcher(true);
        events.listen::<Plain, Background>();
        let job = QueuedJob {
            listener: "Background".into(),
            event: "41".into(),
        };
        run(events.run_job(&job)).unwrap();
        assert_eq!(*log.borrow(), ["Background 41"]);
        let unknown = QueuedJob {
            listener: "Gone".into(),
            event: "1".into(),
        };
        assert!(run(events.run_job(&unknown)).is_err());
        let garbled = QueuedJob {
            listener: "Background".into(),
            event: "\"x\"".into(),
        };
        assert!(run(events.run_job(&garbled)).is_err());
    }

    #[test]
    #[should_panic(expected = "already registered")]
    fn two_listeners_with_one_name_are_refused() {
        let (mut events, _log) = dispatcher(true);
        events.listen::<Plain, First>().listen::<Loud, First>();
    }
}
