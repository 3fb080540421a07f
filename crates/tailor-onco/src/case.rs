//! The engine's input: one tumour's findings, already read and annotated.
//!
//! Readers (VCF/BCF, MAF, CNA, segments, fusions, biomarkers) turn files into these
//! values in [`crate::load`]; the web app can build them from uploaded data the same
//! way. The engine itself does no I/O.

use tailor_core::onco::{AnnotationSource, SomaticInput, UnannotatedVariant};
use tailor_core::somatic::{Assembly, Biomarkers, SampleType, VariantClass};

/// An SNV or small indel with whatever annotation could be made for it.
#[derive(Debug, Clone, PartialEq)]
pub struct SmallVariant {
    /// HGNC symbol, when the variant is in a gene.
    pub gene: Option<String>,
    /// Chromosome (normalised).
    pub chrom: String,
    /// 1-based position.
    pub pos: u64,
    /// REF.
    pub ref_allele: String,
    /// ALT.
    pub alt_allele: String,
    /// One-letter protein change (`V600E`), when annotated.
    pub protein: Option<String>,
    /// Effect class.
    pub class: VariantClass,
    /// Exon number in the gene's MANE transcript (or the annotating transcript).
    pub exon: Option<u32>,
    /// Number of exons of that transcript, when known (a truncation in the last exon
    /// may escape nonsense-mediated decay).
    pub exon_count: Option<u32>,
    /// The exon whose canonical splice site the variant touches.
    pub splice_site_of_exon: Option<u32>,
    /// First affected codon.
    pub codon: Option<u32>,
    /// True when `codon` comes from the genomic position alone (the amino-acid change
    /// itself is not known).
    pub codon_from_position: bool,
    /// Transcript of the annotation.
    pub transcript: Option<String>,
    /// HGVS c. change.
    pub hgvsc: Option<String>,
    /// Tumour VAF.
    pub vaf: Option<f64>,
    /// Tumour depth.
    pub depth: Option<u32>,
    /// Where the annotation came from.
    pub annotation: AnnotationSource,
    /// `file:line` of the input record.
    pub record: String,
}

impl SmallVariant {
    /// A variant at `chrom:pos` with no annotation yet: what a reader knows before the
    /// annotation steps fill in gene, class, protein change, exon and codon.
    pub fn unannotated(
        chrom: String,
        pos: u64,
        ref_allele: String,
        alt_allele: String,
        record: String,
    ) -> Self {
        SmallVariant {
            gene: None,
            chrom,
            pos,
            ref_allele,
            alt_allele,
            protein: None,
            class: VariantClass::Unknown,
            exon: None,
            exon_count: None,
            splice_site_of_exon: None,
            codon: None,
            codon_from_position: false,
            transcript: None,
            hgvsc: None,
            vaf: None,
            depth: None,
            annotation: AnnotationSource::None,
            record,
        }
    }
}

/// Gene-level copy-number state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CopyNumberState {
    /// High-level amplification.
    Amplification,
    /// Low-level gain (not reported as actionable).
    Gain,
    /// Heterozygous loss (not reported as actionable).
    Loss,
    /// Homozygous deletion.
    HomozygousDeletion,
}

/// A gene-level copy-number call.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyNumberCall {
    /// Gene.
    pub gene: String,
    /// State.
    pub state: CopyNumberState,
    /// Total copies, when known.
    pub copies: Option<f64>,
    /// `file:line` (or several, for segment-derived calls).
    pub record: String,
}

/// A gene fusion.
#[derive(Debug, Clone, PartialEq)]
pub struct FusionCall {
    /// 5' partner.
    pub gene5: String,
    /// 3' partner.
    pub gene3: String,
    /// Supporting reads, when reported.
    pub reads: Option<u32>,
    /// Caller's reading-frame call (`in-frame`, `out-of-frame`), when reported.
    pub reading_frame: Option<String>,
    /// `file:line`.
    pub record: String,
}

/// Everything the engine needs for one tumour.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SomaticCase {
    /// Patient pseudonym.
    pub patient: String,
    /// OncoTree code as given (validated by the engine).
    pub tumor_type: Option<String>,
    /// Tissue or ctDNA.
    pub sample_type: SampleType,
    /// Tumour purity (0-1).
    pub purity: Option<f64>,
    /// Assembly of the coordinates.
    pub assembly: Assembly,
    /// Small variants that passed the input filters.
    pub variants: Vec<SmallVariant>,
    /// Gene-level copy-number calls.
    pub copy_numbers: Vec<CopyNumberCall>,
    /// Fusions.
    pub fusions: Vec<FusionCall>,
    /// Reported biomarkers.
    pub biomarkers: Biomarkers,
    /// TMB computed from the VCF by the loader, when a panel size was given.
    pub computed_tmb: Option<tailor_core::onco::TmbResult>,
    /// Inputs read.
    pub inputs: Vec<SomaticInput>,
    /// Variants that could not be annotated.
    pub unannotated: Vec<UnannotatedVariant>,
    /// Warnings from reading.
    pub warnings: Vec<String>,
    /// Variants read but not reported (synonymous, non-coding, outside genes).
    pub not_reported: u64,
    /// The small variants were called against a matched normal sample (a tumour-normal
    /// VCF, or a MAF naming the normal), so they are somatic calls; otherwise they come
    /// from the tumour alone and some may be inherited.
    pub matched_normal: bool,
}
