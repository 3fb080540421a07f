//! Cases, files, jobs and interpretations: the round trip, the queue after a restart, and
//! no patient data in the clear anywhere under the data directory or in the database.

use crate::common::stores;
use tailor_store::{CaseStatus, Consent, NewCase, Role, Store};

const MARKERS: [&str; 3] = ["PSEUDO-7f3a9c", "NOTE-b81e22", "FILEBODY-4d6e01"];

async fn new_case(store: &Store) -> String {
    store
        .add_user(
            "onc",
            Role::Oncologist,
            "long enough password",
            &["gi".into()],
        )
        .await
        .unwrap();
    store
        .create_case(&NewCase {
            board: "gi".into(),
            created_by: "onc".into(),
            pseudonym: MARKERS[0].into(),
            manifest: format!(
                "patient: {}\nclinician:\n  name: {}\n",
                MARKERS[0], MARKERS[1]
            )
            .into_bytes(),
            files: vec![
                (
                    "tumour.vcf".into(),
                    format!("##{}\n", MARKERS[2]).into_bytes(),
                ),
                (
                    "copy-of-tumour.vcf".into(),
                    format!("##{}\n", MARKERS[2]).into_bytes(),
                ),
            ],
            consent: Consent {
                research: true,
                ..Consent::default()
            },
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_case_goes_through_the_queue_and_keeps_its_versions() {
    for t in stores().await {
        let store = &t.store;
        let id = new_case(store).await;
        let case = store.case(&id).await.unwrap().unwrap();
        assert_eq!(case.status, CaseStatus::Queued, "{}", t.name);
        assert_eq!(case.pseudonym, MARKERS[0]);
        assert_eq!(store.cases(Some(&["gi".into()])).await.unwrap().len(), 1);
        assert!(store
            .cases(Some(&["thoracic".into()]))
            .await
            .unwrap()
            .is_empty());
        assert!(store.case("not-an-id").await.unwrap().is_none());

        let (manifest, files) = store.case_inputs(&id).await.unwrap();
        assert!(String::from_utf8(manifest).unwrap().contains(MARKERS[1]));
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].0, "copy-of-tumour.vcf");

        let (job, case_id) = store.claim_job().await.unwrap().unwrap();
        assert_eq!(case_id, id);
        assert!(
            store.claim_job().await.unwrap().is_none(),
            "taken once only"
        );
        assert_eq!(
            store.case(&id).await.unwrap().unwrap().status,
            CaseStatus::Running
        );
        let v = store
            .finish_job(&job, &id, Ok(br#"{"schema_version":"1"}"#))
            .await
            .unwrap();
        assert_eq!(v, Some(1));
        let version = store
            .case(&id)
            .await
            .unwrap()
            .unwrap()
            .latest_version
            .unwrap();
        let doc = store.interpretation(&id, version).await.unwrap().unwrap();
        assert_eq!(
            (version, doc.as_slice()),
            (1, &br#"{"schema_version":"1"}"#[..])
        );
        assert_eq!(
            store.case(&id).await.unwrap().unwrap().status,
            CaseStatus::Done
        );
    }
}

#[tokio::test]
async fn a_restart_requeues_running_jobs_and_fails_them_after_three_attempts() {
    for t in stores().await {
        let store = &t.store;
        let id = new_case(store).await;
        for attempt in 1..=3 {
            let (_, case_id) = store.claim_job().await.unwrap().expect("queued");
            assert_eq!(case_id, id);
            // The server dies here; the next start recovers.
            let (requeued, failed) = store.recover_jobs().await.unwrap();
            if attempt < 3 {
                assert_eq!((requeued, failed), (1, 0), "{} attempt {attempt}", t.name);
                assert_eq!(
                    store.case(&id).await.unwrap().unwrap().status,
                    CaseStatus::Queued
                );
            } else {
                assert_eq!((requeued, failed), (0, 1), "{}", t.name);
            }
        }
        let case = store.case(&id).await.unwrap().unwrap();
        assert_eq!(case.status, CaseStatus::Failed);
        assert!(case.error.unwrap().contains("interrupted three times"));
        assert!(store.claim_job().await.unwrap().is_none());
    }
}

#[tokio::test]
async fn no_patient_data_in_the_clear_on_disk() {
    for t in stores().await {
        let store = &t.store;
        let id = new_case(store).await;
        let (job, _) = store.claim_job().await.unwrap().unwrap();
        let document = format!("{{\"patient\":\"{}\"}}", MARKERS[0]);
        store
            .finish_job(&job, &id, Ok(document.as_bytes()))
            .await
            .unwrap();
        // A second run that fails with a message naming the patient.
        sqlx::query("UPDATE jobs SET state = 'queued'")
            .execute(store.pool())
            .await
            .unwrap();
        let (job, _) = store.claim_job().await.unwrap().unwrap();
        store
            .finish_job(&job, &id, Err(&format!("bad file for {}", MARKERS[0])))
            .await
            .unwrap();
        // Checkpoint the SQLite write-ahead log so that the main file holds everything too.
        if t.name == "sqlite" {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(store.pool())
                .await
                .unwrap();
        }
        let mut scanned = 0usize;
        let mut stack = vec![store.data_dir().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                scanned += bytes.len();
                for marker in MARKERS {
                    assert!(
                        !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                        "{}: {marker} in clear in {}",
                        t.name,
                        path.display()
                    );
                }
            }
        }
        if t.name == "sqlite" {
            assert!(scanned > 10_000, "{scanned} bytes scanned");
        }
        // PostgreSQL: the whole database as pg_dump writes it (what a backup holds).
        if let Some(url) = &t.url {
            let pg_dump = std::fs::read_dir("/usr/lib/postgresql")
                .ok()
                .and_then(|mut d| d.next())
                .and_then(|e| e.ok())
                .map(|e| e.path().join("bin/pg_dump"))
                .filter(|p| p.exists())
                .unwrap_or_else(|| "pg_dump".into());
            let dump = std::process::Command::new(pg_dump)
                .arg(url)
                .output()
                .expect("pg_dump runs");
            assert!(
                dump.status.success(),
                "{}",
                String::from_utf8_lossy(&dump.stderr)
            );
            assert!(dump.stdout.len() > 1000);
            assert!(String::from_utf8_lossy(&dump.stdout).contains("audit_events"));
            for marker in MARKERS {
                assert!(
                    !dump
                        .stdout
                        .windows(marker.len())
                        .any(|w| w == marker.as_bytes()),
                    "{marker} in clear in the PostgreSQL dump"
                );
            }
        }
        // The database itself, read back column by column as text.
        for (table, columns) in [
            ("cases", "id, board, created_by, status"),
            ("case_files", "case_id, blob"),
            ("audit_events", "actor, action, resource"),
        ] {
            let rows = sqlx::query(&format!("SELECT {columns} FROM {table}"))
                .fetch_all(store.pool())
                .await
                .unwrap();
            for row in &rows {
                use sqlx::Row;
                for i in 0..row.len() {
                    let value: Option<String> = row.try_get(i).unwrap();
                    let value = value.unwrap_or_default();
                    assert!(
                        MARKERS.iter().all(|m| !value.contains(m)),
                        "{table}: {value}"
                    );
                }
            }
        }
        let case = store.case(&id).await.unwrap().unwrap();
        assert!(
            case.error.unwrap().contains(MARKERS[0]),
            "decrypts for the reader"
        );
    }
}

/// Consent is kept with the case, sealed: a change is recorded with who made it; turning
/// the secondary-germline scope on or off queues a new engine run once the case was
/// interpreted; and a consent copied in the database from another case does not open.
#[tokio::test]
async fn consent_is_recorded_changed_and_cannot_be_forged_in_the_database() {
    for t in stores().await {
        let store = &t.store;
        let id = new_case(store).await;
        let case = store.case(&id).await.unwrap().unwrap();
        assert_eq!(case.consent.consent.scopes(), ["research"], "{}", t.name);
        assert_eq!(case.consent.recorded_by.as_deref(), Some("onc"));

        // Before the first run, a change needs no new run: the queued one reads it.
        let both = Consent::parse("research secondary_findings").unwrap();
        assert!(!store.set_consent(&id, both, "onc").await.unwrap());
        let (job, _) = store.claim_job().await.unwrap().unwrap();
        store.finish_job(&job, &id, Ok(b"{}")).await.unwrap();
        assert!(store.claim_job().await.unwrap().is_none());

        // Withdrawn after the run: a new run is queued, once.
        let research = Consent::parse("research").unwrap();
        assert!(store
            .set_consent(&id, research, "counsellor")
            .await
            .unwrap());
        let case = store.case(&id).await.unwrap().unwrap();
        assert_eq!(case.status, CaseStatus::Queued);
        assert_eq!(case.consent.recorded_by.as_deref(), Some("counsellor"));
        assert!(!store
            .set_consent(&id, Consent::parse("research,data_sharing").unwrap(), "onc")
            .await
            .unwrap());
        assert!(store.claim_job().await.unwrap().is_some());
        assert!(store.claim_job().await.unwrap().is_none());

        // A second case whose sealed consent is copied over the first one's: refused.
        let other = store
            .create_case(&NewCase {
                board: "gi".into(),
                created_by: "onc".into(),
                pseudonym: "P2".into(),
                manifest: b"patient: P2\n".to_vec(),
                files: vec![],
                consent: Consent::parse("research secondary_findings data_sharing").unwrap(),
            })
            .await
            .unwrap();
        sqlx::query(&format!(
            "UPDATE cases SET consent = (SELECT consent FROM cases WHERE id = '{other}') \
             WHERE id = '{id}'"
        ))
        .execute(store.pool())
        .await
        .unwrap();
        let forged = store.case(&id).await;
        assert!(
            forged.is_err(),
            "{}: a copied consent must not open",
            t.name
        );
    }
}

/// Assignments on both backends: a user sees the cases of their boards and those they
/// are assigned to, an administrator all; unknown users are refused; ending is idempotent.
#[tokio::test]
async fn assigned_cases_are_seen_beside_the_boards_cases() {
    for t in stores().await {
        let store = &t.store;
        let id = new_case(store).await;
        store
            .add_user(
                "pharm",
                Role::Pharmacist,
                "long enough password",
                &["thoracic".into()],
            )
            .await
            .unwrap();
        let pharm = store.user("pharm").await.unwrap().unwrap();
        assert!(
            store.cases_for(&pharm).await.unwrap().is_empty(),
            "{}",
            t.name
        );
        let case = store.case(&id).await.unwrap().unwrap();
        assert!(!store.sees_case(&pharm, &case).await.unwrap());

        assert!(store.assign(&id, "pharm", "onc").await.unwrap());
        assert!(!store.assign(&id, "pharm", "onc").await.unwrap(), "once");
        assert!(store.assign(&id, "ghost", "onc").await.is_err());
        assert_eq!(store.assignees(&id).await.unwrap(), ["pharm"]);
        assert!(store.sees_case(&pharm, &case).await.unwrap());
        let seen: Vec<String> = store
            .cases_for(&pharm)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(seen, std::slice::from_ref(&id));

        assert!(store.unassign(&id, "pharm").await.unwrap());
        assert!(!store.unassign(&id, "pharm").await.unwrap());
        assert!(store.cases_for(&pharm).await.unwrap().is_empty());
    }
}
