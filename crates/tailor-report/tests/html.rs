//! The HTML reports on the real pipeline: the bundled colorectal example case (PCGR's
//! public T001-COAD tumour plus PharmCAT's public germline example) interpreted with
//! the real knowledge base, and a biomarker-only case with nothing actionable. Checks
//! content and order, that no VUS leaks into an actionable section, that nothing is
//! fetched from outside, the patient summary's reading grade, and (when Chromium is
//! installed) that the report renders in a real browser.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tailor_case::CaseManifest;
use tailor_core::interpretation::Interpretation;
use tailor_interpret::{interpret_case, InterpretOptions};
use tailor_kb::{KnowledgeBase, SourcePaths};
use tailor_report::html::{clinician_report, escape, patient_summary};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_data() -> PathBuf {
    std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"))
}

/// One knowledge base per test binary: building it dominates the run time.
fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let mut paths = SourcePaths::from_shared_data(&shared_data());
        if !tailor_kb::onco::curated_tables_embedded() {
            paths.curated_dir = Some(repo().join("kb/onco"));
        }
        tailor_kb::build(&paths).expect("knowledge base builds from the shared data")
    })
}

fn options() -> InterpretOptions {
    InterpretOptions {
        generated_at: Some("2026-11-22T00:00:00Z".into()),
        ..Default::default()
    }
}

/// The bundled example case, interpreted once.
fn colorectal() -> &'static Interpretation {
    static I: OnceLock<Interpretation> = OnceLock::new();
    I.get_or_init(|| {
        let manifest = CaseManifest::from_path(&repo().join("examples/colorectal/case.yaml"))
            .expect("example case manifest reads");
        interpret_case(&manifest, kb(), &options()).expect("example case interprets")
    })
}

/// A colorectal case with only inline biomarkers, none of them actionable.
fn nothing_actionable() -> Interpretation {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.yaml");
    std::fs::write(
        &path,
        "patient: QUIET-COAD-002\ntumor_type: COAD\nbiomarkers:\n  tmb: 3\n  msi: MSS\n",
    )
    .unwrap();
    let manifest = CaseManifest::from_path(&path).expect("manifest reads");
    interpret_case(&manifest, kb(), &options()).expect("biomarker-only case interprets")
}

/// The text of the element that starts with `open` (e.g. `<section id="vus"`), up to
/// its closing `</section>` (sections are not nested in these reports).
fn section<'a>(html: &'a str, open: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in report"));
    let end = html[start..]
        .find("</section>")
        .map(|e| start + e)
        .unwrap_or(html.len());
    &html[start..end]
}

/// Every `data-finding="ID"` in `html`.
fn finding_ids(html: &str) -> Vec<&str> {
    html.match_indices("data-finding=\"")
        .filter_map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn clinician_report_has_the_example_case_content_in_order() {
    let i = colorectal();
    let html = clinician_report(i);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for needle in [
        "EXAMPLE-CRC-001",
        "Colon Adenocarcinoma",
        "S-2026-0415",
        "Dr. A. Example",
        i.report_id.as_str(),
        "2026-11-22",
        i.knowledge.kb_version.as_str(),
        "BRAF V600E",
        "encorafenib + cetuximab",
        "tier I-A",
        "tier II-C",
        "on-label",
        "off-label",
        "resistance",
        "kb/onco/evidence.tsv:",
        "Tier III: variants of uncertain significance (not actionable)",
        "Clinical trials",
        "Trial matching is not yet available",
        "CYP2C19",
        "Activity score",
        "Reviewed by",
        "Signature",
        "CC BY-SA",
        "ODbL",
        "CC BY 4.0",
    ] {
        assert!(html.contains(needle), "clinician report lacks {needle:?}");
    }
    assert!(
        !html.contains("No actionable finding"),
        "the example case has tier I findings"
    );
    // Sections in the order the issue asks for.
    let order = [
        "<header class=\"report\"",
        "id=\"summary\"",
        "id=\"findings\"",
        "id=\"therapies\"",
        "id=\"vus\"",
        "id=\"biomarkers\"",
        "id=\"vaf\"",
        "id=\"trials\"",
        "id=\"pgx\"",
        "id=\"limitations\"",
        "id=\"methods\"",
        "id=\"knowledge\"",
        "id=\"signoff\"",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|s| html.find(s).unwrap_or_else(|| panic!("missing {s}")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "sections out of order: {positions:?}"
    );
    // Tier I before tier II among the findings.
    let findings = section(&html, "<section id=\"findings\"");
    let t1 = findings.find("Tier I: strong").expect("tier I heading");
    let t2 = findings
        .find("Tier II: potential")
        .expect("tier II heading");
    assert!(t1 < t2);
    // Every limitation is stated.
    for l in &i.limitations {
        assert!(
            html.contains(&escape(&l.what)),
            "limitation {:?} missing",
            l.what
        );
    }
}

#[test]
fn summary_box_puts_current_medications_first() {
    let i = colorectal();
    let html = clinician_report(i);
    let summary = section(&html, "<section class=\"summary\"");
    let med = summary.find("current medication").expect("medication item");
    let somatic = summary.find("BRAF V600E").expect("somatic item");
    assert!(med < somatic, "medication alerts come first in the summary");
    assert!(summary.contains(&escape(&i.conclusion)));
}

#[test]
fn current_medication_alerts_come_before_other_recommendations() {
    let i = colorectal();
    assert!(
        !i.medication_alerts.is_empty(),
        "example has medication alerts"
    );
    let html = clinician_report(i);
    let pgx = section(&html, "<section id=\"pgx\"");
    let alerts = pgx.find("<table class=\"alerts\"").expect("alert table");
    let others = pgx
        .find("id=\"other-recommendations\"")
        .expect("other recs");
    assert!(alerts < others);
    for a in &i.medication_alerts {
        let at = pgx[..others]
            .find(&format!("<b>{}</b>", escape(&a.medication)))
            .expect("each current medication is in the alert table");
        assert!(at > alerts);
    }
    // A current medication is not repeated among the "other" recommendations.
    let rest = &pgx[others..];
    for m in &i.case.medications {
        assert!(
            !rest.contains(&format!("<td><b>{}</b></td>", escape(m))),
            "{m} repeated among other recommendations"
        );
    }
    // Other actionable recommendations are there.
    let other = i
        .pgx
        .as_ref()
        .unwrap()
        .result
        .recommendations
        .iter()
        .find(|r| r.actionable && !i.case.medications.contains(&r.drug))
        .expect("an actionable non-current recommendation");
    assert!(rest.contains(&format!("<td><b>{}</b></td>", escape(&other.drug))));
}

#[test]
fn tier_three_findings_appear_only_in_the_vus_section() {
    let i = colorectal();
    let doc = i.somatic.as_ref().unwrap();
    assert!(!doc.uncertain.is_empty(), "example has VUS");
    let html = clinician_report(i);
    let vus = section(&html, "<section id=\"vus\"");
    let vus_start = html.find("<section id=\"vus\"").unwrap();
    let outside = format!("{}{}", &html[..vus_start], &html[vus_start + vus.len()..]);
    let in_vus = finding_ids(vus);
    let elsewhere = finding_ids(&outside);
    let actionable_alterations: Vec<String> =
        doc.findings.iter().map(|f| escape(&f.alteration)).collect();
    for f in &doc.uncertain {
        assert!(
            in_vus.contains(&f.id.as_str()),
            "{} not in VUS section",
            f.id
        );
        assert!(!elsewhere.contains(&f.id.as_str()), "{} outside VUS", f.id);
        let alteration = escape(&f.alteration);
        if !actionable_alterations
            .iter()
            .any(|a| a.contains(&alteration))
        {
            let summary = section(&html, "<section class=\"summary\"");
            let findings = section(&html, "<section id=\"findings\"");
            let therapies = section(&html, "<section id=\"therapies\"");
            for (name, part) in [
                ("summary", summary),
                ("findings", findings),
                ("therapies", therapies),
            ] {
                assert!(
                    !part.contains(&format!("{alteration}<"))
                        && !part.contains(&format!("{alteration},")),
                    "VUS {alteration} shown in {name}"
                );
            }
        }
    }
    for id in &elsewhere {
        let f = doc.findings.iter().find(|f| f.id == *id).expect("known id");
        assert!(f.tier.is_actionable());
    }
    assert_eq!(in_vus.len(), doc.uncertain.len());
}

#[test]
fn biomarkers_and_plots_are_inline_svg() {
    let i = colorectal();
    let html = clinician_report(i);
    let bio = section(&html, "<section id=\"biomarkers\"");
    assert!(bio.contains("<svg class=\"tmb\""), "TMB gauge");
    assert!(bio.contains("TMB-high &#8805; 10"));
    assert!(bio.contains("MSS"));
    assert!(bio.contains("pMMR"));
    // HER2 was not given with the example case: "not tested", never "negative".
    let her2 = &bio[bio.find("HER2 IHC").unwrap()..];
    assert!(her2[..200.min(her2.len())].contains("not tested"));
    let vaf = section(&html, "<section id=\"vaf\"");
    assert!(vaf.contains("<svg class=\"vaf\""));
    assert!(vaf.contains("BRAF V600E"));
    assert!(vaf.contains("purity 60%"));
}

/// Values of every `src=`/`href=` attribute, quoted or not.
fn link_targets(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for attr in ["src=", "href=", "url(", "@import"] {
        for (at, m) in lower.match_indices(attr) {
            let rest = &html[at + m.len()..];
            out.push(rest.chars().take(60).collect());
        }
    }
    out
}

#[test]
fn reports_fetch_nothing_from_outside() {
    let i = colorectal();
    for (name, html) in [
        ("report", clinician_report(i)),
        ("patient summary", patient_summary(i)),
    ] {
        for target in link_targets(&html) {
            let t = target.trim_start_matches(['"', '\'']).to_ascii_lowercase();
            assert!(t.starts_with('#'), "{name}: external reference {target:?}");
        }
        let lower = html.to_ascii_lowercase();
        for tag in [
            "<script",
            "<link",
            "<img",
            "<iframe",
            "<object",
            "<embed",
            "@font-face",
        ] {
            assert!(!lower.contains(tag), "{name} contains {tag}");
        }
    }
}

#[test]
fn text_from_inputs_is_escaped() {
    let mut i = colorectal().clone();
    i.case.patient = "<script>alert(1)</script>".into();
    i.conclusion = "a & b <i>".into();
    let html = clinician_report(&i);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("a &amp; b &lt;i&gt;"));
    assert!(!patient_summary(&i).contains("<script>"));
}

#[test]
fn a_case_without_actionable_findings_says_so() {
    let i = nothing_actionable();
    let doc = i.somatic.as_ref().expect("somatic part");
    assert!(!doc.actionable);
    let html = clinician_report(&i);
    assert!(html.contains("QUIET-COAD-002"));
    let summary = section(&html, "<section class=\"summary\"");
    assert!(summary.contains("No actionable finding"));
    let findings = section(&html, "<section id=\"findings\"");
    assert!(findings.contains("No actionable finding"));
    assert!(finding_ids(findings).is_empty());
    assert!(
        html.contains("<svg class=\"tmb\""),
        "TMB 3 is still plotted"
    );
    assert!(html.contains("below the TMB-high threshold"));
    let bio = section(&html, "<section id=\"biomarkers\"");
    assert!(bio.contains("not tested"), "PD-L1/HER2 not tested");
    assert!(html.contains("No germline (pharmacogenomic) testing"));
    let patient = patient_summary(&i);
    assert!(patient.contains("No actionable finding"));
    assert!(!patient.contains("Medicines linked to it"));
}

#[test]
fn patient_summary_says_what_was_found_in_plain_words() {
    let i = colorectal();
    let html = patient_summary(i);
    for needle in [
        "EXAMPLE-CRC-001",
        "BRAF V600E",
        "A change with an approved medicine for your type of cancer.",
        "A change seen with medicines approved for other cancers.",
        "cannot yet interpret",
        "encorafenib plus cetuximab",
        "What the test could not tell us",
        "capecitabine",
        "clopidogrel",
        "Questions to ask your care team",
        "side effects",
        "cost",
        "stops working",
        "clinical trial",
        "Which tests were done",
        "proof",
    ] {
        assert!(html.contains(needle), "patient summary lacks {needle:?}");
    }
    assert!(!html.contains("No actionable finding"));
    // No VUS is named in the patient summary.
    let doc = i.somatic.as_ref().unwrap();
    let named: Vec<&str> = doc.findings.iter().map(|f| f.alteration.as_str()).collect();
    for f in &doc.uncertain {
        if !named.iter().any(|a| a.contains(&f.alteration)) {
            assert!(!html.contains(&format!("<b>{}</b>", escape(&f.alteration))));
        }
    }
    // No tier codes or jargon left for the patient.
    for jargon in [
        "tier I",
        "VUS",
        "VAF",
        "off-label",
        "diplotype",
        "Metabolizer",
    ] {
        assert!(!html.contains(jargon), "patient summary uses {jargon:?}");
    }
}

/// Visible text of `html`'s `<main>`, headings removed, with block ends turned into
/// sentence ends when the text does not end one already.
fn body_text(html: &str) -> String {
    let start = html.find("<main>").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    let mut text = String::new();
    let mut rest = &html[start..end];
    let mut in_heading = false;
    while let Some(lt) = rest.find('<') {
        if !in_heading {
            text.push_str(&rest[..lt]);
        }
        let gt = rest[lt..]
            .find('>')
            .map(|g| lt + g)
            .unwrap_or(rest.len() - 1);
        let tag = rest[lt + 1..gt].to_ascii_lowercase();
        if tag.starts_with("h1") || tag.starts_with("h2") || tag.starts_with("h3") {
            in_heading = true;
        } else if tag.starts_with("/h1") || tag.starts_with("/h2") || tag.starts_with("/h3") {
            in_heading = false;
        } else if ["/p", "/li", "/div", "br", "/footer"]
            .iter()
            .any(|t| tag == *t)
        {
            let trimmed = text.trim_end();
            if !trimmed.is_empty() && !trimmed.ends_with(['.', '?', '!', ':']) {
                text.push('.');
            }
            text.push(' ');
        }
        rest = &rest[gt + 1..];
    }
    text.push_str(rest);
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// Syllables by vowel groups, less a silent final "e", at least one per word.
fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if w.is_empty() {
        return 1;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut previous = false;
    for &c in &w {
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    let n = w.len();
    if n > 2 && w[n - 1] == 'e' && w[n - 2] != 'l' && !vowel(w[n - 2]) && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// Flesch-Kincaid grade level:
/// 0.39 (words / sentences) + 11.8 (syllables / words) - 15.59.
fn flesch_kincaid_grade(text: &str) -> f64 {
    let sentences = text
        .split(['.', '?', '!', ':'])
        .filter(|s| s.chars().any(|c| c.is_alphanumeric()))
        .count()
        .max(1);
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '/' || c == ';' || c == ',')
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .collect();
    let syl: usize = words.iter().map(|w| syllables(w)).sum();
    let n = words.len().max(1) as f64;
    0.39 * (n / sentences as f64) + 11.8 * (syl as f64 / n) - 15.59
}

#[test]
fn syllable_heuristic_is_sane() {
    assert_eq!(syllables("cat"), 1);
    assert_eq!(syllables("medicine"), 3);
    assert_eq!(syllables("table"), 2);
    assert_eq!(syllables("make"), 1);
    assert_eq!(syllables("tumour"), 2);
    assert_eq!(syllables("BRAF"), 1);
    // A text of long words scores far above one of short words.
    let hard = flesch_kincaid_grade(
        "Pharmacogenomic stratification necessitates comprehensive interdisciplinary consultation.",
    );
    let easy = flesch_kincaid_grade("The cat sat on the mat. It was a good cat.");
    assert!(hard > 12.0 && easy < 3.0, "hard {hard}, easy {easy}");
}

#[test]
fn patient_summary_reads_at_about_eighth_grade() {
    for (name, i) in [
        ("example", colorectal().clone()),
        ("nothing actionable", nothing_actionable()),
    ] {
        let text = body_text(&patient_summary(&i));
        let grade = flesch_kincaid_grade(&text);
        eprintln!("{name}: Flesch-Kincaid grade {grade:.1}");
        assert!(
            grade <= 9.0,
            "{name}: patient summary reads at grade {grade:.1}:\n{text}"
        );
    }
}

/// Chromium binary, when installed (CI installs it; a developer machine may not).
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Command::new("which").arg(name).output().ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

/// Width, height and total IDAT (compressed pixel data) length of a PNG.
fn png_facts(bytes: &[u8]) -> Option<(u32, u32, usize)> {
    if bytes.len() < 33 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (width, height) = (be(&bytes[16..20]), be(&bytes[20..24]));
    let mut idat = 0;
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = be(&bytes[at..at + 4]) as usize;
        if &bytes[at + 4..at + 8] == b"IDAT" {
            idat += len;
        }
        at += 12 + len;
    }
    Some((width, height, idat))
}

fn run_chromium(chromium: &Path, dir: &Path, args: &[&str], page: &Path) -> std::process::Output {
    let mut url = String::from("file://");
    url.push_str(&page.to_string_lossy());
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(args)
        .arg(url)
        .current_dir(dir)
        .output()
        .expect("chromium runs")
}

#[test]
fn chromium_renders_the_reports() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("TAILOR_REQUIRE_EXTERNAL_TOOLS").is_none(),
            "chromium is required here (TAILOR_REQUIRE_EXTERNAL_TOOLS is set)"
        );
        eprintln!("note: chromium not installed; skipping the browser rendering test");
        return;
    };
    let i = colorectal();
    let dir = std::env::var_os("TAILOR_HTML_SCREENSHOT_DIR")
        .map(|d| {
            let d = PathBuf::from(d);
            std::fs::create_dir_all(&d).unwrap();
            (None, d)
        })
        .unwrap_or_else(|| {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_path_buf();
            (Some(t), p)
        });
    let (_keep, dir) = dir;
    for (file, html, must_show) in [
        (
            "report.html",
            clinician_report(i),
            vec![
                "BRAF V600E",
                "EXAMPLE-CRC-001",
                "Clinical trials",
                "Reviewed by",
            ],
        ),
        (
            "patient-summary.html",
            patient_summary(i),
            vec![
                "BRAF V600E",
                "EXAMPLE-CRC-001",
                "Questions to ask your care team",
            ],
        ),
    ] {
        let page = dir.join(file);
        std::fs::write(&page, &html).unwrap();
        let png = dir.join(file.replace(".html", ".png"));
        let shot = run_chromium(
            &chromium,
            &dir,
            &[
                &format!("--screenshot={}", png.display()),
                "--window-size=1240,1754",
            ],
            &page,
        );
        assert!(
            png.exists(),
            "no screenshot of {file}: {}",
            String::from_utf8_lossy(&shot.stderr)
        );
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.len() > 20_000,
            "{file}: screenshot is {} bytes",
            bytes.len()
        );
        let (w, h, idat) = png_facts(&bytes).expect("a PNG");
        assert_eq!((w, h), (1240, 1754), "{file}: screenshot size");
        // A blank page compresses to a few kB; text, tables and plots do not.
        assert!(idat > 20_000, "{file}: only {idat} bytes of pixel data");

        let dom = run_chromium(&chromium, &dir, &["--dump-dom"], &page);
        let dom = String::from_utf8_lossy(&dom.stdout);
        for text in must_show {
            assert!(dom.contains(text), "{file}: rendered DOM lacks {text:?}");
        }
    }
}
