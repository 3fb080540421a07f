//! Tumour-level biomarkers as the knowledge-base rules see them.
//!
//! The lab reports raw values (an IHC score, a TPS percentage); the rules speak of
//! statuses (`HER2=low`, `PD-L1_TPS>=50`). This module makes the translation in one
//! place, with the published cut-offs:
//! - HER2 (ASCO/CAP 2018, 2023 update): IHC 3+ is positive; IHC 2+ is positive when ISH
//!   is positive and "HER2-low" when ISH is negative; IHC 1+ is HER2-low; IHC 0 is
//!   negative (Tailor cannot tell "ultralow" — faint staining in <= 10% of cells — from
//!   a plain 0, so it never calls HER2-ultralow). ISH positive without IHC is positive.
//!   IHC 2+ without ISH is equivocal and matches no rule.
//! - TMB-high: at least 10 mutations/Mb (the FDA pembrolizumab tumour-agnostic cut-off),
//!   unless a rule states another threshold.
//! - MSI-H and dMMR are separate statuses; a rule for either matches only that status.

use tailor_core::somatic::{Biomarkers, MmrStatus, MsiStatus, Positivity};

/// HER2 status derived from IHC and ISH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Her2Status {
    /// IHC 3+, or IHC 2+ with ISH positive, or ISH positive alone.
    Positive,
    /// IHC 1+, or IHC 2+ with ISH negative.
    Low,
    /// IHC 0.
    Negative,
    /// IHC 2+ without ISH, or ISH equivocal.
    Equivocal,
}

impl Her2Status {
    /// Lower-case name as the rules spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Her2Status::Positive => "positive",
            Her2Status::Low => "low",
            Her2Status::Negative => "negative",
            Her2Status::Equivocal => "equivocal",
        }
    }
}

/// The HER2 status, when HER2 was tested.
pub fn her2_status(b: &Biomarkers) -> Option<Her2Status> {
    match (b.her2_ihc, b.her2_ish) {
        (Some(3), _) => Some(Her2Status::Positive),
        (Some(2), Some(Positivity::Positive)) => Some(Her2Status::Positive),
        (Some(2), Some(Positivity::Negative)) => Some(Her2Status::Low),
        (Some(2), _) => Some(Her2Status::Equivocal),
        (Some(1), _) => Some(Her2Status::Low),
        (Some(0), Some(Positivity::Positive)) => Some(Her2Status::Positive),
        (Some(0), _) => Some(Her2Status::Negative),
        (Some(_), _) => None,
        (None, Some(Positivity::Positive)) => Some(Her2Status::Positive),
        (None, Some(Positivity::Negative)) => Some(Her2Status::Negative),
        (None, Some(Positivity::Equivocal)) => Some(Her2Status::Equivocal),
        (None, None) => None,
    }
}

/// True when MSI-high was reported.
pub fn msi_high(b: &Biomarkers) -> bool {
    b.msi == Some(MsiStatus::MsiHigh)
}

/// True when MMR deficiency was reported.
pub fn mmr_deficient(b: &Biomarkers) -> bool {
    b.mmr == Some(MmrStatus::Deficient)
}

/// Display of the HER2 IHC score (`3+`).
pub fn her2_ihc_label(score: u8) -> String {
    if score == 0 {
        "0".to_string()
    } else {
        format!("{score}+")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn her2(ihc: Option<u8>, ish: Option<Positivity>) -> Option<Her2Status> {
        her2_status(&Biomarkers {
            her2_ihc: ihc,
            her2_ish: ish,
            ..Biomarkers::default()
        })
    }

    #[test]
    fn her2_follows_asco_cap() {
        use Positivity::*;
        assert_eq!(her2(Some(3), None), Some(Her2Status::Positive));
        assert_eq!(her2(Some(2), Some(Positive)), Some(Her2Status::Positive));
        assert_eq!(her2(Some(2), Some(Negative)), Some(Her2Status::Low));
        assert_eq!(her2(Some(2), None), Some(Her2Status::Equivocal));
        assert_eq!(her2(Some(1), None), Some(Her2Status::Low));
        assert_eq!(her2(Some(0), None), Some(Her2Status::Negative));
        assert_eq!(her2(None, Some(Positive)), Some(Her2Status::Positive));
        assert_eq!(her2(None, None), None);
        assert_eq!(her2(Some(7), None), None);
    }
}
