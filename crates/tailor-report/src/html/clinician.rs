//! The clinician report (`report.html`).
//!
//! Section order follows how a report is read at a tumour board: who and what, the
//! summary (current-medication alerts and the strongest findings first), the evidence
//! behind each tier I/II finding, the ranked options, then everything that must not be
//! mistaken for an option (VUS, biomarkers as reported, limitations), and finally
//! methods, knowledge provenance and sign-off.
//!
//! Two safety rules are enforced here and not only trusted from upstream: a tier III
//! finding is only ever rendered in the VUS section, and a case without a tier I/II
//! finding says "No actionable finding" in words.

use super::plot::{self, VafBar};
use super::style;
use super::{date_of, escape, escape_lines, number, percent};
use std::fmt::Write as _;
use tailor_core::interpretation::{Interpretation, MedicationAlert, SummaryItem};
use tailor_core::onco::{
    Effect, EvidenceMatch, LabelStatus, Oncogenicity, SomaticDocument, SomaticFinding,
    TherapyOption, Tier,
};
use tailor_core::pgx::{GeneCall, PgxSampleResult};
use tailor_core::somatic::{Biomarkers, MmrStatus, MsiStatus, Positivity};

/// The sentence a case without a tier I/II finding must show, verbatim.
pub(super) const NO_ACTIONABLE: &str = "No actionable finding";

pub(super) fn render(i: &Interpretation) -> String {
    let mut h = String::with_capacity(512 * 1024);
    head(&mut h, i);
    header(&mut h, i);
    summary(&mut h, i);
    let somatic = i.somatic.as_ref();
    findings(&mut h, somatic);
    therapies(&mut h, somatic);
    uncertain(&mut h, somatic);
    biomarkers(&mut h, somatic);
    vaf_plot(&mut h, i, somatic);
    trials(&mut h, i);
    pharmacogenomics(&mut h, i);
    limitations(&mut h, i);
    methods(&mut h, i);
    knowledge(&mut h, i);
    signoff(&mut h, i);
    h.push_str("</main></body></html>\n");
    h
}

/// Findings that may be shown as actionable: tier I/II only, whatever list they came in.
fn actionable_findings(doc: &SomaticDocument) -> Vec<&SomaticFinding> {
    let mut v: Vec<&SomaticFinding> = doc
        .findings
        .iter()
        .filter(|f| f.tier.is_actionable())
        .collect();
    // Stable: keeps the engine's best-first order inside each tier.
    v.sort_by_key(|f| f.tier);
    v
}

/// Tier III findings, including any that (wrongly) arrived in the actionable list.
fn uncertain_findings(doc: &SomaticDocument) -> Vec<&SomaticFinding> {
    doc.findings
        .iter()
        .filter(|f| !f.tier.is_actionable())
        .chain(doc.uncertain.iter())
        .collect()
}

fn has_actionable(doc: &SomaticDocument) -> bool {
    doc.actionable && !actionable_findings(doc).is_empty()
}

/// Text safe inside a CSS string in `@page` margin boxes: identifiers only, so a
/// pseudonym cannot break out of the style sheet.
fn css_text(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | ':' | '+'))
        .take(80)
        .collect()
}

fn head(h: &mut String, i: &Interpretation) {
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"Tailor {ver}\">\
         <title>Tailor report {id} for {patient}</title><style>{base}{clin}\
         @page{{@bottom-left{{content:\"Tailor report {cid} for {cpatient}\";font-size:7.5pt;color:#555;font-family:Arial,\"Liberation Sans\",sans-serif}}\
         @bottom-right{{content:\"Page \" counter(page) \" of \" counter(pages);font-size:7.5pt;color:#555;font-family:Arial,\"Liberation Sans\",sans-serif}}}}\
         </style></head><body><main>",
        ver = escape(&i.tailor_version),
        id = escape(&i.report_id),
        patient = escape(&i.case.patient),
        base = style::BASE,
        clin = style::CLINICIAN,
        cid = css_text(&i.report_id),
        cpatient = css_text(&i.case.patient),
    );
}

/// `value` escaped, or a dash when absent.
fn or_dash(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.trim().is_empty() => escape(v),
        _ => "&#8212;".to_string(),
    }
}

fn meta_row(h: &mut String, label: &str, value: &str) {
    let _ = write!(h, "<tr><th>{label}</th><td>{value}</td></tr>");
}

fn header(h: &mut String, i: &Interpretation) {
    let title = match (i.somatic.is_some(), i.pgx.is_some()) {
        (true, true) => "Tumour molecular profile and pharmacogenomics report",
        (true, false) => "Tumour molecular profile report",
        (false, true) => "Pharmacogenomics report",
        (false, false) => "Molecular report",
    };
    let c = &i.case;
    let _ = write!(
        h,
        "<header class=\"report\"><h1>{title}</h1><div class=\"cols\"><div><table class=\"meta\">"
    );
    meta_row(h, "Patient", &format!("<b>{}</b>", escape(&c.patient)));
    let tumour = c.tumor_type.as_ref().map(|t| {
        format!(
            "{} ({}; {})",
            escape(&t.name),
            escape(&t.code),
            escape(&t.main_type)
        )
    });
    meta_row(
        h,
        "Tumour type",
        &tumour.unwrap_or_else(|| "not given".into()),
    );
    let sample = c.sample_type.label();
    let purity = c
        .purity
        .map(|p| format!("; tumour purity {}", percent(p)))
        .unwrap_or_else(|| "; tumour purity not given".into());
    meta_row(h, "Sample", &format!("{sample}{purity}"));
    let specimen = c.specimen.as_ref().map(|s| {
        let mut parts = Vec::new();
        if let Some(id) = &s.id {
            parts.push(format!("<b>{}</b>", escape(id)));
        }
        if let Some(t) = &s.specimen_type {
            parts.push(escape(t));
        }
        if let Some(site) = &s.site {
            parts.push(escape(site));
        }
        if let Some(d) = &s.collected {
            parts.push(format!("collected {}", escape(d)));
        }
        if let Some(d) = &s.received {
            parts.push(format!("received {}", escape(d)));
        }
        parts.join(" &#183; ")
    });
    meta_row(
        h,
        "Specimen",
        &specimen
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "not given".into()),
    );
    h.push_str("</table></div><div><table class=\"meta\">");
    let test = c.test.as_ref();
    meta_row(h, "Test", &or_dash(test.and_then(|t| t.name.as_deref())));
    meta_row(
        h,
        "Laboratory",
        &or_dash(test.and_then(|t| t.lab.as_deref())),
    );
    meta_row(
        h,
        "Method",
        &or_dash(test.and_then(|t| t.method.as_deref())),
    );
    let clinician = c.clinician.as_ref().map(|cl| {
        [cl.name.as_deref(), cl.organisation.as_deref()]
            .into_iter()
            .flatten()
            .map(escape)
            .collect::<Vec<_>>()
            .join(", ")
    });
    meta_row(
        h,
        "Ordering clinician",
        &clinician
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "&#8212;".into()),
    );
    meta_row(
        h,
        "Report",
        &format!(
            "<span class=\"mono\">{}</span>, {}",
            escape(&i.report_id),
            escape(date_of(&i.generated_at))
        ),
    );
    meta_row(
        h,
        "Knowledge base",
        &format!(
            "<span class=\"mono\">{}</span> (Tailor {})",
            escape(&i.knowledge.kb_version),
            escape(&i.tailor_version)
        ),
    );
    h.push_str("</table></div></div></header>");
}

fn area_rank(item: &SummaryItem) -> u8 {
    match item.area.as_str() {
        "medication" => 0,
        "somatic" => 1,
        _ => 2,
    }
}

fn summary(h: &mut String, i: &Interpretation) {
    h.push_str("<section class=\"summary\" id=\"summary\"><h2>Summary</h2>");
    if let Some(doc) = &i.somatic {
        if !has_actionable(doc) {
            let _ = write!(
                h,
                "<p class=\"none\">{NO_ACTIONABLE}: no tier I or II somatic alteration was found in this tumour.</p>"
            );
        }
    }
    let mut items: Vec<&SummaryItem> = i
        .summary
        .iter()
        // A tier III item never belongs in the summary, whatever produced it.
        .filter(|s| s.tier.as_deref() != Some(Tier::III.label()))
        .collect();
    items.sort_by_key(|s| area_rank(s));
    // The box is for scanning: one line per item. A guideline's "Other
    // Considerations" (and the same advice repeated per indication) are in the
    // pharmacogenomics section, so only the first line is shown and repeats collapse.
    let mut shown: Vec<(&SummaryItem, &str)> = Vec::new();
    for item in items {
        let first = item.meaning.trim().lines().next().unwrap_or("");
        if !shown
            .iter()
            .any(|(s, m)| s.finding == item.finding && *m == first)
        {
            shown.push((item, first));
        }
    }
    if !shown.is_empty() {
        h.push_str("<ol>");
        for (item, meaning) in shown {
            let badge = match (item.area.as_str(), &item.tier) {
                ("medication", _) => "<span class=\"badge med\">current medication</span>".into(),
                (_, Some(tier)) => format!(
                    "<span class=\"badge tier{}\">tier {}</span>",
                    if tier.starts_with("II") { " t2" } else { "" },
                    escape(tier)
                ),
                ("pgx", None) => "<span class=\"badge off\">PGx</span>".into(),
                _ => String::new(),
            };
            let _ = write!(
                h,
                "<li>{badge} <b>{}</b>: {}</li>",
                escape(&item.finding),
                escape(meaning)
            );
        }
        h.push_str("</ol>");
    }
    let _ = write!(
        h,
        "<p class=\"conclusion\">{}</p></section>",
        escape(&i.conclusion)
    );
}

fn tier_class(t: Tier) -> &'static str {
    match t {
        Tier::IA | Tier::IB => "",
        Tier::IIC | Tier::IID => " t2",
        Tier::III => " t3",
    }
}

fn tier_badge(t: Tier) -> String {
    format!(
        "<span class=\"badge tier{}\">tier {}</span>",
        tier_class(t),
        t.label()
    )
}

fn effect_label_badges(effect: Effect, label: LabelStatus) -> String {
    let class = match label {
        LabelStatus::OnLabel => "on",
        LabelStatus::OffLabel => "off",
    };
    let label = format!("<span class=\"badge {class}\">{}</span>", label.label());
    match effect {
        Effect::Sensitivity => label,
        Effect::Resistance => format!(
            "<span class=\"badge res\">{}</span> {label}",
            effect.label()
        ),
    }
}

fn findings(h: &mut String, somatic: Option<&SomaticDocument>) {
    h.push_str("<section id=\"findings\"><h2>Somatic findings: tier I and II</h2>");
    let Some(doc) = somatic else {
        h.push_str("<p>No tumour (somatic) testing was part of this case, so no targeted-therapy options were assessed.</p></section>");
        return;
    };
    if !has_actionable(doc) {
        let _ = write!(
            h,
            "<p class=\"none\">{NO_ACTIONABLE}. No alteration in this tumour has tier I or II evidence (AMP/ASCO/CAP 2017) for a therapy in the knowledge base used.</p></section>"
        );
        return;
    }
    let list = actionable_findings(doc);
    let _ = write!(
        h,
        "<p class=\"sub\">{} tier I and {} tier II finding(s); AMP/ASCO/CAP 2017 tiers. Variants of uncertain significance are listed separately below and are not actionable.</p>",
        list.iter().filter(|f| matches!(f.tier, Tier::IA | Tier::IB)).count(),
        list.iter().filter(|f| matches!(f.tier, Tier::IIC | Tier::IID)).count(),
    );
    let mut current: Option<bool> = None;
    for f in list {
        let tier1 = matches!(f.tier, Tier::IA | Tier::IB);
        if current != Some(tier1) {
            current = Some(tier1);
            h.push_str(if tier1 {
                "<h3>Tier I: strong clinical significance</h3>"
            } else {
                "<h3>Tier II: potential clinical significance</h3>"
            });
        }
        finding_block(h, f);
    }
    h.push_str("</section>");
}

fn variant_line(f: &SomaticFinding) -> Option<String> {
    let v = f.variant.as_ref()?;
    let mut parts = vec![format!(
        "<span class=\"mono\">{}:{} {}&gt;{}</span>",
        escape(&v.chrom),
        v.pos,
        escape(&v.ref_allele),
        escape(&v.alt_allele)
    )];
    if let Some(t) = &v.transcript {
        parts.push(format!("<span class=\"mono\">{}</span>", escape(t)));
    }
    if let Some(c) = &v.hgvsc {
        parts.push(format!("<span class=\"mono\">{}</span>", escape(c)));
    }
    if let Some(p) = &v.protein {
        parts.push(format!("p.{}", escape(p)));
    }
    if let Some(e) = v.exon {
        parts.push(format!("exon {e}"));
    }
    Some(parts.join(" &#183; "))
}

fn allele_line(f: &SomaticFinding) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(v) = &f.variant {
        if let Some(vaf) = v.vaf {
            parts.push(format!("VAF {}", percent(vaf)));
        }
        if let Some(d) = v.depth {
            parts.push(format!("depth {d}"));
        }
        if let Some(ccf) = v.ccf {
            parts.push(format!("CCF {}", percent(ccf)));
        }
        if v.subclonal {
            parts.push("<b class=\"caveat\">probably subclonal</b>".into());
        }
    }
    if let Some(c) = f.copies {
        parts.push(format!("{} copies", number(c)));
    }
    if let Some(r) = f.supporting_reads {
        parts.push(format!("{r} supporting reads"));
    }
    (!parts.is_empty()).then(|| parts.join(" &#183; "))
}

fn finding_block(h: &mut String, f: &SomaticFinding) {
    let _ = write!(
        h,
        "<div class=\"finding{}\" id=\"{id}\" data-finding=\"{id}\"><h3>{} {} <span class=\"sub\">{id} &#183; {} &#183; {}</span></h3><p>{}</p><table class=\"meta\">",
        tier_class(f.tier),
        tier_badge(f.tier),
        escape(&f.alteration),
        f.kind.label(),
        f.oncogenicity.label(),
        escape(&f.tier_reason),
        id = escape(&f.id),
    );
    if let Some(v) = variant_line(f) {
        meta_row(h, "Variant", &v);
    }
    if let Some(a) = allele_line(f) {
        meta_row(h, "VAF / CCF", &a);
    }
    meta_row(
        h,
        "Oncogenicity",
        &format!(
            "{}: {}",
            f.oncogenicity.label(),
            escape(&f.oncogenicity_reason)
        ),
    );
    meta_row(
        h,
        "Source",
        &format!("<span class=\"mono wrap\">{}</span>", escape(&f.source)),
    );
    h.push_str("</table>");
    // On-label evidence and every resistance row get a full table row; off-label
    // sensitivity evidence (often a dozen rows per driver, from other tumour types) is
    // one dense line each, with the same level, citation and KB row.
    let (full, compact): (Vec<&EvidenceMatch>, Vec<&EvidenceMatch>) = f
        .evidence
        .iter()
        .partition(|e| e.label == LabelStatus::OnLabel || e.effect == Effect::Resistance);
    if !full.is_empty() {
        h.push_str("<table><thead><tr><th>Therapy</th><th>Effect, label</th><th>Level</th><th>Evidence for</th><th>Citation</th><th>KB row</th></tr></thead><tbody>");
        for e in full {
            evidence_row(h, e);
        }
        h.push_str("</tbody></table>");
    }
    if !compact.is_empty() {
        let _ = write!(
            h,
            "<p class=\"small\"><b>Off-label evidence</b> (other tumour types; level for this patient):</p><ul class=\"offlabel\">"
        );
        for e in compact {
            let _ = write!(
                h,
                "<li><b>{}</b> {} level {} &#183; {} &#183; {} ({}, {}) &#183; <span class=\"mono\">{}</span>",
                escape(&e.therapy),
                effect_label_badges(e.effect, e.label),
                e.level.label(),
                escape(&e.evidence_tumor_type),
                escape(&e.citation),
                escape(&e.source_type),
                escape(&e.date),
                escape(&e.kb_row),
            );
            for c in &e.caveats {
                let _ = write!(h, " <span class=\"caveat\">Caveat: {}</span>", escape(c));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
    }
    if !f.caveats.is_empty() {
        h.push_str("<ul class=\"plain caveat\">");
        for c in &f.caveats {
            let _ = write!(h, "<li>Caveat: {}</li>", escape(c));
        }
        h.push_str("</ul>");
    }
    if let Some(g) = &f.possible_germline {
        let _ = write!(
            h,
            "<p class=\"small germline\"><b>Possible germline origin.</b> {} {} <span class=\"muted\">({})</span></p>",
            escape(&g.reason),
            escape(&g.action),
            escape(&g.guideline)
        );
    }
    h.push_str("</div>");
}

fn evidence_row(h: &mut String, e: &EvidenceMatch) {
    let mut level_text = e.level.label().to_string();
    if e.curated_level != e.level {
        let _ = write!(
            level_text,
            " <span class=\"sub\">(curated {})</span>",
            e.curated_level.label()
        );
    }
    let mut therapy = format!("<b>{}</b>", escape(&e.therapy));
    if !e.note.is_empty() {
        let _ = write!(
            therapy,
            "<br><span class=\"sub\">{}</span>",
            escape(&e.note)
        );
    }
    for c in &e.caveats {
        let _ = write!(
            therapy,
            "<br><span class=\"caveat small\">Caveat: {}</span>",
            escape(c)
        );
    }
    let _ = write!(
        h,
        "<tr><td>{therapy}</td><td>{}</td><td>{level_text}</td><td>{}<br><span class=\"sub\">{} match: {}</span></td><td>{} <span class=\"sub\">({}, {})</span></td><td class=\"mono\">{}<br>{}</td></tr>",
        effect_label_badges(e.effect, e.label),
        escape(&e.evidence_tumor_type),
        match_level(e),
        escape(&e.rule),
        escape(&e.citation),
        escape(&e.source_type),
        escape(&e.date),
        escape(&e.kb_row),
        escape(&e.rule_id),
    );
}

fn match_level(e: &EvidenceMatch) -> &'static str {
    use tailor_core::onco::MatchLevel as M;
    match e.match_level {
        M::Genomic => "genomic",
        M::Protein => "protein",
        M::Codon => "codon",
        M::Exon => "exon",
        M::Gene => "gene",
        M::Fusion => "fusion",
        M::Amplification => "amplification",
        M::Deletion => "deletion",
        M::Signature => "signature",
        M::Expression => "expression",
    }
}

fn therapy_rows(h: &mut String, options: &[&TherapyOption]) {
    h.push_str("<table><thead><tr><th>#</th><th>Therapy</th><th>Effect, label</th><th>Level</th><th>Tier</th><th>Biomarkers</th><th>Rationale</th></tr></thead><tbody>");
    for t in options {
        let _ = write!(
            h,
            "<tr><td>{}</td><td><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"small\">{}</td></tr>",
            t.rank,
            escape(&t.therapy),
            effect_label_badges(t.effect, t.label),
            t.level.label(),
            tier_badge(t.tier),
            escape(&t.biomarkers.join(", ")),
            escape(&t.rationale),
        );
    }
    h.push_str("</tbody></table>");
}

fn therapies(h: &mut String, somatic: Option<&SomaticDocument>) {
    let Some(doc) = somatic else { return };
    h.push_str("<section id=\"therapies\"><h2>Therapy options, ranked</h2>");
    let shown: Vec<&TherapyOption> = doc
        .therapies
        .iter()
        .filter(|t| t.tier.is_actionable())
        .collect();
    if shown.is_empty() || !has_actionable(doc) {
        let _ = write!(
            h,
            "<p>{NO_ACTIONABLE}: no therapy option is supported by a tier I or II alteration.</p></section>"
        );
        return;
    }
    let (options, resistance): (Vec<&TherapyOption>, Vec<&TherapyOption>) = shown
        .into_iter()
        .partition(|t| t.effect == Effect::Sensitivity);
    h.push_str("<p class=\"sub\">On-label: evidence in this tumour type; off-label: evidence from another tumour type (level lowered to C). Ranked by evidence level, label and tier.</p>");
    if !options.is_empty() {
        therapy_rows(h, &options);
    }
    if !resistance.is_empty() {
        h.push_str("<h3>Resistance: benefit not expected</h3>");
        therapy_rows(h, &resistance);
    }
    h.push_str("</section>");
}

fn uncertain(h: &mut String, somatic: Option<&SomaticDocument>) {
    let Some(doc) = somatic else { return };
    let list = uncertain_findings(doc);
    h.push_str("<section id=\"vus\"><h2>Tier III: variants of uncertain significance (not actionable)</h2><div class=\"vus\">");
    if list.is_empty() {
        h.push_str("<p>No tier III finding.</p></div></section>");
        return;
    }
    let _ = write!(
        h,
        "<p><b>{} finding(s) of unknown clinical significance.</b> They have no therapy evidence in the knowledge base used; they are not treatment options and must not guide treatment. Listed for completeness and re-review as knowledge grows.</p>",
        list.len()
    );
    // Oncogenic-but-no-evidence findings get a row with the reason; plain VUS go in a
    // compact multi-column list so a long VUS tail does not bury the report.
    let (notable, plain): (Vec<&SomaticFinding>, Vec<&SomaticFinding>) =
        list.into_iter().partition(|f| {
            matches!(
                f.oncogenicity,
                Oncogenicity::Oncogenic | Oncogenicity::LikelyOncogenic
            )
        });
    let vaf = |f: &SomaticFinding| {
        f.variant
            .as_ref()
            .and_then(|v| v.vaf)
            .map(percent)
            .unwrap_or_default()
    };
    if !notable.is_empty() {
        h.push_str("<h3>Oncogenic or likely oncogenic, without therapy evidence</h3><table><thead><tr><th>ID</th><th>Alteration</th><th>Oncogenicity</th><th>VAF</th><th>Why</th></tr></thead><tbody>");
        for f in notable {
            let _ = write!(
                h,
                "<tr data-finding=\"{id}\"><td>{id}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                escape(&f.alteration),
                f.oncogenicity.label(),
                vaf(f),
                escape(&f.oncogenicity_reason),
                f.possible_germline
                    .as_ref()
                    .map(|g| format!(
                        "<p class=\"small germline\"><b>Possible germline origin.</b> {} {}</p>",
                        escape(&g.reason),
                        escape(&g.action)
                    ))
                    .unwrap_or_default(),
                id = escape(&f.id),
            );
        }
        h.push_str("</tbody></table>");
    }
    if !plain.is_empty() {
        let _ = write!(
            h,
            "<h3>Uncertain significance ({})</h3><ul class=\"vuslist\">",
            plain.len()
        );
        for f in plain {
            let v = vaf(f);
            let _ = write!(
                h,
                "<li data-finding=\"{id}\"><span class=\"sub\">{id}</span> {}{}</li>",
                escape(&f.alteration),
                if v.is_empty() {
                    String::new()
                } else {
                    format!(" <span class=\"sub\">{v}</span>")
                },
                id = escape(&f.id),
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("</div></section>");
}

fn msi(s: MsiStatus) -> &'static str {
    match s {
        MsiStatus::MsiHigh => "MSI-H (microsatellite instability-high)",
        MsiStatus::MsiLow => "MSI-L (microsatellite instability-low)",
        MsiStatus::Stable => "MSS (microsatellite stable)",
    }
}

fn mmr(s: MmrStatus) -> &'static str {
    match s {
        MmrStatus::Deficient => "dMMR (mismatch-repair deficient)",
        MmrStatus::Proficient => "pMMR (mismatch-repair proficient)",
    }
}

fn positivity(p: Positivity) -> &'static str {
    match p {
        Positivity::Positive => "positive",
        Positivity::Negative => "negative",
        Positivity::Equivocal => "equivocal",
    }
}

const NOT_TESTED: &str = "<span class=\"muted\">not tested</span>";

fn biomarker_row(h: &mut String, name: &str, value: Option<String>) {
    let _ = write!(
        h,
        "<tr><th>{name}</th><td>{}</td></tr>",
        value.unwrap_or_else(|| NOT_TESTED.to_string())
    );
}

fn biomarkers(h: &mut String, somatic: Option<&SomaticDocument>) {
    h.push_str("<section id=\"biomarkers\"><h2>Biomarkers</h2>");
    let Some(doc) = somatic else {
        h.push_str("<p>No tumour testing: tumour biomarkers were not assessed.</p></section>");
        return;
    };
    let b: &Biomarkers = &doc.case.biomarkers;
    h.push_str("<table class=\"biomarkers\"><tbody>");
    let tmb = doc.tmb.as_ref().map(|t| {
        let mut s = format!(
            "<b>{} mut/Mb</b> ({}; TMB-high threshold {} mut/Mb) &#8212; {}",
            number(t.value),
            escape(&t.origin),
            number(t.high_threshold),
            if t.high {
                "<b>TMB-high</b>"
            } else {
                "not TMB-high"
            }
        );
        if let (Some(n), Some(mb)) = (t.counted_variants, t.panel_size_mb) {
            let _ = write!(
                s,
                "<br><span class=\"sub\">{n} variants over {} Mb; {}</span>",
                number(mb),
                escape(&t.rule)
            );
        }
        let _ = write!(
            s,
            "<div class=\"chart\">{}</div>",
            plot::tmb_gauge(t.value, t.high_threshold, t.high)
        );
        s
    });
    biomarker_row(h, "TMB", tmb);
    biomarker_row(h, "MSI", b.msi.map(|m| msi(m).to_string()));
    biomarker_row(h, "MMR (IHC)", b.mmr.map(|m| mmr(m).to_string()));
    biomarker_row(
        h,
        "PD-L1 TPS",
        b.pdl1_tps.map(|v| format!("{}%", number(v))),
    );
    biomarker_row(h, "PD-L1 CPS", b.pdl1_cps.map(number));
    biomarker_row(
        h,
        "HER2 IHC",
        b.her2_ihc.map(|v| {
            if v == 0 {
                "0".to_string()
            } else {
                format!("{v}+")
            }
        }),
    );
    biomarker_row(h, "HER2 ISH", b.her2_ish.map(|p| positivity(p).to_string()));
    biomarker_row(h, "ER", b.er.map(|p| positivity(p).to_string()));
    biomarker_row(h, "PR", b.pr.map(|p| positivity(p).to_string()));
    biomarker_row(h, "HRD", b.hrd.map(|p| positivity(p).to_string()));
    h.push_str("</tbody></table><p class=\"sub\">&#8220;Not tested&#8221; means no result was given with the case; it is not a negative result.</p></section>");
}

fn vaf_plot(h: &mut String, i: &Interpretation, somatic: Option<&SomaticDocument>) {
    let Some(doc) = somatic else { return };
    let bars: Vec<VafBar> = actionable_findings(doc)
        .into_iter()
        .filter_map(|f| {
            let v = f.variant.as_ref()?;
            Some(VafBar {
                label: f.alteration.clone(),
                vaf: v.vaf?,
                tier1: matches!(f.tier, Tier::IA | Tier::IB),
                subclonal: v.subclonal,
            })
        })
        .collect();
    h.push_str("<section id=\"vaf\"><h2>Variant allele fraction per finding</h2>");
    if bars.is_empty() {
        h.push_str("<p>No tier I or II small variant with a variant allele fraction to plot.</p></section>");
        return;
    }
    let purity = i.case.purity.or(doc.case.purity);
    let _ = write!(
        h,
        "<div class=\"chart\">{}</div><p class=\"sub\">Tier I and II small variants. {}</p></section>",
        plot::vaf_bars(&bars, purity),
        if purity.is_some() {
            "The dashed line is the VAF a clonal heterozygous variant would have at the stated purity (purity / 2); bars well below it suggest a subclone, above it a copy gain or loss of heterozygosity."
        } else {
            "Tumour purity was not given, so no clonal reference is drawn and CCF is not estimated."
        }
    );
}

fn trials(h: &mut String, i: &Interpretation) {
    h.push_str("<section id=\"trials\"><h2>Clinical trials</h2>");
    if !i.trials.searched {
        h.push_str("<p class=\"none\">Trial matching is not yet available: no trial registry was searched.</p>");
    }
    let _ = write!(h, "<p>{}</p></section>", escape(&i.trials.note));
}

fn alert_rows(h: &mut String, alerts: &[MedicationAlert]) {
    h.push_str("<table class=\"alerts\"><thead><tr><th>Current medication</th><th>Gene: phenotype</th><th>Recommendation</th><th>Strength</th><th>Source</th></tr></thead><tbody>");
    for a in alerts {
        let flag = if a.actionable {
            "<span class=\"badge med\">genotype-guided</span>"
        } else {
            "<span class=\"badge off\">no recommendation</span>"
        };
        let _ = write!(
            h,
            "<tr><td><b>{}</b><br>{flag}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&a.medication),
            escape(&a.phenotypes.join("; ")),
            escape_lines(&a.recommendation),
            or_dash(a.classification.as_deref()),
            escape(&a.source),
        );
    }
    h.push_str("</tbody></table>");
}

fn diplotypes(g: &GeneCall) -> String {
    g.diplotypes
        .iter()
        .map(|d| escape(&d.label))
        .collect::<Vec<_>>()
        .join(" <i>or</i> ")
}

fn gene_notes(g: &GeneCall) -> String {
    let mut notes = Vec::new();
    if g.diplotypes.is_empty() {
        notes.push(match g.warnings.first() {
            Some(w) => format!("not called: {}", escape(w)),
            None => "not called".to_string(),
        });
    } else if g.diplotypes.len() > 1 {
        notes.push(format!("{} equally scored candidates", g.diplotypes.len()));
    }
    if !g.missing_positions.is_empty() {
        notes.push(format!(
            "{} position(s) without a genotype",
            g.missing_positions.len()
        ));
    }
    if g.absent_positions > 0 {
        notes.push(format!(
            "{} position(s) absent from the input",
            g.absent_positions
        ));
    }
    if !g.mismatched_positions.is_empty() {
        notes.push(format!(
            "{} reference mismatch(es)",
            g.mismatched_positions.len()
        ));
    }
    if !g.uncallable_alleles.is_empty() {
        notes.push(format!(
            "{} allele(s) not assessable",
            g.uncallable_alleles.len()
        ));
    }
    notes.join("; ")
}

fn gene_table(h: &mut String, result: &PgxSampleResult) {
    h.push_str("<table class=\"genes\"><thead><tr><th>Gene</th><th>Diplotype</th><th>Phenotype</th><th>Activity score</th><th>Source</th><th>Notes</th></tr></thead><tbody>");
    for g in &result.genes {
        let scores: Vec<&str> = g
            .diplotypes
            .iter()
            .filter_map(|d| d.activity_score.as_deref())
            .collect();
        let source = g.source.label();
        let _ = write!(
            h,
            "<tr><td><b>{}</b></td><td class=\"wrap\">{}</td><td>{}</td><td>{}</td><td>{source}</td><td class=\"small\">{}</td></tr>",
            escape(&g.gene),
            if g.diplotypes.is_empty() { NOT_TESTED.to_string() } else { diplotypes(g) },
            escape(&g.phenotypes.join("; ")),
            escape(&scores.join(" / ")),
            gene_notes(g),
        );
    }
    h.push_str("</tbody></table>");
}

fn pharmacogenomics(h: &mut String, i: &Interpretation) {
    h.push_str("<section id=\"pgx\"><h2>Pharmacogenomics</h2>");
    let Some(pgx) = &i.pgx else {
        h.push_str("<p>No germline (pharmacogenomic) testing was part of this case.</p></section>");
        return;
    };
    h.push_str("<h3 id=\"current-medications\">Current medications</h3>");
    if i.case.medications.is_empty() {
        h.push_str("<p>No current medications were given with the case; check any new prescription against the recommendations below.</p>");
    } else if i.medication_alerts.is_empty() {
        let _ = write!(
            h,
            "<p>None of the current medications ({}) has a genotype-guided recommendation in CPIC or DPWG guidelines.</p>",
            escape(&i.case.medications.join(", "))
        );
    } else {
        alert_rows(h, &i.medication_alerts);
    }
    h.push_str("<h3>Gene results</h3>");
    gene_table(h, &pgx.result);
    let current = |drug: &str| {
        i.case
            .medications
            .iter()
            .any(|m| m.eq_ignore_ascii_case(drug))
    };
    let others: Vec<_> = pgx
        .result
        .recommendations
        .iter()
        .filter(|r| r.actionable && !current(&r.drug))
        .collect();
    let silent = pgx
        .result
        .recommendations
        .iter()
        .filter(|r| !r.actionable && !current(&r.drug))
        .count();
    h.push_str(
        "<h3 id=\"other-recommendations\">Other drug recommendations for this genotype</h3>",
    );
    if others.is_empty() {
        h.push_str("<p>No other drug has a genotype-guided recommendation for this patient.</p>");
    } else {
        h.push_str("<p class=\"sub\">First line of each recommendation; the full text (other considerations) is in the guideline cited and in interpretation.json. Entries that repeat the same advice for another indication are shown once.</p><table class=\"recs\"><thead><tr><th>Drug</th><th>Gene: phenotype</th><th>Recommendation</th><th>Strength</th><th>Guideline</th></tr></thead><tbody>");
        let mut seen: Vec<(&str, &str, &str)> = Vec::new();
        for r in others {
            let text = r.recommendation.as_deref().unwrap_or("").trim();
            let first = text.lines().next().unwrap_or("");
            if seen.contains(&(r.drug.as_str(), r.source.as_str(), first)) {
                continue;
            }
            seen.push((r.drug.as_str(), r.source.as_str(), first));
            let phen: Vec<String> = r
                .phenotypes
                .iter()
                .map(|(g, p)| format!("{g}: {p}"))
                .collect();
            let _ = write!(
                h,
                "<tr><td><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td><td class=\"small\">{} <span class=\"sub\">({})</span></td></tr>",
                escape(&r.drug),
                escape(&phen.join("; ")),
                escape(first),
                or_dash(r.classification.as_deref()),
                escape(&r.guideline),
                escape(&r.source),
            );
        }
        h.push_str("</tbody></table>");
    }
    if silent > 0 {
        let _ = write!(
            h,
            "<p class=\"sub\">{silent} further guideline entr{} give no recommendation for this genotype; they are listed in interpretation.json.</p>",
            if silent == 1 { "y" } else { "ies" }
        );
    }
    h.push_str("</section>");
}

fn limitations(h: &mut String, i: &Interpretation) {
    h.push_str("<section id=\"limitations\"><h2>What was not tested or could not be called</h2>");
    if i.limitations.is_empty() {
        h.push_str("<p>No limitation was recorded beyond those stated in the methods.</p>");
    } else {
        h.push_str("<table><thead><tr><th>Area</th><th>What</th><th>Why, and what it means</th></tr></thead><tbody>");
        for l in &i.limitations {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"wrap\">{}</td></tr>",
                escape(&l.area),
                escape(&l.what),
                escape(&l.why)
            );
        }
        h.push_str("</tbody></table>");
    }
    if let Some(pgx) = &i.pgx {
        let absent: Vec<_> = pgx
            .absent_positions
            .iter()
            .filter(|a| !a.positions.is_empty())
            .collect();
        let missing: Vec<&GeneCall> = pgx
            .result
            .genes
            .iter()
            .filter(|g| !g.missing_positions.is_empty() || !g.uncallable_alleles.is_empty())
            .collect();
        if absent.is_empty() && missing.is_empty() {
            h.push_str("<p>Pharmacogenomics: every allele-defining position of the called genes had a genotype in the input.</p>");
        } else {
            h.push_str("<h3>Pharmacogenomic positions not genotyped</h3><table><thead><tr><th>Gene</th><th>Positions</th><th>Effect on the call</th></tr></thead><tbody>");
            for a in absent {
                let ids: Vec<String> = a
                    .positions
                    .iter()
                    .map(|p| {
                        p.rsid
                            .clone()
                            .unwrap_or_else(|| format!("{}:{}", p.chromosome, p.position))
                    })
                    .collect();
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"mono wrap\">{}</td><td>{} position(s) absent from every input; {}</td></tr>",
                    escape(&a.gene),
                    escape(&ids.join(", ")),
                    a.positions.len(),
                    if a.assumed_reference { "read as reference, as asked for this run (variant-only input)" } else { "alleles defined there could not be assessed" }
                );
            }
            for g in missing {
                let ids: Vec<String> = g
                    .missing_positions
                    .iter()
                    .map(|p| {
                        p.rsid
                            .clone()
                            .unwrap_or_else(|| format!("{}:{}", p.chromosome, p.position))
                    })
                    .collect();
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"mono wrap\">{}</td><td>no usable genotype; alleles not assessable: {}</td></tr>",
                    escape(&g.gene),
                    escape(&ids.join(", ")),
                    escape(&g.uncallable_alleles.join(", ")),
                );
            }
            h.push_str("</tbody></table>");
        }
    }
    if let Some(doc) = &i.somatic {
        if !doc.unannotated.is_empty() {
            let _ = write!(
                h,
                "<h3>Variants that could not be annotated ({})</h3><table class=\"small\"><thead><tr><th>Variant</th><th>Reason</th><th>Record</th></tr></thead><tbody>",
                doc.unannotated.len()
            );
            for u in &doc.unannotated {
                let _ = write!(
                    h,
                    "<tr><td class=\"mono\">{}</td><td class=\"wrap\">{}</td><td class=\"mono wrap\">{}</td></tr>",
                    escape(&u.variant),
                    escape(&u.reason),
                    escape(&u.record)
                );
            }
            h.push_str("</tbody></table>");
        }
    }
    h.push_str("</section>");
}

fn methods(h: &mut String, i: &Interpretation) {
    h.push_str("<section id=\"methods\"><h2>Methods</h2><ul class=\"plain\">");
    for m in &i.methods {
        let _ = write!(h, "<li>{}</li>", escape(m));
    }
    h.push_str("</ul>");
    let mut inputs: Vec<String> = Vec::new();
    if let Some(doc) = &i.somatic {
        for inp in &doc.inputs {
            inputs.push(format!(
                "{}: <span class=\"mono wrap\">{}</span> ({} records read, {} used)",
                escape(&inp.kind),
                escape(&inp.path),
                inp.records,
                inp.used
            ));
        }
        let _ = write!(
            h,
            "<p class=\"small\">Assembly {}; sample type {}.</p>",
            doc.case.assembly,
            doc.case.sample_type.label()
        );
    }
    if let Some(pgx) = &i.pgx {
        for p in &pgx.inputs {
            inputs.push(format!(
                "germline: <span class=\"mono wrap\">{}</span>",
                escape(p)
            ));
        }
    }
    if !inputs.is_empty() {
        h.push_str("<h3>Inputs</h3><ul class=\"plain small\">");
        for inp in inputs {
            let _ = write!(h, "<li>{inp}</li>");
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");
}

fn knowledge(h: &mut String, i: &Interpretation) {
    let _ = write!(
        h,
        "<section id=\"knowledge\"><h2>Knowledge base and sources</h2><p>Knowledge base <span class=\"mono\">{}</span>; Tailor {}; interpretation schema {}.</p>",
        escape(&i.knowledge.kb_version),
        escape(&i.tailor_version),
        escape(&i.schema_version),
    );
    h.push_str("<table class=\"small\"><thead><tr><th>Source</th><th>Version</th><th>Licence</th><th>SHA-256</th></tr></thead><tbody>");
    for s in &i.knowledge.sources {
        let short: String = s.sha256.chars().take(12).collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"mono\" title=\"{}\">{}</td></tr>",
            escape(&s.name),
            escape(&s.version),
            escape(&s.license),
            escape(&s.sha256),
            escape(&short),
        );
    }
    h.push_str("</tbody></table>");
    if !i.attributions.is_empty() {
        h.push_str("<h3>Attributions</h3><ul class=\"plain small\">");
        for a in &i.attributions {
            let _ = write!(h, "<li>{}</li>", escape(a));
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");
}

fn signoff(h: &mut String, i: &Interpretation) {
    h.push_str("<section class=\"signoff\" id=\"signoff\"><h2>Review and sign-off</h2><p class=\"small\">Generated by Tailor from the case data and knowledge base stated above. It is decision support: a qualified reviewer must check it before it is used for patient care.</p>");
    for label in ["Reviewed by (name, role)", "Signature", "Date"] {
        let _ = write!(h, "<div class=\"line\"><span>{label}:</span><i></i></div>");
    }
    let _ = write!(
        h,
        "</section><footer>Report <span class=\"mono\">{}</span> &#183; generated {} &#183; Tailor {} &#183; patient {}</footer>",
        escape(&i.report_id),
        escape(&i.generated_at),
        escape(&i.tailor_version),
        escape(&i.case.patient),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_text_cannot_break_out_of_a_css_string() {
        assert_eq!(css_text("a\"}</style><b>"), "astyleb");
        assert_eq!(css_text("EXAMPLE-CRC-001"), "EXAMPLE-CRC-001");
    }

    #[test]
    fn badges_say_effect_and_label() {
        let r = effect_label_badges(Effect::Resistance, LabelStatus::OnLabel);
        assert!(r.contains("resistance") && r.contains("on-label"));
        let s = effect_label_badges(Effect::Sensitivity, LabelStatus::OffLabel);
        assert!(s.contains("off-label") && !s.contains("resistance"));
    }
}
