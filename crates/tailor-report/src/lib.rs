//! Renderers for Tailor results.
//!
//! Every renderer takes the finished result value and produces bytes; nothing here
//! re-reads inputs or recomputes calls. Files are written through [`AtomicFile`], so a
//! crash or an error never leaves a half-written report where a pipeline would pick it
//! up.

pub mod atomic;
pub mod pgx;
pub mod somatic;

pub use atomic::{write_atomic, AtomicFile, WriteError};
