//! Integration tests of tailor-onco: the somatic engine on FDA-label cases and real cases.
//!
//! All integration tests of this crate are modules of one test binary, so that a
//! change links one binary instead of one per file (see docs/development.md).

mod common;
mod fda_cases;
mod real_cases;
