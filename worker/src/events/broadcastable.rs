//! Events that reach browsers.

use broadcast_protocol::{
    BroadcastRequest, ChannelName, EventName, EventNameError, MAX_CHANNELS_PER_BROADCAST,
};
use serde::Serialize;
use serde_json::value::RawValue;

use super::type_name::short_type_name;

/// An event that is broadcast to the channels it names.
///
/// ```
/// use broadcast_protocol::{ChannelName, PresenceChannel};
/// use broadcast_worker::BroadcastableEvent;
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// struct MessagePosted {
///     room: String,
///     text: String,
/// }
///
/// impl BroadcastableEvent for MessagePosted {
///     fn broadcast_on(&self) -> Vec<ChannelName> {
///         PresenceChannel::new(&format!("room.{}", self.room)).map(Into::into).into_iter().collect()
///     }
///
///     fn broadcast_as(&self) -> String {
///         "message.posted".into()
///     }
/// }
///
/// let event = MessagePosted { room: "7".into(), text: "hi".into() };
/// assert_eq!(event.broadcast_on()[0].as_str(), "presence-room.7");
/// assert_eq!(event.broadcast_with().unwrap().get(), r#"{"room":"7","text":"hi"}"#);
/// ```
pub trait BroadcastableEvent: Serialize {
    /// The channels the event goes to.
    fn broadcast_on(&self) -> Vec<ChannelName>;

    /// The event name clients listen for; the type's name (`MessagePosted`) by default.
    fn broadcast_as(&self) -> String
    where
        Self: Sized,
    {
        short_type_name::<Self>()
    }

    /// The payload; the event itself by default. Return any `Serialize` value through
    /// `serde_json::value::to_raw_value` to send something else.
    fn broadcast_with(&self) -> Result<Box<RawValue>, serde_json::Error> {
        serde_json::value::to_raw_value(self)
    }

    /// Whether to broadcast this occurrence at all; always by default.
    fn broadcast_when(&self) -> bool {
        true
    }

    /// A socket id to leave out: the socket whose action caused the event, which the client
    /// sent with its request (Laravel's `toOthers`). Nobody by default.
    fn broadcast_except(&self) -> Option<String> {
        None
    }
}

/// Why an event could not be broadcast.
#[derive(Debug, thiserror::Error)]
pub enum BroadcastError {
    /// `broadcast_as` is not a valid event name.
    #[error("invalid event name: {0}")]
    EventName(#[from] EventNameError),
    /// `broadcast_with` failed.
    #[error("the payload does not serialize: {0}")]
    Payload(#[from] serde_json::Error),
    /// More channels than one broadcast may name.
    #[error("{0} channels; one broadcast names at most {MAX_CHANNELS_PER_BROADCAST}")]
    TooManyChannels(usize),
}

/// The object-safe view of a [`BroadcastableEvent`] the dispatcher and the manager work with;
/// every broadcastable event has it.
pub trait Broadcastable {
    /// The request to send, or `None` when there is nothing to send (`broadcast_when` said
    /// no, or no channels).
    fn broadcast_request(&self) -> Result<Option<BroadcastRequest<Box<RawValue>>>, BroadcastError>;
}

impl<T: BroadcastableEvent> Broadcastable for T {
    fn broadcast_request(&self) -> Result<Option<BroadcastRequest<Box<RawValue>>>, BroadcastError> {
        let channels = self.broadcast_on();
        if !self.broadcast_when() || channels.is_empty() {
            return Ok(None);
        }
        if channels.len() > MAX_CHANNELS_PER_BROADCAST {
            return Err(BroadcastError::TooManyChannels(channels.len()));
        }
        Ok(Some(BroadcastRequest {
            channels,
            event: EventName::parse(&self.broadcast_as())?,
            data: Some(self.broadcast_with()?),
            except: self.broadcast_except(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use broadcast_protocol::{Channel, PrivateChannel};

    use super::*;

    #[derive(Serialize)]
    struct OrderShipped {
        id: u32,
        #[serde(skip)]
        quiet: bool,
    }

    impl BroadcastableEvent for OrderShipped {
        fn broadcast_on(&self) -> Vec<ChannelName> {
            vec![
                PrivateChannel::new(&format!("orders.{}", self.id))
                    .unwrap()
                    .into(),
                Channel::new("dashboard").unwrap().into(),
            ]
        }

        fn broadcast_when(&self) -> bool {
            !self.quiet
        }
    }

    #[test]
    fn the_defaults_name_the_type_and_send_the_event() {
        let event = OrderShipped {
            id: 7,
            quiet: false,
        };
        let request = event.broadcast_request().unwrap().unwrap();
        assert_eq!(request.event.as_str(), "OrderShipped");
        assert_eq!(request.data.unwrap().get(), r#"{"id":7}"#);
        let channels: Vec<&str> = request.channels.iter().map(ChannelName::as_str).collect();
        assert_eq!(channels, ["private-orders.7", "dashboard"]);
    }

    #[test]
    fn broadcast_when_false_sends_nothing() {
        let event = OrderShipped { id: 7, quiet: true };
        assert!(event.broadcast_request().unwrap().is_none());
    }
}
