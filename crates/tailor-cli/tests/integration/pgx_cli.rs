//! Drives the real `tailor` binary: outputs on good input, and on bad input a clear
//! message naming the file, exit code 2 and no output left behind.

use crate::common::{assert_clean_failure, shared_data, stderr, tailor};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pharmcat(rel: &str) -> PathBuf {
    shared_data().join("pgx/pharmcat-3.1.1").join(rel)
}

fn tailor_pgx(args: &[&std::ffi::OsStr], out: &Path) -> Output {
    tailor("pgx", args, out)
}

fn read_tsv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn example_vcf_gives_pharmcat_calls_in_json_and_tsv() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let vcf = pharmcat("examples/pharmcat.example2.vcf");
    let o = tailor_pgx(&[vcf.as_os_str()], &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_tsv(&out.join("pgx.tsv"));
    assert_eq!(
        &rows[0][..5],
        ["sample", "gene", "diplotype", "phenotype", "activity_score"]
    );
    let row = |gene: &str| {
        rows.iter()
            .find(|r| r[1] == gene)
            .unwrap_or_else(|| panic!("{gene} row"))
    };
    // PharmCAT 3.1.1's own calls for this file (examples/pharmcat.example2.match.json).
    assert_eq!(row("CYP2C19")[2], "*2/*2");
    assert_eq!(row("CYP2B6")[2], "*1/*6");
    assert_eq!(row("CYP2C19")[0], "Sample_2");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("pgx.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], "1.0.0");
    assert!(json["knowledge"]["kb_version"].as_str().unwrap().len() > 8);
    let genes = json["samples"][0]["genes"].as_array().unwrap();
    let cyp2c19 = genes.iter().find(|g| g["gene"] == "CYP2C19").unwrap();
    assert_eq!(cyp2c19["diplotypes"][0]["label"], "*2/*2");
    assert_eq!(cyp2c19["missing_positions"].as_array().unwrap().len(), 0);
}

#[test]
fn multi_sample_vcf_calls_every_sample_or_the_one_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let vcf = pharmcat("examples/multisample.vcf");
    let all = tmp.path().join("all");
    let o = tailor_pgx(&[vcf.as_os_str()], &all);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_tsv(&all.join("pgx.tsv"));
    let mut samples: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    samples.dedup();
    assert!(
        samples.len() > 1,
        "expected several samples, got {samples:?}"
    );
    let one = tmp.path().join("one");
    let o = tailor_pgx(
        &[vcf.as_os_str(), "--sample".as_ref(), samples[1].as_ref()],
        &one,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows_one = read_tsv(&one.join("pgx.tsv"));
    assert!(rows_one[1..].iter().all(|r| r[0] == samples[1]));
    // The same sample gets the same calls whether alone or with others.
    let from_all: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == samples[1]).collect();
    assert_eq!(from_all.len(), rows_one.len() - 1);
    for (a, b) in from_all.iter().zip(&rows_one[1..]) {
        assert_eq!(a[2], b[2]);
    }
}

#[test]
fn outside_calls_replace_vcf_calls() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let calls = tmp.path().join("outside.tsv");
    std::fs::write(&calls, "CYP2D6\t*1/*4\nHLA-B\t\t*57:01 positive\n").unwrap();
    let vcf = pharmcat("examples/pharmcat.example.vcf");
    let o = tailor_pgx(
        &[
            vcf.as_os_str(),
            "--outside-calls".as_ref(),
            calls.as_os_str(),
        ],
        &out,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_tsv(&out.join("pgx.tsv"));
    let cyp2d6 = rows.iter().find(|r| r[1] == "CYP2D6").unwrap();
    assert_eq!(cyp2d6[2], "*1/*4");
    assert_eq!(cyp2d6[5], "outside_call");
    assert!(rows.iter().any(|r| r[1] == "HLA-B"));
}

/// Diplotypes alone, no VCF: `tailor pgx` calls the person from the outside calls, and
/// `tailor report` accepts a case whose germline part is only an outside-call file.
#[test]
fn outside_calls_alone_are_a_germline_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let calls = tmp.path().join("outside.tsv");
    std::fs::write(
        &calls,
        "CYP2D6\t*1/*4\nCYP2C19\t*2/*2\nHLA-B\t*57:01/*08:01\n",
    )
    .unwrap();
    let o = tailor_pgx(&["--outside-calls".as_ref(), calls.as_os_str()], &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_tsv(&out.join("pgx.tsv"));
    let cyp2c19 = rows.iter().find(|r| r[1] == "CYP2C19").unwrap();
    assert_eq!(
        cyp2c19[0], "outside",
        "sample named after the file: {cyp2c19:?}"
    );
    assert_eq!(cyp2c19[2], "*2/*2");
    assert_eq!(cyp2c19[5], "outside_call");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("pgx.json")).unwrap()).unwrap();
    let recs = json["samples"][0]["recommendations"].as_array().unwrap();
    assert!(recs.iter().any(|r| r["drug"] == "clopidogrel"
        && r["actionable"] == true
        && r["phenotypes"]["CYP2C19"] == "Poor Metabolizer"));
    // Neither flag nor input: refused with the reason.
    let o = Command::new(env!("CARGO_BIN_EXE_tailor"))
        .args(["pgx", "--out"])
        .arg(tmp.path().join("none"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    let case = tmp.path().join("case.yaml");
    std::fs::write(
        &case,
        "patient: P-OUTSIDE\ngermline:\n  outside_calls: outside.tsv\nmedications: [clopidogrel]\n",
    )
    .unwrap();
    let report = tmp.path().join("report");
    let o = Command::new(env!("CARGO_BIN_EXE_tailor"))
        .args(["report", "--quiet", "--kb"])
        .arg(crate::common::kb())
        .arg("--case")
        .arg(&case)
        .arg("--out")
        .arg(&report)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let i: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("interpretation.json")).unwrap())
            .unwrap();
    assert_eq!(i["pgx"]["inputs"][0], "outside.tsv");
    // The genes the file leaves out are one limitation, not one per gene, and nothing
    // is said about calling from a VCF the case does not have.
    let limits: Vec<String> = i["limitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["what"].as_str().unwrap().to_string())
        .filter(|w| w.contains("not called") || w.contains("VCF"))
        .collect();
    assert_eq!(limits.len(), 2, "{limits:?}");
    assert!(
        limits[0].starts_with("ABCG2, CACNA1S, CFTR") && limits[0].contains("VKORC1"),
        "{limits:?}"
    );
    // Genes only ever called from outside calls keep their own reason.
    assert_eq!(limits[1], "HLA-A, MT-RNR1: not called");
    assert!(i["medication_alerts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["medication"] == "clopidogrel" && a["actionable"] == true));
}

#[test]
fn truncated_gzip_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let src = std::fs::read(shared_data().join("pgx/1kgp-grch38/CYP2C19.vcf.gz")).unwrap();
    let bad = tmp.path().join("truncated.vcf.gz");
    std::fs::write(&bad, &src[..src.len() / 2]).unwrap();
    let out = tmp.path().join("out");
    let o = tailor_pgx(&[bad.as_os_str(), "--no-index".as_ref()], &out);
    assert_clean_failure(&o, &out, &["truncated.vcf.gz"]);
}

#[test]
fn not_a_vcf_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("notes.txt");
    std::fs::write(&bad, "this is a shopping list\nmilk\n").unwrap();
    let out = tmp.path().join("out");
    assert_clean_failure(&tailor_pgx(&[bad.as_os_str()], &out), &out, &["notes.txt"]);
}

#[test]
fn missing_header_line_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(pharmcat("examples/pharmcat.example.vcf")).unwrap();
    let no_chrom: String = text
        .lines()
        .filter(|l| !l.starts_with("#CHROM"))
        .map(|l| format!("{l}\n"))
        .collect();
    let bad = tmp.path().join("nochrom.vcf");
    std::fs::write(&bad, no_chrom).unwrap();
    let out = tmp.path().join("out");
    assert_clean_failure(
        &tailor_pgx(&[bad.as_os_str()], &out),
        &out,
        &["nochrom.vcf"],
    );
}

#[test]
fn grch37_input_is_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(pharmcat("examples/pharmcat.example.vcf")).unwrap();
    let mut out_text = String::new();
    for l in text.lines() {
        if l.starts_with("#CHROM") {
            out_text.push_str("##contig=<ID=chr1,length=249250621>\n");
        }
        out_text.push_str(l);
        out_text.push('\n');
    }
    let bad = tmp.path().join("b37.vcf");
    std::fs::write(&bad, out_text).unwrap();
    let out = tmp.path().join("out");
    assert_clean_failure(
        &tailor_pgx(&[bad.as_os_str()], &out),
        &out,
        &["b37.vcf", "GRCh37"],
    );
}

#[test]
fn unknown_sample_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let vcf = pharmcat("examples/pharmcat.example.vcf");
    let out = tmp.path().join("out");
    let o = tailor_pgx(
        &[vcf.as_os_str(), "--sample".as_ref(), "NOBODY".as_ref()],
        &out,
    );
    assert_clean_failure(&o, &out, &["NOBODY"]);
}

#[test]
fn vcf_without_pgx_positions_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("elsewhere.vcf");
    std::fs::write(
        &bad,
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\nchr1\t1000\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    assert_clean_failure(
        &tailor_pgx(&[bad.as_os_str()], &out),
        &out,
        &[
            "elsewhere.vcf",
            "positions",
            "hint: ",
            "--absent-is-reference",
        ],
    );
}

#[test]
fn malformed_outside_call_file_names_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let calls = tmp.path().join("calls.tsv");
    std::fs::write(&calls, "# ok\nCYP2D6\t*1/*2/*3\n").unwrap();
    let vcf = pharmcat("examples/pharmcat.example.vcf");
    let out = tmp.path().join("out");
    let o = tailor_pgx(
        &[
            vcf.as_os_str(),
            "--outside-calls".as_ref(),
            calls.as_os_str(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["calls.tsv", "line 2"]);
}

#[test]
fn missing_input_file_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = tailor_pgx(&[tmp.path().join("nope.vcf").as_os_str()], &out);
    assert_clean_failure(&o, &out, &["nope.vcf"]);
}
