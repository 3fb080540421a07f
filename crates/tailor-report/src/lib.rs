//! Renderers for Tailor results.
//!
//! Every renderer takes the finished result value and produces bytes; nothing here
//! re-reads inputs or recomputes calls. Files are written through [`AtomicFile`], so a
//! crash or an error never leaves a half-written report where a pipeline would pick it
//! up.
#![deny(missing_docs)]

pub mod atomic;
pub mod html;
pub mod pgx;
pub mod share;
pub mod somatic;

use tailor_core::interpretation::Interpretation;

/// `interpretation.json`: the whole interpretation, indented. An error is returned, never
/// an empty file: a report that silently lost its content is worse than none.
pub fn interpretation_json(i: &Interpretation) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec_pretty(i)?;
    out.push(b'\n');
    Ok(out)
}

/// A rendering failure, as a write error naming the file it was for.
fn render_error(name: &str, e: serde_json::Error) -> WriteError {
    WriteError {
        path: name.into(),
        source: e.into(),
    }
}

/// Every report file for one interpretation, as (file name, bytes), in the order they
/// are written.
pub fn render_all(i: &Interpretation) -> Result<Vec<(&'static str, Vec<u8>)>, WriteError> {
    Ok(vec![
        (
            "interpretation.json",
            interpretation_json(i).map_err(|e| render_error("interpretation.json", e))?,
        ),
        ("report.html", html::clinician_report(i).into_bytes()),
        (
            "patient-summary.html",
            html::patient_summary(i).into_bytes(),
        ),
        (
            "report.fhir.json",
            tailor_fhir::to_json(i).map_err(|e| render_error("report.fhir.json", e))?,
        ),
        ("report.pdf", tailor_pdf::clinician_report(i)),
    ])
}

pub use atomic::{
    remove_live_temp_files_and_exit, sweep_stale, write_atomic, AtomicFile, WriteError,
};
