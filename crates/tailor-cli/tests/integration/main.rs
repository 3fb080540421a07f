//! Integration tests of the `tailor` binary: each test runs the built command.
//!
//! All integration tests of this crate are modules of one test binary, so that a
//! change links one binary instead of one per file (see docs/development.md).

mod admin_cli;
mod common;
mod hardening;
mod pgx_cli;
mod serve_crash;
mod somatic_cli;
