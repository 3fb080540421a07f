//! The whole interpretation of one case: the single value every report format is
//! rendered from (clinician HTML/PDF, patient summary, FHIR bundle, `interpretation.json`).
//!
//! Renderers never re-run an engine or re-read an input: anything a report shows must be
//! in here. That is what makes the formats agree with each other, and what lets the web
//! app store one value per report version.

use crate::onco::{SomaticDocument, TumorType};
use crate::pgx::{AbsentPositions, KnowledgeProvenance, PgxSampleResult};
use crate::somatic::SampleType;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the interpretation JSON schema (`interpretation.json`). Minor bump for
/// additive changes, major bump for anything that breaks a reader.
pub const INTERPRETATION_SCHEMA_VERSION: &str = "1.1.0";

/// The specimen tested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpecimenInfo {
    /// Specimen identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Specimen type (FFPE, plasma, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specimen_type: Option<String>,
    /// Anatomical site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Collection date (YYYY-MM-DD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected: Option<String>,
    /// Date received (YYYY-MM-DD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received: Option<String>,
}

/// The test performed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TestDetails {
    /// Test name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Performing laboratory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lab: Option<String>,
    /// Method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

/// The ordering clinician.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClinicianInfo {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// Who and what the report is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaseDetails {
    /// Patient pseudonym (never a real identifier).
    pub patient: String,
    /// Tumour type, when the case has a somatic part and gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tumor_type: Option<TumorType>,
    /// Tissue or ctDNA.
    pub sample_type: SampleType,
    /// Tumour purity (0-1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purity: Option<f64>,
    /// Specimen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specimen: Option<SpecimenInfo>,
    /// Test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<TestDetails>,
    /// Ordering clinician.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clinician: Option<ClinicianInfo>,
    /// Current medications (generic names, lower case) as given in the case.
    pub medications: Vec<String>,
}

/// The pharmacogenomic part of a case (one germline sample).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PgxPart {
    /// Germline input files.
    pub inputs: Vec<String>,
    /// The sample's gene calls and drug recommendations.
    pub result: PgxSampleResult,
    /// Definition positions absent from the input.
    pub absent_positions: Vec<AbsentPositions>,
    /// Run-level warnings.
    pub warnings: Vec<String>,
}

/// A current medication with a pharmacogenomic recommendation for this patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MedicationAlert {
    /// The medication as given in the case.
    pub medication: String,
    /// Genes the recommendation depends on.
    pub genes: Vec<String>,
    /// Phenotypes behind it (`CYP2C19 Poor Metabolizer`).
    pub phenotypes: Vec<String>,
    /// Recommendation text.
    pub recommendation: String,
    /// Strength/classification (`Strong`, `Moderate`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Guideline source (`CPIC`, `DPWG`).
    pub source: String,
    /// True when the recommendation changes prescribing (not "use as usual").
    pub actionable: bool,
}

/// Something the test could not tell, said plainly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Limitation {
    /// `somatic`, `pgx` or `case`.
    pub area: String,
    /// What could not be assessed.
    pub what: String,
    /// Why, and what it means.
    pub why: String,
}

/// Clinical-trial matching (not yet available: the section says so plainly).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TrialsSection {
    /// True once trial matching exists; false means no search was done.
    pub searched: bool,
    /// What the reader should know.
    pub note: String,
}

/// One line of the summary box, most important first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SummaryItem {
    /// `somatic`, `pgx` or `medication`.
    pub area: String,
    /// The finding (`BRAF V600E`, `CYP2C19 *2/*2 Poor Metabolizer`).
    pub finding: String,
    /// What it means for treatment.
    pub meaning: String,
    /// AMP tier label for somatic findings (`I-A`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
}

/// `interpretation.json`: the whole interpretation of one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Interpretation {
    /// [`INTERPRETATION_SCHEMA_VERSION`].
    pub schema_version: String,
    /// Tailor version that produced it.
    pub tailor_version: String,
    /// Report identifier: a digest of the case inputs, knowledge version and Tailor
    /// version (same inputs and knowledge give the same id).
    pub report_id: String,
    /// When the report was generated (RFC 3339, UTC).
    pub generated_at: String,
    /// Case, specimen, test, clinician.
    pub case: CaseDetails,
    /// Knowledge base version and sources.
    pub knowledge: KnowledgeProvenance,
    /// One-line conclusion ("No actionable finding ..." when there is none).
    pub conclusion: String,
    /// Summary box, most important first.
    pub summary: Vec<SummaryItem>,
    /// Somatic interpretation, when the case has somatic inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub somatic: Option<SomaticDocument>,
    /// Pharmacogenomics, when the case has germline inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pgx: Option<PgxPart>,
    /// Current medications with a PGx recommendation, actionable first.
    pub medication_alerts: Vec<MedicationAlert>,
    /// What was not tested or could not be called.
    pub limitations: Vec<Limitation>,
    /// Clinical trials.
    pub trials: TrialsSection,
    /// Methods, in words.
    pub methods: Vec<String>,
    /// Source attributions that licences require (CC BY-SA, ODbL, CC BY).
    pub attributions: Vec<String>,
}

impl Interpretation {
    /// Removes every secondary germline finding (tumour findings that may be inherited)
    /// and says so among the limitations, for a patient who did not consent to such
    /// findings. The tumour findings themselves, their tiers and therapies stay: only
    /// what they may mean for the patient's germline (and relatives) is withheld.
    ///
    /// The limitation is added to every case with a tumour part whether or not a finding
    /// was removed, so that its presence tells nothing about the patient's germline.
    pub fn withhold_secondary_germline(&mut self) {
        // A case without a tumour part has no tumour finding to withhold anything from.
        let Some(somatic) = &mut self.somatic else {
            return;
        };
        for f in somatic.findings.iter_mut().chain(&mut somatic.uncertain) {
            f.possible_germline = None;
        }
        const WHAT: &str = "Possible germline origin of tumour findings";
        if !self.limitations.iter().any(|l| l.what == WHAT) {
            self.limitations.push(Limitation {
                area: "case".into(),
                what: WHAT.into(),
                why: "Not shown: the patient has not consented to secondary germline findings. \
                      Whether a tumour variant may be inherited is withheld; the tumour findings \
                      and their therapies are shown as usual."
                    .into(),
            });
        }
    }
}

/// JSON Schema of [`Interpretation`], pretty-printed.
pub fn interpretation_json_schema() -> String {
    let schema = schemars::schema_for!(Interpretation);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    fn check(file: &str, current: String) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/schema")
            .join(file);
        if std::env::var_os("TAILOR_UPDATE_SCHEMA").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &current).unwrap();
        }
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            published == current,
            "docs/schema/{file} is out of date; run TAILOR_UPDATE_SCHEMA=1 cargo test -p tailor-core"
        );
        assert!(current.contains("\"schema_version\""));
    }

    /// The published schema files must be what the types say.
    #[test]
    fn published_schemas_are_current() {
        check(
            "interpretation.schema.json",
            super::interpretation_json_schema(),
        );
        check("somatic.schema.json", crate::onco::somatic_json_schema());
    }
}
