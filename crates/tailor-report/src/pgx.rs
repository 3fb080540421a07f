//! Renderers for the pharmacogenomics document (`pgx.json`, `pgx.tsv`, terminal).

use std::fmt::Write as _;
use std::io::Write as _;
use tailor_core::pgx::{GeneCall, PgxDocument};

/// The TSV header. The first five columns are a stable contract with pipelines.
pub const TSV_HEADER: &[&str] = &[
    "sample",
    "gene",
    "diplotype",
    "phenotype",
    "activity_score",
    "source",
    "phased",
    "matched_positions",
    "missing_positions",
    "mismatched_positions",
    "assumed_reference_positions",
    "drugs_with_recommendations",
    "warnings",
];

/// Above this many samples `pgx.json` is written compact: indentation would double a
/// cohort-sized file for no reader's benefit.
pub const PRETTY_JSON_MAX_SAMPLES: usize = 10;

/// Renders the document as JSON (the `pgx.json` file): indented for a few samples,
/// compact for cohorts.
pub fn to_json(doc: &PgxDocument) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_json(doc, &mut out);
    out
}

/// Writes `pgx.json` straight to `out` (no intermediate copy of a cohort-sized
/// document).
pub fn write_json(doc: &PgxDocument, out: impl std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    if doc.samples.len() <= PRETTY_JSON_MAX_SAMPLES {
        serde_json::to_writer_pretty(&mut out, doc)?;
    } else {
        serde_json::to_writer(&mut out, doc)?;
    }
    out.write_all(b"\n")?;
    out.flush()
}

/// Joins the candidates' values with ` OR ` (the TSV's way of showing ambiguity).
fn joined(values: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join(" OR ")
}

fn tsv_cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Diplotype column text for a gene call: candidates joined by ` OR `, or
/// `no call` with nothing found.
pub fn diplotype_text(call: &GeneCall) -> String {
    if call.diplotypes.is_empty() {
        "no call".to_string()
    } else {
        joined(call.diplotypes.iter().map(|d| d.label.clone()))
    }
}

/// Renders one row per sample and gene (the `pgx.tsv` file).
pub fn to_tsv(doc: &PgxDocument) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&TSV_HEADER.join("\t"));
    out.push('\n');
    for sample in &doc.samples {
        for call in &sample.genes {
            let absent_assumed = doc
                .absent_positions
                .iter()
                .any(|a| a.gene == call.gene && a.assumed_reference);
            let (absent_missing, absent_assumed) = if absent_assumed {
                (0, call.absent_positions)
            } else {
                (call.absent_positions, 0)
            };
            let phenotype = joined(call.diplotypes.iter().filter_map(|d| d.phenotype.clone()));
            let score = joined(
                call.diplotypes
                    .iter()
                    .filter_map(|d| d.activity_score.clone()),
            );
            let drugs: Vec<&str> = sample
                .recommendations
                .iter()
                .filter(|r| r.actionable && r.lookup.contains_key(&call.gene))
                .map(|r| r.drug.as_str())
                .collect();
            let mut drugs_unique: Vec<&str> = Vec::new();
            for d in drugs {
                if !drugs_unique.contains(&d) {
                    drugs_unique.push(d);
                }
            }
            let row = [
                sample.sample.clone(),
                call.gene.clone(),
                diplotype_text(call),
                phenotype,
                score,
                tailor_core::labels::wire_name(&call.source),
                call.phased.to_string(),
                call.matched_positions.to_string(),
                (call.missing_positions.len() + absent_missing).to_string(),
                call.mismatched_positions.len().to_string(),
                (call.assumed_reference_positions.len() + absent_assumed).to_string(),
                drugs_unique.join(","),
                call.warnings.join("; "),
            ];
            let cells: Vec<String> = row.iter().map(|c| tsv_cell(c)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
    out.into_bytes()
}

/// A short human summary for the terminal: per sample, the genes with a non-reference
/// or uncertain result and the drugs with actionable recommendations.
pub fn terminal_summary(doc: &PgxDocument, max_samples: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Tailor PGx: {} sample(s), knowledge base {}",
        doc.samples.len(),
        doc.knowledge.kb_version
    );
    for sample in doc.samples.iter().take(max_samples) {
        let _ = writeln!(out, "\n{}", sample.sample);
        for call in &sample.genes {
            let phen = joined(call.diplotypes.iter().filter_map(|d| d.phenotype.clone()));
            let mut flags = Vec::new();
            if !call.missing_positions.is_empty() {
                flags.push(format!("{} missing", call.missing_positions.len()));
            }
            if !call.mismatched_positions.is_empty() {
                flags.push(format!("{} REF mismatch", call.mismatched_positions.len()));
            }
            if call.diplotypes.len() > 1 {
                flags.push("ambiguous".to_string());
            }
            let _ = writeln!(
                out,
                "  {:<8} {:<32} {:<36} {}",
                call.gene,
                diplotype_text(call),
                phen,
                flags.join(", ")
            );
        }
        let matched: Vec<&tailor_core::pgx::DrugRecommendation> = sample
            .recommendations
            .iter()
            .filter(|r| r.actionable)
            .collect();
        let count = |source: &str| matched.iter().filter(|r| r.source == source).count();
        if matched.is_empty() {
            let _ = writeln!(out, "  drugs: no recommendation applies to these genotypes");
        } else {
            let _ = writeln!(
                out,
                "  drug recommendations matched: {} CPIC, {} DPWG (full text in pgx.json)",
                count("CPIC"),
                count("DPWG")
            );
        }
    }
    if doc.samples.len() > max_samples {
        let _ = writeln!(
            out,
            "\n... and {} more sample(s); see pgx.tsv / pgx.json",
            doc.samples.len() - max_samples
        );
    }
    out
}
