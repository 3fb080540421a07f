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

    fn variant_finding(
        &self,
        v: &SmallVariant,
        case: &SomaticCase,
        ctx: &Context,
    ) -> Option<SomaticFinding> {
        let gene = v.gene.as_deref()?;
        if !v.class.is_protein_altering() {
            return None;
        }
        let (mut onc, mut onc_reason) = self.variant_oncogenicity(gene, v);
        let mut evidence = Vec::new();
        let mut gene_level_on_vus = Vec::new();
        for row in self
            .by_gene
            .get(gene)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let Some((level, caveats)) = variant_matches(row, v, onc) else {
                if onc == Oncogenicity::Uncertain
                    && gene_level_matches_ignoring_oncogenicity(row, v)
                {
                    gene_level_on_vus.push(row.alteration.to_string());
                }
                continue;
            };
            evidence.push(self.evidence_match(row, level, caveats, ctx));
        }
        if onc == Oncogenicity::Uncertain {
            if let Some(e) = evidence.iter().find(|e| {
                matches!(
                    e.match_level,
                    MatchLevel::Genomic
                        | MatchLevel::Protein
                        | MatchLevel::Codon
                        | MatchLevel::Exon
                )
            }) {
                onc = Oncogenicity::LikelyOncogenic;
                onc_reason = format!("matches the curated rule {} ({})", e.rule, e.kb_row);
            }
        }
        if evidence.is_empty()
            && !self.roles.contains_key(gene)
            && self.kb.hotspots().of_gene(gene).is_empty()
        {
            // Not a cancer gene Tailor knows: not reported (counted).
            return None;
        }
        let mut overridden = drop_overridden(&mut evidence);
        drop_off_label_resistance(&mut evidence);
        overridden.extend(self.drop_unmet_wild_type(&mut evidence, ctx, Some(gene)));
        sort_evidence(&mut evidence);
        let alteration = match &v.protein {
            Some(p) => format!("{gene} {p}"),
            None => match (v.class, v.exon) {
                (c, Some(e)) => format!("{gene} exon {e} {}", class_words(c)),
                (c, None) => format!("{gene} {} at {}:{}", class_words(c), v.chrom, v.pos),
            },
        };
        let unresolved_codon = match (v.protein.is_none(), v.codon) {
            (true, Some(codon)) => self
                .by_gene
                .get(gene)
                .into_iter()
                .flatten()
                .find_map(|row| match &row.alteration.pattern {
                    AlterationPattern::Codon { residues } => residues
                        .iter()
                        .find(|(_, pos)| *pos == codon)
                        .map(|(aa, pos)| format!("{gene} {aa}{pos}")),
                    _ => None,
                }),
            _ => None,
        };
        let (tier, tier_reason) = match tier_from_evidence(&evidence, &ctx.tumor_name) {
            Some(t) => t,
            None if unresolved_codon.is_some() => (
                Tier::III,
                format!(
                    "At {}, a codon with curated therapy evidence, but the amino-acid change is not known without VEP/snpEff annotation (it may be silent): no therapy is matched. Annotate the VCF to resolve it.",
                    unresolved_codon.as_deref().unwrap_or_default()
                ),
            ),
            None => (
                Tier::III,
                if gene_level_on_vus.is_empty() {
                    match onc {
                        Oncogenicity::Uncertain => "Variant of uncertain significance: no evidence of oncogenicity or of a therapy association.".to_string(),
                        _ => format!("{} but no therapy evidence for this alteration.", sentence_case(&onc_reason)),
                    }
                } else {
                    format!(
                        "Variant of uncertain significance: the gene-level rule {} applies only to established oncogenic variants, so it is not used.",
                        gene_level_on_vus.join(", ")
                    )
                },
            ),
        };
        let ccf = match (v.vaf, case.purity) {
            (Some(vaf), Some(p)) if p > 0.0 => {
                Some(((2.0 * vaf / p).min(1.0) * 1000.0).round() / 1000.0)
            }
            _ => None,
        };
        let subclonal = ccf.is_some_and(|c| c < self.options.subclonal_ccf);
        let mut caveats = overridden;
        if subclonal {
            caveats.push(format!(
                "Possibly subclonal: VAF {:.1}% at purity {:.0}% gives a cancer-cell fraction of about {:.0}% (below {:.0}%).",
                v.vaf.unwrap_or_default() * 100.0,
                case.purity.unwrap_or_default() * 100.0,
                ccf.unwrap_or_default() * 100.0,
                self.options.subclonal_ccf * 100.0
            ));
        }
        if v.annotation == AnnotationSource::ExonModel {
            caveats.push(
                "Protein change not determined (no VEP/snpEff/MAF annotation): gene and exon come from the MANE exon model."
                    .into(),
            );
        }
        Some(SomaticFinding {
            id: String::new(),
            kind: FindingKind::SmallVariant,
            gene: Some(gene.to_string()),
            alteration,
            tier,
            tier_reason,
            oncogenicity: onc,
            oncogenicity_reason: onc_reason,
            variant: Some(VariantDetails {
                chrom: v.chrom.clone(),
                pos: v.pos,
                ref_allele: v.ref_allele.clone(),
                alt_allele: v.alt_allele.clone(),
                transcript: v.transcript.clone(),
                hgvsc: v.hgvsc.clone(),
                protein: v.protein.clone(),
                class: v.class,
                exon: v.exon,
                codon: v.codon,
                vaf: v.vaf,
                depth: v.depth,
                ccf,
                subclonal,
                annotation: v.annotation,
                record: v.record.clone(),
            }),
            copies: None,
            supporting_reads: None,
            evidence,
            source: v.record.clone(),
            caveats,
            possible_germline: crate::germline::possible_germline(
                gene,
                onc,
                v.vaf,
                case.matched_normal,
            ),
        })
    }

    fn copy_number_finding(&self, c: &CopyNumberCall, ctx: &Context) -> Option<SomaticFinding> {
        let gene = c.gene.as_str();
        let (what, onc, reason) = match c.state {
            CopyNumberState::Amplification if self.is_oncogene(gene) => (
                "amplification",
                Oncogenicity::LikelyOncogenic,
                format!("amplification of the oncogene {gene}"),
            ),
            CopyNumberState::Amplification => (
                "amplification",
                Oncogenicity::Uncertain,
                format!("{gene} is not a known oncogene"),
            ),
            CopyNumberState::HomozygousDeletion if self.is_tsg(gene) => (
                "homozygous deletion",
                Oncogenicity::LikelyOncogenic,
                format!("homozygous deletion of the tumour suppressor {gene}"),
            ),
            CopyNumberState::HomozygousDeletion => (
                "homozygous deletion",
                Oncogenicity::Uncertain,
                format!("{gene} is not a known tumour suppressor"),
            ),
            CopyNumberState::Gain | CopyNumberState::Loss => return None,
        };
        let mut evidence = Vec::new();
        for row in self
            .by_gene
            .get(gene)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let level = match (&row.alteration.pattern, c.state) {
                (AlterationPattern::Amplification, CopyNumberState::Amplification) => {
                    MatchLevel::Amplification
                }
                (AlterationPattern::Deletion, CopyNumberState::HomozygousDeletion) => {
                    MatchLevel::Deletion
                }
                (
                    AlterationPattern::Gene(GeneClass::Oncogenic),
                    CopyNumberState::HomozygousDeletion,
                ) if onc == Oncogenicity::LikelyOncogenic => MatchLevel::Gene,
                _ => continue,
            };
            evidence.push(self.evidence_match(row, level, Vec::new(), ctx));
        }
        if evidence.is_empty() && onc == Oncogenicity::Uncertain {
            return None;
        }
        let mut caveats = drop_overridden(&mut evidence);
        drop_off_label_resistance(&mut evidence);
        caveats.extend(self.drop_unmet_wild_type(&mut evidence, ctx, Some(gene)));
        sort_evidence(&mut evidence);
        let (onc, reason) = if evidence.iter().any(|e| {
            matches!(
                e.match_level,
                MatchLevel::Amplification | MatchLevel::Deletion
            )
        }) {
            (
                Oncogenicity::Oncogenic,
                format!("{gene} {what} is a curated biomarker"),
            )
        } else {
            (onc, reason)
        };
        let (tier, tier_reason) =
            tier_from_evidence(&evidence, &ctx.tumor_name).unwrap_or_else(|| {
                (
                    Tier::III,
                    format!("{} but no therapy evidence for it.", sentence_case(&reason)),
                )
            });
        Some(SomaticFinding {
            id: String::new(),
            kind: FindingKind::CopyNumber,
            gene: Some(gene.to_string()),
            alteration: format!("{gene} {what}"),
            tier,
            tier_reason,
            oncogenicity: onc,
            oncogenicity_reason: reason,
            variant: None,
            copies: c.copies,
            supporting_reads: None,
            evidence,
            source: c.record.clone(),
            caveats,
            possible_germline: None,
        })
    }

    fn fusion_finding(&self, f: &FusionCall, ctx: &Context) -> SomaticFinding {
        let mut evidence = Vec::new();
        let mut caveats = Vec::new();
        for gene in [f.gene5.as_str(), f.gene3.as_str()] {
            for row in self
                .by_gene
                .get(gene)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let AlterationPattern::Fusion { partner } = &row.alteration.pattern else {
                    continue;
                };
                let mut match_caveats = Vec::new();
                let ok = match partner {
                    None => true,
                    Some((a, b)) if *a == f.gene5 && *b == f.gene3 => true,
                    Some((a, b)) if *a == f.gene3 && *b == f.gene5 => {
                        match_caveats.push(format!(
                            "The rule names {a}--{b}; the input lists the partners the other way round."
                        ));
                        true
                    }
                    Some(_) => false,
                };
                if ok && !evidence.iter().any(|e: &EvidenceMatch| e.rule_id == row.id) {
                    evidence.push(self.evidence_match(row, MatchLevel::Fusion, match_caveats, ctx));
                }
            }
        }
        for (gene, three_prime) in DRIVER_END {
            let is5 = f.gene5 == gene;
            let is3 = f.gene3 == gene;
            if (three_prime && is5 && !is3) || (!three_prime && is3 && !is5) {
                caveats.push(format!(
                    "{gene} is listed as the {} partner, but its kinase domain is normally retained as the {} partner: confirm the orientation and reading frame.",
                    if is5 { "5'" } else { "3'" },
                    if three_prime { "3'" } else { "5'" }
                ));
            }
        }
        if let Some(frame) = &f.reading_frame {
            if frame.contains("out") {
                caveats.push(format!("The caller reports the fusion as {frame}."));
            }
        }
        caveats.extend(drop_overridden(&mut evidence));
        drop_off_label_resistance(&mut evidence);
        caveats.extend(self.drop_unmet_wild_type(&mut evidence, ctx, None));
        sort_evidence(&mut evidence);
        let name = format!("{}--{}", f.gene5, f.gene3);
        let (onc, reason) = if evidence.is_empty() {
            (
                Oncogenicity::Uncertain,
                "fusion not in the knowledge base".to_string(),
            )
        } else {
            (
                Oncogenicity::Oncogenic,
                format!("{name} involves a curated fusion driver"),
            )
        };
        let (tier, tier_reason) =
            tier_from_evidence(&evidence, &ctx.tumor_name).unwrap_or_else(|| {
                (
                    Tier::III,
                    "Fusion of unknown significance: no curated evidence for either partner."
                        .into(),
                )
            });
        SomaticFinding {
            id: String::new(),
            kind: FindingKind::Fusion,
            gene: Some(if evidence.iter().any(|e| e.rule.starts_with(&f.gene5)) {
                f.gene5.clone()
            } else {
                f.gene3.clone()
            }),
            alteration: name,
            tier,
            tier_reason,
            oncogenicity: onc,
            oncogenicity_reason: reason,
            variant: None,
            copies: None,
            supporting_reads: f.reads,
            evidence,
            source: f.record.clone(),
            caveats,
            possible_germline: None,
        }
    }

    fn biomarker_findings(
        &self,
        case: &SomaticCase,
        tmb: Option<&TmbResult>,
        ctx: &Context,
    ) -> Vec<SomaticFinding> {
        let b = &case.biomarkers;
        let her2 = her2_status(b);
        // (label, matches(row)) per reported biomarker.
        let mut out: Vec<SomaticFinding> = Vec::new();
        let mut push = |alteration: String,
                        gene: Option<&str>,
                        source: &str,
                        level: MatchLevel,
                        test: &dyn Fn(&EvidenceRow) -> bool| {
            let mut evidence: Vec<EvidenceMatch> = self
                .genome_wide
                .iter()
                .filter(|row| test(row))
                .map(|row| self.evidence_match(row, level, Vec::new(), ctx))
                .collect();
            evidence.dedup_by(|a, b| a.rule_id == b.rule_id);
            let mut caveats = drop_overridden(&mut evidence);
            drop_off_label_resistance(&mut evidence);
            caveats.extend(self.drop_unmet_wild_type(&mut evidence, ctx, gene));
            if level == MatchLevel::Expression {
                // IHC cut-offs belong to one tumour type and assay (PD-L1 CPS >= 1 in
                // gastric cancer says nothing about colorectal cancer): no off-label use.
                evidence.retain(|e| e.label == LabelStatus::OnLabel);
            }
            if evidence.is_empty() {
                return;
            }
            sort_evidence(&mut evidence);
            let Some((tier, tier_reason)) = tier_from_evidence(&evidence, &ctx.tumor_name) else {
                return;
            };
            out.push(SomaticFinding {
                id: String::new(),
                kind: FindingKind::Biomarker,
                gene: gene.map(str::to_string),
                alteration,
                tier,
                tier_reason,
                oncogenicity: Oncogenicity::NotApplicable,
                oncogenicity_reason: "tumour-level biomarker".into(),
                variant: None,
                copies: None,
                supporting_reads: None,
                evidence,
                source: source.to_string(),
                caveats,
                possible_germline: None,
            });
        };
        if let Some(t) = tmb {
            let value = t.value;
            push(
                format!("TMB {} mut/Mb", trim_number(value)),
                None,
                &format!("TMB ({})", t.origin),
                MatchLevel::Signature,
                &|row| matches!(row.alteration.pattern, AlterationPattern::Signature(Signature::TmbHigh { min }) if value >= min),
            );
        }
        if msi_high(b) {
            push(
                "MSI-H".into(),
                None,
                "biomarkers: MSI",
                MatchLevel::Signature,
                &|row| {
                    matches!(
                        row.alteration.pattern,
                        AlterationPattern::Signature(Signature::MsiHigh)
                    )
                },
            );
        }
        if mmr_deficient(b) {
            push(
                "dMMR".into(),
                None,
                "biomarkers: MMR",
                MatchLevel::Signature,
                &|row| {
                    matches!(
                        row.alteration.pattern,
                        AlterationPattern::Signature(Signature::Dmmr)
                    )
                },
            );
        }
        if b.hrd == Some(tailor_core::somatic::Positivity::Positive) {
            push(
                "HRD positive".into(),
                None,
                "biomarkers: HRD",
                MatchLevel::Signature,
                &|row| {
                    matches!(
                        row.alteration.pattern,
                        AlterationPattern::Signature(Signature::Hrd)
                    )
                },
            );
        }
        if let Some(tps) = b.pdl1_tps {
            push(
                format!("PD-L1 TPS {}%", trim_number(tps)),
                Some("CD274"),
                "biomarkers: PD-L1 TPS",
                MatchLevel::Expression,
                &|row| matches!(row.alteration.pattern, AlterationPattern::Expression { marker: Marker::Pdl1Tps, rule: ExpressionRule::AtLeast(min) } if tps >= min),
            );
        }
        if let Some(cps) = b.pdl1_cps {
            push(
                format!("PD-L1 CPS {}", trim_number(cps)),
                Some("CD274"),
                "biomarkers: PD-L1 CPS",
                MatchLevel::Expression,
                &|row| matches!(row.alteration.pattern, AlterationPattern::Expression { marker: Marker::Pdl1Cps, rule: ExpressionRule::AtLeast(min) } if cps >= min),
            );
        }
        if let Some(status) = her2 {
            let wanted = match status {
                Her2Status::Positive => Some(ExpressionStatus::Positive),
                Her2Status::Low => Some(ExpressionStatus::Low),
                _ => None,
            };
            if let Some(wanted) = wanted {
                let mut label = format!("HER2 {}", status.as_str());
                if let Some(ihc) = b.her2_ihc {
                    label.push_str(&format!(" (IHC {}", her2_ihc_label(ihc)));
                    if let Some(ish) = b.her2_ish {
                        label.push_str(&format!(", ISH {ish:?}").to_lowercase());
                    }
                    label.push(')');
                }
                push(
                    label,
                    Some("ERBB2"),
                    "biomarkers: HER2",
                    MatchLevel::Expression,
                    &|row| matches!(row.alteration.pattern, AlterationPattern::Expression { marker: Marker::Her2, rule: ExpressionRule::Status(s) } if s == wanted),
                );
            }
        }
        for (value, marker, name) in [(b.er, Marker::Er, "ER"), (b.pr, Marker::Pr, "PR")] {
            if value == Some(tailor_core::somatic::Positivity::Positive) {
                push(
                    format!("{name} positive"),
                    Some(marker.gene()),
                    &format!("biomarkers: {name}"),
                    MatchLevel::Expression,
                    &|row| matches!(row.alteration.pattern, AlterationPattern::Expression { marker: m, rule: ExpressionRule::Status(ExpressionStatus::Positive) } if m == marker),
                );
            }
        }
        out
    }

    /// Removes sensitivity matches whose curated note requires a gene to be wild-type
    /// ("RAS and BRAF wild-type") when this tumour has an established oncogenic variant
    /// in that gene; returns one caveat per removal. `own` is the finding's own gene,
    /// which never counts against itself.
    fn drop_unmet_wild_type(
        &self,
        evidence: &mut Vec<EvidenceMatch>,
        ctx: &Context,
        own: Option<&str>,
    ) -> Vec<String> {
        let mut caveats = Vec::new();
        evidence.retain(|e| {
            if e.effect != Effect::Sensitivity {
                return true;
            }
            let blocking: Vec<&String> =
                required_wild_type(&e.note, |g| self.roles.contains_key(g))
                    .into_iter()
                    .filter(|g| Some(g.as_str()) != own)
                    .filter_map(|g| ctx.mutated.get(&g))
                    .collect();
            if blocking.is_empty() {
                return true;
            }
            caveats.push(format!(
                "Not offered: {} ({}) requires wild-type status, but the tumour has {}.",
                e.therapy,
                e.rule_id,
                blocking
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            false
        });
        caveats
    }

    fn evidence_match(
        &self,
        row: &EvidenceRow,
        level: MatchLevel,
        caveats: Vec<String>,
        ctx: &Context,
    ) -> EvidenceMatch {
        let label = match ctx.tumor_code {
            Some(code) if row.tumor_type.covers(self.kb.oncotree(), code) => LabelStatus::OnLabel,
            _ => LabelStatus::OffLabel,
        };
        let curated = level_of(row.level);
        EvidenceMatch {
            rule_id: row.id.clone(),
            kb_row: row.origin.to_string(),
            match_level: level,
            rule: row.alteration.to_string(),
            evidence_tumor_type: row.tumor_type.to_string(),
            label,
            therapy: row.therapy.clone(),
            effect: match row.effect {
                tailor_kb::onco::Effect::Sensitivity => Effect::Sensitivity,
                tailor_kb::onco::Effect::Resistance => Effect::Resistance,
            },
            curated_level: curated,
            level: patient_level(curated, label),
            source_type: row.source_type.as_str().to_string(),
            citation: row.citation.clone(),
            date: row.date.clone(),
            note: row.note.clone(),
            caveats,
        }
    }
}

/// Resistance shown for another tumour type says nothing useful here: the drug is not
/// used for this tumour (cetuximab resistance of KRAS G12D is a colorectal statement, not
/// a lung one), so such matches neither set a tier nor appear as warnings.
fn drop_off_label_resistance(evidence: &mut Vec<EvidenceMatch>) {
    evidence.retain(|e| !(e.effect == Effect::Resistance && e.label == LabelStatus::OffLabel));
}

struct Context<'a> {
    tumor_code: Option<&'a str>,
    tumor_name: String,
    /// Genes with an established oncogenic small variant in this tumour, with the
    /// alteration (`KRAS` -> `KRAS G12D`), for "requires X wild-type" restrictions.
    mutated: HashMap<String, String>,
}

/// Genes a curated note requires to be wild-type: the gene symbols (and `RAS` for
/// KRAS/NRAS/HRAS) written in the clause before "wild-type".
fn required_wild_type(note: &str, is_gene: impl Fn(&str) -> bool) -> Vec<String> {
    let lower = note.to_ascii_lowercase().replace("wild type", "wild-type");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("wild-type") {
        let end = from + i;
        let start = note[..end]
            .rfind([',', ';', ':', '(', '.'])
            .map_or(0, |j| j + 1);
        for token in note[start..end].split(|c: char| !c.is_ascii_alphanumeric()) {
            if token == "RAS" {
                out.extend(["KRAS", "NRAS", "HRAS"].map(String::from));
            } else if !token.is_empty() && is_gene(token) {
                out.push(token.to_string());
            }
        }
        from = end + "wild-type".len();
    }
    out.sort();
    out.dedup();
    out
}

fn level_of(level: tailor_kb::onco::Level) -> EvidenceLevel {
    match level {
        tailor_kb::onco::Level::A => EvidenceLevel::A,
        tailor_kb::onco::Level::B => EvidenceLevel::B,
        tailor_kb::onco::Level::C => EvidenceLevel::C,
        tailor_kb::onco::Level::D => EvidenceLevel::D,
    }
}

/// Whether a small variant matches a row, at which level, with which caveats.
fn variant_matches(
    row: &EvidenceRow,
    v: &SmallVariant,
    onc: Oncogenicity,
) -> Option<(MatchLevel, Vec<String>)> {
    let established = matches!(onc, Oncogenicity::Oncogenic | Oncogenicity::LikelyOncogenic);
    match &row.alteration.pattern {
        AlterationPattern::Protein { changes } => {
            let p = v.protein.as_deref()?;
            changes.iter().any(|c| c.as_str() == p).then(|| {
                let level = if v.annotation == AnnotationSource::GenomicKey {
                    MatchLevel::Genomic
                } else {
                    MatchLevel::Protein
                };
                (level, Vec::new())
            })
        }
        AlterationPattern::Codon { residues } => {
            // A codon rule needs the amino-acid change: from the genomic position alone
            // a change at KRAS codon 12 may be silent (G12G), and a nonsense change is not
            // the activating mutation the rule is about.
            let p = v.protein.as_deref()?;
            let codon = v.codon?;
            if !matches!(
                v.class,
                VariantClass::Missense
                    | VariantClass::InframeDelins
                    | VariantClass::InframeDeletion
                    | VariantClass::InframeInsertion
            ) {
                return None;
            }
            let ref_aa = p.chars().next();
            let hit = residues
                .iter()
                .any(|&(aa, pos)| pos == codon && ref_aa.is_none_or(|r| r == aa || r == 'X'));
            hit.then(|| (MatchLevel::Codon, Vec::new()))
        }
        AlterationPattern::Exon { exon, kind } => {
            let in_exon = v.exon == Some(*exon);
            let ok = match kind {
                ExonKind::InframeDeletion => {
                    in_exon
                        && matches!(
                            v.class,
                            VariantClass::InframeDeletion | VariantClass::InframeDelins
                        )
                }
                ExonKind::InframeInsertion => {
                    in_exon
                        && matches!(
                            v.class,
                            VariantClass::InframeInsertion | VariantClass::InframeDelins
                        )
                }
                ExonKind::Skipping => {
                    (v.splice_site_of_exon == Some(*exon)
                        || (in_exon
                            && v.protein.as_deref().is_some_and(|p| p.ends_with("_splice"))))
                        && matches!(
                            v.class,
                            VariantClass::SpliceSite
                                | VariantClass::SpliceRegion
                                | VariantClass::InframeDeletion
                                | VariantClass::Frameshift
                        )
                }
                // "Any change in exon 11" is written for the activating mutations found
                // there; a VUS in the exon does not qualify on position alone.
                ExonKind::Missense => in_exon && established && v.class == VariantClass::Missense,
                // In-frame deletions and insertions in such an exon (PDGFRA exon 18
                // D842_H845del, KIT exon 11 deletions) are the activating events the rule
                // names; a missense change needs established oncogenicity.
                ExonKind::Any => {
                    in_exon
                        && v.protein.is_some()
                        && v.class.is_protein_altering()
                        && (established
                            || matches!(
                                v.class,
                                VariantClass::InframeDeletion
                                    | VariantClass::InframeInsertion
                                    | VariantClass::InframeDelins
                            ))
                }
            };
            ok.then(|| (MatchLevel::Exon, Vec::new()))
        }
        AlterationPattern::Gene(class) => {
            let ok = match class {
                GeneClass::Oncogenic => established,
                GeneClass::Truncating => v.class.is_truncating() && established,
                GeneClass::Any => established && v.class.is_protein_altering(),
            };
            ok.then(|| (MatchLevel::Gene, Vec::new()))
        }
        _ => None,
    }
}

/// Whether a gene-level rule would match if the variant's oncogenicity were established
/// (to say why a VUS stays in tier III).
fn gene_level_matches_ignoring_oncogenicity(row: &EvidenceRow, v: &SmallVariant) -> bool {
    match &row.alteration.pattern {
        AlterationPattern::Gene(GeneClass::Oncogenic | GeneClass::Any) => {
            v.class.is_protein_altering()
        }
        AlterationPattern::Gene(GeneClass::Truncating) => v.class.is_truncating(),
        _ => false,
    }
}

fn class_of_change(p: &ProteinChange) -> VariantClass {
    use tailor_kb::onco::ProteinChangeKind as K;
    match p.kind() {
        K::Missense => VariantClass::Missense,
        K::Nonsense => VariantClass::Nonsense,
        K::Synonymous => VariantClass::Synonymous,
        K::Deletion => VariantClass::InframeDeletion,
        K::Insertion | K::Duplication => VariantClass::InframeInsertion,
        K::Delins => VariantClass::InframeDelins,
        K::Frameshift => VariantClass::Frameshift,
        K::Splice => VariantClass::SpliceSite,
    }
}

fn class_words(c: VariantClass) -> &'static str {
    match c {
        VariantClass::Missense => "missense",
        VariantClass::Nonsense => "nonsense",
        VariantClass::Frameshift => "frameshift",
        VariantClass::InframeDeletion => "in-frame deletion",
        VariantClass::InframeInsertion => "in-frame insertion",
        VariantClass::InframeDelins => "in-frame deletion-insertion",
        VariantClass::SpliceSite => "splice-site variant",
        VariantClass::SpliceRegion => "splice-region variant",
        VariantClass::StartLost => "start-lost",
        VariantClass::StopLost => "stop-lost",
        VariantClass::Synonymous => "synonymous",
        VariantClass::Exonic => "exonic variant",
        VariantClass::NonCoding => "non-coding variant",
        VariantClass::Unknown => "variant",
    }
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
