//! Any bytes as a MAF (plain or gzip): an error or records, never a panic; every record
//! keeps the invariants the engine relies on.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tailor_case::maf::read_maf_from;

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = read_maf_from(std::io::Cursor::new(data.to_vec()), Path::new("fuzz.maf")) {
        assert!(!table.records.is_empty());
        for r in &table.records {
            assert!(r.start >= 1 && r.end >= r.start);
            assert!(!r.gene.is_empty() && !r.chrom.is_empty());
            assert_ne!(r.ref_allele, r.alt_allele);
            assert!(r.vaf.is_none_or(|v| v.is_finite() && v >= 0.0));
        }
    }
});
