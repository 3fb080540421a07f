//! Test support: the example case through the real pipeline, and a small checker of
//! resources against the Genomics Reporting IG's StructureDefinitions.

#![allow(dead_code, unreachable_pub)]

pub mod profile;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tailor_case::CaseManifest;
use tailor_core::interpretation::Interpretation;
use tailor_interpret::{interpret_case, InterpretOptions};

/// The shared data directory: `$TAILOR_SHARED_DATA`, else `../shared/data` beside the
/// repository.
pub fn shared_data() -> PathBuf {
    match std::env::var_os("TAILOR_SHARED_DATA") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

/// The IG package directory.
pub fn ig_dir() -> PathBuf {
    shared_data().join("fhir/genomics-reporting-3.0.0")
}

/// The IG's code list (`profile element system code display`).
pub fn ig_codes() -> PathBuf {
    shared_data().join("fhir/genomics-reporting-3.0.0-codes.tsv")
}

/// Generation time fixed for reproducible output.
pub const GENERATED_AT: &str = "2026-11-22T00:00:00Z";

/// The knowledge base, built once per test binary.
pub fn kb() -> &'static tailor_kb::KnowledgeBase {
    static KB: OnceLock<tailor_kb::KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        tailor_kb::build(&tailor_kb::SourcePaths::from_shared_data(&shared_data()))
            .expect("knowledge base builds from the shared data")
    })
}

/// One bundled example case (`examples/NAME/case.yaml`), interpreted.
pub fn interpret_example(name: &str) -> Interpretation {
    // Relative to the crate directory (cargo's working directory for tests): the
    // report id digests the manifest, paths included, so an absolute path would
    // make every id depend on where the repository is checked out.
    let manifest = format!("../../examples/{name}/case.yaml");
    let manifest = Path::new(&manifest);
    assert!(manifest.exists(), "run from the crate directory");
    let case = CaseManifest::from_path(manifest).expect("example manifest parses");
    let options = InterpretOptions {
        generated_at: Some(GENERATED_AT.into()),
        ..Default::default()
    };
    interpret_case(&case, kb(), &options).expect("example case interprets")
}

/// The colorectal example case interpreted once per test binary.
pub fn example() -> &'static Interpretation {
    static CELL: OnceLock<Interpretation> = OnceLock::new();
    CELL.get_or_init(|| interpret_example("colorectal"))
}

/// The bundle of the example case.
pub fn example_bundle() -> &'static serde_json::Value {
    static CELL: OnceLock<serde_json::Value> = OnceLock::new();
    CELL.get_or_init(|| tailor_fhir::bundle(example()))
}
