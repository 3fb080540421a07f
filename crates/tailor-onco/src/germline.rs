//! Tumour findings that may be inherited: germline-focused analysis of a tumour-only test.
//!
//! Without a matched normal sample a tumour test cannot tell a somatic variant from an
//! inherited one. The ESMO Precision Medicine Working Group (Kuzbari et al., Ann Oncol
//! 2023;34:215-227, from 49,264 paired tumour-normal samples) names seven "most
//! actionable" cancer-susceptibility genes in which a pathogenic tumour-detected variant
//! should prompt germline follow-up regardless of tumour type: BRCA1, BRCA2, PALB2,
//! MLH1, MSH2, MSH6 and RET. For BRCA1, BRCA2 and PALB2 more than 80 % of such
//! variants were germline.
//!
//! Tailor flags a small variant as possibly germline when all of these hold:
//! - the case has no matched normal (a tumour-normal call is somatic by construction);
//! - the gene is one of the seven;
//! - the variant is oncogenic or likely oncogenic by Tailor's rules (its stand-in for
//!   pathogenic);
//! - the tumour VAF is unknown or at least 20 %. This cut-off is Tailor's, not ESMO's:
//!   a heterozygous germline variant sits near 50 % (higher with loss of the other
//!   allele), and 20 % leaves room for low purity and copy-number change while letting
//!   clearly subclonal variants go.
//!
//! Not covered yet, and said so in the docs: the further genes whose germline follow-up
//! ESMO ties to the tumour type or to age (ATM and CHEK2 among them), and copy-number
//! or structural germline events.

use tailor_core::onco::{Oncogenicity, PossibleGermline};

/// The genes in which germline follow-up is recommended regardless of tumour type.
pub const MOST_ACTIONABLE: [&str; 7] = ["BRCA1", "BRCA2", "PALB2", "MLH1", "MSH2", "MSH6", "RET"];

/// Tailor's lower VAF bound for a variant compatible with a germline heterozygote.
pub const MIN_GERMLINE_VAF: f64 = 0.20;

const GUIDELINE: &str = "ESMO Precision Medicine Working Group, germline-focused analysis of \
tumour-detected variants (Kuzbari et al., Ann Oncol 2023;34:215-227)";

/// The secondary-germline flag of one small variant, when it applies (see the module
/// documentation).
pub fn possible_germline(
    gene: &str,
    oncogenicity: Oncogenicity,
    vaf: Option<f64>,
    matched_normal: bool,
) -> Option<PossibleGermline> {
    if matched_normal || !MOST_ACTIONABLE.contains(&gene) {
        return None;
    }
    if !matches!(
        oncogenicity,
        Oncogenicity::Oncogenic | Oncogenicity::LikelyOncogenic
    ) {
        return None;
    }
    let vaf_text = match vaf {
        Some(v) if v < MIN_GERMLINE_VAF => return None,
        Some(v) => format!(
            "its tumour VAF of {:.0}% is compatible with an inherited heterozygous variant",
            v * 100.0
        ),
        None => "its tumour VAF is not reported".to_string(),
    };
    Some(PossibleGermline {
        reason: format!(
            "Found in the tumour without a matched normal sample, in {gene}, one of the seven \
             genes in which a pathogenic tumour variant warrants germline follow-up regardless of \
             tumour type; {vaf_text}."
        ),
        action:
            "Offer germline testing with genetic counselling: a tumour test cannot tell an \
                 inherited variant from a somatic one, and an inherited one concerns relatives too."
                .into(),
        guideline: GUIDELINE.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_pathogenic_variants_of_the_seven_genes_in_tumour_only_tests() {
        let f = possible_germline("BRCA2", Oncogenicity::LikelyOncogenic, Some(0.48), false)
            .expect("flagged");
        assert!(
            f.reason.contains("BRCA2") && f.reason.contains("48%"),
            "{}",
            f.reason
        );
        assert!(
            possible_germline("RET", Oncogenicity::Oncogenic, None, false)
                .is_some_and(|f| f.reason.contains("not reported"))
        );
        assert!(possible_germline("MSH6", Oncogenicity::Oncogenic, Some(0.2), false).is_some());
    }

    #[test]
    fn leaves_other_genes_vus_subclonal_and_paired_calls_alone() {
        // TP53, APC and STK11 variants in tumours are rarely germline (ESMO: < 2 %).
        assert!(possible_germline("TP53", Oncogenicity::Oncogenic, Some(0.5), false).is_none());
        assert!(possible_germline("BRCA1", Oncogenicity::Uncertain, Some(0.5), false).is_none());
        assert!(possible_germline("BRCA1", Oncogenicity::Oncogenic, Some(0.12), false).is_none());
        assert!(possible_germline("BRCA1", Oncogenicity::Oncogenic, Some(0.5), true).is_none());
    }
}
