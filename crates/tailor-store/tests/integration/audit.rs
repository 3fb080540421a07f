//! The audit chain catches every kind of tampering done directly in the database.

use crate::common::stores;
use tailor_store::{AuditEvent, Outcome, Store};

fn event(n: usize) -> AuditEvent {
    AuditEvent {
        actor: format!("user{}", n % 3),
        action: if n.is_multiple_of(2) {
            "case.read"
        } else {
            "login"
        }
        .into(),
        resource: format!("/api/v1/cases/c{n}"),
        case_id: n.is_multiple_of(2).then(|| format!("c{n}")),
        client: "127.0.0.1".into(),
        outcome: if n.is_multiple_of(5) {
            Outcome::Denied
        } else {
            Outcome::Success
        },
    }
}

async fn fill(store: &Store, n: usize) {
    for i in 1..=n {
        assert_eq!(store.audit(&event(i)).await.unwrap(), i as i64);
    }
}

async fn exec(store: &Store, sql: &str) {
    sqlx::query(sql).execute(store.pool()).await.unwrap();
}

async fn first_bad(store: &Store) -> String {
    store
        .verify_audit()
        .await
        .unwrap()
        .first_bad
        .unwrap_or_else(|| "intact".into())
}

#[tokio::test]
async fn an_intact_chain_verifies_and_reads_back_in_order() {
    for t in stores().await {
        let store = &t.store;
        let empty = store.verify_audit().await.unwrap();
        assert_eq!((empty.rows, empty.first_bad), (0, None), "{}", t.name);
        fill(store, 25).await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(report.rows, 25, "{}", t.name);
        assert_eq!(report.first_bad, None, "{}", t.name);
        let events = store.audit_events(0, 100).await.unwrap();
        assert_eq!(events.len(), 25);
        assert_eq!(events[3].event, event(4));
        assert_eq!(events[4].prev_hash, events[3].hash);
        assert!(events.windows(2).all(|w| w[0].seq + 1 == w[1].seq));
    }
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    for t in stores().await {
        let mut tasks = Vec::new();
        for i in 0..40 {
            let store = t.store.clone();
            tasks.push(tokio::spawn(async move { store.audit(&event(i)).await }));
        }
        let mut seqs = Vec::new();
        for task in tasks {
            seqs.push(task.await.unwrap().unwrap());
        }
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=40).collect::<Vec<i64>>(), "{}", t.name);
        assert_eq!(first_bad(&t.store).await, "intact", "{}", t.name);
    }
}

#[tokio::test]
async fn an_edited_row_is_named() {
    for t in stores().await {
        fill(&t.store, 10).await;
        exec(
            &t.store,
            "UPDATE audit_events SET actor = 'mallory' WHERE seq = 4",
        )
        .await;
        let bad = first_bad(&t.store).await;
        assert!(
            bad.starts_with("row 4: its content does not match"),
            "{}: {bad}",
            t.name
        );
        // Changing the outcome word is caught as well.
        let t2 = &t.store;
        exec(t2, "UPDATE audit_events SET actor = 'user1' WHERE seq = 4").await;
        assert_eq!(
            first_bad(t2).await,
            "intact",
            "{}: restoring repairs",
            t.name
        );
        exec(
            t2,
            "UPDATE audit_events SET outcome = 'success' WHERE seq = 5",
        )
        .await;
        let bad = first_bad(t2).await;
        assert!(bad.starts_with("row 5:"), "{}: {bad}", t.name);
    }
}

#[tokio::test]
async fn a_deleted_row_is_named_in_the_middle_and_at_the_end() {
    for t in stores().await {
        fill(&t.store, 10).await;
        exec(&t.store, "DELETE FROM audit_events WHERE seq = 6").await;
        let bad = first_bad(&t.store).await;
        assert!(bad.starts_with("row 6 is missing"), "{}: {bad}", t.name);
    }
    for t in stores().await {
        fill(&t.store, 10).await;
        exec(&t.store, "DELETE FROM audit_events WHERE seq >= 9").await;
        let bad = first_bad(&t.store).await;
        assert!(bad.starts_with("row 9 is missing"), "{}: {bad}", t.name);
    }
    for t in stores().await {
        // Deleting the first row, and renumbering the rest to hide the gap.
        fill(&t.store, 5).await;
        exec(&t.store, "DELETE FROM audit_events WHERE seq = 1").await;
        exec(&t.store, "UPDATE audit_events SET seq = seq - 1").await;
        let bad = first_bad(&t.store).await;
        assert!(bad.starts_with("row 1:"), "{}: {bad}", t.name);
    }
}

#[tokio::test]
async fn reordered_rows_are_named() {
    for t in stores().await {
        fill(&t.store, 8).await;
        // Swap rows 3 and 5 by their sequence numbers.
        exec(&t.store, "UPDATE audit_events SET seq = -3 WHERE seq = 3").await;
        exec(&t.store, "UPDATE audit_events SET seq = 3 WHERE seq = 5").await;
        exec(&t.store, "UPDATE audit_events SET seq = 5 WHERE seq = -3").await;
        let bad = first_bad(&t.store).await;
        assert!(bad.starts_with("row 3:"), "{}: {bad}", t.name);
    }
}

#[tokio::test]
async fn an_inserted_row_is_named() {
    for t in stores().await {
        fill(&t.store, 6).await;
        let copy = "INSERT INTO audit_events (seq, at_ms, actor, action, resource, case_id, \
                    client, outcome, prev_hash, hash) SELECT 7, at_ms, actor, action, resource, \
                    case_id, client, outcome, hash, hash FROM audit_events WHERE seq = 6";
        exec(&t.store, copy).await;
        let bad = first_bad(&t.store).await;
        assert!(bad.starts_with("row 7:"), "{}: {bad}", t.name);
    }
    for t in stores().await {
        // Inserted in the middle, with the later rows moved up one.
        fill(&t.store, 6).await;
        exec(
            &t.store,
            "UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3",
        )
        .await;
        exec(
            &t.store,
            "UPDATE audit_events SET seq = seq - 99 WHERE seq >= 103",
        )
        .await;
        let forged = "INSERT INTO audit_events (seq, at_ms, actor, action, resource, case_id, \
                      client, outcome, prev_hash, hash) SELECT 3, at_ms, 'mallory', action, \
                      resource, case_id, client, outcome, hash, hash FROM audit_events WHERE seq = 2";
        exec(&t.store, forged).await;
        let bad = first_bad(&t.store).await;
        assert!(bad.starts_with("row 3:"), "{}: {bad}", t.name);
    }
}

#[tokio::test]
async fn an_edited_chain_head_is_caught() {
    for t in stores().await {
        fill(&t.store, 4).await;
        exec(&t.store, "UPDATE audit_head SET seq = 3").await;
        let bad = first_bad(&t.store).await;
        assert!(bad.contains("chain head"), "{}: {bad}", t.name);
    }
}
