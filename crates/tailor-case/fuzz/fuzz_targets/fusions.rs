//! Any bytes as a fusion file (any layout): never a panic; every fusion names a partner.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tailor_case::fusion::read_fusions_from;

fuzz_target!(|data: &[u8]| {
    if let Ok(fusions) =
        read_fusions_from(std::io::Cursor::new(data.to_vec()), Path::new("fuzz.tsv"))
    {
        for f in &fusions {
            assert!(f.gene5.is_some() || f.gene3.is_some());
        }
    }
});
