//! One spelling of every value, in two registers.
//!
//! - The wire name ([`wire_name`]): how JSON spells a value (`small_variant`,
//!   `outside_call`, `IA`). Every machine-readable output (JSON, TSV, FHIR codes of our
//!   own) uses it, so a pipeline that joins a TSV to the JSON meets the same words. It is
//!   derived from the serde attributes, so it cannot drift from the JSON.
//! - The label (`label()` on each enum): how a person reads it in a report (`small
//!   variant`, `outside call`, `I-A`). Every report (HTML, PDF, patient summary, the web
//!   app's pages) uses these methods instead of a table of its own.

use serde::Serialize;

use crate::onco::{Effect, EvidenceLevel, FindingKind, LabelStatus, MatchLevel, Oncogenicity};
use crate::pgx::CallSource;
use crate::somatic::SampleType;

/// The JSON spelling of a unit enum value (a plain string): `small_variant`,
/// `outside_call`. Empty for values that do not serialise to a string.
pub fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl Effect {
    /// `sensitivity`, `resistance`.
    pub fn label(self) -> &'static str {
        match self {
            Effect::Sensitivity => "sensitivity",
            Effect::Resistance => "resistance",
        }
    }
}

impl LabelStatus {
    /// `on-label`, `off-label`.
    pub fn label(self) -> &'static str {
        match self {
            LabelStatus::OnLabel => "on-label",
            LabelStatus::OffLabel => "off-label",
        }
    }
}

impl EvidenceLevel {
    /// `A` to `D`.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceLevel::A => "A",
            EvidenceLevel::B => "B",
            EvidenceLevel::C => "C",
            EvidenceLevel::D => "D",
        }
    }
}

impl Oncogenicity {
    /// `oncogenic`, `likely oncogenic`, `uncertain`, `not applicable`.
    pub fn label(self) -> &'static str {
        match self {
            Oncogenicity::Oncogenic => "oncogenic",
            Oncogenicity::LikelyOncogenic => "likely oncogenic",
            Oncogenicity::Uncertain => "uncertain",
            Oncogenicity::NotApplicable => "not applicable",
        }
    }
}

impl FindingKind {
    /// `small variant`, `copy number`, `fusion`, `biomarker`.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::SmallVariant => "small variant",
            FindingKind::CopyNumber => "copy number",
            FindingKind::Fusion => "fusion",
            FindingKind::Biomarker => "biomarker",
        }
    }
}

impl MatchLevel {
    /// `genomic`, `protein`, `codon`, ... as one word.
    pub fn label(self) -> &'static str {
        match self {
            MatchLevel::Genomic => "genomic",
            MatchLevel::Protein => "protein",
            MatchLevel::Codon => "codon",
            MatchLevel::Exon => "exon",
            MatchLevel::Gene => "gene",
            MatchLevel::Fusion => "fusion",
            MatchLevel::Amplification => "amplification",
            MatchLevel::Deletion => "deletion",
            MatchLevel::Signature => "signature",
            MatchLevel::Expression => "expression",
        }
    }
}

impl CallSource {
    /// `VCF`, `outside call`.
    pub fn label(self) -> &'static str {
        match self {
            CallSource::Vcf => "VCF",
            CallSource::OutsideCall => "outside call",
        }
    }
}

impl SampleType {
    /// `tumour tissue`, `plasma ctDNA (liquid biopsy)`.
    pub fn label(self) -> &'static str {
        match self {
            SampleType::Tissue => "tumour tissue",
            SampleType::CtDna => "plasma ctDNA (liquid biopsy)",
        }
    }
}

/// A fraction (0-1) as a whole percentage: `0.853` -> `85%`. The one format for VAF,
/// cancer-cell fraction and purity in every report.
pub fn percent(fraction: f64) -> String {
    format!("{:.0}%", fraction * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_json_spelling() {
        assert_eq!(wire_name(&FindingKind::SmallVariant), "small_variant");
        assert_eq!(wire_name(&CallSource::OutsideCall), "outside_call");
        assert_eq!(wire_name(&MatchLevel::Amplification), "amplification");
        assert_eq!(wire_name(&crate::onco::Tier::IA), "IA");
        assert_eq!(wire_name(&SampleType::CtDna), "ctDNA");
        assert_eq!(wire_name(&EvidenceLevel::B), "B");
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(FindingKind::CopyNumber.label(), "copy number");
        assert_eq!(CallSource::OutsideCall.label(), "outside call");
        assert_eq!(percent(0.853), "85%");
        assert_eq!(percent(1.0), "100%");
    }
}
