//! The clinician report as PDF, written by Tailor itself.
//!
//! Why a hand-written writer and not a PDF library or a headless browser: the report is
//! text, tables and a few rules and bars, which PDF 1.4 expresses with the standard-14
//! fonts (always present in every reader, never embedded) and a handful of path
//! operators. Doing that directly costs no dependency, no build time and no browser at
//! run time, and renders the example case in well under a millisecond per page. The
//! measurements behind the choice are in this crate's `README.md`.
//!
//! The only entry point is [`clinician_report`]; it renders from the single
//! [`Interpretation`](tailor_core::interpretation::Interpretation) value like every
//! other report format, so the PDF says what the HTML and JSON say.
#![deny(missing_docs)]

mod clinician;
mod font;
mod layout;
mod writer;

pub use clinician::clinician_report;
