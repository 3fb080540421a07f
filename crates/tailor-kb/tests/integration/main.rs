//! Integration tests of tailor-kb: knowledge-base builds from the shared sources.
//!
//! All integration tests of this crate are modules of one test binary, so that a
//! change links one binary instead of one per file (see docs/development.md).

mod onco_sources;
mod real_sources;
