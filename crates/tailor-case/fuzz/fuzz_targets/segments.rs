//! Any bytes as copy-number segments: never a panic; accepted segments are well formed.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tailor_case::segments::read_segments_from;

fuzz_target!(|data: &[u8]| {
    if let Ok(segments) =
        read_segments_from(std::io::Cursor::new(data.to_vec()), Path::new("fuzz.seg"))
    {
        for s in &segments {
            assert!(s.start <= s.end);
            if let (Some(a), Some(b)) = (s.n_major, s.n_minor) {
                assert!(b <= a);
            }
        }
    }
});
