//! The Worker restarts under 200 connected clients while a publisher broadcasts steadily:
//! every client comes back by itself, spread out by the backoff's jitter, and receives every
//! event the server accepted exactly once, in order (missed ones replayed from the channel's
//! history on reconnect).

use broadcast_client::{BroadcastClient, create_broadcast_client};
use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

const CLIENTS: usize = 200;

/// The `n` of every event a client received, in arrival order.
fn numbers(received: &Array) -> Vec<u32> {
    received
        .iter()
        .map(|data| get(&data, "n").as_f64().unwrap() as u32)
        .collect()
}

fn as_numbers(value: JsValue) -> Vec<u32> {
    Array::from(&value)
        .iter()
        .map(|n| n.as_f64().unwrap() as u32)
        .collect()
}

#[wasm_bindgen_test]
async fn a_restart_under_load_loses_nothing_and_reconnects_spread_out() {
    let channel = unique("restart-load");
    let mut clients: Vec<(BroadcastClient, Array, Array)> = Vec::new();
    for _ in 0..CLIENTS {
        let client = create_broadcast_client(
            channel_url(&channel).into(),
            Some(options(&[
                ("initialDelay", ms(500)),
                ("maxDelay", ms(3000)),
            ])),
        )
        .unwrap();
        let (received, record) = recorder();
        client.on("n", &record);
        // Times at which the client (re)opened.
        let opened = Array::new();
        let stamp = Function::new_with_args(
            "change",
            "if (change.state === 'open') this.push(Date.now())",
        )
        .bind0(&opened);
        client.on_state_change(&stamp);
        clients.push((client, received, opened));
    }
    for (client, _, _) in &clients {
        within(20_000, "every client open", client.ready()).await;
    }

    let start = format!(r#"{{"channel":"{channel}","intervalMs":20}}"#);
    control("/publish/start", &start).await;
    eventually(10_000, "the first events", || {
        clients
            .iter()
            .all(|(_, received, _)| received.length() >= 10)
    })
    .await;
    let restart_at = js_sys::Date::now();
    control("/restart", "").await;
    eventually(60_000, "every client back", || {
        clients
            .iter()
            .all(|(_, _, opened)| opened.iter().any(|at| at.as_f64().unwrap() > restart_at))
    })
    .await;
    // Keep publishing a moment after everyone is back, then stop.
    let back = clients
        .iter()
        .map(|(_, received, _)| received.length())
        .max()
        .unwrap();
    eventually(10_000, "events after the restart", || {
        clients
            .iter()
            .all(|(_, received, _)| received.length() >= back + 10)
    })
    .await;
    let record = control("/publish/stop", "").await;
    let accepted = as_numbers(get(&record, "accepted"));
    let failed = as_numbers(get(&record, "failed"));
    eventually(20_000, "every accepted event everywhere", || {
        clients
            .iter()
            .all(|(_, received, _)| received.length() as usize >= accepted.len())
    })
    .await;

    for (index, (_, received, _)) in clients.iter().enumerate() {
        let got = numbers(received);
        let delivered: Vec<u32> = got
            .iter()
            .copied()
            .filter(|n| !failed.contains(n))
            .collect();
        assert_eq!(
            delivered, accepted,
            "client {index}: accepted events, once each, in order"
        );
        assert!(
            got.windows(2).all(|pair| pair[0] < pair[1]),
            "client {index}: a duplicate or out of order: {got:?}"
        );
    }

    let reopened: Vec<f64> = clients
        .iter()
        .map(|(_, _, opened)| {
            opened
                .iter()
                .map(|at| at.as_f64().unwrap())
                .find(|at| *at > restart_at)
                .unwrap()
        })
        .collect();
    let first = reopened.iter().copied().fold(f64::MAX, f64::min);
    let last = reopened.iter().copied().fold(0.0, f64::max);
    web_sys::console::log_1(
        &format!(
            "restart: {} accepted, {} failed during the restart; {CLIENTS} clients reopened over {} ms",
            accepted.len(),
            failed.len(),
            last - first
        )
        .into(),
    );
    assert!(
        last - first >= 500.0,
        "every client came back within {} ms: no jitter",
        last - first
    );
    for (client, _, _) in &clients {
        client.close();
    }
}
