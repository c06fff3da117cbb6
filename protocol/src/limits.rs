//! Size limits, chosen so that one client cannot hog a channel and every frame fits comfortably
//! in a Durable Object's memory. Documented in `docs/protocol.md`.

/// Largest text frame a client may send (64 KiB, as Centrifugo and Ably). A larger frame closes
/// that socket with [`crate::CloseCode::MessageTooBig`].
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// Largest body accepted by `POST /broadcast`: one frame's worth of data plus the envelope.
pub const MAX_BROADCAST_BODY_BYTES: usize = MAX_FRAME_BYTES + 16 * 1024;

/// Most channels one `POST /broadcast` may name.
pub const MAX_CHANNELS_PER_BROADCAST: usize = 100;

/// Deepest nesting of arrays and objects in a payload. Relayed data is kept as raw JSON, so
/// without this limit a client could send ten thousand nested arrays that every other client's
/// `JSON.parse` would choke on.
pub const MAX_DATA_DEPTH: usize = 64;
