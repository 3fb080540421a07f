//! Any bytes, as a VCF/BCF file (plain, gzip, BGZF): opening and reading must return an
//! error or sites, never panic. Seeds: crates/tailor-genome/tests/data/*.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use tailor_genome::{ReaderOptions, SampleSelection, Targets, VariantReader};

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::NamedTempFile::new() else {
        return;
    };
    if file.write_all(data).and_then(|()| file.flush()).is_err() {
        return;
    }
    let mut targets = Targets::new();
    targets.add("chr1", 1, 1_000);
    targets.add("2", 100, 100);
    for samples in [SampleSelection::All, SampleSelection::Named(vec!["S2".into()])] {
        let options = ReaderOptions {
            samples,
            use_index: false,
            ..ReaderOptions::default()
        };
        if let Ok(mut reader) = VariantReader::open(file.path(), &options) {
            let selected = reader.samples().len();
            let _ = reader.read_targets(&targets, |site| {
                assert!(site.end >= site.pos);
                assert_eq!(site.genotypes.len(), selected);
            });
            let _ = reader.read_all(|_| {});
        }
    }
});
