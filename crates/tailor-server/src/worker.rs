//! The background worker: takes queued jobs from the job table, runs the engines on the
//! case's stored manifest and files, and stores the interpretation as the case's next
//! version, without secondary germline findings unless the patient consented to them
//! (every report and export is rendered from that stored version). Jobs live in the database, so a restart resumes them
//! ([`tailor_store::Store::recover_jobs`]).

use std::time::Duration;

use tailor_interpret::InterpretOptions;
use tailor_store::{AuditEvent, Outcome};

use crate::cases::parse_upload;
use crate::AppState;

/// Runs jobs for as long as the server runs: woken when a case is queued, and looking
/// every few seconds anyway (a job queued by another process, a missed wake-up).
pub async fn run(state: AppState) {
    loop {
        match run_next(&state).await {
            Ok(true) => continue,
            Ok(false) => {
                tokio::select! {
                    () = state.jobs.notified() => {}
                    () = tokio::time::sleep(Duration::from_secs(2)) => {}
                }
            }
            Err(e) => {
                eprintln!("tailor serve: worker: {e}");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// Runs queued jobs until none is left (for tests and for draining at shutdown).
pub async fn run_until_idle(state: &AppState) -> Result<usize, tailor_store::StoreError> {
    let mut done = 0;
    while run_next(state).await? {
        done += 1;
    }
    Ok(done)
}

/// Takes and runs one job; false when the queue was empty.
async fn run_next(state: &AppState) -> Result<bool, tailor_store::StoreError> {
    let Some((job, case_id)) = state.store.claim_job().await? else {
        return Ok(false);
    };
    let (manifest, files) = state.store.case_inputs(&case_id).await?;
    // The consent as it is when the run starts; a later change queues another run.
    let consent = state
        .store
        .case(&case_id)
        .await?
        .map(|c| c.consent.consent)
        .unwrap_or_default();
    let engines = state.engines.clone();
    let result = tokio::task::spawn_blocking(move || {
        let upload = parse_upload(&engines, &manifest, &files).map_err(|e| e.reason)?;
        let mut interpretation =
            tailor_interpret::interpret(&upload.inputs, &engines, &InterpretOptions::default())
                .map_err(|e| e.to_string())?;
        if !consent.secondary_findings {
            interpretation.withhold_secondary_germline();
        }
        // Stored compact: the API splices it into answers as it is (a third smaller than
        // the indented file `tailor report` writes); the download is indented again.
        serde_json::to_vec(&interpretation).map_err(|e| e.to_string())
    })
    .await
    .unwrap_or_else(|e| Err(format!("the engine run stopped: {e}")));
    let outcome = if result.is_ok() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    state
        .store
        .finish_job(&job, &case_id, result.as_deref().map_err(String::as_str))
        .await?;
    state
        .store
        .audit(&AuditEvent {
            actor: "system".into(),
            action: "case.interpret".into(),
            resource: format!("/api/v1/cases/{case_id}"),
            case_id: Some(case_id),
            client: "worker".into(),
            outcome,
        })
        .await?;
    Ok(true)
}
