//! From gene calls to the reported sample result: functions, phenotypes, activity
//! scores and drug recommendations, using [`crate::phenotype`] and
//! [`crate::recommendation`].

use crate::model::GeneModel;
use crate::phenotype::{annotate, DiplotypeInput};
use tailor_core::pgx::{CallSource, DiplotypeCall, GeneCall, PgxSampleResult};
use tailor_kb::pgx::{GuidelineSource, PgxKnowledge};

/// Genes that guidelines need but that are never called from a VCF. Without an outside
/// call they are reported as not called, so that their drugs say so plainly.
const OUTSIDE_ONLY_GENES: &[&str] = &["HLA-A", "HLA-B", "MT-RNR1"];

/// The diplotype of a lowest-function gene (DPYD, RYR1) from the unphased list of
/// variant alleles found (`(allele index, copies)`): the two lowest-function alleles,
/// with the reference filling a strand when fewer than two were found.
pub fn lowest_function_diplotype(
    kb: &PgxKnowledge,
    model: &GeneModel,
    list: &[(usize, u8)],
) -> Option<DiplotypeCall> {
    let reference = model.reference_index()?;
    let mut alleles = Vec::new();
    for (h, n) in list.iter().filter(|(h, _)| *h != reference) {
        for _ in 0..*n {
            alleles.push(model.alleles[*h].name.clone());
        }
    }
    let input = DiplotypeInput::UnphasedAlleles(alleles);
    Some(annotate(kb, &model.gene, &input, GuidelineSource::Cpic).to_call(0))
}

/// What the phenotype tables are asked about for one reported diplotype.
fn input_for(call: &GeneCall, d: &DiplotypeCall) -> DiplotypeInput {
    match call.source {
        CallSource::OutsideCall => DiplotypeInput::Outside {
            alleles: std::iter::once(d.allele1.name.clone())
                .chain(d.allele2.as_ref().map(|h| h.name.clone()))
                .filter(|a| !a.is_empty())
                .collect(),
            phenotype: d.phenotype.clone(),
            activity_score: d.activity_score.clone(),
        },
        CallSource::Vcf => DiplotypeInput::Called {
            allele1: d.allele1.name.clone(),
            allele2: d.allele2.as_ref().map(|h| h.name.clone()),
        },
    }
}

/// Work already done for earlier samples of a run: phenotype annotations per (gene,
/// diplotype) and guideline results per genotype. Cohorts repeat the same diplotypes
/// thousands of times; each is annotated once.
#[derive(Debug, Default)]
pub struct AnnotationCache {
    diplotypes: std::collections::HashMap<(String, DiplotypeInput, u32), DiplotypeCall>,
    recommendations: crate::recommendation::RecommendationCache,
}

/// Completes a sample's gene calls with functions, phenotypes and activity scores (CPIC
/// tables) and adds the CPIC and DPWG drug recommendations.
pub fn annotate_sample(kb: &PgxKnowledge, sample: &str, genes: Vec<GeneCall>) -> PgxSampleResult {
    annotate_sample_cached(kb, sample, genes, &mut AnnotationCache::default())
}

/// [`annotate_sample`] reusing the work of earlier samples of the same run.
pub fn annotate_sample_cached(
    kb: &PgxKnowledge,
    sample: &str,
    mut genes: Vec<GeneCall>,
    cache: &mut AnnotationCache,
) -> PgxSampleResult {
    for gene in OUTSIDE_ONLY_GENES {
        if !genes.iter().any(|g| g.gene == *gene) {
            genes.push(not_called(
                gene,
                "not called from VCF; it needs an outside call (e.g. from HLA typing or MT-RNR1 genotyping)",
            ));
        }
    }
    genes.sort_by(|a, b| a.gene.cmp(&b.gene));
    for g in &mut genes {
        let source = g.source;
        let call_view = g.clone();
        for d in &mut g.diplotypes {
            let input = input_for(&call_view, d);
            let a = cache
                .diplotypes
                .entry((g.gene.clone(), input, d.score))
                .or_insert_with_key(|(gene, input, score)| {
                    annotate(kb, gene, input, GuidelineSource::Cpic).to_call(*score)
                })
                .clone();
            d.allele1.function = a.allele1.function;
            d.allele1.activity_value = a.allele1.activity_value;
            if let (Some(mine), Some(theirs)) = (d.allele2.as_mut(), a.allele2) {
                mine.function = theirs.function;
                mine.activity_value = theirs.activity_value;
            }
            d.phenotype = a.phenotype;
            d.activity_score = a.activity_score;
            d.lookup_key = a.lookup_key;
            if source == CallSource::OutsideCall && d.label.is_empty() {
                d.label = a.label;
            }
        }
        let mut phenotypes: Vec<String> = Vec::new();
        for p in g.diplotypes.iter().filter_map(|d| d.phenotype.clone()) {
            if !phenotypes.contains(&p) {
                phenotypes.push(p);
            }
        }
        if !phenotypes.is_empty() {
            g.phenotypes = phenotypes;
        }
    }
    let recommendations =
        crate::recommendation::recommend_cached(kb, &genes, &mut cache.recommendations);
    PgxSampleResult {
        sample: sample.to_string(),
        sex: None,
        genes,
        recommendations,
        warnings: Vec::new(),
    }
}

/// A gene that was not called, with the reason.
pub fn not_called(gene: &str, why: &str) -> GeneCall {
    GeneCall {
        warnings: vec![why.to_string()],
        ..GeneCall::new(gene, CallSource::Vcf)
    }
}
