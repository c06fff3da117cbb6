//! Retries, backoff, close codes, the heartbeat and the queue, against the scripted fake
//! channel (and the real Worker where the outcome must reach another client).

use broadcast_client::create_broadcast_client;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use crate::support::*;

/// `attempt`, `delay` and `reason` of every `"reconnecting"` change.
fn retries(changes: &Array) -> Vec<(u32, u32, String)> {
    changes
        .iter()
        .filter(|c| get_string(c, "state") == "reconnecting")
        .map(|c| {
            let number = |key| get(&c, key).as_f64().unwrap() as u32;
            (number("attempt"), number("delay"), get_string(&c, "reason"))
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_factory_runs_before_every_attempt_and_its_token_is_used() {
    let key = unique("tokens");
    let fake = fake_url(&key, "mode=close&code=4100");
    let factory = counting_factory(move |call| format!("{fake}&token=t{call}").into());
    let client = create_broadcast_client(
        factory.as_ref().clone(),
        Some(options(&[("initialDelay", ms(20)), ("maxRetries", ms(3))])),
    )
    .unwrap();
    reach_state(&client, "closed", 10_000).await;

    let urls: Vec<String> = fake_attempts(&key)
        .await
        .iter()
        .map(|attempt| get_string(&attempt, "url"))
        .collect();
    assert_eq!(
        urls.len(),
        4,
        "the first attempt and three retries: {urls:?}"
    );
    for (index, url) in urls.iter().enumerate() {
        assert!(url.ends_with(&format!("&token=t{}", index + 1)), "{url}");
    }
}

#[wasm_bindgen_test]
async fn a_factory_that_throws_or_rejects_is_a_failed_attempt() {
    let channel = unique("factory");
    let url = channel_url(&channel);
    // Attempt 1 throws (in the JavaScript wrapper), attempt 2 rejects, attempt 3 resolves.
    let factory = counting_factory(move |call| {
        let produced = if call == 1 {
            js_sys::Promise::reject(&js_sys::Error::new("token expired").into())
        } else {
            js_sys::Promise::resolve(&JsValue::from(url.clone()))
        };
        produced.into()
    });
    let throwing = js_sys::Function::new_with_args(
        "factory",
        "let calls = 0; \
         return () => { calls += 1; if (calls === 1) throw new Error('token service down'); return factory(); };",
    )
    .call1(&JsValue::NULL, factory.as_ref())
    .unwrap();
    let client =
        create_broadcast_client(throwing, Some(options(&[("initialDelay", ms(20))]))).unwrap();
    let changes = state_changes(&client);
    within(10_000, "ready() after two failed attempts", client.ready()).await;
    let reasons: Vec<String> = retries(&changes).into_iter().map(|(_, _, r)| r).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("urlFactory failed: token service down"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("urlFactory failed: token expired"),
        "{reasons:?}"
    );
    client.close();
}

#[wasm_bindgen_test]
async fn backoff_delays_stay_inside_the_jittered_window() {
    let key = unique("backoff");
    let client = create_broadcast_client(
        fake_url(&key, "mode=close&code=4100").into(),
        Some(options(&[
            ("initialDelay", ms(50)),
            ("maxDelay", ms(300)),
            ("maxRetries", ms(6)),
        ])),
    )
    .unwrap();
    let changes = state_changes(&client);
    reach_state(&client, "closed", 20_000).await;

    let retries = retries(&changes);
    assert_eq!(retries.len(), 6);
    let attempts = fake_attempts(&key).await;
    assert_eq!(attempts.length(), 7);
    for (index, (attempt, delay, _)) in retries.iter().enumerate() {
        assert_eq!(*attempt as usize, index + 1);
        let window = (50u32 << index).min(300);
        assert!(
            *delay <= window,
            "retry {attempt}: {delay} ms is over {window} ms"
        );
        // The next attempt reached the server no sooner than the delay said.
        let at = |i: u32| get(&attempts.get(i), "at").as_f64().unwrap();
        let gap = at(*attempt) - at(attempt - 1);
        assert!(
            gap + 5.0 >= f64::from(*delay),
            "retry {attempt}: came back after {gap} ms, delay {delay} ms"
        );
    }
    assert!(
        get_string(&changes.get(changes.length() - 1), "reason")
            .contains("gave up (maxRetries 6 reached)")
    );
}

#[wasm_bindgen_test]
async fn the_retry_count_starts_over_only_after_min_uptime() {
    // Each connection is welcomed, then closed 200 ms later with a "back off" code.
    for (min_uptime, expected) in [(100, [1, 1, 1]), (60_000, [1, 2, 3])] {
        let key = unique("uptime");
        let client = create_broadcast_client(
            fake_url(&key, "mode=close&code=4100&after=200").into(),
            Some(options(&[
                ("initialDelay", ms(20)),
                ("minUptime", ms(min_uptime)),
            ])),
        )
        .unwrap();
        let changes = state_changes(&client);
        eventually(10_000, "three retries", || retries(&changes).len() >= 3).await;
        client.close();
        let attempts: Vec<u32> = retries(&changes).iter().take(3).map(|r| r.0).collect();
        assert_eq!(attempts, expected, "minUptime {min_uptime}");
    }
}

#[wasm_bindgen_test]
async fn a_terminal_close_code_stops_and_reports_the_code() {
    let key = unique("terminal");
    let client = create_broadcast_client(
        fake_url(&key, "mode=close&code=4003").into(),
        Some(options(&[("initialDelay", ms(20))])),
    )
    .unwrap();
    let (errors, record) = recorder();
    client.on_error(&record);
    let refused = rejection(10_000, "ready()", client.ready()).await;
    assert!(format!("{refused:?}").contains("4003"), "{refused:?}");
    assert_eq!(client.state(), "closed", "no retry is scheduled");
    assert_eq!(errors.length(), 1);
    assert_eq!(get(&errors.get(0), "code"), 4003);
    assert_eq!(fake_attempts(&key).await.length(), 1);
}

#[wasm_bindgen_test]
async fn a_reconnect_now_code_skips_the_backoff() {
    let key = unique("now");
    let client = create_broadcast_client(
        fake_url(&key, "mode=close&code=4200&after=50").into(),
        // A retry through the backoff would wait a minute.
        Some(options(&[
            ("initialDelay", ms(60_000)),
            ("maxDelay", ms(60_000)),
        ])),
    )
    .unwrap();
    let changes = state_changes(&client);
    eventually(10_000, "a third connection", || {
        states(&changes).iter().filter(|s| *s == "open").count() >= 3
    })
    .await;
    client.close();
    assert!(
        !states(&changes).contains(&"reconnecting".to_string()),
        "{:?}",
        states(&changes)
    );
}

#[wasm_bindgen_test]
async fn the_heartbeat_replaces_a_socket_whose_server_went_silent() {
    let key = unique("silent");
    let client = create_broadcast_client(
        fake_url(&key, "mode=silent").into(),
        Some(options(&[
            ("heartbeatInterval", ms(100)),
            ("heartbeatTimeout", ms(200)),
            ("initialDelay", ms(20)),
        ])),
    )
    .unwrap();
    let changes = state_changes(&client);
    eventually(10_000, "the dead socket to be noticed", || {
        !retries(&changes).is_empty()
    })
    .await;
    let reason = &retries(&changes)[0].2;
    assert_eq!(reason, "no pong within 200 ms");
    eventually(10_000, "a second connection", || {
        states(&changes).iter().filter(|s| *s == "open").count() >= 2
    })
    .await;
    client.close();
    let first = fake_attempts(&key).await.get(0);
    let frames: Vec<String> = Array::from(&get(&first, "frames"))
        .iter()
        .map(|f| f.as_string().unwrap())
        .collect();
    assert_eq!(frames, [broadcast_protocol::PING_FRAME]);
}

#[wasm_bindgen_test]
async fn the_heartbeat_keeps_an_answering_connection_open() {
    let key = unique("healthy");
    let client = create_broadcast_client(
        fake_url(&key, "mode=welcome").into(),
        Some(options(&[
            ("heartbeatInterval", ms(50)),
            ("heartbeatTimeout", ms(500)),
        ])),
    )
    .unwrap();
    within(10_000, "ready()", client.ready()).await;
    let changes = state_changes(&client);
    let deadline = js_sys::Date::now() + 10_000.0;
    loop {
        let attempts = fake_attempts(&key).await;
        if Array::from(&get(&attempts.get(0), "frames")).length() >= 5 {
            break;
        }
        assert!(
            js_sys::Date::now() < deadline,
            "timed out waiting for 5 pings"
        );
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    assert_eq!(client.state(), "open");
    assert_eq!(changes.length(), 0, "{:?}", states(&changes));
    assert_eq!(fake_attempts(&key).await.length(), 1);
    client.close();
}

#[wasm_bindgen_test]
async fn an_attempt_that_hangs_times_out() {
    let key = unique("hang");
    let client = create_broadcast_client(
        fake_url(&key, "mode=mute").into(),
        Some(options(&[
            ("connectionTimeout", ms(200)),
            ("initialDelay", ms(20)),
        ])),
    )
    .unwrap();
    let changes = state_changes(&client);
    eventually(10_000, "two timed out attempts", || {
        retries(&changes).len() >= 2
    })
    .await;
    client.close();
    assert_eq!(retries(&changes)[0].2, "not welcomed within 200 ms");
    assert!(fake_attempts(&key).await.length() >= 2);
}

#[wasm_bindgen_test]
async fn online_and_visible_again_retry_at_once() {
    let key = unique("wake");
    let forever = 2_147_483_647;
    let client = create_broadcast_client(
        fake_url(&key, "mode=close&code=4100").into(),
        Some(options(&[
            ("initialDelay", ms(forever)),
            ("maxDelay", ms(forever)),
        ])),
    )
    .unwrap();
    let changes = state_changes(&client);
    reach_state(&client, "reconnecting", 10_000).await;

    let window = web_sys::window().unwrap();
    let document = window.document().unwrap();
    window
        .dispatch_event(&web_sys::Event::new("online").unwrap())
        .unwrap();
    eventually(10_000, "a second attempt", || retries(&changes).len() >= 2).await;
    document
        .dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
    eventually(10_000, "a third attempt", || retries(&changes).len() >= 3).await;
    client.close();

    let reasons: Vec<String> = changes
        .iter()
        .filter(|c| get_string(c, "state") == "connecting")
        .map(|c| get_string(&c, "reason"))
        .collect();
    assert_eq!(
        reasons,
        ["the browser is back online", "the page is visible again"]
    );
    assert_eq!(fake_attempts(&key).await.length(), 3);
}

#[wasm_bindgen_test]
async fn queued_whispers_arrive_in_order_after_a_failed_attempt() {
    let channel = format!("private-{}", unique("queue"));
    let receiver = create_broadcast_client(user_url(&channel, "bob").await.into(), None).unwrap();
    within(10_000, "receiver ready", receiver.ready()).await;
    let (received, record) = recorder();
    receiver.listen_for_whisper("note", &record);

    // The first attempt is refused with "back off"; the second reaches the real Worker.
    let refusing = fake_url(&unique("queue"), "mode=close&code=4100");
    let real = user_url(&channel, "ada").await;
    let factory = counting_factory(move |call| {
        if call == 1 {
            refusing.clone()
        } else {
            real.clone()
        }
        .into()
    });
    let sender = create_broadcast_client(
        factory.as_ref().clone(),
        Some(options(&[("initialDelay", ms(50)), ("maxQueued", ms(3))])),
    )
    .unwrap();
    for n in 1..=3 {
        assert_eq!(
            sender.whisper(&channel, "note", n.into()).unwrap(),
            "queued"
        );
    }
    assert!(
        sender.whisper(&channel, "note", 4.into()).is_err(),
        "maxQueued is 3"
    );
    eventually(10_000, "three whispers", || received.length() >= 3).await;
    let order: Vec<f64> = received.iter().map(|n| n.as_f64().unwrap()).collect();
    assert_eq!(order, [1.0, 2.0, 3.0]);
    sender.close();
    receiver.close();
}

#[wasm_bindgen_test]
async fn reconnect_works_after_max_retries_gave_up() {
    let channel = unique("give-up");
    let key = unique("give-up");
    let fake = fake_url(&key, "mode=close&code=4100");
    let real = channel_url(&channel);
    let factory = counting_factory(move |call| {
        if call <= 2 {
            fake.clone()
        } else {
            real.clone()
        }
        .into()
    });
    let client = create_broadcast_client(
        factory.as_ref().clone(),
        Some(options(&[("initialDelay", ms(20)), ("maxRetries", ms(1))])),
    )
    .unwrap();
    let refused = rejection(10_000, "ready()", client.ready()).await;
    assert!(
        format!("{refused:?}").contains("gave up (maxRetries 1 reached)"),
        "{refused:?}"
    );
    assert_eq!(client.state(), "closed");

    client.reconnect();
    within(10_000, "ready() after reconnect()", client.ready()).await;
    client.close();
}

#[wasm_bindgen_test]
async fn an_expired_token_sends_the_client_back_to_its_factory() {
    let channel = format!("private-{}", unique("expired"));
    // The Worker refuses the first URL with 401 before the upgrade, which a browser sees as a
    // failed connection: the client backs off and asks the factory again.
    let expired = format!(
        "{}?token={}",
        channel_url(&channel),
        token("ada", r#""exp":1"#).await
    );
    let fresh = user_url(&channel, "ada").await;
    let factory = counting_factory(move |call| {
        if call == 1 {
            expired.clone()
        } else {
            fresh.clone()
        }
        .into()
    });
    let client = create_broadcast_client(
        factory.as_ref().clone(),
        Some(options(&[("initialDelay", ms(50))])),
    )
    .unwrap();
    let changes = state_changes(&client);
    within(10_000, "ready() with the fresh token", client.ready()).await;
    assert_eq!(retries(&changes).len(), 1, "{:?}", states(&changes));
    client.close();
}
