//! Matching one small variant against the evidence rows, and the rules around it: the
//! wild-type requirements written in curated notes, off-label resistance, level words.

use super::*;

/// Resistance shown for another tumour type says nothing useful here: the drug is not
/// used for this tumour (cetuximab resistance of KRAS G12D is a colorectal statement, not
/// a lung one), so such matches neither set a tier nor appear as warnings.
pub(super) fn drop_off_label_resistance(evidence: &mut Vec<EvidenceMatch>) {
    evidence.retain(|e| !(e.effect == Effect::Resistance && e.label == LabelStatus::OffLabel));
}

/// Genes a curated note requires to be wild-type: the gene symbols (and `RAS` for
/// KRAS/NRAS/HRAS) written in the clause before "wild-type".
pub(super) fn required_wild_type(note: &str, is_gene: impl Fn(&str) -> bool) -> Vec<String> {
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

pub(super) fn level_of(level: tailor_kb::onco::Level) -> EvidenceLevel {
    match level {
        tailor_kb::onco::Level::A => EvidenceLevel::A,
        tailor_kb::onco::Level::B => EvidenceLevel::B,
        tailor_kb::onco::Level::C => EvidenceLevel::C,
        tailor_kb::onco::Level::D => EvidenceLevel::D,
    }
}

/// Whether a small variant matches a row, at which level, with which caveats.
pub(super) fn variant_matches(
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
pub(super) fn gene_level_matches_ignoring_oncogenicity(
    row: &EvidenceRow,
    v: &SmallVariant,
) -> bool {
    match &row.alteration.pattern {
        AlterationPattern::Gene(GeneClass::Oncogenic | GeneClass::Any) => {
            v.class.is_protein_altering()
        }
        AlterationPattern::Gene(GeneClass::Truncating) => v.class.is_truncating(),
        _ => false,
    }
}

pub(super) fn class_of_change(p: &ProteinChange) -> VariantClass {
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

pub(super) fn class_words(c: VariantClass) -> &'static str {
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
