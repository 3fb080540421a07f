//! The somatic engine: one [`SomaticCase`] in, one [`SomaticDocument`] out.
//!
//! Matching runs most specific first for every finding: exact genomic key, protein
//! change, codon, exon-level event, gene-level class; fusions, copy number, signatures
//! and expression results against their own rule kinds. Every rule that matches is kept
//! in the finding's evidence trail (not only the best), so a reviewer sees all the
//! reasons; the best one sets the tier (see [`crate::tier`]).
//!
//! Variants of uncertain significance are kept apart: a gene-level rule (`oncogenic`,
//! `truncating`, `any`) only applies to a variant whose oncogenicity is established
//! (curated, hotspot, or null variant in a tumour suppressor); an uncertain variant that
//! would match such a rule stays in tier III with the reason stated. Specific rules
//! (genomic key, protein, codon, exon) establish oncogenicity themselves.

use crate::biomarker::{her2_ihc_label, her2_status, mmr_deficient, msi_high, Her2Status};
use crate::case::{CopyNumberCall, CopyNumberState, FusionCall, SmallVariant, SomaticCase};
use crate::rank::rank_therapies;
use crate::tier::drop_overridden;
use crate::tier::{patient_level, sort_evidence, tier_from_evidence};
use crate::tmb;
use std::collections::{HashMap, HashSet};
use tailor_core::onco::{
    AnnotationSource, CaseSummary, Effect, EvidenceLevel, EvidenceMatch, FindingKind, LabelStatus,
    MatchLevel, Oncogenicity, SomaticCounts, SomaticDocument, SomaticFinding, Tier, TmbResult,
    TumorType, VariantDetails, SOMATIC_SCHEMA_VERSION,
};
use tailor_core::pgx::KnowledgeProvenance;
use tailor_core::somatic::{Assembly, VariantClass};
use tailor_kb::onco::{
    AlterationPattern, EvidenceRow, ExonKind, ExpressionRule, ExpressionStatus, GeneClass,
    GeneRole, Hotspot, Marker, OncoKnowledge, ProteinChange, Signature,
};

mod findings;
mod matching;

use matching::*;

/// Engine errors: problems with the case as a whole (bad tumour type, bad purity).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum OncoError {
    /// The tumour type is not an OncoTree code.
    #[error("{0}")]
    UnknownTumorType(String),
    /// Purity outside (0, 1].
    #[error("tumour purity {0} is outside 0-1 (give a fraction, e.g. 0.6 for 60%)")]
    BadPurity(f64),
}

/// Genes whose kinase (or other driver) domain sits in the 3' partner of an oncogenic
/// fusion (ALK, ROS1, RET, NTRK1-3, ABL1, BRAF, NRG1, MET), or in the 5' partner (FGFR2,
/// FGFR3 keep their kinase domain and lose the 3' end). Used to flag fusions listed in
/// the unexpected orientation; the fusion still matches (a caller's naming order is not
/// always transcriptional order) but the report says to confirm the reading frame.
const DRIVER_END: [(&str, bool); 11] = [
    ("ALK", true),
    ("ROS1", true),
    ("RET", true),
    ("NTRK1", true),
    ("NTRK2", true),
    ("NTRK3", true),
    ("ABL1", true),
    ("BRAF", true),
    ("NRG1", true),
    ("FGFR2", false),
    ("FGFR3", false),
];

/// Options for interpretation.
#[derive(Debug, Clone)]
pub struct OncoOptions {
    /// TMB-high threshold used for the TMB result (rules may state their own).
    pub tmb_high: f64,
    /// Purity below which a warning says that negative results are unreliable.
    pub low_purity: f64,
    /// Cancer-cell fraction below which a variant is flagged subclonal.
    pub subclonal_ccf: f64,
}

impl Default for OncoOptions {
    fn default() -> Self {
        OncoOptions {
            tmb_high: tmb::TMB_HIGH,
            low_purity: 0.2,
            subclonal_ccf: 0.5,
        }
    }
}

/// The engine over one knowledge base: indexes built once, reused for every case.
pub struct OncoEngine<'kb> {
    kb: &'kb OncoKnowledge,
    by_gene: HashMap<&'kb str, Vec<&'kb EvidenceRow>>,
    genome_wide: Vec<&'kb EvidenceRow>,
    roles: HashMap<&'kb str, GeneRole>,
    keys38: HashMap<(String, u64, &'kb str, &'kb str), (&'kb str, &'kb ProteinChange)>,
    keys37: HashMap<(String, u64, &'kb str, &'kb str), (&'kb str, &'kb ProteinChange)>,
    curated_changes: HashSet<(&'kb str, &'kb str)>,
    options: OncoOptions,
}

impl<'kb> OncoEngine<'kb> {
    /// Indexes the knowledge base.
    pub fn new(kb: &'kb OncoKnowledge, options: OncoOptions) -> Self {
        let mut by_gene: HashMap<&str, Vec<&EvidenceRow>> = HashMap::new();
        let mut genome_wide = Vec::new();
        let mut curated_changes = HashSet::new();
        for row in kb.evidence().iter().chain(kb.civic_evidence()) {
            match row.alteration.gene.as_deref() {
                Some(gene) => by_gene.entry(gene).or_default().push(row),
                None => genome_wide.push(row),
            }
            // Expression rows name a gene (ERBB2 for HER2 IHC) but match biomarkers.
            if matches!(
                row.alteration.pattern,
                AlterationPattern::Signature(_) | AlterationPattern::Expression { .. }
            ) && row.alteration.gene.is_some()
            {
                genome_wide.push(row);
            }
            if let (Some(gene), AlterationPattern::Protein { changes }) =
                (row.alteration.gene.as_deref(), &row.alteration.pattern)
            {
                for c in changes {
                    curated_changes.insert((gene, c.as_str()));
                }
            }
        }
        let roles = kb
            .genes()
            .iter()
            .map(|g| (g.gene.as_str(), g.role))
            .collect();
        let mut keys38 = HashMap::new();
        let mut keys37 = HashMap::new();
        for key in kb.variant_keys() {
            curated_changes.insert((key.gene.as_str(), key.protein.as_str()));
            let value = (key.gene.as_str(), &key.protein);
            if let Some(k) = &key.grch38 {
                keys38.insert(
                    (
                        norm(&k.chrom),
                        k.pos,
                        k.ref_allele.as_str(),
                        k.alt_allele.as_str(),
                    ),
                    value,
                );
            }
            if let Some(k) = &key.grch37 {
                keys37.insert(
                    (
                        norm(&k.chrom),
                        k.pos,
                        k.ref_allele.as_str(),
                        k.alt_allele.as_str(),
                    ),
                    value,
                );
            }
        }
        OncoEngine {
            kb,
            by_gene,
            genome_wide,
            roles,
            keys38,
            keys37,
            curated_changes,
            options,
        }
    }

    /// The knowledge base.
    pub fn knowledge(&self) -> &'kb OncoKnowledge {
        self.kb
    }

    /// Resolves an OncoTree code (case-insensitive) or fails with the nearest codes.
    pub fn resolve_tumor_type(&self, code: &str) -> Result<TumorType, OncoError> {
        let tree = self.kb.oncotree();
        let node = tree
            .get(code)
            .ok_or_else(|| OncoError::UnknownTumorType(tree.unknown_code_message(code)))?;
        let mut lineage: Vec<String> = tree
            .ancestors(&node.code)
            .iter()
            .map(|n| n.code.clone())
            .collect();
        lineage.reverse();
        Ok(TumorType {
            code: node.code.clone(),
            name: node.name.clone(),
            main_type: node.main_type.clone(),
            lineage,
        })
    }

    /// Looks the variant up in the curated genomic keys; on a hit, sets the gene and
    /// protein change and marks the annotation as a genomic-key match. Returns whether
    /// it matched.
    pub fn apply_genomic_key(&self, v: &mut SmallVariant, assembly: Assembly) -> bool {
        let table = match assembly {
            Assembly::GRCh38 => &self.keys38,
            Assembly::GRCh37 => &self.keys37,
        };
        let key = (
            norm(&v.chrom),
            v.pos,
            v.ref_allele.as_str(),
            v.alt_allele.as_str(),
        );
        let Some(&(gene, protein)) = table.get(&key) else {
            return false;
        };
        v.gene = Some(gene.to_string());
        v.protein = Some(protein.as_str().to_string());
        v.codon = Some(protein.start().1);
        v.codon_from_position = false;
        if matches!(v.class, VariantClass::Exonic | VariantClass::Unknown) {
            v.class = class_of_change(protein);
        }
        v.annotation = AnnotationSource::GenomicKey;
        true
    }

    /// Interprets one case.
    pub fn interpret(
        &self,
        case: &SomaticCase,
        knowledge: KnowledgeProvenance,
    ) -> Result<SomaticDocument, OncoError> {
        if let Some(p) = case.purity {
            if !(p > 0.0 && p <= 1.0) {
                return Err(OncoError::BadPurity(p));
            }
        }
        let tumor = match &case.tumor_type {
            Some(code) => Some(self.resolve_tumor_type(code)?),
            None => None,
        };
        let mut mutated = HashMap::new();
        for v in &case.variants {
            if let Some(gene) = v.gene.as_deref() {
                if v.class.is_protein_altering()
                    && self.variant_oncogenicity(gene, v).0 != Oncogenicity::Uncertain
                {
                    mutated.entry(gene.to_string()).or_insert_with(|| {
                        format!(
                            "{gene} {}",
                            v.protein.as_deref().unwrap_or(class_words(v.class))
                        )
                    });
                }
            }
        }
        let ctx = Context {
            mutated,
            tumor_code: tumor.as_ref().map(|t| t.code.as_str()),
            tumor_name: tumor.as_ref().map_or_else(
                || "an unspecified tumour type".to_string(),
                |t| t.name.clone(),
            ),
        };
        let mut warnings = case.warnings.clone();
        if tumor.is_none() {
            warnings.push(
                "No tumour type given: every therapy is treated as off-label (tier II at best). \
                 Give the OncoTree code to get tier I calls."
                    .into(),
            );
        }
        if let Some(p) = case.purity {
            if p < self.options.low_purity {
                warnings.push(format!(
                    "Tumour purity {:.0}% is below {:.0}%: variants may be missed and a negative result does not exclude them.",
                    p * 100.0,
                    self.options.low_purity * 100.0
                ));
            }
        }

        let mut findings: Vec<SomaticFinding> = Vec::new();
        let mut not_reported = case.not_reported;
        for v in &case.variants {
            match self.variant_finding(v, case, &ctx) {
                Some(f) => findings.push(f),
                None => not_reported += 1,
            }
        }
        for c in &case.copy_numbers {
            if let Some(f) = self.copy_number_finding(c, &ctx) {
                findings.push(f);
            }
        }
        for fu in &case.fusions {
            findings.push(self.fusion_finding(fu, &ctx));
        }
        let tmb = match (case.biomarkers.tmb, &case.computed_tmb) {
            (Some(value), _) => Some(tmb::reported(value, self.options.tmb_high)),
            (None, Some(t)) => Some(t.clone()),
            (None, None) => None,
        };
        findings.extend(self.biomarker_findings(case, tmb.as_ref(), &ctx));

        // Ids from content first, then the order: the id breaks ties, so the order does
        // not depend on the order of the input rows either.
        crate::ids::assign_ids(&mut findings, case.assembly);
        findings.sort_by(|a, b| {
            (
                a.tier,
                best_match_level(a),
                a.gene.as_deref().unwrap_or("~"),
                &a.alteration,
                &a.id,
            )
                .cmp(&(
                    b.tier,
                    best_match_level(b),
                    b.gene.as_deref().unwrap_or("~"),
                    &b.alteration,
                    &b.id,
                ))
        });
        let therapies = rank_therapies(&findings);
        let (actionable, uncertain): (Vec<_>, Vec<_>) =
            findings.into_iter().partition(|f| f.tier.is_actionable());
        let counts = SomaticCounts {
            tier1: count(&actionable, |t| matches!(t, Tier::IA | Tier::IB)),
            tier2: count(&actionable, |t| matches!(t, Tier::IIC | Tier::IID)),
            tier3: u32::try_from(uncertain.len()).unwrap_or(u32::MAX),
            variants: case.variants.len() as u64 + case.not_reported,
            not_reported,
        };
        let summary = summary_line(&actionable, &therapies);
        Ok(SomaticDocument {
            schema_version: SOMATIC_SCHEMA_VERSION.into(),
            tailor_version: env!("CARGO_PKG_VERSION").into(),
            knowledge,
            case: CaseSummary {
                patient: case.patient.clone(),
                tumor_type: tumor,
                sample_type: case.sample_type,
                purity: case.purity,
                assembly: case.assembly,
                biomarkers: case.biomarkers.clone(),
            },
            inputs: case.inputs.clone(),
            summary,
            actionable: !actionable.is_empty(),
            findings: actionable,
            uncertain,
            therapies,
            tmb,
            unannotated: case.unannotated.clone(),
            warnings,
            counts,
        })
    }

    fn role(&self, gene: &str) -> Option<GeneRole> {
        self.roles.get(gene).copied()
    }

    fn is_tsg(&self, gene: &str) -> bool {
        matches!(self.role(gene), Some(GeneRole::Tsg | GeneRole::Both))
    }

    fn is_oncogene(&self, gene: &str) -> bool {
        matches!(self.role(gene), Some(GeneRole::Oncogene | GeneRole::Both))
    }

    /// Oncogenicity of a small variant from the stated rules.
    fn variant_oncogenicity(&self, gene: &str, v: &SmallVariant) -> (Oncogenicity, String) {
        if let Some(p) = &v.protein {
            if self.curated_changes.contains(&(gene, p.as_str())) {
                return (
                    Oncogenicity::Oncogenic,
                    format!("{gene} {p} is a known alteration in Tailor's curated knowledge base"),
                );
            }
        }
        let hotspots = self.kb.hotspots();
        if let (Some(codon), false) = (v.codon, v.codon_from_position) {
            let spot: Option<&Hotspot> = hotspots
                .single_residue(gene, codon)
                .or_else(|| hotspots.three_d(gene, codon));
            if let Some(h) = spot {
                if matches!(
                    v.class,
                    VariantClass::Missense | VariantClass::InframeDelins
                ) {
                    let exact = v
                        .protein
                        .as_deref()
                        .is_some_and(|p| h.is_recurrent_change(p));
                    return (
                        Oncogenicity::LikelyOncogenic,
                        if exact {
                            format!(
                                "recurrent hotspot {gene} {} (cancerhotspots.org: {} tumours mutated at this residue, this change seen)",
                                h.residue, h.tumor_count
                            )
                        } else {
                            format!(
                                "at hotspot residue {gene} {} (cancerhotspots.org: {} tumours mutated at this residue)",
                                h.residue, h.tumor_count
                            )
                        },
                    );
                }
            }
            if matches!(
                v.class,
                VariantClass::InframeDeletion
                    | VariantClass::InframeInsertion
                    | VariantClass::InframeDelins
            ) {
                if let Some(h) = hotspots.indels_overlapping(gene, codon, codon).next() {
                    return (
                        Oncogenicity::LikelyOncogenic,
                        format!(
                            "in-frame indel at hotspot {gene} {} (cancerhotspots.org: {} tumours)",
                            h.residue, h.tumor_count
                        ),
                    );
                }
            }
        }
        let last_exon = matches!((v.exon, v.exon_count), (Some(e), Some(n)) if e == n && n > 1);
        // Only for pure tumour suppressors: in genes such as NPM1 (role "both") the
        // C-terminal frameshifts are themselves the oncogenic event.
        if v.class.is_truncating() && self.role(gene) == Some(GeneRole::Tsg) && last_exon {
            return (
                Oncogenicity::Uncertain,
                format!(
                    "{} in the last exon of {gene}: the transcript may escape nonsense-mediated decay, so loss of function is not assumed",
                    class_words(v.class)
                ),
            );
        }
        if v.class.is_truncating() && self.is_tsg(gene) {
            return (
                Oncogenicity::LikelyOncogenic,
                format!(
                    "null variant ({}) in the tumour suppressor {gene}",
                    class_words(v.class)
                ),
            );
        }
        (
            Oncogenicity::Uncertain,
            "no hotspot, curated entry or loss-of-function rule applies".into(),
        )
    }
}

struct Context<'a> {
    tumor_code: Option<&'a str>,
    tumor_name: String,
    /// Genes with an established oncogenic small variant in this tumour, with the
    /// alteration (`KRAS` -> `KRAS G12D`), for "requires X wild-type" restrictions.
    mutated: HashMap<String, String>,
}

fn best_match_level(f: &SomaticFinding) -> MatchLevel {
    f.evidence
        .iter()
        .map(|e| e.match_level)
        .min()
        .unwrap_or(MatchLevel::Expression)
}

fn count(findings: &[SomaticFinding], pred: impl Fn(Tier) -> bool) -> u32 {
    u32::try_from(findings.iter().filter(|f| pred(f.tier)).count()).unwrap_or(u32::MAX)
}

fn norm(chrom: &str) -> String {
    tailor_core::normalize_chrom(chrom).to_string()
}

fn trim_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// "No actionable finding." or the top findings with their best option.
fn summary_line(
    actionable: &[SomaticFinding],
    therapies: &[tailor_core::onco::TherapyOption],
) -> String {
    if actionable.is_empty() {
        return "No actionable finding: no tier I or tier II alteration was found in the material tested.".into();
    }
    let top: Vec<String> = actionable
        .iter()
        .take(3)
        .map(|f| {
            let best = f.evidence.first().map(|e| {
                format!(
                    "{} {}",
                    match e.effect {
                        Effect::Sensitivity => "->",
                        Effect::Resistance => "resistance to",
                    },
                    e.therapy
                )
            });
            format!(
                "{} (tier {}{})",
                f.alteration,
                f.tier.label(),
                best.map(|b| format!(", {b}")).unwrap_or_default()
            )
        })
        .collect();
    let n = actionable.len();
    let options = therapies
        .iter()
        .filter(|t| t.effect == Effect::Sensitivity)
        .count();
    format!(
        "{n} actionable finding{}: {}{}; {options} therapy option{} ranked.",
        if n == 1 { "" } else { "s" },
        top.join("; "),
        if n > 3 { "; ..." } else { "" },
        if options == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::required_wild_type;

    #[test]
    fn wild_type_requirements_are_read_from_notes() {
        let genes = |g: &str| ["BRAF", "EGFR", "ERBB2"].contains(&g);
        assert_eq!(
            required_wild_type(
                "NCCN option for HER2-amplified, RAS and BRAF wild-type metastatic CRC",
                genes
            ),
            vec!["BRAF", "HRAS", "KRAS", "NRAS"]
        );
        assert_eq!(
            required_wild_type(
                "accelerated approval: RAS wild-type, HER2-positive CRC (MOUNTAINEER)",
                genes
            ),
            vec!["HRAS", "KRAS", "NRAS"]
        );
        assert!(required_wild_type("HER2-positive after trastuzumab", genes).is_empty());
        assert_eq!(
            required_wild_type("EGFR wild type only", genes),
            vec!["EGFR"]
        );
    }
}
