//! FDA-label cases (`tests/data/fda_cases.tsv`): patient scenarios written from FDA labels
//! independently of the curated knowledge base, each with the expected AMP/ASCO/CAP tier
//! and a drug that must be offered (or the statement that nothing is actionable).
//!
//! Every case runs through the real engine and knowledge base. The test fails on any
//! case that disagrees, except the ones listed in [`EXPLAINED`] with the reason.

use crate::common;

use std::collections::BTreeMap;
use tailor_core::onco::AnnotationSource;
use tailor_core::onco::{Effect, SomaticDocument, Tier};
use tailor_core::somatic::{Biomarkers, MmrStatus, MsiStatus, Positivity, VariantClass};
use tailor_genome::protein::parse_protein;
use tailor_onco::case::{CopyNumberCall, CopyNumberState, FusionCall, SmallVariant, SomaticCase};
use tailor_onco::engine::{OncoEngine, OncoOptions};

/// Cases whose expectation the engine does not meet, each with the reason (none is a
/// wrong call by the engine's stated rules; see docs/validation.md).
const EXPLAINED: &[(&str, &str)] = &[
    ("FDA-008", "AVMAPKI FAKZYNJA CO-PACK (avutometinib + defactinib) was approved 2025-05 for KRAS-mutated recurrent low-grade serous ovarian cancer; by AMP rules any KRAS-mutated tumour of another type is then level C (tier II-C). The case table predates that approval."),
    ("FDA-042", "as FDA-008 (KRAS G12D in LUAD: avutometinib + defactinib, off-label, II-C)"),
    ("FDA-043", "as FDA-008 (KRAS G12D in PAAD: avutometinib + defactinib, off-label, II-C)"),
    ("FDA-157", "TTN is not a cancer gene (not in kb/onco/genes.tsv nor cancerhotspots): like PCGR, Tailor counts variants outside cancer genes instead of listing them as tier III; nothing is actionable, as expected."),
];

struct Case {
    id: String,
    tumor: String,
    inputs: String,
    tier: String,
    drug: String,
    effect: String,
    level: String,
}

fn cases(file: &str) -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("fda_cases.tsv");
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    assert_eq!(
        &header[..7],
        &[
            "case_id",
            "tumor_type",
            "inputs",
            "expected_tier",
            "expected_drug",
            "expected_effect",
            "match_level"
        ]
    );
    lines
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Case {
                id: c[0].into(),
                tumor: c[1].into(),
                inputs: c[2].into(),
                tier: c[3].into(),
                drug: c[4].into(),
                effect: c[5].into(),
                level: c[6].into(),
            }
        })
        .collect()
}

fn class_of(word: &str) -> VariantClass {
    match word {
        "missense" => VariantClass::Missense,
        "nonsense" => VariantClass::Nonsense,
        "frameshift" => VariantClass::Frameshift,
        "inframe_deletion" => VariantClass::InframeDeletion,
        "inframe_insertion" => VariantClass::InframeInsertion,
        "splice_site" => VariantClass::SpliceSite,
        other => panic!("unknown class {other}"),
    }
}

fn variant(gene: &str, record: &str) -> SmallVariant {
    SmallVariant {
        gene: Some(gene.into()),
        chrom: String::new(),
        pos: 0,
        ref_allele: String::new(),
        alt_allele: String::new(),
        protein: None,
        class: VariantClass::Unknown,
        exon: None,
        exon_count: None,
        splice_site_of_exon: None,
        codon: None,
        codon_from_position: false,
        transcript: None,
        hgvsc: None,
        vaf: None,
        depth: None,
        annotation: AnnotationSource::Maf,
        record: record.into(),
    }
}

/// Builds the engine input from the case grammar (see the file header).
fn build(case: &Case, engine: &OncoEngine<'_>) -> SomaticCase {
    let transcripts = common::kb().transcripts().expect("exon model");
    let mut out = SomaticCase {
        patient: case.id.clone(),
        tumor_type: Some(case.tumor.clone()),
        ..SomaticCase::default()
    };
    let mut b = Biomarkers::default();
    for item in case.inputs.split(';') {
        let parts: Vec<&str> = item.split(':').collect();
        let record = format!("{}:{item}", case.id);
        match parts[0] {
            "mut" => {
                let mut v = variant(parts[1], &record);
                let p = parse_protein(parts[2]).unwrap_or_else(|e| panic!("{}: {e}", case.id));
                v.protein = Some(p.short());
                v.codon = p.codon().map(|(_, n)| n);
                v.class = p.class();
                if let Some(c) = parts.get(3) {
                    v.class = class_of(c);
                }
                if let Some(e) = parts.get(4) {
                    v.exon = Some(e.parse().expect("exon"));
                    // As the loaders do: the exon count of the gene's MANE transcript.
                    v.exon_count = transcripts.gene(parts[1]).map(|t| t.exon_count());
                }
                out.variants.push(v);
            }
            "vcf" => {
                let mut v = variant("", &record);
                v.gene = None;
                v.chrom = parts[1].into();
                v.pos = parts[2].parse().expect("pos");
                v.ref_allele = parts[3].into();
                v.alt_allele = parts[4].into();
                v.annotation = AnnotationSource::None;
                let mut unannotated = Vec::new();
                assert!(
                    tailor_onco::load::annotate_unannotated(
                        &mut v,
                        engine,
                        transcripts,
                        tailor_core::somatic::Assembly::GRCh38,
                        &mut unannotated
                    ),
                    "{}: {item} is in no gene",
                    case.id
                );
                out.variants.push(v);
            }
            "fusion" => {
                let (a, b) = parts[1].split_once("--").expect("A--B");
                out.fusions.push(FusionCall {
                    gene5: a.into(),
                    gene3: b.into(),
                    reads: None,
                    reading_frame: None,
                    record,
                });
            }
            "amp" | "del" => out.copy_numbers.push(CopyNumberCall {
                gene: parts[1].into(),
                state: if parts[0] == "amp" {
                    CopyNumberState::Amplification
                } else {
                    CopyNumberState::HomozygousDeletion
                },
                copies: None,
                record,
            }),
            "tmb" => b.tmb = Some(parts[1].parse().expect("tmb")),
            "msi" => {
                b.msi = Some(match parts[1] {
                    "MSI-H" => MsiStatus::MsiHigh,
                    "MSS" => MsiStatus::Stable,
                    x => panic!("msi {x}"),
                })
            }
            "mmr" => {
                b.mmr = Some(match parts[1] {
                    "dMMR" => MmrStatus::Deficient,
                    "pMMR" => MmrStatus::Proficient,
                    x => panic!("mmr {x}"),
                })
            }
            "pdl1_tps" => b.pdl1_tps = Some(parts[1].parse().expect("tps")),
            "pdl1_cps" => b.pdl1_cps = Some(parts[1].parse().expect("cps")),
            "her2_ihc" => b.her2_ihc = Some(parts[1].parse().expect("ihc")),
            "her2_ish" | "er" | "hrd" => {
                let v = match parts[1] {
                    "positive" => Positivity::Positive,
                    "negative" => Positivity::Negative,
                    x => panic!("{x}"),
                };
                match parts[0] {
                    "her2_ish" => b.her2_ish = Some(v),
                    "er" => b.er = Some(v),
                    _ => b.hrd = Some(v),
                }
            }
            other => panic!("{}: unknown input kind {other}", case.id),
        }
    }
    out.biomarkers = b;
    out
}

fn has_drug(regimen: &str, drug: &str) -> bool {
    tailor_onco::rank::drugs(regimen).any(|d| d == drug)
}

/// Checks one case; `Err` says what was expected and what came out.
fn check(case: &Case, doc: &SomaticDocument) -> Result<(), String> {
    let actionable: Vec<String> = doc
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} [{}]",
                f.tier.label(),
                f.alteration,
                tailor_report::somatic::therapies_text(f)
            )
        })
        .collect();
    match case.tier.as_str() {
        "none" => {
            if doc.findings.is_empty() && !doc.actionable {
                Ok(())
            } else {
                Err(format!(
                    "expected no actionable finding, got {actionable:?}"
                ))
            }
        }
        "III" => {
            if !doc.findings.is_empty() {
                Err(format!("expected only tier III, got {actionable:?}"))
            } else if doc.uncertain.iter().any(|f| f.tier == Tier::III) {
                Ok(())
            } else {
                Err("expected a tier III finding, got none".into())
            }
        }
        tier => {
            let want = match tier {
                "IA" => Tier::IA,
                "IB" => Tier::IB,
                "IIC" => Tier::IIC,
                "IID" => Tier::IID,
                x => return Err(format!("unknown expected tier {x}")),
            };
            let effect = if case.effect == "resistance" {
                Effect::Resistance
            } else {
                Effect::Sensitivity
            };
            let hit = doc.findings.iter().any(|f| {
                f.tier == want
                    && f.evidence.iter().any(|e| {
                        e.effect == effect
                            && has_drug(&e.therapy, &case.drug)
                            && tailor_onco::tier::tier_for(e.level) == want
                    })
            });
            if hit {
                Ok(())
            } else {
                Err(format!(
                    "expected {tier} {} ({}), got {actionable:?}",
                    case.drug, case.effect
                ))
            }
        }
    }
}

#[test]
fn fda_label_cases() {
    let cases = cases("fda_cases.tsv");
    assert!(cases.len() >= 40, "at least 40 cases");
    run_cases("FDA cases", &cases);
}

/// Calls the team's clinical review found wrong once (silent and nonsense changes at
/// hotspot codons, a benign last-exon truncation, off-label IHC cut-offs, wild-type
/// restrictions).
#[test]
fn clinical_review_regressions() {
    let cases = cases("review_cases.tsv");
    assert_eq!(cases.len(), 5);
    run_cases("review cases", &cases);
}

fn run_cases(label: &str, cases: &[Case]) {
    let kb = common::kb();
    let engine = OncoEngine::new(kb.onco(), OncoOptions::default());
    let mut per_level: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut explained_hits = Vec::new();
    for case in cases {
        let input = build(case, &engine);
        let doc = engine
            .interpret(&input, kb.provenance())
            .unwrap_or_else(|e| panic!("{}: {e}", case.id));
        // Never a VUS among the actionable findings.
        for f in &doc.findings {
            assert_ne!(
                f.oncogenicity,
                tailor_core::onco::Oncogenicity::Uncertain,
                "{}: uncertain finding {} shown as actionable",
                case.id,
                f.alteration
            );
        }
        let entry = per_level.entry(case.level.clone()).or_default();
        entry.1 += 1;
        match check(case, &doc) {
            Ok(()) => entry.0 += 1,
            Err(why) => {
                if let Some((_, reason)) = EXPLAINED.iter().find(|(id, _)| *id == case.id) {
                    explained_hits.push(format!("{}: {why} (explained: {reason})", case.id));
                } else {
                    failures.push(format!("{} {} {}: {why}", case.id, case.tumor, case.inputs));
                }
            }
        }
    }
    let total: u32 = per_level.values().map(|v| v.1).sum();
    let passed: u32 = per_level.values().map(|v| v.0).sum();
    eprintln!("{label}: {passed}/{total} agree");
    for (level, (p, n)) in &per_level {
        eprintln!("  {level:<14} {p}/{n}");
    }
    for e in &explained_hits {
        eprintln!("  {e}");
    }
    assert!(
        failures.is_empty(),
        "{} case(s) disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
