//! Pharmacogenomic results: gene calls, phenotypes and drug recommendations.
//!
//! One [`PgxSampleResult`] per sample is the unit every PGx renderer works from. The
//! shape follows what a pharmacist needs to act on a call: every candidate diplotype
//! (never a silent pick among ties), the positions that were missing or disagreed with
//! the definition, and each drug's recommendation with its source and strength.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the PGx JSON document schema (`pgx.json`). Bump the minor number for
/// additive changes and the major number for anything that breaks a reader.
pub const PGX_SCHEMA_VERSION: &str = "1.0.0";

/// Where a gene call came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallSource {
    /// Named-allele matching on the sample's VCF.
    Vcf,
    /// A call made outside Tailor (e.g. CYP2D6 from a dedicated caller), supplied in
    /// PharmCAT's outside-call TSV format.
    OutsideCall,
}

/// One haplotype of a diplotype, with its function from the phenotype tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HaplotypeCall {
    /// Allele name as the definition spells it (`*17`, `c.2846A>T`, `Reference`).
    pub name: String,
    /// Clinical function (`Normal function`, `No function`), when the tables have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// Activity value (e.g. `0.5`) for genes scored by activity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_value: Option<String>,
}

/// One candidate diplotype for a gene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DiplotypeCall {
    /// Display label, e.g. `*1/*17`; `*1` alone for a hemizygous call.
    pub label: String,
    /// First haplotype.
    pub allele1: HaplotypeCall,
    /// Second haplotype; absent for a hemizygous (single-copy) call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allele2: Option<HaplotypeCall>,
    /// Matching score (number of defined positions matched); higher is more specific.
    pub score: u32,
    /// Phenotype (`Intermediate Metabolizer`), when the tables define one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phenotype: Option<String>,
    /// Activity score for activity-scored genes (CYP2C9, DPYD, CYP2D6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_score: Option<String>,
    /// Key used to look up guideline recommendations (phenotype, activity score or
    /// allele status, depending on the gene).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_key: Option<String>,
}

/// A definition position and how the sample looked there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PositionReport {
    /// Chromosome as the definition names it (`chr10`).
    pub chromosome: String,
    /// 1-based VCF position.
    pub position: u64,
    /// dbSNP identifier, when the definition has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rsid: Option<String>,
    /// Reference allele in the definition.
    pub ref_allele: String,
    /// Sample genotype as read (`C/T`, `C|T`), when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genotype: Option<String>,
    /// Why this position is reported (missing, ref mismatch, assumed reference, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The result for one gene of one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GeneCall {
    /// HGNC gene symbol.
    pub gene: String,
    /// Where the call came from.
    pub source: CallSource,
    /// Whether the sample's genotypes at this gene were phased.
    pub phased: bool,
    /// All top-scoring candidate diplotypes. Empty when the gene could not be called.
    pub diplotypes: Vec<DiplotypeCall>,
    /// Phenotype(s) of the candidates, deduplicated, in candidate order.
    pub phenotypes: Vec<String>,
    /// Number of definition positions with a genotype for this sample.
    pub matched_positions: usize,
    /// Definition positions whose records exist in the input but carry no usable
    /// genotype for this sample (`./.`, partial, filtered out, REF mismatch excluded).
    pub missing_positions: Vec<PositionReport>,
    /// Number of definition positions absent from every input file. They are listed
    /// once for the whole run in [`PgxDocument::absent_positions`]; when the run was
    /// asked to read absent positions as reference (variant-only input), they were.
    pub absent_positions: usize,
    /// Positions whose VCF REF disagrees with the definition's reference allele.
    pub mismatched_positions: Vec<PositionReport>,
    /// Positions that had records in some input but not in this sample's, and were
    /// treated as reference because the run was asked to read absent positions as
    /// reference (variant-only input).
    pub assumed_reference_positions: Vec<PositionReport>,
    /// Positions whose genotype carries an allele no definition knows.
    pub unknown_allele_positions: Vec<PositionReport>,
    /// Named alleles that could not be considered because of missing positions.
    pub uncallable_alleles: Vec<String>,
    /// Human-readable warnings for this gene (partial calls, filtered records, ...).
    pub warnings: Vec<String>,
}

impl GeneCall {
    /// A call for `gene` with no diplotype, positions or warnings yet; callers fill in
    /// what they know.
    pub fn new(gene: &str, source: CallSource) -> Self {
        Self {
            gene: gene.to_string(),
            source,
            phased: false,
            diplotypes: Vec::new(),
            phenotypes: Vec::new(),
            matched_positions: 0,
            missing_positions: Vec::new(),
            absent_positions: 0,
            mismatched_positions: Vec::new(),
            assumed_reference_positions: Vec::new(),
            unknown_allele_positions: Vec::new(),
            uncallable_alleles: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// Strength or classification of a recommendation as the guideline states it.
pub type Classification = String;

/// A drug recommendation from a CPIC or DPWG guideline for one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DrugRecommendation {
    /// Drug name (lower case, as in the guideline).
    pub drug: String,
    /// Guideline source: `CPIC` or `DPWG`.
    pub source: String,
    /// Guideline name and URL for the citation.
    pub guideline: String,
    /// Guideline URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Genes the guideline depends on, with the lookup key used for each.
    pub lookup: BTreeMap<String, String>,
    /// The patient's diplotype label per gene that led to this recommendation.
    pub diplotypes: BTreeMap<String, String>,
    /// Recommendation text (plain text, HTML stripped). `None` when the guideline has
    /// no recommendation for this genotype.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// Classification/strength (`Strong`, `Moderate`, `Optional`, `No Recommendation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    /// Implications per gene (e.g. `DPYD: Decreased DPD activity ...`).
    pub implications: Vec<String>,
    /// Phenotypes per gene as the guideline names them.
    pub phenotypes: BTreeMap<String, String>,
    /// Population the recommendation applies to (`general`, `adults`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<String>,
    /// True when the patient's genotype matched a guideline row that gives a
    /// recommendation; false means "no recommendation" and [`Self::note`] says why.
    pub actionable: bool,
    /// Why there is no recommendation, or other caveats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Everything Tailor says about one sample's pharmacogenomics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PgxSampleResult {
    /// Sample identifier as in the VCF header.
    pub sample: String,
    /// Sex used for X-linked genes, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// One call per gene, in gene order.
    pub genes: Vec<GeneCall>,
    /// Drug recommendations, one per drug and guideline source.
    pub recommendations: Vec<DrugRecommendation>,
    /// Warnings that concern the whole sample.
    pub warnings: Vec<String>,
}

/// Provenance of the knowledge used for a run: stated in every report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KnowledgeProvenance {
    /// Version of the compiled knowledge base (content hash based).
    pub kb_version: String,
    /// Each source file or dataset with its version and checksum.
    pub sources: Vec<SourceVersion>,
}

/// One knowledge source as it was compiled into the KB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceVersion {
    /// Short name, e.g. `PharmCAT allele definitions`.
    pub name: String,
    /// Version string from the source (e.g. `3.1.1`, a data date).
    pub version: String,
    /// Licence/attribution line.
    pub license: String,
    /// SHA-256 of the source content.
    pub sha256: String,
}

/// Definition positions of one gene that no input file has a record for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AbsentPositions {
    /// Gene symbol.
    pub gene: String,
    /// Whether these positions were read as homozygous reference (the run was asked to,
    /// for variant-only input); otherwise they are missing for every sample.
    pub assumed_reference: bool,
    /// The positions.
    pub positions: Vec<PositionReport>,
}

/// The `pgx.json` document: one per run, covering all samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PgxDocument {
    /// Schema version ([`PGX_SCHEMA_VERSION`]).
    pub schema_version: String,
    /// Tailor version that produced the document.
    pub tailor_version: String,
    /// Knowledge provenance.
    pub knowledge: KnowledgeProvenance,
    /// Input files as given (paths only; no content).
    pub inputs: Vec<String>,
    /// Per gene, definition positions absent from every input (same for all samples).
    pub absent_positions: Vec<AbsentPositions>,
    /// Warnings about the run as a whole (inputs, indexes).
    pub warnings: Vec<String>,
    /// Guideline entries none of whose genes was called for any sample of the run
    /// (e.g. CYP2D6 or HLA-B without an outside call). They say the same for every
    /// sample ("no result"), so they are listed once here instead of in each sample.
    pub recommendations_not_assessed: Vec<DrugRecommendation>,
    /// One result per sample, in input order.
    pub samples: Vec<PgxSampleResult>,
}

/// The JSON Schema of `pgx.json` ([`PgxDocument`]), as published in
/// `docs/schema/pgx.schema.json`.
pub fn pgx_json_schema() -> String {
    let schema = schemars::schema_for!(PgxDocument);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    /// The published schema file must be what the types say; regenerate it with
    /// `TAILOR_UPDATE_SCHEMA=1 cargo test -p tailor-core`.
    #[test]
    fn published_schema_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/schema/pgx.schema.json");
        let current = super::pgx_json_schema();
        if std::env::var_os("TAILOR_UPDATE_SCHEMA").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &current).unwrap();
        }
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            published == current,
            "docs/schema/pgx.schema.json is out of date; run TAILOR_UPDATE_SCHEMA=1 cargo test -p tailor-core"
        );
        assert!(current.contains("\"schema_version\""));
    }
}
