//! A property test of the frame decoders: thousands of random and mutated frames never make
//! them panic, and everything they accept is a frame that encodes and decodes to itself.
#![cfg(feature = "json")]

use broadcast_protocol::{ClientFrame, Envelope, ServerFrame, decode_client_frame, encode_frame};
use serde_json::Value;

/// A small deterministic generator (xorshift64*), so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: [&str; 14] = [
    "type",
    "channel",
    "event",
    "data",
    "from",
    "user",
    "members",
    "member",
    "socket_id",
    "protocol",
    "code",
    "message",
    "offset",
    "epoch",
];
const TYPES: [&str; 12] = [
    "whisper",
    "ping",
    "welcome",
    "event",
    "error",
    "pong",
    "presence:here",
    "presence:join",
    "presence:leave",
    "recovery:failed",
    "",
    "WHISPER",
];
const STRINGS: [&str; 8] = [
    "news",
    "private-a",
    "a b",
    "",
    "é",
    "\u{0}",
    "typing",
    "x.y-z",
];

/// A random JSON value shaped like a frame, `depth` levels deep at most.
fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => serde_json::json!(rng.next() as i64),
        3 => serde_json::json!(f64::from_bits(rng.next()).clamp(-1e300, 1e300)),
        4 => Value::String(rng.pick(&STRINGS).to_owned()),
        5 => Value::Array((0..rng.below(4)).map(|_| value(rng, depth - 1)).collect()),
        _ => {
            let mut object = serde_json::Map::new();
            for _ in 0..rng.below(6) {
                let key = rng.pick(&KEYS).to_owned();
                let field = if key == "type" {
                    Value::String(rng.pick(&TYPES).to_owned())
                } else {
                    value(rng, depth - 1)
                };
                object.insert(key, field);
            }
            Value::Object(object)
        }
    }
}

/// Flips, inserts or deletes a few characters of `text`.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
        match rng.below(3) {
            0 if at < chars.len() => chars[at] = c,
            1 => chars.insert(at, c),
            _ if at < chars.len() => {
                chars.remove(at);
            }
            _ => chars.push(c),
        }
    }
    chars.into_iter().collect()
}

fn random_text(rng: &mut Rng) -> String {
    let bytes: Vec<u8> = (0..rng.below(120)).map(|_| rng.next() as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// What the client side does with a frame: decode the envelope, then check it.
fn decode_server_frame(text: &str) -> Option<ServerFrame<Value>> {
    let envelope: Envelope<Value> = serde_json::from_str(text).ok()?;
    envelope.into_server_frame().ok()
}

#[test]
fn random_and_mutated_frames_never_panic_and_accepted_ones_round_trip() {
    let valid = [
        r#"{"type":"whisper","channel":"private-a","event":"typing","data":{"x":[1,2]}}"#,
        r#"{"type":"ping"}"#,
        r#"{"type":"welcome","protocol":1,"socket_id":"s","channel":"news","epoch":"e","offset":3}"#,
        r#"{"type":"event","channel":"news","event":"e","data":null,"offset":9}"#,
        r#"{"type":"presence:here","channel":"presence-r","members":[{"id":"a","info":null}]}"#,
        r#"{"type":"error","code":"rate_limited","message":"slow down"}"#,
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut accepted = 0;
    for case in 0..30_000 {
        let text = match case % 3 {
            0 => random_text(&mut rng),
            1 => {
                let original = valid[rng.below(valid.len())];
                mutate(&mut rng, original)
            }
            _ => value(&mut rng, 4).to_string(),
        };
        if let Ok(frame) = decode_client_frame(&text) {
            accepted += 1;
            let again = decode_client_frame(&encode_frame(&frame)).expect("re-decodes");
            assert_eq!(
                encode_frame(&again),
                encode_frame(&frame),
                "case {case}: {text}"
            );
            if let ClientFrame::Whisper { channel, event, .. } = frame {
                assert!(!channel.as_str().is_empty() && !event.as_str().is_empty());
            }
        }
        if let Some(frame) = decode_server_frame(&text) {
            let encoded = encode_frame(&frame);
            assert_eq!(
                decode_server_frame(&encoded),
                Some(frame),
                "case {case}: {text}"
            );
        }
    }
    assert!(
        accepted > 100,
        "only {accepted} frames were valid: the generator is too noisy"
    );
}
