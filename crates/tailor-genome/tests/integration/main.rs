//! Integration tests of tailor-genome: the VCF/BCF reader on fixtures, mutated files and real data.
//!
//! All integration tests of this crate are modules of one test binary, so that a
//! change links one binary instead of one per file (see docs/development.md).

mod common;
mod fixtures;
mod fixtures_somatic;
mod from_bytes;
mod mutations;
mod protein_maf;
mod real_data;
