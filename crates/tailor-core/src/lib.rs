//! Domain types shared by every Tailor crate.
//!
//! These types do no I/O. They are what the engines produce and what the renderers
//! (JSON, TSV, HTML, FHIR) and the web app consume, so they are serialisable and their
//! field names are part of Tailor's published, versioned JSON schema.
#![deny(missing_docs)]

pub mod chrom;
pub mod input_file;
pub mod interpretation;
pub mod labels;
pub mod onco;
pub mod pgx;
pub mod position;
pub mod somatic;

pub use chrom::normalize_chrom;
