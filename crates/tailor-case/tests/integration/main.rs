//! Integration tests of tailor-case: the case readers on malformed, random and real inputs.
//!
//! All integration tests of this crate are modules of one test binary, so that a
//! change links one binary instead of one per file (see docs/development.md).

mod malformed;
mod no_panic;
mod real_data;
