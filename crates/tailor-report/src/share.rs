//! The de-identified export of a case for sharing outside the care team (a registry, a
//! research network, a GENIE-style release): what was found, not who it was found in.
//!
//! Built from an allow-list of fields, never by removing fields from the whole
//! document, so a field added to the interpretation later is not shared until someone
//! decides it may be. Left out: the patient pseudonym, specimen ids and dates, the
//! ordering clinician and laboratory, input file names and record numbers (file names
//! can carry patient names), the report id (it hashes the inputs), free-text notes, and
//! secondary germline notes. Kept: tumour type, sample type, purity, assembly, each
//! finding (gene, alteration, tier, oncogenicity, the variant's coordinates, alleles,
//! protein change, VAF and depth; copies; supporting reads), ranked therapies with their
//! level, pharmacogenomic diplotypes and phenotypes, and the Tailor and knowledge-base
//! versions that produced them.
//!
//! The caller gives the case a sharing id: a stable pseudonym of its own (the server
//! derives it from the case id with a key it keeps), so releases of the same case can be
//! linked without revealing the case id or the patient.

use serde_json::{json, Value};
use tailor_core::interpretation::Interpretation;
use tailor_core::onco::SomaticFinding;

/// Version of the export's layout.
pub const SHARE_FORMAT_VERSION: &str = "1.0";

/// The de-identified export of `i` under `sharing_id`, as indented JSON.
pub fn share_json(i: &Interpretation, sharing_id: &str) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = serde_json::to_vec_pretty(&share_value(i, sharing_id))?;
    out.push(b'\n');
    Ok(out)
}

/// The de-identified export as a JSON value (see the module documentation).
pub fn share_value(i: &Interpretation, sharing_id: &str) -> Value {
    let somatic = i.somatic.as_ref().map(|s| {
        json!({
            "tumor_type": s.case.tumor_type.as_ref().map(|t| json!({
                "code": t.code,
                "name": t.name,
                "main_type": t.main_type,
            })),
            "sample_type": s.case.sample_type,
            "purity": s.case.purity,
            "assembly": s.case.assembly,
            "findings": s.findings.iter().chain(&s.uncertain).map(finding).collect::<Vec<_>>(),
            "therapies": s.therapies.iter().map(|t| json!({
                "rank": t.rank,
                "therapy": t.therapy,
                "effect": t.effect,
                "label": t.label,
                "level": t.level,
                "tier": t.tier.label(),
                "biomarkers": t.biomarkers,
            })).collect::<Vec<_>>(),
            "tmb": s.tmb.as_ref().map(|t| json!({
                "value": t.value,
                "origin": t.origin,
                "high": t.high,
            })),
        })
    });
    let pgx = i.pgx.as_ref().map(|p| {
        p.result
            .genes
            .iter()
            .map(|g| {
                json!({
                    "gene": g.gene,
                    "source": g.source,
                    "diplotypes": g.diplotypes.iter().map(|d| &d.label).collect::<Vec<_>>(),
                    "phenotypes": g.phenotypes,
                })
            })
            .collect::<Vec<_>>()
    });
    json!({
        "format": "tailor-share",
        "format_version": SHARE_FORMAT_VERSION,
        "sharing_id": sharing_id,
        "tailor_version": i.tailor_version,
        "kb_version": i.knowledge.kb_version,
        "somatic": somatic,
        "pgx": pgx,
    })
}

fn finding(f: &SomaticFinding) -> Value {
    json!({
        "kind": f.kind,
        "gene": f.gene,
        "alteration": f.alteration,
        "tier": f.tier.label(),
        "oncogenicity": f.oncogenicity,
        "variant": f.variant.as_ref().map(|v| json!({
            "chrom": v.chrom,
            "pos": v.pos,
            "ref": v.ref_allele,
            "alt": v.alt_allele,
            "transcript": v.transcript,
            "hgvsc": v.hgvsc,
            "protein": v.protein,
            "class": v.class,
            "vaf": v.vaf,
            "depth": v.depth,
        })),
        "copies": f.copies,
        "supporting_reads": f.supporting_reads,
    })
}
