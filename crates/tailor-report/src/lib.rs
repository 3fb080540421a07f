//! Renderers for Tailor results.
//!
//! Every renderer takes the finished result value and produces bytes; nothing here
//! re-reads inputs or recomputes calls. Files are written through [`AtomicFile`], so a
//! crash or an error never leaves a half-written report where a pipeline would pick it
//! up.

pub mod atomic;
pub mod html;
pub mod pgx;
pub mod somatic;

use tailor_core::interpretation::Interpretation;

/// `interpretation.json`: the whole interpretation, indented.
pub fn interpretation_json(i: &Interpretation) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(i).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Every report file for one interpretation, as (file name, bytes), in the order they
/// are written.
pub fn render_all(i: &Interpretation) -> Result<Vec<(&'static str, Vec<u8>)>, WriteError> {
    Ok(vec![
        ("interpretation.json", interpretation_json(i)),
        ("report.html", html::clinician_report(i).into_bytes()),
        (
            "patient-summary.html",
            html::patient_summary(i).into_bytes(),
        ),
        ("report.fhir.json", tailor_fhir::to_json(i)),
        ("report.pdf", tailor_pdf::clinician_report(i)),
    ])
}

pub use atomic::{remove_live_temp_files, sweep_stale, write_atomic, AtomicFile, WriteError};
