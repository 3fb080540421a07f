//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::io::Write;
use std::path::{Path, PathBuf};

use tailor_genome::{ReadStats, ReaderOptions, Site, Targets, VariantReader};

/// The shared data directory (`TAILOR_SHARED_DATA`, else `../shared/data` beside the repo).
pub fn shared_data() -> PathBuf {
    let dir = std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        dir.is_dir(),
        "shared data not found at {}; set TAILOR_SHARED_DATA",
        dir.display()
    );
    dir
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn pharmcat_positions() -> PathBuf {
    shared_data().join("pgx/pharmcat-3.1.1/positions/pharmcat_positions.vcf.bgz")
}

/// Targets made from every record of a VCF (its POS..=END).
pub fn targets_from(path: &Path) -> Targets {
    let mut targets = Targets::new();
    let mut reader = VariantReader::open(path, &ReaderOptions::default()).unwrap();
    reader
        .read_all(|site| targets.add(&site.chrom, site.pos, site.end))
        .unwrap();
    targets
}

pub fn read(path: &Path, options: &ReaderOptions, targets: &Targets) -> (Vec<Site>, ReadStats) {
    let mut reader = VariantReader::open(path, options)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut sites = Vec::new();
    let stats = reader
        .read_targets(targets, |site| sites.push(site.clone()))
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    (sites, stats)
}

pub fn read_all(path: &Path, options: &ReaderOptions) -> Vec<Site> {
    let mut reader = VariantReader::open(path, options)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut sites = Vec::new();
    reader
        .read_all(|site| sites.push(site.clone()))
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    sites
}

pub fn streamed() -> ReaderOptions {
    ReaderOptions {
        use_index: false,
        ..ReaderOptions::default()
    }
}

/// Record numbers differ by design between paths (line vs record vs unknown via an
/// index); everything else must be identical.
pub fn without_numbers(mut sites: Vec<Site>) -> Vec<Site> {
    for site in &mut sites {
        site.record_number = 0;
    }
    sites
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

pub fn have(tool: &str) -> bool {
    std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
