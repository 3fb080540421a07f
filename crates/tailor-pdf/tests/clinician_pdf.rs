//! The clinician PDF of the bundled colorectal example, built by the real pipeline
//! (knowledge base from ../shared/data, `interpret_case`), checked two ways: by parsing
//! the file's own structure (exact xref offsets, page objects), and by poppler
//! (`pdfinfo`, `pdftotext`, `pdftoppm`), an independent reader, which must see the same
//! page count and the key content, and render every page.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tailor_case::CaseManifest;
use tailor_core::interpretation::Interpretation;
use tailor_interpret::{interpret_case, InterpretOptions};
use tailor_kb::{KnowledgeBase, SourcePaths};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_data() -> PathBuf {
    std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"))
}

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        tailor_kb::build(&SourcePaths::from_shared_data(&shared_data()))
            .expect("knowledge base from the shared data")
    })
}

fn interpret(manifest: &Path) -> Interpretation {
    let case = CaseManifest::from_path(manifest).expect("case manifest");
    let options = InterpretOptions {
        generated_at: Some("2026-11-22T00:00:00Z".into()),
        ..Default::default()
    };
    interpret_case(&case, kb(), &options).expect("interpretation")
}

fn example() -> &'static Interpretation {
    static EXAMPLE: OnceLock<Interpretation> = OnceLock::new();
    EXAMPLE.get_or_init(|| interpret(&repo().join("examples/colorectal/case.yaml")))
}

fn example_pdf() -> &'static [u8] {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| tailor_pdf::clinician_report(example()))
}

/// The bytes as a string of equal length (non-ASCII bytes replaced), so string offsets
/// are byte offsets.
fn ascii(pdf: &[u8]) -> String {
    pdf.iter()
        .map(|&b| if b < 128 { b as char } else { '?' })
        .collect()
}

/// Parses the trailer and xref table; checks every entry points at `N 0 obj`. Returns
/// the number of objects.
fn check_xref(pdf: &[u8]) -> usize {
    let text = ascii(pdf);
    let sx = text.rfind("startxref\n").expect("startxref");
    let xref_at: usize = text[sx + 10..].lines().next().unwrap().parse().unwrap();
    assert!(text[xref_at..].starts_with("xref\n0 "));
    let mut lines = text[xref_at..].lines().skip(1);
    let count: usize = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(lines.next().unwrap(), "0000000000 65535 f ");
    for id in 1..count {
        let entry = lines.next().unwrap();
        assert!(entry.ends_with(" 00000 n "), "{entry}");
        let offset: usize = entry[..10].parse().unwrap();
        assert!(
            text[offset..].starts_with(&format!("{id} 0 obj\n")),
            "xref entry for object {id} points at {offset}"
        );
    }
    assert!(text.contains(&format!("trailer\n<< /Size {count} /Root 1 0 R")));
    count
}

/// Number of page objects, checked against the page tree's /Count.
fn page_count(pdf: &[u8]) -> usize {
    let text = ascii(pdf);
    let pages = text.matches("/Type /Page ").count();
    assert!(
        text.contains(&format!("/Count {pages} ")),
        "page tree count differs from {pages} page objects"
    );
    pages
}

fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        assert!(
            std::env::var_os("TAILOR_REQUIRE_EXTERNAL_TOOLS").is_none(),
            "{tool} is required here (TAILOR_REQUIRE_EXTERNAL_TOOLS is set)"
        );
        eprintln!("skipping poppler checks: `{tool}` not found (install poppler-utils)");
    }
    ok
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run poppler tool");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdftotext(path: &Path) -> String {
    run(Command::new("pdftotext").arg(path).arg("-"))
}

#[test]
fn example_report_structure_is_exact() {
    let pdf = example_pdf();
    if let Some(out) = std::env::var_os("TAILOR_PDF_OUT") {
        std::fs::write(out, pdf).unwrap();
    }
    assert!(pdf.starts_with(b"%PDF-1.4\n"));
    let objects = check_xref(pdf);
    let pages = page_count(pdf);
    // catalog, page tree, info, resources, 4 fonts, then page + content per page
    assert_eq!(objects, 9 + 2 * pages);
    assert!(pages >= 5, "the example has many findings: {pages} pages");
    // Same input, same bytes.
    assert_eq!(tailor_pdf::clinician_report(example()), pdf);
}

#[test]
fn every_page_has_the_footer() {
    let pdf = ascii(example_pdf());
    let pages = page_count(example_pdf());
    let i = example();
    for n in 1..=pages {
        assert!(pdf.contains(&format!("(page {n} of {pages})")), "page {n}");
    }
    let footer = format!("{} \\267 report {}", i.case.patient, i.report_id);
    assert_eq!(pdf.matches(&footer).count(), pages);
}

#[test]
fn poppler_reads_the_same_pages_and_content() {
    if !have("pdfinfo") || !have("pdftotext") || !have("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, example_pdf()).unwrap();
    let pages = page_count(example_pdf());

    let info = run(Command::new("pdfinfo").arg(&path));
    let reported: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("pdfinfo Pages line")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(reported, pages);
    assert!(info.contains("A4"), "{info}");
    assert!(!info.contains("Syntax Error"));

    let text = pdftotext(&path);
    let i = example();
    let somatic = i.somatic.as_ref().expect("somatic part");
    let braf = somatic
        .findings
        .iter()
        .find(|f| f.alteration == "BRAF V600E")
        .expect("BRAF V600E finding");
    let alert = i
        .medication_alerts
        .first()
        .expect("a current medication alert");
    for needle in [
        i.case.patient.as_str(),
        i.report_id.as_str(),
        "BRAF V600E",
        "encorafenib + cetuximab",
        &format!("Tier {}", braf.tier.label()),
        "Tier II-C",
        "Tier III: unknown clinical significance",
        "Pharmacogenomics",
        "Current medications",
        alert.medication.as_str(),
        "Limitations",
        "Methods",
        "Sign-off",
        i.knowledge.kb_version.as_str(),
        "TMB-high",
    ] {
        assert!(text.contains(needle), "pdftotext output lacks {needle:?}");
    }
    assert!(!text.contains("No actionable finding"));
    // Every page's footer, as poppler extracts it; pdftotext separates pages by \f.
    let page_texts: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(page_texts.len(), pages);
    for (n, page) in page_texts.iter().enumerate() {
        assert!(page.contains(&format!("page {} of {pages}", n + 1)));
        assert!(page.contains(&i.case.patient));
    }

    let prefix = dir.path().join("page");
    run(Command::new("pdftoppm")
        .args(["-r", "50", "-png"])
        .arg(&path)
        .arg(&prefix));
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pngs.sort();
    assert_eq!(pngs.len(), pages);
    for png in &pngs {
        let bytes = std::fs::read(png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{png:?}");
    }

    // Page 1 is not blank: a greyscale rendering has a real share of dark pixels.
    let gray = dir.path().join("gray");
    run(Command::new("pdftoppm")
        .args(["-r", "50", "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&gray));
    let pgm = std::fs::read(dir.path().join("gray.pgm")).unwrap();
    let (width, height, pixels) = parse_pgm(&pgm);
    // A4 at 50 dpi is 413.4 x 584.7 pixels; poppler rounds up.
    assert!((413..=414).contains(&width) && (585..=586).contains(&height));
    let dark = pixels.iter().filter(|&&p| p < 128).count();
    assert!(
        dark * 100 > pixels.len(),
        "page 1 looks blank: {dark} dark pixels of {}",
        pixels.len()
    );
}

/// Binary PGM (`P5`): width, height and the pixel bytes.
fn parse_pgm(bytes: &[u8]) -> (usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let width: usize = fields[1].parse().unwrap();
    let height: usize = fields[2].parse().unwrap();
    let pixels = &bytes[at + 1..];
    assert_eq!(pixels.len(), width * height);
    (width, height, pixels)
}

#[test]
fn a_case_without_actionable_findings_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("case.yaml");
    std::fs::write(
        &manifest,
        "patient: TEST-NOACT-001\ntumor_type: COAD\nbiomarkers:\n  tmb: 3\n  msi: MSS\n",
    )
    .unwrap();
    let i = interpret(&manifest);
    let somatic = i.somatic.as_ref().expect("somatic part from biomarkers");
    assert!(!somatic.actionable);
    assert!(i.pgx.is_none());
    let pdf = tailor_pdf::clinician_report(&i);
    if let Some(out) = std::env::var_os("TAILOR_PDF_OUT_NO_ACTIONABLE") {
        std::fs::write(out, &pdf).unwrap();
    }
    check_xref(&pdf);
    let pages = page_count(&pdf);
    assert!(ascii(&pdf).contains("(No actionable finding"));
    if !have("pdftotext") {
        return;
    }
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = pdftotext(&path);
    assert!(text.contains("No actionable finding"));
    assert!(text.contains("TEST-NOACT-001"));
    assert!(text.contains("not TMB-high"));
    assert!(text.contains("pharmacogenomics was not assessed"));
    assert!(text.contains(&format!("page {pages} of {pages}")));
}
