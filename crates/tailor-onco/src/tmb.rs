//! Tumour mutational burden from the VCF.
//!
//! Counting rule (stated in every result and in `docs/somatic.md`): SNVs and small
//! indels that (1) passed the caller's filters (FILTER `PASS` or `.`), (2) have a tumour
//! VAF of at least 5% and a tumour depth of at least 25 reads where the file reports
//! them, (3) fall in a coding exon — synonymous and non-synonymous alike, as the
//! FDA-approved panel assays count — judged by the VEP/snpEff/MAF annotation when there
//! is one and by the MANE exon model otherwise (where untranslated exon ends count as
//! exonic: the model has no CDS bounds), and (4) lie inside the panel BED when one is
//! given. TMB = counted variants / panel size in megabases, where the panel size is the
//! stated `panel_size_mb` or else the merged length of the BED. Without either, TMB is
//! not computed: dividing by a guessed exome size would give a number that looks
//! precise and is not.

use crate::case::SmallVariant;
use tailor_core::onco::TmbResult;
use tailor_core::somatic::VariantClass;

/// Default TMB-high threshold, mutations per megabase.
pub const TMB_HIGH: f64 = 10.0;
/// Minimum VAF for a variant to count.
pub const MIN_VAF: f64 = 0.05;
/// Minimum tumour depth for a variant to count (when the depth is known).
pub const MIN_DEPTH: u32 = 25;

/// The counting rule in words, for the result.
pub const RULE: &str = "coding SNVs and indels (synonymous and non-synonymous), FILTER PASS, \
tumour VAF >= 5% and depth >= 25 where reported, inside the panel BED when given, divided by \
the panel size in Mb";

/// Panel regions, read by `tailor_case::bed`.
pub use tailor_case::bed::Regions;

/// True when the variant counts towards TMB (rule (2)-(4); FILTER is applied by the
/// loader, which only passes PASS records on).
pub fn counts(v: &SmallVariant, panel: Option<&Regions>) -> bool {
    if v.vaf.is_some_and(|vaf| vaf < MIN_VAF) || v.depth.is_some_and(|d| d < MIN_DEPTH) {
        return false;
    }
    let coding = !matches!(
        v.class,
        VariantClass::NonCoding | VariantClass::Unknown | VariantClass::SpliceRegion
    );
    if !coding {
        return false;
    }
    panel.is_none_or(|p| p.contains(&v.chrom, v.pos))
}

/// TMB from counted variants and a panel size; `None` without a usable size.
pub fn compute(counted: u64, panel_size_mb: Option<f64>, threshold: f64) -> Option<TmbResult> {
    let size = panel_size_mb.filter(|s| s.is_finite() && *s > 0.0)?;
    let value = counted as f64 / size;
    let value = (value * 100.0).round() / 100.0;
    Some(TmbResult {
        value,
        origin: "computed".into(),
        counted_variants: Some(counted),
        panel_size_mb: Some(size),
        rule: RULE.into(),
        high_threshold: threshold,
        high: value >= threshold,
    })
}

/// A reported TMB value as a result.
pub fn reported(value: f64, threshold: f64) -> TmbResult {
    TmbResult {
        value,
        origin: "reported".into(),
        counted_variants: None,
        panel_size_mb: None,
        rule: "as reported by the testing laboratory".into(),
        high_threshold: threshold,
        high: value >= threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tailor_core::onco::AnnotationSource;

    fn variant(
        chrom: &str,
        pos: u64,
        class: VariantClass,
        vaf: Option<f64>,
        depth: Option<u32>,
    ) -> SmallVariant {
        SmallVariant {
            gene: Some("G".into()),
            chrom: chrom.into(),
            pos,
            ref_allele: "A".into(),
            alt_allele: "T".into(),
            protein: None,
            class,
            exon: None,
            exon_count: None,
            splice_site_of_exon: None,
            codon: None,
            codon_from_position: false,
            transcript: None,
            hgvsc: None,
            vaf,
            depth,
            annotation: AnnotationSource::ExonModel,
            record: "x:1".into(),
        }
    }

    #[test]
    fn counting_rule() {
        let panel = Regions::new(vec![("1".to_string(), 1, 1000)]);
        assert!(counts(
            &variant("1", 5, VariantClass::Missense, Some(0.2), Some(100)),
            Some(&panel)
        ));
        assert!(counts(
            &variant("1", 5, VariantClass::Synonymous, None, None),
            Some(&panel)
        ));
        assert!(!counts(
            &variant("1", 5, VariantClass::Missense, Some(0.04), Some(100)),
            None
        ));
        assert!(!counts(
            &variant("1", 5, VariantClass::Missense, Some(0.2), Some(24)),
            None
        ));
        assert!(!counts(
            &variant("1", 5, VariantClass::NonCoding, Some(0.2), Some(100)),
            None
        ));
        assert!(!counts(
            &variant("1", 5000, VariantClass::Missense, Some(0.2), Some(100)),
            Some(&panel)
        ));
    }

    #[test]
    fn tmb_needs_a_panel_size() {
        assert!(compute(10, None, TMB_HIGH).is_none());
        assert!(compute(10, Some(0.0), TMB_HIGH).is_none());
        let t = compute(12, Some(1.2), TMB_HIGH).unwrap();
        assert_eq!(t.value, 10.0);
        assert!(t.high);
        let low = compute(11, Some(1.2), TMB_HIGH).unwrap();
        assert!(!low.high && (low.value - 9.17).abs() < 1e-9);
    }
}
