//! Any bytes as gene-level copy number, with and without a sample name: never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tailor_case::cna::read_gene_cna_from;

fuzz_target!(|data: &[u8]| {
    for sample in [None, Some("TUMOR")] {
        if let Ok(calls) = read_gene_cna_from(
            std::io::Cursor::new(data.to_vec()),
            Path::new("fuzz.cna"),
            sample,
        ) {
            assert!(!calls.is_empty());
            for c in &calls {
                assert!(!c.gene.is_empty());
                assert!(c.copies.is_none_or(|x| x.is_finite() && x >= 0.0));
            }
        }
    }
});
