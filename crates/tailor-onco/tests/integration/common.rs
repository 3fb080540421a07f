//! Shared test helpers: the real knowledge base (built once per test binary from
//! `../shared/data` and the curated tables) and case builders.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;
use tailor_kb::KnowledgeBase;

/// The shared data folder (`TAILOR_SHARED_DATA` or `../shared/data` beside the repo).
pub(crate) fn shared_data() -> PathBuf {
    std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

/// The knowledge base, built from the sources once per test binary.
pub(crate) fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let paths = tailor_kb::SourcePaths::from_shared_data(&shared_data());
        tailor_kb::build(&paths).expect("knowledge base builds from ../shared/data")
    })
}
