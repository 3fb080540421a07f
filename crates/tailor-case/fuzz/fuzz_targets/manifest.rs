//! Any text as a case manifest: never a panic (file checks fail harmlessly, since the
//! fuzzer's paths do not exist).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tailor_case::CaseManifest;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(case) = CaseManifest::parse_yaml(text, Path::new("/nonexistent/case.yaml")) {
        assert!(!case.patient.trim().is_empty());
        assert!(case.purity.is_none_or(|p| p > 0.0 && p <= 1.0));
        let _ = case.check();
    }
    let _ = CaseManifest::from_yaml_str(text, Path::new("/nonexistent/case.yaml"));
});
