//! Any text as a protein change: parsing returns an error or a change, never panics, and
//! a change's short form reads back to the same short form (it is canonical).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tailor_genome::protein::parse_protein;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(change) = parse_protein(text) {
        let short = change.short();
        let again = parse_protein(&short).expect("a short form must parse");
        assert_eq!(again.short(), short);
        let (first, last) = change.residues();
        assert!(first <= last);
        let _ = change.class();
    }
});
