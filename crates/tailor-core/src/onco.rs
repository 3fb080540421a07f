//! Somatic interpretation results: tiered findings, matched evidence, ranked therapies.
//!
//! [`SomaticDocument`] is what `tailor somatic` writes as `somatic.json` and what the
//! report renderers and the web app read. Every therapy shown to a clinician can be
//! traced through [`EvidenceMatch`] to the knowledge-base row (file, line, id) and its
//! citation, and every tier carries the sentence that explains it.

use crate::pgx::KnowledgeProvenance;
use crate::somatic::{Assembly, Biomarkers, SampleType, VariantClass};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the somatic JSON document schema (`somatic.json`). Minor bump for
/// additive changes, major bump for anything that breaks a reader.
pub const SOMATIC_SCHEMA_VERSION: &str = "1.1.0";

/// AMP/ASCO/CAP 2017 tier of a finding (Li et al., J Mol Diagn 2017;19:4-23).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Tier {
    /// Strong clinical significance, level A evidence (FDA-approved therapy or
    /// professional guideline for this tumour type).
    #[serde(rename = "IA")]
    IA,
    /// Strong clinical significance, level B evidence (well-powered studies with
    /// consensus).
    #[serde(rename = "IB")]
    IB,
    /// Potential clinical significance, level C evidence (FDA-approved for a different
    /// tumour type, or multiple small studies).
    #[serde(rename = "IIC")]
    IIC,
    /// Potential clinical significance, level D evidence (preclinical or case reports).
    #[serde(rename = "IID")]
    IID,
    /// Unknown clinical significance (VUS, or oncogenic without therapeutic evidence).
    #[serde(rename = "III")]
    III,
}

impl Tier {
    /// The tier as printed in reports (`I-A`, `II-C`, `III`).
    pub fn label(self) -> &'static str {
        match self {
            Tier::IA => "I-A",
            Tier::IB => "I-B",
            Tier::IIC => "II-C",
            Tier::IID => "II-D",
            Tier::III => "III",
        }
    }

    /// Tiers I and II: a finding with therapeutic evidence.
    pub fn is_actionable(self) -> bool {
        !matches!(self, Tier::III)
    }
}

/// AMP evidence level of one evidence match for this patient.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum EvidenceLevel {
    /// FDA-approved therapy or professional guideline, this tumour type.
    A,
    /// Well-powered studies with expert consensus, this tumour type.
    B,
    /// FDA-approved in another tumour type, or multiple small studies.
    C,
    /// Preclinical studies or case reports.
    D,
}

/// What a biomarker predicts for a therapy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Response or benefit expected.
    Sensitivity,
    /// Lack of response or resistance expected.
    Resistance,
}

/// How the therapy relates to the patient's tumour type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LabelStatus {
    /// The evidence is for this tumour type (or an OncoTree ancestor of it).
    OnLabel,
    /// The evidence is for a different tumour type.
    OffLabel,
}

/// Which matching rule level connected a finding to an evidence row, most specific first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MatchLevel {
    /// Exact genomic key (chromosome, position, alleles).
    Genomic,
    /// Exact protein change.
    Protein,
    /// Any change at the codon.
    Codon,
    /// Exon-level event (e.g. EGFR exon 19 in-frame deletion).
    Exon,
    /// Gene-level class (oncogenic, truncating, any).
    Gene,
    /// Fusion (specific pair or either partner).
    Fusion,
    /// Copy-number amplification.
    Amplification,
    /// Homozygous deletion.
    Deletion,
    /// Genomic signature (TMB, MSI, dMMR, HRD).
    Signature,
    /// Protein expression (IHC) threshold.
    Expression,
}

/// Oncogenicity of an alteration, from simple stated rules (see `docs/somatic.md`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Oncogenicity {
    /// Listed as a known actionable/oncogenic alteration in the curated knowledge base.
    Oncogenic,
    /// Supported by a recurrent hotspot, a null variant in a tumour suppressor, an
    /// oncogene amplification or a tumour-suppressor homozygous deletion.
    LikelyOncogenic,
    /// Not enough evidence either way.
    Uncertain,
    /// Not a gene alteration (TMB, MSI, IHC results).
    NotApplicable,
}

/// The kind of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// SNV or small indel.
    SmallVariant,
    /// Gene-level copy-number change.
    CopyNumber,
    /// Gene fusion.
    Fusion,
    /// Tumour-level biomarker (TMB, MSI, MMR, PD-L1, HER2, ER/PR, HRD).
    Biomarker,
}

/// Where a small variant's annotation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationSource {
    /// VEP `CSQ` INFO field.
    Vep,
    /// snpEff `ANN` INFO field.
    SnpEff,
    /// MAF columns (HGVSp_Short, Variant_Classification, Exon_Number).
    Maf,
    /// Tailor's curated genomic key table (exact match).
    GenomicKey,
    /// Tailor's MANE exon model (gene, exon, in-frame/frameshift; no protein change).
    ExonModel,
    /// No annotation could be made.
    None,
}

/// Details of a small variant finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VariantDetails {
    /// Chromosome (normalised).
    pub chrom: String,
    /// 1-based position.
    pub pos: u64,
    /// Reference allele.
    #[serde(rename = "ref")]
    pub ref_allele: String,
    /// Alternate allele.
    #[serde(rename = "alt")]
    pub alt_allele: String,
    /// Transcript the change is described on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// HGVS coding change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hgvsc: Option<String>,
    /// Protein change, one-letter (`V600E`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protein: Option<String>,
    /// Effect class.
    pub class: VariantClass,
    /// Exon number (of the transcript).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exon: Option<u32>,
    /// Codon (residue number) of the first changed amino acid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codon: Option<u32>,
    /// Variant allele fraction in the tumour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vaf: Option<f64>,
    /// Tumour read depth.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    /// Estimated cancer-cell fraction (2 x VAF / purity, capped at 1), when purity is
    /// known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ccf: Option<f64>,
    /// True when the CCF is below 0.5: the variant is probably in a subclone.
    pub subclonal: bool,
    /// Where the annotation came from.
    pub annotation: AnnotationSource,
    /// Input record: `file:line`.
    pub record: String,
}

/// One evidence row that matched a finding, with why and how it applies to this patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceMatch {
    /// Knowledge-base row id (`FDA-0012`).
    pub rule_id: String,
    /// Knowledge-base file and line (`kb/onco/evidence.tsv:57`).
    pub kb_row: String,
    /// Rule level that matched.
    pub match_level: MatchLevel,
    /// The rule's alteration as text (`EGFR exon 19 in-frame deletion`).
    pub rule: String,
    /// Tumour type the evidence is for (OncoTree code, `SOLID` or `ANY`).
    pub evidence_tumor_type: String,
    /// On- or off-label for this patient.
    pub label: LabelStatus,
    /// Therapy regimen (`dabrafenib + trametinib`).
    pub therapy: String,
    /// Sensitivity or resistance.
    pub effect: Effect,
    /// Evidence level as curated for the evidence's tumour type.
    pub curated_level: EvidenceLevel,
    /// Evidence level for this patient (off-label A/B become C).
    pub level: EvidenceLevel,
    /// Source kind (`FDA`, `guideline`, `publication`, `CIViC`).
    pub source_type: String,
    /// Citation.
    pub citation: String,
    /// Date of the source version.
    pub date: String,
    /// Curator's note (line of therapy, companion diagnostic, restrictions).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Caveats specific to this match (e.g. protein change inferred from position only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<String>,
}

/// One tumour finding with its tier and evidence trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SomaticFinding {
    /// Stable id within the document (`F1`, `F2`, ...).
    pub id: String,
    /// Kind.
    pub kind: FindingKind,
    /// Gene, when the finding has one (TMB and MSI have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gene: Option<String>,
    /// Human-readable alteration (`BRAF V600E`, `ERBB2 amplification`, `EML4--ALK`,
    /// `TMB 12.5 mut/Mb`).
    pub alteration: String,
    /// AMP/ASCO/CAP tier.
    pub tier: Tier,
    /// Why this tier, in one sentence.
    pub tier_reason: String,
    /// Oncogenicity.
    pub oncogenicity: Oncogenicity,
    /// Why this oncogenicity.
    pub oncogenicity_reason: String,
    /// Small-variant details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<VariantDetails>,
    /// Copy number (total copies) for copy-number findings, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<f64>,
    /// Fusion supporting reads, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supporting_reads: Option<u32>,
    /// Every evidence row that matched, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceMatch>,
    /// Input record(s) the finding came from (`file:line`).
    pub source: String,
    /// Caveats for the finding (subclonal, low depth, fusion orientation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<String>,
    /// Set when the variant may be inherited rather than somatic: a secondary germline
    /// finding of a tumour test, shown only where the patient consented to such findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possible_germline: Option<PossibleGermline>,
}

/// Why a tumour finding may be germline, and what to do about it.
///
/// A tumour test cannot tell a somatic variant from an inherited one without a matched
/// normal sample; for some genes most pathogenic variants found in tumours turn out to be
/// inherited, with consequences for the patient's relatives. This is a secondary
/// finding: whether it may be shown depends on the patient's consent
/// ([`crate::interpretation::Interpretation::withhold_secondary_germline`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PossibleGermline {
    /// Why the variant may be germline, in one sentence.
    pub reason: String,
    /// What to do (germline testing with genetic counselling).
    pub action: String,
    /// The guideline the rule follows.
    pub guideline: String,
}

/// One therapy option for the patient, ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TherapyOption {
    /// 1 = strongest.
    pub rank: u32,
    /// Regimen.
    pub therapy: String,
    /// Sensitivity (an option) or resistance (expect no benefit).
    pub effect: Effect,
    /// On- or off-label.
    pub label: LabelStatus,
    /// Best evidence level for this patient.
    pub level: EvidenceLevel,
    /// Tier of the best supporting finding.
    pub tier: Tier,
    /// Findings (ids) behind this option.
    pub findings: Vec<String>,
    /// Alterations behind this option, as text.
    pub biomarkers: Vec<String>,
    /// Why it ranks where it does, including conflicts with resistance findings.
    pub rationale: String,
}

/// A variant that could not be annotated, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnannotatedVariant {
    /// Input record (`file:line`).
    pub record: String,
    /// `chrom:pos:ref:alt`.
    pub variant: String,
    /// Why no annotation could be made.
    pub reason: String,
}

/// Tumour mutational burden as used for this case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TmbResult {
    /// Mutations per megabase.
    pub value: f64,
    /// `reported` (from the lab) or `computed` (by Tailor from the VCF).
    pub origin: String,
    /// Variants counted (computed only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted_variants: Option<u64>,
    /// Panel size in megabases (computed only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panel_size_mb: Option<f64>,
    /// The counting rule, in words.
    pub rule: String,
    /// Threshold for TMB-high, mut/Mb.
    pub high_threshold: f64,
    /// Whether the value meets the threshold.
    pub high: bool,
}

/// The tumour type as resolved in OncoTree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TumorType {
    /// OncoTree code (`LUAD`).
    pub code: String,
    /// Name (`Lung Adenocarcinoma`).
    pub name: String,
    /// Main type (`Non-Small Cell Lung Cancer`).
    pub main_type: String,
    /// Codes from the root down to this one (`TISSUE`, `LUNG`, `NSCLC`, `LUAD`).
    pub lineage: Vec<String>,
}

/// The case as the engine saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaseSummary {
    /// Patient pseudonym.
    pub patient: String,
    /// Tumour type, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tumor_type: Option<TumorType>,
    /// Tissue or ctDNA.
    pub sample_type: SampleType,
    /// Tumour purity (0-1), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purity: Option<f64>,
    /// Assembly of the inputs.
    pub assembly: Assembly,
    /// Biomarkers as reported.
    pub biomarkers: Biomarkers,
}

/// One input file and what was read from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SomaticInput {
    /// `vcf`, `maf`, `cna`, `segments`, `fusions`, `biomarkers`.
    pub kind: String,
    /// Path as given.
    pub path: String,
    /// Records read.
    pub records: u64,
    /// Records used after filters (e.g. PASS, sample).
    pub used: u64,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SomaticCounts {
    /// Findings in tier I.
    pub tier1: u32,
    /// Findings in tier II.
    pub tier2: u32,
    /// Findings in tier III.
    pub tier3: u32,
    /// Small variants read (after filters).
    pub variants: u64,
    /// Variants not reported (synonymous, non-coding, outside genes).
    pub not_reported: u64,
}

/// `somatic.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SomaticDocument {
    /// [`SOMATIC_SCHEMA_VERSION`].
    pub schema_version: String,
    /// Tailor version that produced it.
    pub tailor_version: String,
    /// Knowledge base version and sources.
    pub knowledge: KnowledgeProvenance,
    /// The case.
    pub case: CaseSummary,
    /// Inputs read.
    pub inputs: Vec<SomaticInput>,
    /// "No actionable finding" or a one-line summary of the top findings.
    pub summary: String,
    /// True when at least one tier I/II finding exists.
    pub actionable: bool,
    /// Tier I and II findings, best first.
    pub findings: Vec<SomaticFinding>,
    /// Tier III findings (VUS and oncogenic without evidence), kept apart: never
    /// actionable.
    pub uncertain: Vec<SomaticFinding>,
    /// Ranked therapy options (sensitivity) and resistance warnings.
    pub therapies: Vec<TherapyOption>,
    /// Tumour mutational burden, when reported or computable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmb: Option<TmbResult>,
    /// Variants that could not be annotated.
    pub unannotated: Vec<UnannotatedVariant>,
    /// Case-level warnings (low purity, missing tumour type, GRCh37 limits).
    pub warnings: Vec<String>,
    /// Counts.
    pub counts: SomaticCounts,
}

/// JSON Schema of [`SomaticDocument`], pretty-printed.
pub fn somatic_json_schema() -> String {
    let schema = schemars::schema_for!(SomaticDocument);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
