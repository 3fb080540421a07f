//! Renders a Tailor [`Interpretation`] as an HL7 FHIR R4 `Bundle` (type `collection`)
//! following the Genomics Reporting Implementation Guide 3.0.0
//! (`http://hl7.org/fhir/uv/genomics-reporting`).
//!
//! The bundle holds one `DiagnosticReport` (profile `genomic-report`) and everything it
//! points to, so that a receiving system needs nothing else:
//!
//! | Tailor | FHIR resource (IG profile) |
//! |---|---|
//! | patient pseudonym | `Patient` (identifier only, marked pseudonymised) |
//! | specimen, lab, test | `Specimen`, `Organization`, `Procedure` (`genomic-study`) |
//! | somatic small variant, copy number, fusion | `Observation` (`variant`) |
//! | effect class, HGVS of a small variant | `Observation` (`molecular-consequence`) |
//! | TMB and other tumour biomarkers | `Observation` (`molecular-biomarker`) |
//! | each evidence match of a tier I/II finding | `Observation` (`therapeutic-implication`) |
//! | PGx diplotype, haplotypes | `Observation` (`genotype`, `haplotype`) |
//! | PGx drug recommendation | `Observation` (`therapeutic-implication`) |
//! | current medication with a PGx alert | `MedicationStatement` + `Task` (`medication-recommendation`) |
//! | limitations, methods, attributions | `DiagnosticReport` coded notes |
//!
//! Tier III findings become `variant` observations without therapeutic implications.
//! Every reference points to a `fullUrl` inside the bundle (`urn:uuid:`), and every
//! resource that claims an IG profile carries it in `meta.profile`. Ids are derived
//! from the report id, so the same interpretation always gives the same bytes.
//!
//! What is deliberately *not* coded (text only), because the interpretation does not
//! carry the identifier and guessing one would be worse than none: HGNC gene ids,
//! RxNorm drug codes, OncoTree/SNOMED disease codes, RefSeq transcripts (Tailor uses
//! Ensembl ids).
//!
//! ```no_run
//! # fn demo(
//! #     interpretation: &tailor_core::interpretation::Interpretation,
//! # ) -> Result<(), serde_json::Error> {
//! let bundle = tailor_fhir::bundle(interpretation);
//! assert_eq!(bundle["resourceType"], "Bundle");
//! let bytes = tailor_fhir::to_json(interpretation)?;
//! # let _ = bytes;
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod builder;
mod canonical;
mod codes;
mod ids;
mod pgx;
mod somatic;

use serde_json::Value;
use tailor_core::interpretation::Interpretation;

/// The Genomics Reporting IG version the bundle follows.
pub const GENOMICS_REPORTING_IG_VERSION: &str = "3.0.0";

/// The interpretation as a FHIR R4 `Bundle` (type `collection`) of Genomics Reporting
/// IG 3.0.0 resources. Deterministic: equal inputs give equal values.
pub fn bundle(interpretation: &Interpretation) -> Value {
    builder::Builder::new(interpretation).build()
}

/// [`bundle`] as pretty-printed JSON with a trailing newline, in a canonical key
/// order (`resourceType` first, then the other keys sorted), so the bytes do not
/// depend on how `serde_json` was built (`preserve_order` or not).
pub fn to_json(interpretation: &Interpretation) -> Result<Vec<u8>, serde_json::Error> {
    let value = bundle(interpretation);
    let mut bytes = serde_json::to_vec_pretty(&canonical::Canonical(&value))?;
    bytes.push(b'\n');
    Ok(bytes)
}
