//! Bad input for every reader: each must return an error naming the file (and the line
//! when there is one), never panic and never return a half-read result.

use std::path::{Path, PathBuf};

use tailor_case::biomarkers::read_biomarkers;
use tailor_case::cna::read_gene_cna;
use tailor_case::fusion::read_fusions;
use tailor_case::maf::read_maf;
use tailor_case::segments::read_segments;
use tailor_case::{CaseError, CaseManifest};

type Reader = fn(&Path) -> Result<(), CaseError>;

fn readers() -> Vec<(&'static str, &'static str, Reader)> {
    vec![
        ("calls.maf", MAF_HEADER, |p| read_maf(p).map(drop)),
        ("genes.cna.tsv", "Hugo_Symbol\tTUMOR", |p| {
            read_gene_cna(p, None).map(drop)
        }),
        (
            "segments.tsv",
            "Chromosome\tStart\tEnd\tnMajor\tnMinor",
            |p| read_segments(p).map(drop),
        ),
        (
            "fusions.tsv",
            "FusionGene\tLeftBreakpoint\tRightBreakpoint\tSplitReads",
            |p| read_fusions(p).map(drop),
        ),
        ("biomarkers.tsv", "name\tvalue", |p| {
            read_biomarkers(p).map(drop)
        }),
    ]
}

const MAF_HEADER: &str =
    "Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2";

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        Case {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

/// Asserts the message starts with `path` followed by `suffix` (e.g. `:2: `).
fn assert_names(e: &CaseError, path: &Path, suffix: &str, what: &str) {
    let msg = e.to_string();
    let want = format!("{}{suffix}", path.display());
    assert!(
        msg.starts_with(&want),
        "{what}: `{msg}` should start with `{want}`"
    );
}

#[test]
fn empty_files() {
    let c = Case::new();
    for (name, _, read) in readers() {
        let p = c.write(name, b"");
        let e = read(&p).unwrap_err();
        assert_names(&e, &p, ": ", name);
        assert!(
            e.to_string().contains("empty") || e.to_string().contains("no "),
            "{e}"
        );
        // Comments and blank lines only are still empty.
        let p = c.write(name, b"# nothing here\n\n");
        assert_names(&read(&p).unwrap_err(), &p, "", name);
    }
    let p = c.write("case.yaml", b"");
    assert_names(
        &CaseManifest::from_path(&p).unwrap_err(),
        &p,
        ": empty manifest",
        "manifest",
    );
}

#[test]
fn header_only() {
    let c = Case::new();
    for (name, header, read) in readers() {
        let p = c.write(name, format!("{header}\n").as_bytes());
        let e = read(&p).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with(&p.display().to_string()), "{name}: {msg}");
        assert!(msg.contains("no "), "{name}: {msg}");
    }
}

#[test]
fn missing_columns_name_the_column() {
    let c = Case::new();
    let p = c.write(
        "a.maf",
        b"Hugo_Symbol\tChromosome\tStart_Position\tTumor_Seq_Allele2\nBRAF\t7\t1\tA\n",
    );
    let e = read_maf(&p).unwrap_err();
    assert_names(
        &e,
        &p,
        ":1: column `Reference_Allele`: required column",
        "maf",
    );
    let p = c.write("s.tsv", b"Chromosome\tStart\tnMajor\tnMinor\n1\t1\t1\t1\n");
    assert_names(
        &read_segments(&p).unwrap_err(),
        &p,
        ":1: column `End`",
        "segments",
    );
    let p = c.write("s2.tsv", b"Chromosome\tStart\tEnd\tnMajor\n1\t1\t5\t1\n");
    assert_names(
        &read_segments(&p).unwrap_err(),
        &p,
        ":1: expected copy-number columns",
        "segments",
    );
    let p = c.write(
        "f.tsv",
        b"FusionGene\tLeftBreakpoint\tSplitReads\nA--B\t1:1\t3\n",
    );
    assert_names(
        &read_fusions(&p).unwrap_err(),
        &p,
        ":1: column `RightBreakpoint`",
        "fusions",
    );
    let p = c.write("g.tsv", b"symbol\tcopies\nERBB2\t20\n");
    assert_names(
        &read_gene_cna(&p, None).unwrap_err(),
        &p,
        ":1: not a copy-number table",
        "cna",
    );
}

#[test]
fn non_numeric_positions() {
    let c = Case::new();
    let p = c.write(
        "a.maf",
        format!("#version 2.4\n{MAF_HEADER}\nBRAF\t7\t140,753,336\t140753336\tA\tT\n").as_bytes(),
    );
    assert_names(
        &read_maf(&p).unwrap_err(),
        &p,
        ":3: column `Start_Position`: expected a 1-based position",
        "maf",
    );
    let p = c.write(
        "s.tsv",
        b"Chromosome\tStart\tEnd\tnMajor\tnMinor\n1\tabc\t5\t1\t1\n",
    );
    assert_names(
        &read_segments(&p).unwrap_err(),
        &p,
        ":2: column `Start`",
        "segments",
    );
    let p = c.write(
        "f.tsv",
        b"FusionGene\tLeftBreakpoint\tRightBreakpoint\tSplitReads\nA--B\t1:abc\t2:5\t3\n",
    );
    assert_names(
        &read_fusions(&p).unwrap_err(),
        &p,
        ":2: column `LeftBreakpoint`",
        "fusions",
    );
    let p = c.write("b.tsv", b"TMB\tten\n");
    assert_names(
        &read_biomarkers(&p).unwrap_err(),
        &p,
        ":1: column `TMB`",
        "biomarkers",
    );
    let p = c.write("g.tsv", b"ERBB2\tAMP\tmany\n");
    assert_names(
        &read_gene_cna(&p, None).unwrap_err(),
        &p,
        ":1: column `copies`",
        "cna",
    );
}

#[test]
fn wrong_column_counts() {
    let c = Case::new();
    for (name, header, read) in readers() {
        let width = header.split('\t').count();
        let row = vec!["1"; width + 1].join("\t");
        let p = c.write(name, format!("{header}\n{row}\n").as_bytes());
        let e = read(&p).unwrap_err();
        assert_names(&e, &p, ":2: expected ", name);
    }
}

#[test]
fn binary_garbage_and_invalid_utf8() {
    let c = Case::new();
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    for (name, header, read) in readers() {
        let p = c.write(name, &garbage);
        let e = read(&p).unwrap_err();
        assert!(
            e.to_string().starts_with(&p.display().to_string()),
            "{name}: {e}"
        );
        // A valid header, then a line with a byte that is not UTF-8.
        let mut bytes = format!("{header}\n").into_bytes();
        bytes.extend_from_slice(b"ERBB2\t\xff\xfe\n");
        let p = c.write(name, &bytes);
        let e = read(&p).unwrap_err();
        assert_names(&e, &p, ":2: not UTF-8", name);
        // Truncated gzip.
        let p = c.write(name, b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x4b\x4c");
        let e = read(&p).unwrap_err();
        assert!(
            e.to_string().starts_with(&p.display().to_string()),
            "{name}: {e}"
        );
    }
    let p = c.write("case.yaml", b"patient: P1\ntumor_type: \xff\n");
    assert_names(
        &CaseManifest::from_path(&p).unwrap_err(),
        &p,
        ":2: not UTF-8",
        "manifest",
    );
    let p = c.write("case.yaml", &garbage);
    assert!(CaseManifest::from_path(&p).is_err());
    let p = c.write("b.yaml", b"tmb: [1, 2]\n");
    assert_names(
        &read_biomarkers(&p).unwrap_err(),
        &p,
        ":1:",
        "biomarkers yaml",
    );
}

#[test]
fn missing_directory_and_device_paths_are_each_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Path::new("/nonexistent/dir/calls.maf");
    let cases: [(&Path, &str); 3] = [
        (missing, ": no such file"),
        (dir.path(), ": is a directory, not a file"),
        (Path::new("/dev/null"), ": is not a regular file"),
    ];
    for (p, said) in cases {
        for (_, _, read) in readers() {
            assert_names(&read(p).unwrap_err(), p, said, "path");
        }
        let e = CaseManifest::from_path(p).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!("{}{said}", p.display())),
            "{e}"
        );
    }
}
