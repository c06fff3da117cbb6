//! A channel's recent broadcasts, in the Durable Object's SQLite storage, so a client that
//! reconnects gets exactly what it missed.
//!
//! Every broadcast gets the next offset (1, 2, 3, ...) within the channel's epoch and is stored
//! as the encoded frame clients receive. The epoch is a random id created with the history;
//! if the storage is ever lost or reset, a new epoch tells resuming clients that their offsets
//! mean nothing here any more. Storing and sending happen in the same synchronous turn of the
//! object, so a client never sees an offset that is not stored.
//!
//! Events beyond the limits are dropped as of the newest event: every read applies the limits
//! itself, and the rows are deleted in batches, every [`PRUNE_EVERY`] events. Deleting on
//! every broadcast was a second statement and write each time, some 5 to 10% of the CPU of a
//! broadcast to an empty channel on workerd.

use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue, State};

use crate::ids::random_id;

/// How much history a channel keeps, and how much of it one client may be sent at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryLimits {
    /// Most events kept.
    pub max_events: u64,
    /// Oldest event kept, in ms.
    pub max_age_ms: f64,
    /// Most bytes replayed to one resuming client; beyond it the client is told to refetch.
    pub max_replay_bytes: usize,
}

impl Default for HistoryLimits {
    fn default() -> Self {
        Self {
            max_events: 2000,
            max_age_ms: 10.0 * 60.0 * 1000.0,
            max_replay_bytes: 512 * 1024,
        }
    }
}

/// What a resuming client gets.
#[derive(Debug, PartialEq)]
pub enum Replay {
    /// The frames it missed, in order (possibly none).
    Frames(Vec<String>),
    /// They cannot be replayed; the reason is for people.
    Failed(String),
}

/// How many events are appended between two deletions of the rows beyond the limits.
const PRUNE_EVERY: u64 = 64;

/// The first offset the limits keep, as SQL with two bindings (see [`History::kept_bindings`]):
/// at most the latest `max_events`, and none stored more than `max_age_ms` before the newest.
/// Times grow with offsets, so the rows too old form a prefix: the subquery walks the oldest
/// rows only until the first one young enough (at worst the newest), and what it bounds is a
/// range of the primary key. No statement scans the whole table.
macro_rules! kept_from {
    () => {
        "MAX(?, (SELECT seq FROM history WHERE at >= ? ORDER BY seq LIMIT 1))"
    };
}

/// The channel's history table.
pub struct History {
    sql: SqlStorage,
    limits: HistoryLimits,
    epoch: String,
    last: u64,
    /// When the latest event was stored (ms since the epoch); the age limit counts from it.
    last_at: f64,
}

#[derive(Deserialize)]
struct Value {
    value: String,
}

#[derive(Deserialize)]
struct Frame {
    frame: String,
}

/// `MIN(seq)`: null when no row is kept.
#[derive(Deserialize)]
struct MaybeSeq {
    seq: Option<f64>,
}

/// The latest row's offset and time.
#[derive(Deserialize)]
struct Newest {
    seq: f64,
    at: f64,
}

impl History {
    /// Opens (creating on first use) the history of the object `state` belongs to, kept
    /// within `limits`.
    pub fn open(state: &State, limits: HistoryLimits) -> worker::Result<Self> {
        let sql = state.storage().sql();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY, frame TEXT NOT NULL, at REAL NOT NULL)",
            None,
        )?;
        sql.exec(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            None,
        )?;
        let epoch = match read_meta(&sql, "epoch")? {
            Some(epoch) => epoch,
            None => {
                let epoch = random_id();
                write_meta(&sql, "epoch", &epoch)?;
                epoch
            }
        };
        // Pruning never deletes the newest row, so the highest offset stored is the latest.
        let newest = sql
            .exec(
                "SELECT seq, at FROM history ORDER BY seq DESC LIMIT 1",
                None,
            )?
            .next::<Newest>()
            .next()
            .transpose()?;
        Ok(Self {
            sql,
            limits,
            epoch,
            last: newest.as_ref().map_or(0, |row| row.seq as u64),
            last_at: newest.map_or(0.0, |row| row.at),
        })
    }

    /// The epoch offsets belong to.
    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    /// The offset of the latest event (0 before the first).
    pub fn last(&self) -> u64 {
        self.last
    }

    /// Stores the frame `encode` builds for the next offset, and returns the frame. Events
    /// beyond the limits are no longer read from then on, and deleted with the next batch.
    pub fn append(&mut self, encode: impl FnOnce(u64) -> String) -> worker::Result<String> {
        let seq = self.last + 1;
        let frame = encode(seq);
        let now = js_sys::Date::now();
        self.sql.exec(
            "INSERT INTO history (seq, frame, at) VALUES (?, ?, ?)",
            vec![integer(seq), frame.as_str().into(), now.into()],
        )?;
        self.last = seq;
        self.last_at = now;
        if seq.is_multiple_of(PRUNE_EVERY) {
            self.sql.exec(
                concat!("DELETE FROM history WHERE seq < ", kept_from!()),
                self.kept_bindings(),
            )?;
        }
        Ok(frame)
    }

    /// The bindings of [`kept_from!`], as of the latest event.
    fn kept_bindings(&self) -> Vec<SqlStorageValue> {
        let first_kept_by_count = (self.last + 1).saturating_sub(self.limits.max_events.max(1));
        vec![
            integer(first_kept_by_count),
            (self.last_at - self.limits.max_age_ms).into(),
        ]
    }

    /// The latest `count` frames kept, oldest first, for a client that asked for some history
    /// on joining.
    pub fn latest(&self, count: u64) -> worker::Result<Vec<String>> {
        let mut bindings = self.kept_bindings();
        bindings.push(integer(count));
        let rows = self.sql.exec(
            concat!(
                "SELECT frame FROM (SELECT seq, frame FROM history WHERE seq >= ",
                kept_from!(),
                " ORDER BY seq DESC LIMIT ?) ORDER BY seq"
            ),
            bindings,
        )?;
        rows.next::<Frame>()
            .map(|row| row.map(|row| row.frame))
            .collect()
    }

    /// The frames after offset `since` of `epoch`, for a client resuming there.
    pub fn replay(&self, since: u64, epoch: &str) -> worker::Result<Replay> {
        if epoch != self.epoch {
            return Ok(Replay::Failed(
                "the channel's history was reset (its epoch changed)".into(),
            ));
        }
        if since > self.last {
            return Ok(Replay::Failed(format!(
                "offset {since} is ahead of the channel's latest, {}",
                self.last
            )));
        }
        if since == self.last {
            return Ok(Replay::Frames(Vec::new()));
        }
        let oldest = self
            .sql
            .exec(
                concat!(
                    "SELECT MIN(seq) AS seq FROM history WHERE seq >= ",
                    kept_from!()
                ),
                self.kept_bindings(),
            )?
            .one::<MaybeSeq>()?
            .seq
            .map_or(self.last + 1, |seq| seq as u64);
        if since + 1 < oldest {
            return Ok(Replay::Failed(format!(
                "{} events were missed and the oldest ones are no longer kept",
                self.last - since
            )));
        }
        let mut frames = Vec::new();
        let mut bytes = 0;
        let rows = self.sql.exec(
            "SELECT frame FROM history WHERE seq > ? ORDER BY seq",
            vec![integer(since)],
        )?;
        for row in rows.next::<Frame>() {
            let frame = row?.frame;
            bytes += frame.len();
            if bytes > self.limits.max_replay_bytes {
                return Ok(Replay::Failed(format!(
                    "{} events were missed, more than one replay sends",
                    self.last - since
                )));
            }
            frames.push(frame);
        }
        Ok(Replay::Frames(frames))
    }
}

fn integer(value: u64) -> SqlStorageValue {
    SqlStorageValue::Integer(value as i64)
}

fn read_meta(sql: &SqlStorage, key: &str) -> worker::Result<Option<String>> {
    let rows = sql
        .exec("SELECT value FROM meta WHERE key = ?", vec![key.into()])?
        .to_array::<Value>()?;
    Ok(rows.into_iter().next().map(|row| row.value))
}

fn write_meta(sql: &SqlStorage, key: &str, value: &str) -> worker::Result<()> {
    sql.exec(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        vec![key.into(), value.into()],
    )?;
    Ok(())
}
