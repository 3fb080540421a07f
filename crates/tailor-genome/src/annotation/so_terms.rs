//! Sequence Ontology consequence terms, from most to least severe, with the class each
//! maps to. The order is Ensembl VEP's published severity ranking, with snpEff's extra
//! terms placed beside their VEP equivalents (snpEff uses the same SO names).

use tailor_core::somatic::VariantClass;

use VariantClass as C;

/// Most severe first.
const TERMS: &[(&str, VariantClass)] = &[
    ("transcript_ablation", C::Unknown),
    ("exon_loss_variant", C::Unknown),
    ("splice_acceptor_variant", C::SpliceSite),
    ("splice_donor_variant", C::SpliceSite),
    ("stop_gained", C::Nonsense),
    ("frameshift_variant", C::Frameshift),
    ("stop_lost", C::StopLost),
    ("start_lost", C::StartLost),
    ("transcript_amplification", C::Unknown),
    ("feature_elongation", C::Unknown),
    ("feature_truncation", C::Unknown),
    ("inframe_insertion", C::InframeInsertion),
    ("disruptive_inframe_insertion", C::InframeInsertion),
    ("conservative_inframe_insertion", C::InframeInsertion),
    ("inframe_deletion", C::InframeDeletion),
    ("disruptive_inframe_deletion", C::InframeDeletion),
    ("conservative_inframe_deletion", C::InframeDeletion),
    ("missense_variant", C::Missense),
    ("rare_amino_acid_variant", C::Missense),
    ("protein_altering_variant", C::InframeDelins),
    ("splice_donor_5th_base_variant", C::SpliceRegion),
    ("splice_region_variant", C::SpliceRegion),
    ("splice_donor_region_variant", C::SpliceRegion),
    ("splice_polypyrimidine_tract_variant", C::SpliceRegion),
    ("incomplete_terminal_codon_variant", C::Exonic),
    ("initiator_codon_variant", C::Synonymous),
    ("start_retained_variant", C::Synonymous),
    ("stop_retained_variant", C::Synonymous),
    ("synonymous_variant", C::Synonymous),
    ("coding_sequence_variant", C::Exonic),
    ("exon_variant", C::Exonic),
    ("mature_miRNA_variant", C::NonCoding),
    (
        "5_prime_UTR_premature_start_codon_gain_variant",
        C::NonCoding,
    ),
    ("5_prime_UTR_variant", C::NonCoding),
    ("3_prime_UTR_variant", C::NonCoding),
    ("non_coding_transcript_exon_variant", C::NonCoding),
    ("non_coding_exon_variant", C::NonCoding),
    ("intron_variant", C::NonCoding),
    ("NMD_transcript_variant", C::NonCoding),
    ("non_coding_transcript_variant", C::NonCoding),
    ("coding_transcript_variant", C::NonCoding),
    ("upstream_gene_variant", C::NonCoding),
    ("downstream_gene_variant", C::NonCoding),
    ("TFBS_ablation", C::NonCoding),
    ("TFBS_amplification", C::NonCoding),
    ("TF_binding_site_variant", C::NonCoding),
    ("regulatory_region_ablation", C::NonCoding),
    ("regulatory_region_amplification", C::NonCoding),
    ("regulatory_region_variant", C::NonCoding),
    ("intragenic_variant", C::NonCoding),
    ("intergenic_variant", C::NonCoding),
    ("intergenic_region", C::NonCoding),
    ("sequence_variant", C::NonCoding),
];

/// Where a term sits in the severity order (0 = most severe). Unknown terms rank after
/// every known one, so they never outweigh a term Tailor understands.
///
/// ```
/// use tailor_genome::annotation::so_term_rank;
/// assert!(so_term_rank("stop_gained") < so_term_rank("missense_variant"));
/// assert!(so_term_rank("missense_variant") < so_term_rank("made_up_variant"));
/// ```
pub fn so_term_rank(term: &str) -> usize {
    TERMS
        .iter()
        .position(|(t, _)| *t == term)
        .unwrap_or(TERMS.len())
}

/// The class of the most severe of `terms` (SO names as VEP and snpEff write them; a
/// term joined with `&` is split); [`VariantClass::Unknown`] when none is known.
///
/// ```
/// use tailor_genome::annotation::so_term_class;
/// use tailor_core::somatic::VariantClass;
/// assert_eq!(so_term_class(&["splice_region_variant", "missense_variant"]), VariantClass::Missense);
/// assert_eq!(so_term_class(&["frameshift_variant&splice_region_variant"]), VariantClass::Frameshift);
/// assert_eq!(so_term_class(&["intron_variant"]), VariantClass::NonCoding);
/// assert_eq!(so_term_class(&[]), VariantClass::Unknown);
/// ```
pub fn so_term_class(terms: &[&str]) -> VariantClass {
    terms
        .iter()
        .flat_map(|t| t.split('&'))
        .filter_map(|t| TERMS.iter().position(|(name, _)| *name == t.trim()))
        .min()
        .map_or(VariantClass::Unknown, |i| TERMS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_is_listed_once() {
        for (i, (term, _)) in TERMS.iter().enumerate() {
            assert_eq!(so_term_rank(term), i, "{term} appears twice");
        }
    }

    #[test]
    fn most_severe_term_wins() {
        let cases: [(&[&str], VariantClass); 10] = [
            (&["missense_variant"], C::Missense),
            (&["stop_gained", "splice_region_variant"], C::Nonsense),
            (
                &["splice_donor_variant", "frameshift_variant"],
                C::SpliceSite,
            ),
            (
                &["inframe_deletion", "splice_region_variant"],
                C::InframeDeletion,
            ),
            (&["disruptive_inframe_insertion"], C::InframeInsertion),
            (
                &["synonymous_variant", "splice_region_variant"],
                C::SpliceRegion,
            ),
            (&["5_prime_UTR_variant"], C::NonCoding),
            (&["start_lost&splice_region_variant"], C::StartLost),
            (&["stop_retained_variant"], C::Synonymous),
            (&["unheard_of_variant"], C::Unknown),
        ];
        for (terms, class) in cases {
            assert_eq!(so_term_class(terms), class, "{terms:?}");
        }
    }
}
