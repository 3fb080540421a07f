//! The clinician report: what is drawn, in which order, from one [`Interpretation`].
//!
//! The order follows how a treating clinician reads a molecular report: who and what
//! was tested, the conclusion, the actionable tumour findings with their evidence, the
//! ranked options, what is not actionable, biomarkers, then the germline
//! pharmacogenomics with the patient's current medications first, and finally what the
//! test could not tell, how it was done, the knowledge used and the sign-off.

use crate::font::{to_win_ansi, Font};
use crate::layout::{
    Cell, Layout, Row, Style, Table, ACCENT, BOTTOM, CONTENT_WIDTH, INK, MARGIN_X, RULE, TOP,
};
use crate::writer::{write_document, Canvas, DocInfo, Rgb, PAGE_WIDTH};
use tailor_core::interpretation::Interpretation;
use tailor_core::labels::percent;
use tailor_core::onco::{Effect, LabelStatus, SomaticDocument, SomaticFinding, Tier, TmbResult};
use tailor_core::pgx::{DrugRecommendation, PgxSampleResult};
use tailor_core::somatic::{Biomarkers, MmrStatus, MsiStatus, Positivity};

const MUTED: Rgb = Rgb(0.38, 0.42, 0.47);
const ALERT: Rgb = Rgb(0.70, 0.11, 0.11);
const CAUTION: Rgb = Rgb(0.62, 0.33, 0.0);
const SUMMARY_FILL: Rgb = Rgb(0.93, 0.96, 0.99);
const TIER1: Rgb = Rgb(0.70, 0.11, 0.11);
const TIER2: Rgb = Rgb(0.80, 0.42, 0.0);
const TIER3: Rgb = Rgb(0.45, 0.47, 0.50);

const BODY: Style = Style::new(Font::Regular, 8.5, INK);
const BOLD: Style = Style::new(Font::Bold, 8.5, INK);
const SMALL: Style = Style::new(Font::Regular, 7.5, INK);
const SMALL_BOLD: Style = Style::new(Font::Bold, 7.5, INK);
const NOTE: Style = Style::new(Font::Italic, 7.5, MUTED);
const META: Style = Style::new(Font::Regular, 6.5, MUTED);
const LABEL: Style = Style::new(Font::Bold, 7.0, MUTED);
const MONO: Style = Style::new(Font::Mono, 7.0, INK);

/// Renders the clinician report as a PDF (A4, standard-14 fonts, no dependencies).
///
/// Every page carries the patient pseudonym, the report id and "page X of Y" in its
/// footer, so a printed page that goes astray can still be matched to its report. The
/// output depends only on `i`: the same interpretation gives the same bytes.
///
/// ```
/// # fn demo(i: &tailor_core::interpretation::Interpretation) {
/// let pdf = tailor_pdf::clinician_report(i);
/// assert!(pdf.starts_with(b"%PDF-1.4"));
/// # }
/// ```
pub fn clinician_report(i: &Interpretation) -> Vec<u8> {
    let mut l = Layout::new();
    title(&mut l, i);
    header_block(&mut l, i);
    summary(&mut l, i);
    match &i.somatic {
        Some(s) => {
            somatic_findings(&mut l, s);
            therapy_options(&mut l, s);
            tier3(&mut l, s);
            biomarkers(&mut l, s);
        }
        None => {
            l.section("Somatic findings", 20.0);
            l.paragraph(
                "No tumour (somatic) inputs were given with this case: tumour alterations, therapies and biomarkers were not assessed.",
                BODY,
            );
        }
    }
    l.section("Clinical trials", 20.0);
    l.paragraph(&i.trials.note, BODY);
    pharmacogenomics(&mut l, i);
    limitations(&mut l, i);
    methods(&mut l, i);
    knowledge(&mut l, i);
    sign_off(&mut l, i);

    let mut pages = l.finish();
    decorate(&mut pages, i);
    let info = DocInfo {
        title: format!("Tailor clinician report {}", i.case.patient),
        subject: format!("Report {} generated {}", i.report_id, i.generated_at),
        producer: format!("Tailor {}", i.tailor_version),
        creation_date: pdf_date(&i.generated_at),
    };
    write_document(&pages, &info)
}

/// `2026-11-22T00:00:00Z` -> `D:20261122000000Z`; empty when the time is not RFC 3339.
fn pdf_date(rfc3339: &str) -> String {
    let digits: String = rfc3339
        .chars()
        .take(19)
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() == 14 {
        format!("D:{digits}Z")
    } else {
        String::new()
    }
}

fn report_date(i: &Interpretation) -> &str {
    i.generated_at.split('T').next().unwrap_or(&i.generated_at)
}

fn tier_color(t: Tier) -> Rgb {
    match t {
        Tier::IA | Tier::IB => TIER1,
        Tier::IIC | Tier::IID => TIER2,
        Tier::III => TIER3,
    }
}

fn title(l: &mut Layout, i: &Interpretation) {
    let top = l.reserve(40.0);
    let c = l.canvas();
    c.text(
        Font::Bold,
        17.0,
        MARGIN_X,
        top - 17.0,
        ACCENT,
        b"Molecular tumour and pharmacogenomic report",
    );
    let sub = format!(
        "Clinician report \u{2013} for the treating clinician and the molecular tumour board \u{b7} {}",
        report_date(i)
    );
    c.text(
        Font::Regular,
        8.5,
        MARGIN_X,
        top - 31.0,
        MUTED,
        &to_win_ansi(&sub),
    );
}

fn header_block(l: &mut Layout, i: &Interpretation) {
    let case = &i.case;
    let tumour = case
        .tumor_type
        .as_ref()
        .map(|t| format!("{} ({}; {})", t.name, t.code, t.main_type))
        .unwrap_or_else(|| "not given".into());
    let mut sample = case.sample_type.label().to_string();
    if let Some(p) = case.purity {
        sample.push_str(&format!(", tumour purity {}", percent(p)));
    }
    let specimen = case
        .specimen
        .as_ref()
        .map(|s| {
            let mut parts: Vec<String> = [&s.id, &s.specimen_type, &s.site]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            if let Some(d) = &s.collected {
                parts.push(format!("collected {d}"));
            }
            if let Some(d) = &s.received {
                parts.push(format!("received {d}"));
            }
            parts.join(", ")
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "not given".into());
    let test = case
        .test
        .as_ref()
        .map(|t| {
            [&t.name, &t.lab, &t.method]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "not given".into());
    let clinician = case
        .clinician
        .as_ref()
        .map(|c| {
            [&c.name, &c.organisation]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "not given".into());
    let medications = if case.medications.is_empty() {
        "none given".to_string()
    } else {
        case.medications.join(", ")
    };
    let pairs: [(&str, String, Style, &str, String, Style); 5] = [
        (
            "Patient (pseudonym)",
            case.patient.clone(),
            BOLD,
            "Report ID",
            i.report_id.clone(),
            MONO,
        ),
        (
            "Tumour type",
            tumour,
            BODY,
            "Report date",
            format!("{} (generated {})", report_date(i), i.generated_at),
            BODY,
        ),
        (
            "Sample",
            sample,
            BODY,
            "Knowledge base",
            i.knowledge.kb_version.clone(),
            MONO,
        ),
        (
            "Specimen",
            specimen,
            BODY,
            "Ordering clinician",
            clinician,
            BODY,
        ),
        ("Test", test, BODY, "Current medications", medications, BODY),
    ];
    let mut t = Table::new(&[0.15, 0.37, 0.15, 0.33], &[]);
    t.zebra = false;
    t.frame = Some(ACCENT);
    for (k1, v1, s1, k2, v2, s2) in pairs {
        t.rows.push(Row::filled(
            vec![
                Cell::new(LABEL, k1),
                Cell::new(s1, v1),
                Cell::new(LABEL, k2),
                Cell::new(s2, v2),
            ],
            SUMMARY_FILL,
        ));
    }
    l.table(&t);
}

fn summary(l: &mut Layout, i: &Interpretation) {
    l.section("Summary", 60.0);
    let mut box_cell = Cell::default();
    match &i.somatic {
        // Said in these words even when the conclusion words it differently.
        Some(s) if !s.actionable && !i.conclusion.contains("No actionable finding") => {
            box_cell = box_cell.then(
                Style::new(Font::Bold, 10.0, ALERT),
                "No actionable finding: no tier I or II somatic alteration was found in this sample.",
            );
        }
        None => {
            box_cell = box_cell.then(
                BOLD,
                "No tumour (somatic) inputs were given: this report covers pharmacogenomics only.",
            );
        }
        Some(_) => {}
    }
    box_cell = box_cell.then(BOLD, &i.conclusion);
    let mut t = Table::new(&[1.0], &[]);
    t.zebra = false;
    t.frame = Some(ACCENT);
    t.rows.push(Row::filled(vec![box_cell], SUMMARY_FILL));
    l.table(&t);
    if i.summary.is_empty() {
        return;
    }
    l.gap(4.0);
    let mut t = Table::new(
        &[0.12, 0.06, 0.30, 0.52],
        &["Area", "Tier", "Finding", "What it means"],
    );
    for item in &i.summary {
        let area = match item.area.as_str() {
            "somatic" => "Tumour",
            "pgx" => "Pharmacogenomics",
            "medication" => "Current medication",
            other => other,
        };
        let tier = item.tier.clone().unwrap_or_default();
        let color = if tier.starts_with("II") {
            TIER2
        } else if tier.starts_with('I') {
            TIER1
        } else {
            INK
        };
        t.push(vec![
            Cell::new(SMALL, area),
            Cell::new(SMALL_BOLD.colored(color), tier),
            Cell::new(SMALL_BOLD, &item.finding),
            Cell::new(SMALL, &item.meaning),
        ]);
    }
    l.table(&t);
}

fn somatic_findings(l: &mut Layout, s: &SomaticDocument) {
    l.section("Somatic findings: tier I and II (actionable)", 60.0);
    let c = &s.counts;
    l.paragraph(
        &format!(
            "{} tier I, {} tier II and {} tier III findings; {} small variants read, {} not reported (synonymous, non-coding or outside genes). Tiers follow AMP/ASCO/CAP 2017.",
            c.tier1, c.tier2, c.tier3, c.variants, c.not_reported
        ),
        BODY,
    );
    if s.findings.is_empty() {
        l.gap(4.0);
        l.paragraph(
            "No actionable finding: no alteration with tier I or II evidence was found.",
            Style::new(Font::Bold, 10.0, ALERT),
        );
    }
    for f in &s.findings {
        finding(l, f);
    }
    if !s.warnings.is_empty() {
        l.subheading("Warnings", 20.0);
        for w in &s.warnings {
            l.bullet(w, SMALL.colored(CAUTION));
        }
    }
}

fn variant_line(f: &SomaticFinding) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &f.variant {
        let mut desc = format!("{}:{} {}>{}", v.chrom, v.pos, v.ref_allele, v.alt_allele);
        for x in [&v.transcript, &v.hgvsc].into_iter().flatten() {
            desc.push_str(&format!(", {x}"));
        }
        if let Some(e) = v.exon {
            desc.push_str(&format!(", exon {e}"));
        }
        if let Some(p) = &v.protein {
            desc.push_str(&format!(", p.{p}"));
        }
        parts.push(desc);
        let mut reads = Vec::new();
        if let Some(vaf) = v.vaf {
            reads.push(format!("VAF {}", percent(vaf)));
        }
        if let Some(d) = v.depth {
            reads.push(format!("depth {d}"));
        }
        if let Some(ccf) = v.ccf {
            reads.push(format!("CCF {}", percent(ccf)));
        }
        if v.subclonal {
            reads.push("probably subclonal".into());
        }
        if !reads.is_empty() {
            parts.push(reads.join(", "));
        }
    }
    if let Some(c) = f.copies {
        parts.push(format!("{c:.1} copies"));
    }
    if let Some(r) = f.supporting_reads {
        parts.push(format!("{r} supporting reads"));
    }
    parts.push(format!(
        "{}: {}",
        f.oncogenicity.label(),
        f.oncogenicity_reason
    ));
    parts.join("; ")
}

fn finding(l: &mut Layout, f: &SomaticFinding) {
    l.gap(8.0);
    // Keep the heading with its details and the first evidence rows.
    if l.remaining() < 110.0 {
        l.new_page();
    }
    let top = l.reserve(16.0);
    let color = tier_color(f.tier);
    let badge = format!("Tier {}", f.tier.label());
    let badge_bytes = to_win_ansi(&badge);
    let badge_w = Font::Bold.width(&badge_bytes, 8.0) + 8.0;
    let c = l.canvas();
    c.fill_rect(MARGIN_X, top - 13.0, badge_w, 12.0, color);
    c.text(
        Font::Bold,
        8.0,
        MARGIN_X + 4.0,
        top - 10.0,
        Rgb::WHITE,
        &badge_bytes,
    );
    let heading = to_win_ansi(&format!("{}  {}", f.alteration, f.id));
    c.text(
        Font::Bold,
        10.5,
        MARGIN_X + badge_w + 6.0,
        top - 10.5,
        INK,
        &heading,
    );
    l.paragraph(&variant_line(f), SMALL);
    l.paragraph(&f.tier_reason, NOTE);
    for caveat in &f.caveats {
        l.bullet(caveat, SMALL.colored(CAUTION));
    }
    if let Some(g) = &f.possible_germline {
        l.bullet(
            &format!(
                "Possible germline origin. {} {} ({})",
                g.reason, g.action, g.guideline
            ),
            SMALL.colored(CAUTION),
        );
    }
    if f.evidence.is_empty() {
        return;
    }
    l.gap(2.0);
    let mut t = Table::new(
        &[0.21, 0.14, 0.07, 0.27, 0.31],
        &[
            "Therapy",
            "Response, label",
            "Level",
            "Source (citation, date, KB row)",
            "Note",
        ],
    );
    for e in &f.evidence {
        let effect_style = match e.effect {
            Effect::Sensitivity => SMALL_BOLD,
            Effect::Resistance => SMALL_BOLD.colored(ALERT),
        };
        let label = match e.label {
            LabelStatus::OnLabel => format!("on-label ({})", e.evidence_tumor_type),
            LabelStatus::OffLabel => format!("off-label ({})", e.evidence_tumor_type),
        };
        let level = Cell::new(SMALL_BOLD, e.level.label()).then(
            META,
            if e.level == e.curated_level {
                String::new()
            } else {
                format!("curated {}", e.curated_level.label())
            },
        );
        let mut note = e.note.clone();
        for caveat in &e.caveats {
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(caveat);
        }
        t.push(vec![
            Cell::new(SMALL_BOLD, &e.therapy),
            Cell::new(effect_style, e.effect.label()).then(SMALL, label),
            level,
            Cell::new(SMALL, format!("{} ({})", e.citation, e.date)).then(
                META,
                format!(
                    "{} \u{b7} {} \u{b7} {} match",
                    e.rule_id,
                    e.kb_row,
                    e.match_level.label()
                ),
            ),
            Cell::new(SMALL, note),
        ]);
    }
    l.table(&t);
}

fn therapy_options(l: &mut Layout, s: &SomaticDocument) {
    l.section("Therapy options, ranked", 60.0);
    if s.therapies.is_empty() {
        l.paragraph(
            "No therapy is supported by tier I or II evidence for this tumour.",
            BODY,
        );
        return;
    }
    l.paragraph(
        "Ranked by evidence level, then on-label before off-label. Resistance rows say which therapies are expected not to work.",
        NOTE,
    );
    l.gap(3.0);
    let mut t = Table::new(
        &[0.04, 0.22, 0.10, 0.08, 0.07, 0.05, 0.17, 0.27],
        &[
            "#",
            "Therapy",
            "Effect",
            "Label",
            "Level",
            "Tier",
            "Based on",
            "Rationale",
        ],
    );
    for o in &s.therapies {
        let effect = match o.effect {
            Effect::Sensitivity => Cell::new(SMALL, "sensitivity"),
            Effect::Resistance => {
                Cell::new(SMALL_BOLD.colored(ALERT), "resistance").then(SMALL, "expect no benefit")
            }
        };
        t.push(vec![
            Cell::new(SMALL, o.rank.to_string()),
            Cell::new(SMALL_BOLD, &o.therapy),
            effect,
            Cell::new(SMALL, o.label.label()),
            Cell::new(SMALL_BOLD, o.level.label()),
            Cell::new(SMALL_BOLD.colored(tier_color(o.tier)), o.tier.label()),
            Cell::new(SMALL, o.biomarkers.join(", ")),
            Cell::new(SMALL, &o.rationale),
        ]);
    }
    l.table(&t);
}

fn tier3(l: &mut Layout, s: &SomaticDocument) {
    l.section(
        "Tier III: unknown clinical significance (not actionable)",
        40.0,
    );
    if s.uncertain.is_empty() {
        l.paragraph("No tier III finding.", BODY);
        return;
    }
    l.paragraph(
        &format!(
            "{} alteration(s) without evidence for a therapy. They are not actionable and must not guide treatment; they are listed for completeness and for review as knowledge changes.",
            s.uncertain.len()
        ),
        NOTE,
    );
    l.gap(3.0);
    let mut t = Table::new(
        &[0.27, 0.13, 0.17, 0.43],
        &["Alteration", "Oncogenicity", "Reads", "Why"],
    );
    for f in &s.uncertain {
        let reads = f
            .variant
            .as_ref()
            .map(|v| {
                let mut r = Vec::new();
                if let Some(vaf) = v.vaf {
                    r.push(format!("VAF {}", percent(vaf)));
                }
                if let Some(d) = v.depth {
                    r.push(format!("depth {d}"));
                }
                r.join(", ")
            })
            .or_else(|| f.copies.map(|c| format!("{c:.1} copies")))
            .or_else(|| f.supporting_reads.map(|r| format!("{r} supporting reads")))
            .unwrap_or_default();
        t.push(vec![
            Cell::new(SMALL_BOLD, &f.alteration),
            Cell::new(SMALL, f.oncogenicity.label()),
            Cell::new(SMALL, reads),
            Cell::new(
                SMALL,
                match &f.possible_germline {
                    Some(g) => format!(
                        "{} Possible germline origin. {} {}",
                        f.oncogenicity_reason, g.reason, g.action
                    ),
                    None => f.oncogenicity_reason.clone(),
                },
            ),
        ]);
    }
    l.table(&t);
}

fn positivity(p: Option<Positivity>) -> Option<&'static str> {
    p.map(|p| match p {
        Positivity::Positive => "positive",
        Positivity::Negative => "negative",
        Positivity::Equivocal => "equivocal",
    })
}

fn biomarker_rows(
    b: &Biomarkers,
    tmb: Option<&TmbResult>,
) -> Vec<(&'static str, Option<String>, String)> {
    let tmb_row = match tmb {
        Some(t) => {
            let how = match (t.counted_variants, t.panel_size_mb) {
                (Some(n), Some(mb)) => format!("computed by Tailor: {n} variants / {mb} Mb"),
                _ => t.origin.clone(),
            };
            (
                Some(format!("{:.1} mut/Mb", t.value)),
                format!(
                    "{} (threshold {} mut/Mb); {how}",
                    if t.high { "TMB-high" } else { "not TMB-high" },
                    t.high_threshold
                ),
            )
        }
        None => (b.tmb.map(|v| format!("{v:.1} mut/Mb")), String::new()),
    };
    vec![
        ("Tumour mutational burden", tmb_row.0, tmb_row.1),
        (
            "Microsatellite status",
            b.msi.map(|m| {
                match m {
                    MsiStatus::MsiHigh => "MSI-H",
                    MsiStatus::MsiLow => "MSI-L",
                    MsiStatus::Stable => "MSS",
                }
                .to_string()
            }),
            String::new(),
        ),
        (
            "Mismatch repair (IHC)",
            b.mmr.map(|m| {
                match m {
                    MmrStatus::Deficient => "dMMR (deficient)",
                    MmrStatus::Proficient => "pMMR (proficient)",
                }
                .to_string()
            }),
            String::new(),
        ),
        (
            "PD-L1 TPS",
            b.pdl1_tps.map(|v| format!("{v}%")),
            String::new(),
        ),
        (
            "PD-L1 CPS",
            b.pdl1_cps.map(|v| format!("{v}")),
            String::new(),
        ),
        (
            "HER2 IHC",
            b.her2_ihc
                .map(|v| if v == 0 { "0".into() } else { format!("{v}+") }),
            String::new(),
        ),
        (
            "HER2 ISH",
            positivity(b.her2_ish).map(str::to_string),
            String::new(),
        ),
        (
            "Oestrogen receptor",
            positivity(b.er).map(str::to_string),
            String::new(),
        ),
        (
            "Progesterone receptor",
            positivity(b.pr).map(str::to_string),
            String::new(),
        ),
        (
            "HRD status",
            positivity(b.hrd).map(str::to_string),
            String::new(),
        ),
    ]
}

fn biomarkers(l: &mut Layout, s: &SomaticDocument) {
    l.section("Biomarkers", 80.0);
    let mut t = Table::new(
        &[0.25, 0.2, 0.55],
        &["Biomarker", "Result", "Interpretation"],
    );
    for (name, value, note) in biomarker_rows(&s.case.biomarkers, s.tmb.as_ref()) {
        match value {
            Some(v) => t.push(vec![
                Cell::new(SMALL_BOLD, name),
                Cell::new(SMALL_BOLD, v),
                Cell::new(SMALL, note),
            ]),
            None => t.push(vec![
                Cell::new(SMALL, name),
                Cell::new(SMALL.colored(MUTED), "not reported"),
                Cell::new(
                    NOTE,
                    "not given with the case; absence is not a negative result",
                ),
            ]),
        }
    }
    l.table(&t);
    if let Some(tmb) = &s.tmb {
        tmb_bar(l, tmb);
        l.paragraph(&format!("TMB counting rule: {}.", tmb.rule), NOTE);
    }
}

/// A round upper end for the TMB scale that leaves room past both the value and the
/// threshold.
fn scale_max(value: f64, threshold: f64) -> f64 {
    let need = value.max(threshold) * 1.15;
    for step in [
        20.0, 30.0, 50.0, 80.0, 100.0, 150.0, 200.0, 300.0, 500.0, 1000.0,
    ] {
        if need <= step {
            return step;
        }
    }
    (need / 1000.0).ceil() * 1000.0
}

/// TMB against its threshold as a horizontal bar: grey track, value bar (red when
/// TMB-high), a dark tick at the threshold, scale ends labelled.
fn tmb_bar(l: &mut Layout, tmb: &TmbResult) {
    l.gap(6.0);
    let top = l.reserve(50.0);
    let max = scale_max(tmb.value, tmb.high_threshold);
    let x0 = MARGIN_X + 4.0;
    let width = CONTENT_WIDTH * 0.72;
    let bar_y = top - 30.0;
    let bar_h = 11.0;
    let c = l.canvas();
    let caption = format!(
        "TMB {:.1} mut/Mb against the TMB-high threshold of {} mut/Mb",
        tmb.value, tmb.high_threshold
    );
    c.text(Font::Bold, 8.0, x0, top - 10.0, INK, &to_win_ansi(&caption));
    c.fill_rect(x0, bar_y, width, bar_h, Rgb(0.90, 0.91, 0.93));
    let value_w = (tmb.value.max(0.0) / max * width).min(width);
    let fill = if tmb.high {
        ALERT
    } else {
        Rgb(0.35, 0.48, 0.65)
    };
    c.fill_rect(x0, bar_y, value_w, bar_h, fill);
    c.stroke_rect(x0, bar_y, width, bar_h, MUTED, 0.5);
    let tx = x0 + (tmb.high_threshold / max * width).min(width);
    c.line(tx, bar_y - 4.0, tx, bar_y + bar_h + 4.0, INK, 1.2);
    let threshold = to_win_ansi(&format!("threshold {}", tmb.high_threshold));
    let tw = Font::Regular.width(&threshold, 6.5);
    c.text(
        Font::Regular,
        6.5,
        tx - tw / 2.0,
        bar_y - 11.0,
        INK,
        &threshold,
    );
    c.text(Font::Regular, 6.5, x0, bar_y - 11.0, MUTED, b"0");
    let end = to_win_ansi(&format!("{max} mut/Mb"));
    let ew = Font::Regular.width(&end, 6.5);
    c.text(
        Font::Regular,
        6.5,
        x0 + width - ew,
        bar_y - 11.0,
        MUTED,
        &end,
    );
    let value = to_win_ansi(&format!(
        "{:.1} mut/Mb \u{2013} {}",
        tmb.value,
        if tmb.high { "TMB-high" } else { "not TMB-high" }
    ));
    c.text(
        Font::Bold,
        8.0,
        x0 + width + 8.0,
        bar_y + 2.5,
        if tmb.high { ALERT } else { INK },
        &value,
    );
}

fn genotype_text(r: &DrugRecommendation) -> String {
    let mut parts = Vec::new();
    for (gene, phenotype) in &r.phenotypes {
        match r.diplotypes.get(gene) {
            Some(d) if d != phenotype => parts.push(format!("{gene} {d}: {phenotype}")),
            _ => parts.push(format!("{gene}: {phenotype}")),
        }
    }
    if parts.is_empty() {
        for (gene, d) in &r.diplotypes {
            parts.push(format!("{gene} {d}"));
        }
    }
    parts.join("\n")
}

fn pharmacogenomics(l: &mut Layout, i: &Interpretation) {
    l.section("Pharmacogenomics", 60.0);
    let Some(pgx) = &i.pgx else {
        l.paragraph(
            "No germline inputs were given with this case: pharmacogenomics was not assessed.",
            BODY,
        );
        return;
    };
    let result = &pgx.result;
    l.subheading("Current medications", 40.0);
    if i.case.medications.is_empty() {
        l.paragraph("No current medications were given with the case.", BODY);
    } else if i.medication_alerts.is_empty() {
        l.paragraph(
            &format!(
                "None of the current medications ({}) has a pharmacogenomic guideline recommendation for this genotype.",
                i.case.medications.join(", ")
            ),
            BODY,
        );
    } else {
        let mut t = Table::new(
            &[0.13, 0.2, 0.45, 0.14, 0.08],
            &[
                "Medication",
                "Gene, phenotype",
                "Recommendation",
                "Strength",
                "Source",
            ],
        );
        for a in &i.medication_alerts {
            t.push(vec![
                Cell::new(BOLD, &a.medication),
                Cell::new(SMALL, a.phenotypes.join("\n")),
                Cell::new(SMALL, &a.recommendation),
                Cell::new(SMALL, a.classification.clone().unwrap_or_default()),
                Cell::new(SMALL, &a.source),
            ]);
        }
        l.table(&t);
        let without: Vec<&str> = i
            .case
            .medications
            .iter()
            .filter(|m| !i.medication_alerts.iter().any(|a| &a.medication == *m))
            .map(String::as_str)
            .collect();
        if !without.is_empty() {
            l.paragraph(
                &format!(
                    "No guideline recommendation for this genotype: {}.",
                    without.join(", ")
                ),
                NOTE,
            );
        }
    }
    gene_results(l, result);
    other_recommendations(l, i, result);
    let warnings: Vec<&String> = pgx.warnings.iter().chain(&result.warnings).collect();
    if !warnings.is_empty() {
        l.subheading("Warnings", 20.0);
        for w in warnings {
            l.bullet(w, SMALL.colored(CAUTION));
        }
    }
}

fn gene_results(l: &mut Layout, result: &PgxSampleResult) {
    l.subheading("Gene results", 40.0);
    let mut t = Table::new(
        &[0.1, 0.3, 0.24, 0.08, 0.28],
        &["Gene", "Diplotype", "Phenotype", "Activity score", "Notes"],
    );
    for g in &result.genes {
        let diplotype = if g.diplotypes.is_empty() {
            "not called".to_string()
        } else {
            g.diplotypes
                .iter()
                .map(|d| d.label.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let mut activity: Vec<&str> = g
            .diplotypes
            .iter()
            .filter_map(|d| d.activity_score.as_deref())
            .collect();
        activity.dedup();
        let mut notes = Vec::new();
        if matches!(g.source, tailor_core::pgx::CallSource::OutsideCall) {
            notes.push("outside call".to_string());
        }
        if g.diplotypes.len() > 1 {
            notes.push(format!("{} equally scored diplotypes", g.diplotypes.len()));
        }
        if !g.missing_positions.is_empty() {
            notes.push(format!(
                "{} position(s) without genotype",
                g.missing_positions.len()
            ));
        }
        if g.absent_positions > 0 {
            notes.push(format!(
                "{} position(s) absent from the input",
                g.absent_positions
            ));
        }
        notes.extend(g.warnings.iter().cloned());
        t.push(vec![
            Cell::new(SMALL_BOLD, &g.gene),
            Cell::new(SMALL, diplotype),
            Cell::new(SMALL, g.phenotypes.join(" or ")),
            Cell::new(SMALL, activity.join(" or ")),
            Cell::new(SMALL, notes.join("; ")),
        ]);
    }
    l.table(&t);
}

fn other_recommendations(l: &mut Layout, i: &Interpretation, result: &PgxSampleResult) {
    let current = |drug: &str| {
        i.case
            .medications
            .iter()
            .any(|m| m.eq_ignore_ascii_case(drug))
    };
    let (with, without): (Vec<&DrugRecommendation>, Vec<&DrugRecommendation>) = result
        .recommendations
        .iter()
        .filter(|r| !current(&r.drug))
        .partition(|r| r.actionable && r.recommendation.is_some());
    l.subheading("Recommendations for other drugs", 40.0);
    if with.is_empty() {
        l.paragraph(
            "No other drug has a genotype-guided recommendation for this patient.",
            BODY,
        );
    } else {
        let mut t = Table::new(
            &[0.13, 0.07, 0.22, 0.45, 0.13],
            &["Drug", "Source", "Genotype", "Recommendation", "Strength"],
        );
        for r in with {
            t.push(vec![
                Cell::new(SMALL_BOLD, &r.drug),
                Cell::new(SMALL, &r.source),
                Cell::new(SMALL, genotype_text(r)),
                Cell::new(SMALL, r.recommendation.clone().unwrap_or_default()),
                Cell::new(SMALL, r.classification.clone().unwrap_or_default()),
            ]);
        }
        l.table(&t);
    }
    if !without.is_empty() {
        // One entry per drug and source (a guideline can have several rows).
        let mut list: Vec<String> = Vec::new();
        for r in &without {
            let entry = format!("{} ({})", r.drug, r.source);
            if !list.contains(&entry) {
                list.push(entry);
            }
        }
        l.paragraph(
            &format!(
                "No recommendation for this genotype (the guideline gives none, or the gene could not be called): {}.",
                list.join(", ")
            ),
            NOTE,
        );
    }
}

fn limitations(l: &mut Layout, i: &Interpretation) {
    l.section("Limitations", 40.0);
    if i.limitations.is_empty() {
        l.paragraph("No limitation was recorded for this case.", BODY);
        return;
    }
    let mut t = Table::new(
        &[0.12, 0.3, 0.58],
        &["Area", "What", "Why, and what it means"],
    );
    for lim in &i.limitations {
        let area = match lim.area.as_str() {
            "somatic" => "Tumour",
            "pgx" => "Pharmaco-genomics",
            "case" => "Case",
            other => other,
        };
        t.push(vec![
            Cell::new(SMALL, area),
            Cell::new(SMALL_BOLD, &lim.what),
            Cell::new(SMALL, &lim.why),
        ]);
    }
    l.table(&t);
}

fn methods(l: &mut Layout, i: &Interpretation) {
    l.section("Methods", 30.0);
    for m in &i.methods {
        l.bullet(m, SMALL);
    }
}

fn knowledge(l: &mut Layout, i: &Interpretation) {
    l.section("Knowledge base and attributions", 60.0);
    l.paragraph(
        &format!(
            "Knowledge base version {}; report generated by Tailor {} at {}.",
            i.knowledge.kb_version, i.tailor_version, i.generated_at
        ),
        BODY,
    );
    l.gap(2.0);
    let mut t = Table::new(
        &[0.42, 0.38, 0.2],
        &["Source", "Version", "SHA-256 (first 16)"],
    );
    for s in &i.knowledge.sources {
        t.push(vec![
            Cell::new(SMALL, &s.name),
            Cell::new(SMALL, &s.version),
            Cell::new(MONO, s.sha256.chars().take(16).collect::<String>()),
        ]);
    }
    l.table(&t);
    if !i.attributions.is_empty() {
        l.subheading("Attributions", 30.0);
        for a in &i.attributions {
            l.bullet(a, SMALL);
        }
    }
}

fn sign_off(l: &mut Layout, i: &Interpretation) {
    l.section("Sign-off", 110.0);
    l.paragraph(
        "Reviewed and approved by the responsible laboratory specialist. This report supports, and does not replace, the clinical judgement of the treating team; therapy decisions belong to the molecular tumour board and the treating clinician.",
        SMALL,
    );
    l.gap(6.0);
    let top = l.reserve(62.0);
    let c = l.canvas();
    let field_w = (CONTENT_WIDTH - 2.0 * 18.0) / 3.0;
    for (n, label) in ["Name", "Signature", "Date"].into_iter().enumerate() {
        let x = MARGIN_X + n as f64 * (field_w + 18.0);
        c.line(x, top - 30.0, x + field_w, top - 30.0, INK, 0.6);
        c.text(Font::Regular, 7.0, x, top - 40.0, MUTED, label.as_bytes());
    }
    let id = to_win_ansi(&format!(
        "Report {} \u{b7} patient {} \u{b7} knowledge base {}",
        i.report_id, i.case.patient, i.knowledge.kb_version
    ));
    c.text(Font::Regular, 7.0, MARGIN_X, top - 56.0, MUTED, &id);
}

/// Running header (from page 2) and footer on every page: patient pseudonym, report
/// id and "page X of Y", which is only known once the whole report is laid out.
fn decorate(pages: &mut [Canvas], i: &Interpretation) {
    let total = pages.len();
    let left = to_win_ansi(&format!(
        "{} \u{b7} report {} \u{b7} {}",
        i.case.patient,
        i.report_id,
        report_date(i)
    ));
    let running = to_win_ansi(&format!(
        "Molecular tumour and pharmacogenomic report \u{2013} {}",
        i.case.patient
    ));
    let right_edge = PAGE_WIDTH - MARGIN_X;
    for (n, page) in pages.iter_mut().enumerate() {
        let footer_rule = BOTTOM - 14.0;
        page.line(MARGIN_X, footer_rule, right_edge, footer_rule, RULE, 0.5);
        page.text(
            Font::Regular,
            7.0,
            MARGIN_X,
            footer_rule - 11.0,
            MUTED,
            &left,
        );
        let number = format!("page {} of {}", n + 1, total).into_bytes();
        let w = Font::Regular.width(&number, 7.0);
        page.text(
            Font::Regular,
            7.0,
            right_edge - w,
            footer_rule - 11.0,
            MUTED,
            &number,
        );
        if n > 0 {
            let y = TOP + 16.0;
            page.text(Font::Regular, 7.0, MARGIN_X, y, MUTED, &running);
            page.line(MARGIN_X, y - 5.0, right_edge, y - 5.0, RULE, 0.5);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates() {
        assert_eq!(pdf_date("2026-11-22T03:56:10Z"), "D:20261122035610Z");
        assert_eq!(pdf_date("yesterday"), "");
    }

    #[test]
    fn tmb_scale_leaves_room() {
        assert_eq!(scale_max(71.15, 10.0), 100.0);
        assert_eq!(scale_max(3.0, 10.0), 20.0);
        assert_eq!(scale_max(2500.0, 10.0), 3000.0);
    }
}
