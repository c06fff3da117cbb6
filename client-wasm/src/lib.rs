//! Browser SDK of the edge broadcast system, compiled to WebAssembly.
//!
//! ```js
//! import init, { createBroadcastClient } from 'broadcast-client';
//! await init();
//! const client = createBroadcastClient('/ws/channel/news');
//! const stop = client.on('headline', (data, meta) => console.log(meta.channel, data));
//! client.whisper('news', 'typing', { user: 'ada' });
//! ```
//!
//! The client connects at once, reconnects with exponential backoff and full jitter, and calls
//! the URL factory again before every attempt so a fresh token goes into each one.
#![warn(missing_docs)]
// The shipped SDK has no standard library: see the `std` feature in Cargo.toml, and `panic`.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

mod backoff;
mod client;
mod connection;
mod frames;
mod js;
mod known_event;
mod listeners;
mod options;
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod panic;
mod presence;
mod ready;
mod reports;
mod signals;
mod socket;
mod state;
mod text;
mod timer;
mod typescript;
mod url;

pub use backoff::retry_delay_ms;
pub use client::BroadcastClient;
pub use state::{ConnectionState, Transition};

use wasm_bindgen::prelude::*;

/// Creates a client for one channel and starts connecting.
///
/// `urlFactory` is the channel's WebSocket URL (relative URLs resolve against the page), or a
/// function returning it (or a Promise of it), called before every connection attempt.
///
/// This is the Rust API, for code that owns the client (dropping it closes the connection);
/// JavaScript calls [`create_broadcast_client_object`] as `createBroadcastClient`.
pub fn create_broadcast_client(
    url_factory: JsValue,
    options: Option<JsValue>,
) -> Result<BroadcastClient, JsError> {
    BroadcastClient::create(url_factory, &options.unwrap_or(JsValue::UNDEFINED))
}

/// `createBroadcastClient` for JavaScript: the client as a JavaScript object that keeps itself
/// alive while it connects, is open or waits to retry, so that a page that keeps no reference
/// to it (only its listeners) still gets its events, as with a browser WebSocket.
///
/// Its TypeScript signature is written by hand in `typescript.rs`, where `options` can be
/// marked optional.
#[wasm_bindgen(js_name = createBroadcastClient, skip_typescript)]
pub fn create_broadcast_client_object(
    url_factory: JsValue,
    options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let client = create_broadcast_client(url_factory, options)?;
    let connection = client.connection().clone();
    let object = JsValue::from(client);
    connection.set_handle(object.unchecked_ref());
    Ok(object)
}

/// A free-list allocator of about a kilobyte instead of the standard library's dlmalloc (about
/// eight): the SDK makes few, small allocations, and every byte is downloaded by every user.
// SAFETY: browser WebAssembly without threads: nothing runs concurrently.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
