//! The SDK in headless Chromium, against the real Worker on workerd and, where a test must
//! control timing or misbehave on purpose, the scripted fake channel of the control server.
//!
//! Run by `npm test`, which starts the Worker and the control server and passes their URLs at
//! compile time (`BROADCAST_TEST_WORKER_URL`, `BROADCAST_TEST_CONTROL_URL`).
#![cfg(target_arch = "wasm32")]

mod connection;
mod events;
mod faults;
mod lifetime;
mod memory;
mod presence;
mod received_frames;
mod retries;
mod support;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
