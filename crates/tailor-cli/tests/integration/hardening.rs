//! The defects an adversarial probe found (issue 16), each driven through the real
//! binary with generated inputs: exit 2, the message, an early exit shown by what the
//! run could not have done otherwise (a memory cap, the scanner's own message), and
//! nothing left in `--out`.

use crate::common;

use common::{assert_clean_failure, files_in, shared_data, stderr, tailor, tailor_command};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const COLUMNS: &str = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";

fn header_with_samples(n: usize) -> String {
    let mut text = String::from("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n");
    text.push_str(COLUMNS);
    text.push_str("\tFORMAT");
    for i in 0..n {
        text.push_str(&format!("\tS{i}"));
    }
    text.push('\n');
    text
}

/// Runs `tailor ARGS` with its address space capped at `mib` MiB (`ulimit -v`), so a run
/// whose memory follows a header's claim instead of the data dies instead of passing.
fn tailor_capped(mib: u64, subcommand: &str, args: &[&OsStr], out: &Path) -> Output {
    let inner = tailor_command(subcommand, args, out);
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mib * 1024))
        .arg(inner.get_program())
        .args(inner.get_args());
    sh.output().unwrap()
}

#[test]
fn a_header_naming_100001_samples_costs_the_names_not_a_grid() {
    let tmp = tempfile::tempdir().unwrap();
    let vcf = tmp.path().join("wide.vcf");
    std::fs::write(&vcf, header_with_samples(100_001)).unwrap();
    let out = tmp.path().join("out");
    // Before the fix this header cost 3.5 GB before the error; 512 MiB of address space
    // is far below that and above what the knowledge base and the names need.
    let o = tailor_capped(512, "pgx", &[vcf.as_os_str()], &out);
    assert_clean_failure(
        &o,
        &out,
        &["wide.vcf", "none of the", "positions were found"],
    );
    // Asking for a sample that is not there lists the ones that are (defect 4).
    let o = tailor_capped(
        512,
        "pgx",
        &[vcf.as_os_str(), "--sample".as_ref(), "NOPE".as_ref()],
        &out,
    );
    assert_clean_failure(
        &o,
        &out,
        &["sample 'NOPE'", "samples available: S0, S1, S2", "S19, ..."],
    );
}

#[test]
fn an_unknown_sample_lists_the_samples_the_file_has() {
    let tmp = tempfile::tempdir().unwrap();
    let vcf = shared_data().join("pgx/pharmcat-3.1.1/examples/pharmcat.example.vcf");
    let first_line = std::fs::read_to_string(&vcf)
        .unwrap()
        .lines()
        .find(|l| l.starts_with("#CHROM"))
        .map(|l| l.split('\t').nth(9).unwrap_or_default().to_string())
        .unwrap();
    assert!(!first_line.is_empty());
    let out = tmp.path().join("out");
    let o = tailor(
        "pgx",
        &[vcf.as_os_str(), "--sample".as_ref(), "NOPE".as_ref()],
        &out,
    );
    assert_clean_failure(&o, &out, &[&format!("samples available: {first_line}")]);
}

#[test]
fn deeply_nested_case_yaml_is_refused_by_the_scan_before_parsing() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("deep.yaml");
    let n = 100_000;
    std::fs::write(
        &case,
        format!(
            "patient: P1\nsomatic:\n  vcf: {}{}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    // The scanner names the line and the column where depth 65 opens (two block levels
    // above it): the parser, had it run, would have failed on the type, not the depth.
    let want = ["deep.yaml:3:", "nested deeper than 64 levels"];
    assert_clean_failure(
        &tailor("somatic", &["--case".as_ref(), case.as_os_str()], &out),
        &out,
        &want,
    );
    assert_clean_failure(
        &tailor("report", &["--case".as_ref(), case.as_os_str()], &out),
        &out,
        &want,
    );
    // Size is capped before the depth is looked at.
    std::fs::write(&case, format!("patient: P1\n#{}\n", "x".repeat(2 << 20))).unwrap();
    assert_clean_failure(
        &tailor("report", &["--case".as_ref(), case.as_os_str()], &out),
        &out,
        &["deep.yaml", "larger than 1024 KiB"],
    );
}

fn example_case() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/colorectal/case.yaml")
}

#[test]
fn temp_files_of_a_killed_run_are_swept_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // What SIGKILL leaves: temp files of a process that no longer runs (pids above the
    // Linux limit of 2^22 cannot run), plus a file of the user's that must stay.
    let stale = [".tailor-4999999-a1B2c3.tmp", ".tailor-4999998-zz9.tmp"];
    for name in stale {
        std::fs::write(out.join(name), b"half a rep").unwrap();
    }
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    // A failed run sweeps too: the folder holds no leftovers whatever the outcome.
    let bad = tmp.path().join("bad.yaml");
    std::fs::write(&bad, "patient: [unclosed\n").unwrap();
    let o = tailor("report", &["--case".as_ref(), bad.as_os_str()], &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("removed 2 temporary file(s)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files_in(&out), vec!["notes.txt"]);
    for name in stale {
        std::fs::write(out.join(name), b"half a rep").unwrap();
    }
    let o = tailor(
        "report",
        &["--case".as_ref(), example_case().as_os_str()],
        &out,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let left = files_in(&out);
    assert!(!left.iter().any(|n| n.ends_with(".tmp")), "{left:?}");
    assert!(left.contains(&"report.pdf".to_string()), "{left:?}");
}

#[test]
fn a_terminated_report_leaves_no_temp_file_and_no_partial_output() {
    let tmp = tempfile::tempdir().unwrap();
    let case = example_case();
    // Signals at moments across the run, from start-up to the writing of the files.
    for delay_ms in [0u64, 30, 60, 90, 120, 160, 200, 260] {
        let out = tmp.path().join(format!("out-{delay_ms}"));
        let mut child = tailor_command("report", &["--case".as_ref(), case.as_os_str()], &out)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        let left = files_in(&out);
        assert!(
            !left.iter().any(|n| n.starts_with(".tailor-")),
            "SIGTERM after {delay_ms} ms left {left:?}"
        );
        // Whatever exists under a final name is complete.
        if left.contains(&"interpretation.json".to_string()) {
            let bytes = std::fs::read(out.join("interpretation.json")).unwrap();
            serde_json::from_slice::<serde_json::Value>(&bytes).expect("complete JSON");
        }
        if left.contains(&"report.pdf".to_string()) {
            let pdf = std::fs::read(out.join("report.pdf")).unwrap();
            assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"), "complete PDF");
        }
        assert!(
            matches!(status.code(), Some(0 | 130) | None),
            "after {delay_ms} ms: {status:?}"
        );
    }
}

fn one_record_vcf(pos: &str) -> String {
    format!(
        "##fileformat=VCFv4.2\n##contig=<ID=chr7,length=159345973>\n\
         ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
         {COLUMNS}\tFORMAT\tTUMOR\nchr7\t{pos}\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\n"
    )
}

#[test]
fn every_reader_applies_the_same_position_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let rule = "expected a 1-based position from 1 to 2147483647";
    for pos in [
        "0",
        "4294967296",
        "9223372036854775808",
        "18446744073709551615",
    ] {
        let vcf = tmp.path().join(format!("p{pos}.vcf"));
        std::fs::write(&vcf, one_record_vcf(pos)).unwrap();
        let o = tailor("somatic", &["--vcf".as_ref(), vcf.as_os_str()], &out);
        assert_clean_failure(&o, &out, &[&format!("p{pos}.vcf"), "line 5", rule]);
        let seg = tmp.path().join(format!("s{pos}.tsv"));
        std::fs::write(
            &seg,
            format!("Chromosome\tStart\tEnd\tnMajor\tnMinor\n7\t1\t{pos}\t2\t1\n"),
        )
        .unwrap();
        let o = tailor("somatic", &["--segments".as_ref(), seg.as_os_str()], &out);
        assert_clean_failure(&o, &out, &[&format!("s{pos}.tsv:2"), rule]);
    }
    // The largest allowed position still reads.
    let vcf = tmp.path().join("max.vcf");
    std::fs::write(&vcf, one_record_vcf("2147483647")).unwrap();
    let o = tailor("somatic", &["--vcf".as_ref(), vcf.as_os_str()], &out);
    assert!(!stderr(&o).contains(rule), "{}", stderr(&o));
}

#[test]
fn directories_and_devices_are_named_as_what_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let dir = tmp.path().join("a-folder");
    std::fs::create_dir(&dir).unwrap();
    let null = Path::new("/dev/null");
    for (path, said) in [
        (dir.as_path(), "is a directory, not a file"),
        (null, "is not a regular file"),
    ] {
        let o = tailor("pgx", &[path.as_os_str()], &out);
        assert_clean_failure(&o, &out, &[&path.display().to_string(), said]);
        for flag in ["--vcf", "--maf", "--segments", "--biomarkers"] {
            let o = tailor("somatic", &[flag.as_ref(), path.as_os_str()], &out);
            assert_clean_failure(&o, &out, &[&path.display().to_string(), said]);
        }
        let o = tailor("report", &["--case".as_ref(), path.as_os_str()], &out);
        assert_clean_failure(&o, &out, &[&path.display().to_string(), said]);
        // Named inside a case file: the manifest and the key are named as well.
        let case = tmp.path().join("case.yaml");
        std::fs::write(
            &case,
            format!("patient: P1\nsomatic:\n  maf: {}\n", path.display()),
        )
        .unwrap();
        let o = tailor("report", &["--case".as_ref(), case.as_os_str()], &out);
        assert_clean_failure(&o, &out, &["case.yaml", "`somatic.maf`", said]);
    }
}

#[test]
fn a_file_reached_through_a_case_is_never_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "root:x:0:0:HUNTER2 the password\n").unwrap();
    let folder = tmp.path().join("cases");
    std::fs::create_dir(&folder).unwrap();
    let case = folder.join("case.yaml");
    let out = tmp.path().join("out");
    for key in ["vcf", "maf", "segments", "fusions", "cna", "biomarkers"] {
        std::fs::write(
            &case,
            format!("patient: P1\nsomatic:\n  {key}: ../secret.txt\n"),
        )
        .unwrap();
        let o = tailor("somatic", &["--case".as_ref(), case.as_os_str()], &out);
        assert_eq!(o.status.code(), Some(2), "{key}: {}", stderr(&o));
        let msg = stderr(&o);
        assert!(msg.contains("secret.txt"), "{key}: {msg}");
        assert!(
            !msg.contains("HUNTER2") && !msg.contains("root:x"),
            "{key}: {msg}"
        );
        assert!(files_in(&out).is_empty());
    }
}
