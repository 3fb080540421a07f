//! Renderers for the somatic document (`somatic.json`, `somatic.tsv`, terminal).

use std::fmt::Write as _;
use tailor_core::labels::wire_name;
use tailor_core::onco::{Effect, SomaticDocument, SomaticFinding};

/// The TSV header. The first four columns are a stable contract with pipelines.
pub const TSV_HEADER: &[&str] = &[
    "gene",
    "alteration",
    "tier",
    "therapies",
    "finding_id",
    "kind",
    "oncogenicity",
    "match_level",
    "evidence_level",
    "vaf",
    "ccf",
    "record",
    "kb_rows",
    "citations",
    "caveats",
];

/// `somatic.json`, indented; an error rather than an empty file.
pub fn to_json(doc: &SomaticDocument) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec_pretty(doc)?;
    out.push(b'\n');
    Ok(out)
}

fn cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Therapy column: `regimen (effect, label, level)` joined by `; `, one per distinct
/// regimen and effect, best first.
pub fn therapies_text(f: &SomaticFinding) -> String {
    let mut seen: Vec<(String, Effect)> = Vec::new();
    let mut parts = Vec::new();
    for e in &f.evidence {
        if seen
            .iter()
            .any(|(t, eff)| *t == e.therapy && *eff == e.effect)
        {
            continue;
        }
        seen.push((e.therapy.clone(), e.effect));
        parts.push(format!(
            "{} ({}, {}, level {})",
            e.therapy,
            e.effect.label(),
            e.label.label(),
            e.level.label()
        ));
    }
    parts.join("; ")
}

/// One row per finding: tier I/II first, then tier III.
pub fn to_tsv(doc: &SomaticDocument) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&TSV_HEADER.join("\t"));
    out.push('\n');
    for f in doc.findings.iter().chain(&doc.uncertain) {
        let best = f.evidence.first();
        let mut kb_rows: Vec<&str> = f.evidence.iter().map(|e| e.kb_row.as_str()).collect();
        kb_rows.dedup();
        let mut citations: Vec<&str> = f.evidence.iter().map(|e| e.citation.as_str()).collect();
        citations.sort_unstable();
        citations.dedup();
        let vaf = f
            .variant
            .as_ref()
            .and_then(|v| v.vaf)
            .map(|v| format!("{v:.3}"))
            .unwrap_or_default();
        let ccf = f
            .variant
            .as_ref()
            .and_then(|v| v.ccf)
            .map(|v| format!("{v:.2}"))
            .unwrap_or_default();
        let row = [
            f.gene.clone().unwrap_or_default(),
            f.alteration.clone(),
            wire_name(&f.tier),
            therapies_text(f),
            f.id.clone(),
            wire_name(&f.kind),
            wire_name(&f.oncogenicity),
            best.map(|e| wire_name(&e.match_level)).unwrap_or_default(),
            best.map(|e| wire_name(&e.level)).unwrap_or_default(),
            vaf,
            ccf,
            f.source.clone(),
            kb_rows.join(","),
            citations.join(" | "),
            f.caveats.join(" "),
        ];
        let row: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&row.join("\t"));
        out.push('\n');
    }
    out.into_bytes()
}

/// A short summary for the terminal (no patient identifiers beyond the pseudonym).
pub fn terminal_summary(doc: &SomaticDocument) -> String {
    let mut s = String::new();
    let tumor = doc.case.tumor_type.as_ref().map_or_else(
        || "tumour type not given".to_string(),
        |t| format!("{} ({})", t.name, t.code),
    );
    let _ = writeln!(s, "{tumor}; knowledge base {}", doc.knowledge.kb_version);
    let _ = writeln!(s, "{}", doc.summary);
    for f in &doc.findings {
        let _ = writeln!(
            s,
            "  {:<5} {:<32} {}",
            f.tier.label(),
            f.alteration,
            therapies_text(f)
        );
    }
    if !doc.uncertain.is_empty() {
        let _ = writeln!(
            s,
            "  {} tier III finding(s) (not actionable)",
            doc.uncertain.len()
        );
    }
    if let Some(t) = &doc.tmb {
        let _ = writeln!(
            s,
            "  TMB {} mut/Mb ({}; high >= {})",
            t.value, t.origin, t.high_threshold
        );
    }
    for w in &doc.warnings {
        let _ = writeln!(s, "  warning: {w}");
    }
    s
}
