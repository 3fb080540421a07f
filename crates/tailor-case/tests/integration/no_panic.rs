//! A stable-toolchain stand-in for the fuzz targets: every reader on truncated and
//! byte-flipped versions of real inputs must return, never panic.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use tailor_case::biomarkers::{read_biomarkers_from, BiomarkerFormat};
use tailor_case::cna::read_gene_cna_from;
use tailor_case::fusion::read_fusions_from;
use tailor_case::maf::read_maf_from;
use tailor_case::segments::read_segments_from;
use tailor_case::CaseManifest;

fn all_readers(bytes: &[u8]) {
    let src = Path::new("mutant");
    let c = || Cursor::new(bytes.to_vec());
    let _ = read_maf_from(c(), src);
    let _ = read_gene_cna_from(c(), src, None);
    let _ = read_gene_cna_from(c(), src, Some("TUMOR_A"));
    let _ = read_segments_from(c(), src);
    let _ = read_fusions_from(c(), src);
    let _ = read_biomarkers_from(c(), src, BiomarkerFormat::Tsv);
    let _ = read_biomarkers_from(c(), src, BiomarkerFormat::Yaml);
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = CaseManifest::from_yaml_str(text, Path::new("/nonexistent/case.yaml"));
    }
}

fn seeds() -> Vec<PathBuf> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let shared = std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let mut out: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    out.push(shared.join("onco/testdata/pcgr/T001-BRCA.grch37.fusions.tsv"));
    out.push(shared.join("onco/testdata/vcf2maf/test.maf"));
    out.sort();
    out
}

#[test]
fn truncated_and_flipped_inputs_never_panic() {
    let mut runs = 0;
    for seed in seeds() {
        let bytes = std::fs::read(&seed).unwrap();
        // Every truncation point on a coarse grid, and every byte flipped to a few values.
        let step = (bytes.len() / 64).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            all_readers(&bytes[..cut]);
            runs += 1;
        }
        for pos in (0..bytes.len()).step_by(step) {
            for b in [b'\t', b'\n', b'-', b'#', 0xff, b'9', b':'] {
                let mut m = bytes.clone();
                m[pos] = b;
                all_readers(&m);
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}
