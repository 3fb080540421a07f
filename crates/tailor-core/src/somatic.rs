//! Somatic (tumour) inputs shared by the readers, the annotators and the oncology engine.
//!
//! These are the vocabulary every somatic input is translated into before matching:
//! a VEP consequence, a MAF `Variant_Classification`, a snpEff effect and Tailor's own
//! raw-VCF inference all end up as one [`VariantClass`], so the matcher never needs to
//! know which tool annotated the file. Tumour-level biomarkers ([`Biomarkers`]) come from
//! the case manifest or a biomarker file and are kept as the lab reported them, with the
//! thresholds applied later by the knowledge base rules.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Genome assembly of a case's coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, Default)]
pub enum Assembly {
    /// GRCh38 / hg38: the assembly Tailor's genomic keys and exon model use.
    #[default]
    #[serde(rename = "GRCh38", alias = "grch38", alias = "hg38")]
    GRCh38,
    /// GRCh37 / hg19: only accepted when asked for explicitly; genomic positions are then
    /// matched against GRCh37 keys only and no exon model is applied.
    #[serde(rename = "GRCh37", alias = "grch37", alias = "hg19")]
    GRCh37,
}

impl std::fmt::Display for Assembly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Assembly::GRCh38 => "GRCh38",
            Assembly::GRCh37 => "GRCh37",
        })
    }
}

/// The protein-level effect class of a small variant, in one vocabulary for every
/// annotation source (VEP/SO terms, MAF `Variant_Classification`, snpEff, raw inference).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum VariantClass {
    /// Amino-acid substitution.
    Missense,
    /// Premature stop codon.
    Nonsense,
    /// Frameshifting insertion or deletion.
    Frameshift,
    /// In-frame deletion (length a multiple of three).
    InframeDeletion,
    /// In-frame insertion or duplication.
    InframeInsertion,
    /// In-frame deletion-insertion (delins) that changes more than one residue.
    InframeDelins,
    /// Canonical splice acceptor or donor site (intronic ±1/2).
    SpliceSite,
    /// Splice region (near the exon boundary, outside the canonical dinucleotide).
    SpliceRegion,
    /// Loss of the start codon.
    StartLost,
    /// Loss of the stop codon.
    StopLost,
    /// No amino-acid change.
    Synonymous,
    /// Exonic change of unknown coding effect (raw VCF without a CDS model).
    Exonic,
    /// UTR, intronic, intergenic, non-coding RNA, up/downstream: no protein effect.
    NonCoding,
    /// The class could not be determined.
    Unknown,
}

impl VariantClass {
    /// Truncating classes: the ones that usually inactivate a tumour suppressor.
    pub fn is_truncating(self) -> bool {
        matches!(
            self,
            VariantClass::Nonsense
                | VariantClass::Frameshift
                | VariantClass::SpliceSite
                | VariantClass::StartLost
        )
    }

    /// Classes that change the protein sequence (everything except synonymous,
    /// non-coding, splice-region and unknown).
    pub fn is_protein_altering(self) -> bool {
        !matches!(
            self,
            VariantClass::Synonymous
                | VariantClass::NonCoding
                | VariantClass::SpliceRegion
                | VariantClass::Unknown
        )
    }
}

/// Where the tumour DNA came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum SampleType {
    /// Tumour tissue (FFPE or fresh frozen).
    #[default]
    Tissue,
    /// Circulating tumour DNA from plasma (liquid biopsy).
    #[serde(alias = "cfDNA", alias = "ctdna", alias = "plasma")]
    #[serde(rename = "ctDNA")]
    CtDna,
}

/// Microsatellite instability status as reported by the lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum MsiStatus {
    /// MSI-high.
    #[serde(rename = "MSI-H", alias = "MSI-high", alias = "msi-h", alias = "MSIH")]
    MsiHigh,
    /// MSI-low (treated like MSS for therapy).
    #[serde(rename = "MSI-L", alias = "MSI-low", alias = "msi-l")]
    MsiLow,
    /// Microsatellite stable.
    #[serde(rename = "MSS", alias = "mss", alias = "stable")]
    Stable,
}

/// Mismatch-repair protein status by immunohistochemistry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum MmrStatus {
    /// Loss of one or more MMR proteins (MLH1, MSH2, MSH6, PMS2).
    #[serde(rename = "dMMR", alias = "deficient", alias = "dmmr")]
    Deficient,
    /// All MMR proteins retained.
    #[serde(rename = "pMMR", alias = "proficient", alias = "pmmr")]
    Proficient,
}

/// A binary lab result (ISH amplification, hormone receptor, HRD status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Positivity {
    /// Positive.
    #[serde(alias = "pos", alias = "+", alias = "amplified")]
    Positive,
    /// Negative.
    #[serde(alias = "neg", alias = "-", alias = "not amplified")]
    Negative,
    /// Equivocal (e.g. HER2 ISH group 2-4 before work-up).
    Equivocal,
}

/// Tumour-level biomarkers, as the lab reported them. Every field is optional: a missing
/// biomarker is "not tested", which the report states, never "negative".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Biomarkers {
    /// Tumour mutational burden in mutations per megabase, as reported (if absent and a
    /// VCF plus panel size is given, Tailor computes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tmb: Option<f64>,
    /// Microsatellite status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msi: Option<MsiStatus>,
    /// Mismatch-repair IHC status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mmr: Option<MmrStatus>,
    /// PD-L1 tumour proportion score, percent (0-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdl1_tps: Option<f64>,
    /// PD-L1 combined positive score (0-100; values above 100 are capped at 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdl1_cps: Option<f64>,
    /// HER2 immunohistochemistry score 0-3 (`0`, `1`, `2`, `3` for 0, 1+, 2+, 3+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub her2_ihc: Option<u8>,
    /// HER2 in-situ hybridisation result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub her2_ish: Option<Positivity>,
    /// Oestrogen receptor status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub er: Option<Positivity>,
    /// Progesterone receptor status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr: Option<Positivity>,
    /// Homologous-recombination deficiency status (genomic instability score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hrd: Option<Positivity>,
}
