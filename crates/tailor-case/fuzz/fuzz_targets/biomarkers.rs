//! Any bytes as a biomarker file, TSV and YAML: never a panic; accepted values are in range.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tailor_case::biomarkers::{read_biomarkers_from, BiomarkerFormat};

fuzz_target!(|data: &[u8]| {
    for format in [BiomarkerFormat::Tsv, BiomarkerFormat::Yaml] {
        if let Ok(b) = read_biomarkers_from(
            std::io::Cursor::new(data.to_vec()),
            Path::new("fuzz"),
            format,
        ) {
            assert!(b.pdl1_tps.is_none_or(|x| (0.0..=100.0).contains(&x)));
            assert!(b.pdl1_cps.is_none_or(|x| (0.0..=100.0).contains(&x)));
            assert!(b.her2_ihc.is_none_or(|x| x <= 3));
            assert!(b.tmb.is_none_or(|x| x.is_finite() && x >= 0.0));
        }
    }
});
