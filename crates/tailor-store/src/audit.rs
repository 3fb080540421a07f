//! The audit trail: one event per read or write of patient data, per login, failed login
//! and denied request, in an append-only table whose rows are chained.
//!
//! Row checksums alone do not reveal a deleted row; a chain does. Each row carries the
//! hash of the row before it and its own hash, an HMAC-SHA256 (keyed by the installation
//! key, which is not in the database) over its sequence number, fields and the previous
//! hash. So an edited row no longer matches its hash, a deleted or inserted row breaks
//! the numbering or the links, rows put in another order break the links, and nobody
//! without the key can recompute the hashes to hide it. The last sequence number and hash
//! are also kept in `audit_head`, with an HMAC, so that rows cut off the end are found.
//!
//! Events name people and resources, never patient data: the case is named by its id.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::{now_ms, Store, StoreError};

/// The hash before the first row.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How an audited request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Done.
    Success,
    /// Refused: not signed in, or not allowed.
    Denied,
    /// Attempted and failed (a wrong password, a bad upload, an error).
    Failure,
}

impl Outcome {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failure => "failure",
        }
    }
}

/// One audit event as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Who: a user name, `anonymous`, or `system` for the server's own work.
    pub actor: String,
    /// What, as a verb phrase (`login`, `case.read`, `case.create`, `user.create`).
    pub action: String,
    /// On what (`/api/v1/cases/…`, `user:alice`).
    pub resource: String,
    /// The case concerned, when there is one.
    pub case_id: Option<String>,
    /// The client's address (or `cli` for a command on the server's machine).
    pub client: String,
    /// How it ended.
    pub outcome: Outcome,
}

/// An event as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// Sequence number, from 1, without gaps.
    pub seq: i64,
    /// When, in Unix milliseconds.
    pub at_ms: i64,
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Rows read.
    pub rows: u64,
    /// The first problem, naming the row: `None` when the chain is intact.
    pub first_bad: Option<String>,
}

fn row_hash(
    key: &crate::crypto::AuditKey,
    seq: i64,
    at_ms: i64,
    e: &AuditEvent,
    prev: &str,
) -> String {
    key.mac(&[
        b"tailor audit row v1",
        &seq.to_le_bytes(),
        &at_ms.to_le_bytes(),
        e.actor.as_bytes(),
        e.action.as_bytes(),
        e.resource.as_bytes(),
        e.case_id.as_deref().unwrap_or("\u{0}none").as_bytes(),
        e.client.as_bytes(),
        e.outcome.as_str().as_bytes(),
        prev.as_bytes(),
    ])
}

fn head_mac(key: &crate::crypto::AuditKey, seq: i64, hash: &str) -> String {
    key.mac(&[b"tailor audit head v1", &seq.to_le_bytes(), hash.as_bytes()])
}

fn outcome_of(text: &str) -> Option<Outcome> {
    match text {
        "success" => Some(Outcome::Success),
        "denied" => Some(Outcome::Denied),
        "failure" => Some(Outcome::Failure),
        _ => None,
    }
}

impl Store {
    /// Appends one event to the chain and returns its sequence number once it is
    /// committed.
    ///
    /// Appends are group-committed: one writer task per store takes every event waiting
    /// and writes them in one transaction, each still its own row of the chain. Under
    /// load this turns one transaction per request into one per batch, and no caller is
    /// answered before its event is durable.
    pub async fn audit(&self, event: &AuditEvent) -> Result<i64, StoreError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.audit_tx
            .send((event.clone(), reply))
            .map_err(|_| StoreError::Audit("the audit writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Audit("the audit writer has stopped".into()))?
    }
    /// Events in sequence order, from `after` (exclusive), at most `limit`.
    pub async fn audit_events(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        Ok(self
            .read_events(after, limit)
            .await?
            .into_iter()
            .map(|(event, _)| event)
            .collect())
    }

    /// Rows after `after` in sequence order, each with its outcome word when it is not
    /// one Tailor writes (then read as a failure; verification reports the row).
    async fn read_events(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(StoredEvent, Option<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at_ms, actor, action, resource, case_id, client, outcome, prev_hash, \
             hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let word: String = row.try_get(7)?;
                let outcome = outcome_of(&word);
                let event = StoredEvent {
                    seq: row.try_get(0)?,
                    at_ms: row.try_get(1)?,
                    event: AuditEvent {
                        actor: row.try_get(2)?,
                        action: row.try_get(3)?,
                        resource: row.try_get(4)?,
                        case_id: row.try_get(5)?,
                        client: row.try_get(6)?,
                        outcome: outcome.unwrap_or(Outcome::Failure),
                    },
                    prev_hash: row.try_get(8)?,
                    hash: row.try_get(9)?,
                };
                Ok((event, outcome.is_none().then_some(word)))
            })
            .collect()
    }

    /// Checks the whole chain, row by row in sequence order, and names the first row
    /// that was edited, deleted, inserted or moved.
    pub async fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        let key = self.key.audit_key();
        let mut expected_seq = 1i64;
        let mut prev_hash = GENESIS.to_string();
        let mut rows = 0u64;
        let bad = |first_bad: String, rows| {
            Ok(AuditReport {
                rows,
                first_bad: Some(first_bad),
            })
        };
        loop {
            let batch = self.read_events(expected_seq - 1, 1000).await?;
            if batch.is_empty() {
                break;
            }
            for (stored, unknown_outcome) in &batch {
                rows += 1;
                let seq = stored.seq;
                if seq != expected_seq {
                    return bad(
                        format!("row {expected_seq} is missing (deleted?): the next row is {seq}"),
                        rows,
                    );
                }
                if let Some(word) = unknown_outcome {
                    return bad(
                        format!("row {seq}: outcome `{word}` is not one Tailor writes (edited?)"),
                        rows,
                    );
                }
                if stored.prev_hash != prev_hash {
                    return bad(
                        format!(
                            "row {seq}: its link to row {} does not match (a row before it was \
                             deleted, inserted or moved)",
                            seq - 1
                        ),
                        rows,
                    );
                }
                if row_hash(&key, seq, stored.at_ms, &stored.event, &stored.prev_hash)
                    != stored.hash
                {
                    return bad(
                        format!("row {seq}: its content does not match its hash (edited?)"),
                        rows,
                    );
                }
                prev_hash = stored.hash.clone();
                expected_seq += 1;
            }
        }
        let last = expected_seq - 1;
        let head = sqlx::query("SELECT seq, hash, mac FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        match head {
            None if last == 0 => {}
            None => {
                return bad(
                    format!("the chain head is missing, with {last} rows present"),
                    rows,
                )
            }
            Some(row) => {
                let (seq, hash, mac): (i64, String, String) =
                    (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
                if head_mac(&key, seq, &hash) != mac {
                    return bad(
                        "the chain head does not match its MAC (edited?)".to_string(),
                        rows,
                    );
                }
                if seq > last {
                    return bad(
                        format!(
                            "row {} is missing (deleted?): the chain head says the last row is {seq}",
                            last + 1
                        ),
                        rows,
                    );
                }
                if seq < last || hash != prev_hash {
                    return bad(
                        format!(
                            "row {}: after the recorded end of the chain (row {seq}; inserted?)",
                            seq + 1
                        ),
                        rows,
                    );
                }
            }
        }
        Ok(AuditReport {
            rows,
            first_bad: None,
        })
    }
}

/// One queued append: the event and where to send its sequence number.
pub(crate) type AuditRequest = (
    AuditEvent,
    tokio::sync::oneshot::Sender<Result<i64, StoreError>>,
);

/// The most events written in one transaction.
const BATCH: usize = 512;

/// The writer task of a store: waits for an event, takes every other one already
/// waiting, writes them in one transaction, answers each caller. Ends when the store and
/// all its clones are gone.
pub(crate) async fn writer(
    pool: sqlx::AnyPool,
    key: crate::crypto::AuditKey,
    mut queue: tokio::sync::mpsc::UnboundedReceiver<AuditRequest>,
) {
    let mut batch: Vec<AuditRequest> = Vec::with_capacity(BATCH);
    while queue.recv_many(&mut batch, BATCH).await > 0 {
        let events: Vec<&AuditEvent> = batch.iter().map(|(e, _)| e).collect();
        match append_batch(&pool, &key, &events).await {
            Ok(first) => {
                for (i, (_, reply)) in batch.drain(..).enumerate() {
                    let _ = reply.send(Ok(first + i as i64));
                }
            }
            Err(e) => {
                let message = e.to_string();
                for (_, reply) in batch.drain(..) {
                    let _ = reply.send(Err(StoreError::Audit(format!(
                        "the event could not be recorded: {message}"
                    ))));
                }
            }
        }
    }
}

/// Writes `events` as the next rows of the chain in one transaction; returns the first
/// sequence number.
async fn append_batch(
    pool: &sqlx::AnyPool,
    key: &crate::crypto::AuditKey,
    events: &[&AuditEvent],
) -> Result<i64, StoreError> {
    let mut tx = pool.begin().await?;
    // Writing the head row first takes the database's write lock on it (a row lock on
    // PostgreSQL, the write lock on SQLite), so appends from other processes wait.
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *tx)
        .await?;
    let (first_seq, mut prev_hash) = match head {
        Some(row) => (row.try_get::<i64, _>(0)? + 1, row.try_get::<String, _>(1)?),
        None => (1, GENESIS.to_string()),
    };
    let at_ms = now_ms();
    let mut seq = first_seq;
    for event in events {
        let hash = row_hash(key, seq, at_ms, event, &prev_hash);
        sqlx::query(
            "INSERT INTO audit_events (seq, at_ms, actor, action, resource, case_id, client, \
             outcome, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(seq)
        .bind(at_ms)
        .bind(&event.actor)
        .bind(&event.action)
        .bind(&event.resource)
        .bind(event.case_id.as_deref())
        .bind(&event.client)
        .bind(event.outcome.as_str())
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        prev_hash = hash;
        seq += 1;
    }
    let last = seq - 1;
    let mac = head_mac(key, last, &prev_hash);
    if first_seq == 1 {
        sqlx::query("INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, $1, $2, $3)")
            .bind(last)
            .bind(&prev_hash)
            .bind(&mac)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2, mac = $3 WHERE id = 1")
            .bind(last)
            .bind(&prev_hash)
            .bind(&mac)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(first_seq)
}
