//! Creating and closing many clients leaves nothing behind: neither in the JavaScript heap
//! (sockets, listeners, closures) nor in the WebAssembly memory (Rust state).
//!
//! Needs Chromium's `--js-flags=--expose-gc` and `--enable-precise-memory-info`
//! (client-wasm/webdriver.json) to force collections and read exact heap sizes.

use broadcast_client::create_broadcast_client;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

const WARM_UP: u32 = 200;
const CYCLES: u32 = 1000;
/// What the JS heap may grow by between the warm-up and the end (150 bytes per client).
/// Measured: about 52 KB without a leak (the test's own promises and timers); a single leaked
/// event-listener closure per socket adds about 150 KB.
const JS_HEAP_SLACK: f64 = 120_000.0;

pub fn collect_garbage() {
    let gc = Reflect::get(&js_sys::global(), &"gc".into()).unwrap();
    let gc: Function = gc
        .dyn_into()
        .expect("gc() is missing: start Chromium with --js-flags=--expose-gc");
    gc.call0(&JsValue::NULL).unwrap();
}

/// `(JS heap bytes, wasm memory bytes)` after a full collection.
async fn measure() -> (f64, f64) {
    // Let closing sockets finish their handshakes so the browser can let go of them.
    gloo_timers::future::TimeoutFuture::new(500).await;
    collect_garbage();
    let performance = Reflect::get(&js_sys::global(), &"performance".into()).unwrap();
    let memory = Reflect::get(&performance, &"memory".into()).unwrap();
    let heap = get(&memory, "usedJSHeapSize").as_f64().unwrap();
    let wasm = wasm_bindgen::memory();
    let buffer = get(&wasm, "buffer");
    (heap, get(&buffer, "byteLength").as_f64().unwrap())
}

async fn cycle(url: &str) {
    let client = create_broadcast_client(url.into(), None).unwrap();
    let listener = Function::new_with_args("data", "return data");
    client.on("event", &listener);
    client.on_state_change(&listener);
    client.listen_for_whisper("whisper", &listener);
    within(10_000, "ready()", client.ready()).await;
    client.close();
}

#[wasm_bindgen_test]
async fn memory_is_flat_over_1000_create_close_cycles() {
    let url = channel_url(&unique("memory"));
    for _ in 0..WARM_UP {
        cycle(&url).await;
    }
    let (heap_before, wasm_before) = measure().await;
    for _ in WARM_UP..CYCLES {
        cycle(&url).await;
    }
    let (heap_after, wasm_after) = measure().await;
    web_sys::console::log_1(
        &format!(
            "memory after {WARM_UP} and {CYCLES} clients: JS heap {heap_before} -> {heap_after} bytes, wasm {wasm_before} -> {wasm_after} bytes"
        )
        .into(),
    );
    assert_eq!(wasm_after, wasm_before, "the wasm memory grew");
    assert!(
        heap_after - heap_before < JS_HEAP_SLACK,
        "the JS heap grew by {} bytes over {} clients",
        heap_after - heap_before,
        CYCLES - WARM_UP
    );
}
