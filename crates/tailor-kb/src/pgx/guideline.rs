//! CPIC and DPWG guideline annotations with their recommendation rows.
//!
//! Mirrors PharmCAT's guideline package files (as annotated by ClinPGx/PharmGKB): a
//! guideline names its drugs and genes; each recommendation row names the drugs it
//! applies to and the lookup key per gene that selects it.

use super::phenotype::{DiplotypeKey, GuidelineSource};
use serde::{Deserialize, Serialize};

/// One guideline annotation and its recommendations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuidelinePackage {
    /// ClinPGx/PharmGKB accession (`PA166105006`).
    pub id: String,
    /// Title (`Annotation of CPIC Guideline for amitriptyline and CYP2C19, CYP2D6`).
    pub name: String,
    /// CPIC or DPWG.
    pub source: GuidelineSource,
    /// Revision number of the annotation.
    pub revision: u32,
    /// Data release the file belongs to (`2024-03-25-16-13`).
    pub data_version: String,
    /// Web page of the annotation.
    pub url: String,
    /// Drugs the guideline covers.
    pub chemicals: Vec<Accession>,
    /// HGNC symbols of the genes the guideline depends on, in source order.
    pub genes: Vec<String>,
    /// Whether the source flags the guideline as giving recommendations.
    pub has_recommendations: bool,
    /// Recommendation rows.
    pub recommendations: Vec<Recommendation>,
    /// Publications behind the guideline.
    pub citations: Vec<Citation>,
    /// Source file name (for messages and provenance).
    pub file_name: String,
}

/// An accessioned entity (drug) as guidelines reference it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accession {
    /// Accession (`PA448385`).
    pub id: String,
    /// Name (`amitriptyline`).
    pub name: String,
}

/// One recommendation row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Accession of the row.
    pub id: String,
    /// Population it applies to (`general`, `adults`, `CBZ naive`), when stated.
    pub population: Option<String>,
    /// Strength/classification term (`Strong`, `Optional`, `No recommendation`).
    pub classification: Option<String>,
    /// Drugs the row applies to (a subset of the guideline's).
    pub chemicals: Vec<Accession>,
    /// Recommendation text as HTML, as published.
    pub text_html: String,
    /// Implications, one per gene (`CYP2D6: Reduced metabolism ...`).
    pub implications: Vec<String>,
    /// Lookup key per gene, in gene-name order.
    pub lookup: Vec<(String, LookupValue)>,
    /// Whether the row gives dosing information.
    pub dosing_information: bool,
    /// Whether the row points to an alternative drug.
    pub alternate_drug_available: bool,
    /// Whether the row carries other prescribing guidance.
    pub other_prescribing_guidance: bool,
}

impl Recommendation {
    /// Whether the row applies to the named drug (case-insensitive, as PharmCAT does).
    pub fn applies_to(&self, drug: &str) -> bool {
        self.chemicals
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(drug))
    }
}

/// What a recommendation row expects for one gene.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LookupValue {
    /// A phenotype, activity score or allele-status key (`Poor Metabolizer`, `1.5`,
    /// `*57:01 positive`, `No Result`).
    Key(String),
    /// A specific diplotype (DPWG rows such as CYP2C9 `*1/*3`).
    Diplotype(DiplotypeKey),
}

/// A publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// PubMed identifier.
    pub pmid: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Journal.
    pub journal: Option<String>,
    /// Publication year.
    pub year: Option<u32>,
}
