//! The reader fed bytes held in memory gives the same sites as the same data read from a
//! file, in every container (plain VCF, gzip, BGZF, BCF compressed and not), and its
//! errors name the input by the name the caller gave.

use std::io::Write;
use std::path::Path;

use crate::common::*;
use tailor_genome::{ReaderOptions, Site, Targets, VariantReader};

fn from_bytes(name: &str, bytes: Vec<u8>, options: &ReaderOptions) -> Vec<Site> {
    let mut reader = VariantReader::from_bytes(name, bytes, options)
        .unwrap_or_else(|e| panic!("from_bytes {name}: {e}"));
    let mut sites = Vec::new();
    reader.read_all(|s| sites.push(s.clone())).unwrap();
    sites
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn every_container_reads_the_same_from_memory_as_from_disk() {
    let options = ReaderOptions::default();
    let mut files: Vec<std::path::PathBuf> = [
        "forms.vcf",
        "forms.bcf",
        "forms.raw.bcf",
        "forms.u.bcf",
        "somatic.vcf",
        "somatic.bcf",
    ]
    .iter()
    .map(|n| fixture(n))
    .collect();
    // Real public files: a BGZF VCF with a tabix index beside it, and PharmCAT's example.
    files.push(shared_data().join("onco/testdata/pcgr/T001-COAD.grch38.vcf.gz"));
    files.push(shared_data().join("pgx/pharmcat-3.1.1/examples/pharmcat.example.vcf"));
    for path in &files {
        let on_disk = read_all(path, &options);
        assert!(!on_disk.is_empty(), "{}", path.display());
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            from_bytes(name, bytes.clone(), &options),
            on_disk,
            "{}",
            path.display()
        );
        // Any reader, and plain gzip around the same bytes (when they are text).
        let mut reader = VariantReader::from_reader(name, &bytes[..], &options).unwrap();
        let mut sites = Vec::new();
        reader.read_all(|s| sites.push(s.clone())).unwrap();
        assert_eq!(sites, on_disk, "{} through a reader", path.display());
        if name.ends_with(".vcf") {
            assert_eq!(
                from_bytes(name, gzip(&bytes), &options),
                on_disk,
                "{} gzipped",
                path.display()
            );
        }
    }
}

#[test]
fn target_reads_from_memory_match_indexed_reads_from_disk() {
    let vcf = shared_data().join("onco/testdata/pcgr/T001-COAD.grch38.vcf.gz");
    let mut targets = Targets::new();
    targets.add("chr7", 140_700_000, 140_800_000);
    targets.add("chr12", 25_200_000, 25_300_000);
    let options = ReaderOptions::default();
    let (indexed, _) = read(&vcf, &options, &targets);
    let mut reader =
        VariantReader::from_bytes("tumour.vcf.gz", std::fs::read(&vcf).unwrap(), &options).unwrap();
    assert!(
        reader.index_path().is_none(),
        "no index for bytes in memory"
    );
    let mut streamed = Vec::new();
    reader
        .read_targets(&targets, |s| streamed.push(s.clone()))
        .unwrap();
    assert!(!streamed.is_empty());
    // An indexed read starts mid-file and cannot number records; streaming does.
    let unnumbered = |sites: Vec<Site>| -> Vec<Site> {
        sites
            .into_iter()
            .map(|s| Site {
                record_number: 0,
                ..s
            })
            .collect()
    };
    assert_eq!(unnumbered(streamed), unnumbered(indexed));
    assert_eq!(reader.path(), Path::new("tumour.vcf.gz"));
}

#[test]
fn errors_in_memory_name_the_input_as_given() {
    let options = ReaderOptions::default();
    let bad = b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
                chr1\t0\t.\tA\tG\t.\tPASS\t.\n"
        .to_vec();
    let mut reader = VariantReader::from_bytes("upload-3.vcf", bad, &options).unwrap();
    let err = reader.read_all(|_| {}).unwrap_err().to_string();
    assert!(err.starts_with("upload-3.vcf: line 3"), "{err}");
    assert!(err.contains("expected a 1-based position"), "{err}");
    let err = VariantReader::from_bytes("empty.vcf", Vec::new(), &options)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "empty.vcf: the file is empty; expected a VCF or BCF file"
    );
    // A BGZF file cut short is refused from memory as from disk.
    let bgz =
        std::fs::read(shared_data().join("onco/testdata/pcgr/T001-COAD.grch38.vcf.gz")).unwrap();
    let err = VariantReader::from_bytes("cut.vcf.gz", bgz[..bgz.len() - 100].to_vec(), &options)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("cut.vcf.gz: "), "{err}");
    assert!(err.contains("truncated"), "{err}");
}

/// The header pass is reused by the first whole-file read of a small input; a second read
/// and a read after [`VariantReader::reselect`] must still see every record, with the
/// samples and fields then chosen.
#[test]
fn reading_again_and_after_reselect_gives_what_a_fresh_reader_gives() {
    let tumour_only = ReaderOptions {
        samples: tailor_genome::SampleSelection::Named(vec!["TUMOR".into()]),
        info: true,
        format_keys: vec!["AD".into(), "DP".into()],
        ..ReaderOptions::default()
    };
    for name in ["somatic.vcf", "somatic.bcf", "forms.vcf", "forms.bcf"] {
        let path = fixture(name);
        let all = read_all(&path, &ReaderOptions::default());
        let mut reader = VariantReader::open(&path, &ReaderOptions::default()).unwrap();
        for pass in 0..2 {
            let mut sites = Vec::new();
            reader.read_all(|s| sites.push(s.clone())).unwrap();
            assert_eq!(sites, all, "{name}, read {}", pass + 1);
        }
        if !name.starts_with("somatic") {
            continue;
        }
        // Reselect before the first read (the header pass is then reused) and after it.
        let wanted = read_all(&path, &tumour_only);
        assert!(wanted.iter().all(|s| s.genotypes.len() == 1), "{name}");
        for read_first in [false, true] {
            let mut reader = VariantReader::open(&path, &ReaderOptions::default()).unwrap();
            if read_first {
                reader.read_all(|_| {}).unwrap();
            }
            reader.reselect(&tumour_only).unwrap();
            assert_eq!(reader.samples(), ["TUMOR"], "{name}");
            let mut sites = Vec::new();
            reader.read_all(|s| sites.push(s.clone())).unwrap();
            assert_eq!(
                sites, wanted,
                "{name}, reselected after a read: {read_first}"
            );
        }
        // A sample the file does not have is refused by name.
        let err = reader
            .reselect(&ReaderOptions {
                samples: tailor_genome::SampleSelection::Named(vec!["GERMLINE".into()]),
                ..ReaderOptions::default()
            })
            .unwrap_err()
            .to_string();
        assert!(err.contains("GERMLINE"), "{err}");
    }
}
