//! The code systems, profile URLs and fixed codes the Genomics Reporting IG 3.0.0 asks
//! for, in one place.
//!
//! Everything here is a fact taken from the IG package (profiles, value sets and the
//! IG's own examples), so the structural tests can hold the renderer to it: every
//! `(system, code, display)` that a profile fixes is compared with the IG's code list,
//! and every LOINC code's check digit is verified.

use serde_json::{json, Value};

/// Canonical base of the IG's StructureDefinitions.
pub(crate) const SD_BASE: &str = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/";
/// LOINC.
pub(crate) const LOINC: &str = "http://loinc.org";
/// The IG's own "to be determined" code system for concepts LOINC lacks.
pub(crate) const TBD: &str = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs";
/// HGVS expressions (the IG's `hgvs-vs` includes this whole system).
pub(crate) const HGVS: &str = "http://varnomen.hgvs.org";
/// Sequence Ontology.
pub(crate) const SO: &str = "http://www.sequenceontology.org";
/// NCBI RefSeq accessions.
pub(crate) const REFSEQ: &str = "http://www.ncbi.nlm.nih.gov/refseq";
/// Ensembl accessions.
pub(crate) const ENSEMBL: &str = "http://www.ensembl.org";
/// UCUM.
pub(crate) const UCUM: &str = "http://unitsofmeasure.org";
/// HL7 v2 table 0074 (diagnostic service section), where `GE` is genetics.
pub(crate) const V2_0074: &str = "http://terminology.hl7.org/CodeSystem/v2-0074";
/// FHIR observation categories.
pub(crate) const OBS_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
/// The IG's molecular biomarker category ontology.
pub(crate) const BIOMARKER_ONTOLOGY: &str =
    "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/molecular-biomarker-ontology-cs";
/// The IG's coded-annotation types (test disclaimer, methodology, ...).
pub(crate) const ANNOTATION_TYPES: &str =
    "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/coded-annotation-types-cs";
/// HL7 v3 observation values, where `PSEUDED` marks pseudonymised data.
pub(crate) const V3_OBSERVATION_VALUE: &str =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

/// A profile of the IG, by its StructureDefinition id.
pub(crate) fn profile(id: &str) -> String {
    format!("{SD_BASE}{id}")
}

/// A Coding.
pub(crate) fn coding(system: &str, code: &str, display: &str) -> Value {
    if display.is_empty() {
        json!({ "system": system, "code": code })
    } else {
        json!({ "system": system, "code": code, "display": display })
    }
}

/// A CodeableConcept with one Coding.
pub(crate) fn concept(system: &str, code: &str, display: &str) -> Value {
    json!({ "coding": [coding(system, code, display)] })
}

/// A CodeableConcept that is text only: used where the fact is known but no code for
/// it is (e.g. a gene without its HGNC id, a regimen without RxNorm codes).
pub(crate) fn text_concept(text: &str) -> Value {
    json!({ "text": text })
}

/// A component code fixed by a profile slice: `(system, code, display)`.
pub(crate) type FixedCode = (&'static str, &'static str, &'static str);

/// `Observation.component` slice codes used here (profile slice name in the comment).
pub(crate) mod component {
    use super::{FixedCode, LOINC, TBD};
    /// finding: gene-studied.
    pub(crate) const GENE_STUDIED: FixedCode = (LOINC, "48018-6", "Gene studied [ID]");
    /// finding: reference-sequence-assembly.
    pub(crate) const ASSEMBLY: FixedCode = (
        LOINC,
        "62374-4",
        "Human reference sequence assembly version",
    );
    /// finding: chromosome-identifier (the IG code list has no display for it).
    pub(crate) const CHROMOSOME: FixedCode = (LOINC, "48000-4", "");
    /// genomic-base: conclusion-string.
    pub(crate) const CONCLUSION: FixedCode = (TBD, "conclusion-string", "");
    /// variant: representative-coding-hgvs.
    pub(crate) const CODING_HGVS: FixedCode = (LOINC, "48004-6", "DNA change (c.HGVS)");
    /// variant: genomic-hgvs.
    pub(crate) const GENOMIC_HGVS: FixedCode = (LOINC, "81290-9", "Genomic DNA change (gHGVS)");
    /// variant: genomic-ref-seq.
    pub(crate) const GENOMIC_REF_SEQ: FixedCode =
        (LOINC, "48013-7", "Genomic reference sequence ID");
    /// variant: representative-transcript-ref-seq.
    pub(crate) const TRANSCRIPT_REF_SEQ: FixedCode =
        (LOINC, "51958-7", "Transcript reference sequence [ID]");
    /// variant: representative-protein-hgvs.
    pub(crate) const PROTEIN_HGVS: FixedCode = (LOINC, "48005-3", "Amino acid change (pHGVS)");
    /// variant: exact-start-end.
    pub(crate) const EXACT_START_END: FixedCode = (LOINC, "81254-5", "Genomic allele start-end");
    /// variant: coordinate-system.
    pub(crate) const COORDINATE_SYSTEM: FixedCode = (LOINC, "92822-6", "Genomic coord system");
    /// variant: ref-allele.
    pub(crate) const REF_ALLELE: FixedCode = (LOINC, "69547-8", "Ref nucleotide");
    /// variant: alt-allele.
    pub(crate) const ALT_ALLELE: FixedCode = (LOINC, "69551-0", "Alt allele");
    /// variant: coding-change-type.
    pub(crate) const CHANGE_TYPE: FixedCode = (LOINC, "48019-4", "DNA change type");
    /// variant: genomic-source-class.
    pub(crate) const SOURCE_CLASS: FixedCode = (LOINC, "48002-0", "Genomic source class");
    /// variant: sample-allelic-frequency.
    pub(crate) const VAF: FixedCode = (LOINC, "81258-6", "Sample VAF");
    /// variant: variation-code.
    pub(crate) const VARIATION_CODE: FixedCode = (LOINC, "81252-9", "Discrete genetic variant");
    /// variant: copy-number.
    pub(crate) const COPY_NUMBER: FixedCode =
        (LOINC, "82155-3", "Genomic Structural Variant copy Number");
    /// molecular-consequence: feature-consequence.
    pub(crate) const FEATURE_CONSEQUENCE: FixedCode = (TBD, "feature-consequence", "");
    /// molecular-consequence: coding-hgvs.
    pub(crate) const MC_CODING_HGVS: FixedCode = CODING_HGVS;
    /// molecular-consequence: transcript-ref-seq.
    pub(crate) const MC_TRANSCRIPT_REF_SEQ: FixedCode = TRANSCRIPT_REF_SEQ;
    /// molecular-consequence: protein-hgvs.
    pub(crate) const MC_PROTEIN_HGVS: FixedCode = PROTEIN_HGVS;
    /// implication: evidence-level.
    pub(crate) const EVIDENCE_LEVEL: FixedCode = (LOINC, "93044-6", "Level of Evidence");
    /// therapeutic-implication: therapeutic-implication.
    pub(crate) const THERAPEUTIC_IMPLICATION: FixedCode = (TBD, "therapeutic-implication", "");
    /// therapeutic-implication: phenotypic-treatment-context.
    pub(crate) const TREATMENT_CONTEXT: FixedCode = (LOINC, "81259-4", "Associated phenotype");
    /// therapeutic-implication: medication-assessed.
    pub(crate) const MEDICATION_ASSESSED: FixedCode = (LOINC, "51963-7", "Medication assessed");
    /// molecular-biomarker: biomarker-category.
    pub(crate) const BIOMARKER_CATEGORY: FixedCode = (TBD, "biomarker-category", "");
}

/// `Observation.code` / `DiagnosticReport.code` values the profiles fix.
pub(crate) mod code {
    use super::{FixedCode, LOINC, TBD};
    /// genomic-report.
    pub(crate) const GENOMIC_REPORT: FixedCode = (LOINC, "51969-4", "Genetic analysis report");
    /// variant.
    pub(crate) const VARIANT: FixedCode = (LOINC, "69548-6", "Genetic variant assessment");
    /// genotype.
    pub(crate) const GENOTYPE: FixedCode = (LOINC, "84413-4", "Genotype display name");
    /// haplotype.
    pub(crate) const HAPLOTYPE: FixedCode = (LOINC, "84414-2", "Haplotype Name");
    /// therapeutic-implication.
    pub(crate) const THERAPEUTIC_IMPLICATION: FixedCode = (TBD, "therapeutic-implication", "");
    /// molecular-consequence.
    pub(crate) const MOLECULAR_CONSEQUENCE: FixedCode = (TBD, "molecular-consequence", "");
    /// Tumour mutational burden (LOINC; as in the IG's TMB examples).
    pub(crate) const TMB: FixedCode = (LOINC, "94076-7", "Mutations/Megabase [# Ratio] in Tumor");
}

/// LOINC answer codes (LA...) used as values.
pub(crate) mod answer {
    use super::{FixedCode, LOINC};
    /// Variant present (LL1971-2).
    pub(crate) const PRESENT: FixedCode = (LOINC, "LA9633-4", "Present");
    /// Somatic genomic source (LL378-1).
    pub(crate) const SOMATIC: FixedCode = (LOINC, "LA6684-0", "Somatic");
    /// GRCh37 (LL1040-6).
    pub(crate) const GRCH37: FixedCode = (LOINC, "LA14029-5", "GRCh37");
    /// GRCh38 (LL1040-6).
    pub(crate) const GRCH38: FixedCode = (LOINC, "LA26806-2", "GRCh38");
    /// 1-based character counting (LL5323-2): VCF positions.
    pub(crate) const ONE_BASED: FixedCode = (LOINC, "LA30102-0", "1-based character counting");
    /// Responsive (genetic-therapeutic-implications-vs).
    pub(crate) const RESPONSIVE: FixedCode = (LOINC, "LA6677-4", "Responsive");
    /// Resistant (genetic-therapeutic-implications-vs).
    pub(crate) const RESISTANT: FixedCode = (LOINC, "LA6676-6", "Resistant");
}

/// LOINC answer code for a chromosome (answer list LL2938-0, which the `finding`
/// profile binds `chromosome-identifier` to with strength required).
///
/// `None` for names outside 1-22, X, Y (e.g. `MT`, contigs): the component is left out
/// rather than given a code the required binding would reject.
pub(crate) fn chromosome_answer(chrom: &str) -> Option<(&'static str, String)> {
    const CODES: [&str; 24] = [
        "LA21254-0",
        "LA21255-7",
        "LA21256-5",
        "LA21257-3",
        "LA21258-1",
        "LA21259-9",
        "LA21260-7",
        "LA21261-5",
        "LA21262-3",
        "LA21263-1",
        "LA21264-9",
        "LA21265-6",
        "LA21266-4",
        "LA21267-2",
        "LA21268-0",
        "LA21269-8",
        "LA21270-6",
        "LA21271-4",
        "LA21272-2",
        "LA21273-0",
        "LA21274-8",
        "LA21275-5",
        "LA21276-3",
        "LA21277-1",
    ];
    let name = normalise_chrom(chrom);
    let index = match name {
        "X" => 22,
        "Y" => 23,
        n => match n.parse::<usize>() {
            Ok(k) if (1..=22).contains(&k) => k - 1,
            _ => return None,
        },
    };
    Some((CODES[index], format!("Chromosome {name}")))
}

/// RefSeq accession of a GRCh38 primary chromosome (`NC_000007.14` for `7`).
///
/// GRCh37 is not covered: Tailor refuses GRCh37 input unless asked, and a wrong
/// accession version would silently move the coordinates to another assembly.
pub(crate) fn grch38_refseq(chrom: &str) -> Option<&'static str> {
    Some(match normalise_chrom(chrom) {
        "1" => "NC_000001.11",
        "2" => "NC_000002.12",
        "3" => "NC_000003.12",
        "4" => "NC_000004.12",
        "5" => "NC_000005.10",
        "6" => "NC_000006.12",
        "7" => "NC_000007.14",
        "8" => "NC_000008.11",
        "9" => "NC_000009.12",
        "10" => "NC_000010.11",
        "11" => "NC_000011.10",
        "12" => "NC_000012.12",
        "13" => "NC_000013.11",
        "14" => "NC_000014.9",
        "15" => "NC_000015.10",
        "16" => "NC_000016.10",
        "17" => "NC_000017.11",
        "18" => "NC_000018.10",
        "19" => "NC_000019.10",
        "20" => "NC_000020.11",
        "21" => "NC_000021.9",
        "22" => "NC_000022.11",
        "X" => "NC_000023.11",
        "Y" => "NC_000024.10",
        "MT" | "M" => "NC_012920.1",
        _ => return None,
    })
}

/// `chr7` -> `7`, `chrM` -> `M`; other names unchanged.
fn normalise_chrom(chrom: &str) -> &str {
    chrom.strip_prefix("chr").unwrap_or(chrom)
}

/// LOINC answer for a pharmacogenomic phenotype in the IG's
/// `genetic-therapeutic-implications-vs`, matched on the whole phenotype (case
/// insensitive). "Likely ..." and allele-status phenotypes have no code: they stay text.
pub(crate) fn pgx_phenotype_answer(phenotype: &str) -> Option<FixedCode> {
    let p = phenotype.trim().to_ascii_lowercase();
    Some(match p.as_str() {
        "ultrarapid metabolizer" => (LOINC, "LA10315-2", "Ultrarapid metabolizer"),
        "rapid metabolizer" => (LOINC, "LA25390-8", "Rapid metabolizer"),
        "normal metabolizer" => (LOINC, "LA25391-6", "Normal metabolizer"),
        "intermediate metabolizer" => (LOINC, "LA10317-8", "Intermediate metabolizer"),
        "poor metabolizer" => (LOINC, "LA9657-3", "Poor metabolizer"),
        "increased function" => (LOINC, "LA25392-4", "Increased function"),
        "normal function" => (LOINC, "LA25393-2", "Normal function"),
        "decreased function" => (LOINC, "LA25395-7", "Decreased function"),
        "poor function" => (LOINC, "LA25394-0", "Poor function"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromosomes_map_to_loinc_answers() {
        assert_eq!(chromosome_answer("chr7").map(|c| c.0), Some("LA21260-7"));
        assert_eq!(chromosome_answer("X").map(|c| c.0), Some("LA21276-3"));
        assert_eq!(chromosome_answer("MT"), None);
        assert_eq!(chromosome_answer("23"), None);
        assert_eq!(chromosome_answer("0"), None);
    }

    #[test]
    fn refseq_accessions_cover_primary_chromosomes() {
        assert_eq!(grch38_refseq("chr7"), Some("NC_000007.14"));
        assert_eq!(grch38_refseq("GL000220.1"), None);
    }

    #[test]
    fn only_exact_phenotypes_are_coded() {
        assert_eq!(
            pgx_phenotype_answer("Poor Metabolizer").map(|c| c.1),
            Some("LA9657-3")
        );
        assert_eq!(pgx_phenotype_answer("Likely Poor Metabolizer"), None);
        assert_eq!(pgx_phenotype_answer("*57:01 positive"), None);
    }
}
