//! The findings of one case: a finding per small variant, copy-number call, fusion and
//! reported biomarker, each with its matched evidence, tier and caveats.

use super::*;

impl OncoEngine<'_> {
    pub(super) fn variant_finding(
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

    pub(super) fn copy_number_finding(
        &self,
        c: &CopyNumberCall,
        ctx: &Context,
    ) -> Option<SomaticFinding> {
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

    pub(super) fn fusion_finding(&self, f: &FusionCall, ctx: &Context) -> SomaticFinding {
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

    pub(super) fn biomarker_findings(
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
    pub(super) fn drop_unmet_wild_type(
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

    pub(super) fn evidence_match(
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
