//! Integration tests of tailor-pgx: PharmCAT's test suites, GeT-RM samples and phenotype rules.
//!
//! All integration tests of this crate are modules of one test binary, so that a
//! change links one binary instead of one per file (see docs/development.md).

mod autogen;
mod getrm_wgs;
mod outside_only;
mod pharmcat_tests;
mod phenotype_semantics;
mod reporter_examples;
