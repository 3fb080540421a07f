//! The pharmacogenomics pipeline for a run: inputs to one result per sample.
//!
//! Reads every input once ([`crate::collect`]), matches every gene of every sample
//! ([`crate::matcher`]), turns matches into reportable gene calls with their positions
//! and warnings, replaces genes called outside Tailor, then adds phenotypes and drug
//! recommendations. Samples are independent, so they are spread over the cores.

use crate::collect::{
    collect_inputs_with, CollectError, CollectOptions, CollectedGenotypes, LocusMap, LocusNote,
};
use crate::genotype::{AlleleTable, LocusGenotype};
use crate::matcher::{
    diplotype_label, match_gene, CompiledGene, GeneMatch, MatchOptions, NoCallReason,
};
use crate::model::{GeneModel, ModelError};
use crate::outside_call::OutsideCall;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tailor_core::pgx::{
    AbsentPositions, CallSource, DiplotypeCall, DrugRecommendation, GeneCall, HaplotypeCall,
    PgxSampleResult, PositionReport,
};
use tailor_genome::VariantInput;

/// The result of a run.
#[derive(Debug, Clone)]
pub struct PgxRun {
    /// One result per sample, in input order.
    pub samples: Vec<PgxSampleResult>,
    /// Per gene, definition positions no input had a record for.
    pub absent_positions: Vec<AbsentPositions>,
    /// Warnings about the run as a whole (e.g. an index that could not be used).
    pub warnings: Vec<String>,
    /// Recommendations none of whose genes was called in any sample (the same for every
    /// sample, so moved out of the samples).
    pub recommendations_not_assessed: Vec<DrugRecommendation>,
}

/// Moves recommendation entries whose genes were called in no sample of the run out of
/// the samples: they are identical for everyone, and repeating them in every sample of
/// a cohort multiplies the output for no information.
fn hoist_unassessed(samples: &mut [PgxSampleResult]) -> Vec<DrugRecommendation> {
    let called_somewhere: std::collections::BTreeSet<String> = samples
        .iter()
        .flat_map(|s| s.genes.iter())
        .filter(|g| !g.diplotypes.is_empty())
        .map(|g| g.gene.clone())
        .collect();
    let unassessed = |r: &DrugRecommendation| {
        !r.actionable && r.lookup.keys().all(|g| !called_somewhere.contains(g))
    };
    let hoisted: Vec<DrugRecommendation> = samples
        .first()
        .map(|s| {
            s.recommendations
                .iter()
                .filter(|r| unassessed(r))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    for s in samples.iter_mut() {
        s.recommendations.retain(|r| !unassessed(r));
    }
    hoisted
}

/// Options for a run.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// How inputs are read.
    pub collect: CollectOptions,
    /// Report every feasible diplotype instead of only the top-scoring ones.
    pub all_candidates: bool,
    /// Worker threads for matching (0 = all cores).
    pub threads: usize,
    /// Call CYP2D6 from the VCF (research use). Off by default, as in PharmCAT: its
    /// gene deletions, duplications and hybrid alleles are invisible in a VCF, so a
    /// VCF-only call can look normal when it is not. Use an outside call instead.
    pub call_cyp2d6: bool,
}

/// Why `gene` is not called from the VCF in this run, if it is not: CYP2D6 unless
/// research calling was asked for.
fn not_called_from_vcf(gene: &str, options: &EngineOptions) -> Option<&'static str> {
    (gene == "CYP2D6" && !options.call_cyp2d6).then_some(
        "CYP2D6 is not called from VCF: copy-number changes and hybrid alleles cannot be seen in a VCF; it needs an outside call (e.g. from a CYP2D6-specific caller)",
    )
}

/// A run could not be completed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A definition could not be compiled.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Reading inputs failed.
    #[error(transparent)]
    Collect(#[from] CollectError),
    /// Outside calls were given for a multi-sample run without choosing the sample.
    #[error("outside calls describe one person, but the input has {0} samples: choose the person's sample")]
    OutsideCallsNeedOneSample(usize),
}

/// The compiled gene models of a knowledge base.
///
/// The models are shared (`Arc`): compiling them is the costly part of building an
/// engine, so a long-lived caller (a server, a cohort run) compiles them once with
/// [`compile_models`] and makes engines from them with [`PgxEngine::with_models`] at no
/// cost per request.
#[derive(Debug, Clone)]
pub struct PgxEngine<'kb> {
    kb: &'kb tailor_kb::pgx::PgxKnowledge,
    models: Arc<[GeneModel]>,
    /// Each model compiled against its documented alleles only, made on first use: an
    /// input whose alleles are all documented (the usual case) needs nothing compiled
    /// per call, so an engine kept by a server does this work once.
    documented: std::sync::OnceLock<Arc<[CompiledGene]>>,
    /// Where the models' positions are, located on first use (as `documented`).
    positions: std::sync::OnceLock<Arc<LocusMap>>,
}

/// Compiles every gene definition of the knowledge base, in gene order.
pub fn compile_models(kb: &tailor_kb::pgx::PgxKnowledge) -> Result<Arc<[GeneModel]>, ModelError> {
    let mut models = Vec::new();
    for def in kb.definitions() {
        models.push(GeneModel::from_definition(def, kb.exemption(&def.gene))?);
    }
    models.sort_by(|a, b| a.gene.cmp(&b.gene));
    Ok(models.into())
}

impl<'kb> PgxEngine<'kb> {
    /// Compiles every gene definition of the knowledge base.
    pub fn new(kb: &'kb tailor_kb::pgx::PgxKnowledge) -> Result<Self, ModelError> {
        Ok(Self::with_models(kb, compile_models(kb)?))
    }

    /// An engine over models already compiled from the same knowledge base by
    /// [`compile_models`]; models of another knowledge base give wrong calls.
    pub fn with_models(kb: &'kb tailor_kb::pgx::PgxKnowledge, models: Arc<[GeneModel]>) -> Self {
        Self {
            kb,
            models,
            documented: std::sync::OnceLock::new(),
            positions: std::sync::OnceLock::new(),
        }
    }

    /// Each gene model compiled against its documented alleles (made once, on first
    /// use). A long-lived holder calls this when it builds the engine, so that no
    /// request pays for it.
    pub fn documented(&self) -> &[CompiledGene] {
        self.documented.get_or_init(|| {
            self.models
                .iter()
                .map(|m| CompiledGene::new(m, &m.documented_tables()))
                .collect()
        })
    }

    /// Where the models' definition positions are (located once, on first use).
    pub fn positions(&self) -> &LocusMap {
        self.positions
            .get_or_init(|| Arc::new(LocusMap::new(&self.models)))
    }

    /// The gene models, in gene order.
    pub fn models(&self) -> &[GeneModel] {
        &self.models
    }

    /// Runs the whole pipeline on input files.
    pub fn run(
        &self,
        inputs: &[PathBuf],
        outside_calls: &[OutsideCall],
        options: &EngineOptions,
        progress: impl FnMut(&Path),
    ) -> Result<PgxRun, EngineError> {
        let inputs: Vec<VariantInput> = inputs.iter().cloned().map(VariantInput::from).collect();
        self.run_inputs(&inputs, outside_calls, options, progress)
    }

    /// Runs the whole pipeline on inputs that are files or bytes held in memory.
    pub fn run_inputs(
        &self,
        inputs: &[VariantInput],
        outside_calls: &[OutsideCall],
        options: &EngineOptions,
        progress: impl FnMut(&Path),
    ) -> Result<PgxRun, EngineError> {
        let collected = self.collect_inputs(inputs, &options.collect, progress)?;
        self.run_collected(&collected, outside_calls, options)
    }

    /// Calls genotypes already read ([`PgxEngine::collect_inputs`]) with the outside
    /// calls: the second half of [`PgxEngine::run_inputs`], for a caller that reads a
    /// case first and interprets it later (a server holding parsed uploads).
    pub fn run_collected(
        &self,
        collected: &CollectedGenotypes,
        outside_calls: &[OutsideCall],
        options: &EngineOptions,
    ) -> Result<PgxRun, EngineError> {
        if !outside_calls.is_empty() && collected.samples.len() > 1 {
            return Err(EngineError::OutsideCallsNeedOneSample(
                collected.samples.len(),
            ));
        }
        let warnings = collected
            .files
            .iter()
            .filter_map(|f| {
                f.index_problem.as_ref().map(|p| {
                    format!(
                        "{}: index not used ({p}); the file was read in full",
                        tailor_core::input_file::cited(&f.path)
                    )
                })
            })
            .collect();
        let mut samples = self.call_collected(collected, outside_calls, options);
        let recommendations_not_assessed = hoist_unassessed(&mut samples);
        Ok(PgxRun {
            warnings,
            recommendations_not_assessed,
            samples,
            absent_positions: self.absent_positions(collected, options, outside_calls),
        })
    }

    /// Reads the genotypes of `inputs` at every locus of the gene models, for
    /// [`PgxEngine::run_collected`].
    pub fn collect_inputs(
        &self,
        inputs: &[VariantInput],
        options: &CollectOptions,
        progress: impl FnMut(&Path),
    ) -> Result<CollectedGenotypes, EngineError> {
        Ok(collect_inputs_with(
            &self.models,
            self.positions(),
            inputs,
            options,
            progress,
        )?)
    }

    /// Calls one person from outside calls alone, with no VCF (a CYP2D6 caller, HLA
    /// typing, a lab's genotype list, diplotypes held by an EHR). The outside calls take
    /// the same phenotype and recommendation path as calls made from a VCF; every other
    /// gene is listed as not called, with the reason, never assumed normal.
    pub fn run_outside_calls(&self, sample: &str, outside_calls: &[OutsideCall]) -> PgxRun {
        let mut genes: Vec<GeneCall> = outside_calls.iter().map(outside_gene_call).collect();
        for model in self.models.iter() {
            if !genes.iter().any(|g| g.gene == model.gene) {
                genes.push(crate::annotate::not_called(
                    &model.gene,
                    "not called: no germline VCF was given, and the outside calls do not \
                     include this gene",
                ));
            }
        }
        genes.sort_by(|a, b| a.gene.cmp(&b.gene));
        let mut samples = vec![crate::annotate::annotate_sample(self.kb, sample, genes)];
        let recommendations_not_assessed = hoist_unassessed(&mut samples);
        PgxRun {
            samples,
            absent_positions: Vec::new(),
            warnings: Vec::new(),
            recommendations_not_assessed,
        }
    }

    /// Definition positions that no input had a record for, per gene called from the
    /// VCF.
    pub fn absent_positions(
        &self,
        collected: &CollectedGenotypes,
        options: &EngineOptions,
        outside_calls: &[OutsideCall],
    ) -> Vec<AbsentPositions> {
        let mut out = Vec::new();
        for (g, model) in self.models.iter().enumerate() {
            if outside_calls.iter().any(|o| o.gene == model.gene)
                || not_called_from_vcf(&model.gene, options).is_some()
            {
                continue;
            }
            let positions: Vec<PositionReport> = model
                .loci
                .iter()
                .enumerate()
                .filter(|(l, _)| !collected.present[g][*l] && !model.ignored_loci.contains(l))
                .map(|(_, locus)| PositionReport {
                    chromosome: locus.chromosome.clone(),
                    position: locus.position,
                    rsid: locus.rsid.clone(),
                    ref_allele: locus.ref_allele.clone(),
                    genotype: None,
                    note: None,
                })
                .collect();
            if !positions.is_empty() {
                out.push(AbsentPositions {
                    gene: model.gene.clone(),
                    assumed_reference: options.collect.absent_is_reference
                        && collected.present[g].iter().any(|p| *p),
                    positions,
                });
            }
        }
        out
    }

    /// Calls every sample of already collected genotypes.
    pub fn call_collected(
        &self,
        collected: &CollectedGenotypes,
        outside_calls: &[OutsideCall],
        options: &EngineOptions,
    ) -> Vec<PgxSampleResult> {
        let documented = self.documented();
        // A gene whose tables gained no undocumented allele compiles exactly as its
        // documented form (the masks depend only on the tables' alleles); otherwise only
        // the added alleles are tested.
        let compiled: Vec<std::borrow::Cow<'_, CompiledGene>> = self
            .models
            .iter()
            .zip(&collected.tables)
            .zip(documented.iter())
            .map(|((m, t), pre)| {
                if t.iter().all(AlleleTable::only_documented) {
                    std::borrow::Cow::Borrowed(pre)
                } else {
                    std::borrow::Cow::Owned(pre.extended(m, t))
                }
            })
            .collect();
        let n = collected.samples.len();
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(1, |p| p.get()),
            t => t,
        }
        .clamp(1, n.max(1));
        let chunk = n.div_ceil(threads).max(1);
        let mut results: Vec<Option<PgxSampleResult>> = vec![None; n];
        std::thread::scope(|scope| {
            for (c, slot) in results.chunks_mut(chunk).enumerate() {
                let compiled = &compiled;
                scope.spawn(move || {
                    let mut cache = crate::annotate::AnnotationCache::default();
                    for (k, out) in slot.iter_mut().enumerate() {
                        let s = c * chunk + k;
                        *out = Some(self.call_sample(
                            collected,
                            compiled,
                            s,
                            outside_calls,
                            options,
                            &mut cache,
                        ));
                    }
                });
            }
        });
        results.into_iter().flatten().collect()
    }

    fn call_sample(
        &self,
        collected: &CollectedGenotypes,
        compiled: &[std::borrow::Cow<'_, CompiledGene>],
        s: usize,
        outside_calls: &[OutsideCall],
        options: &EngineOptions,
        cache: &mut crate::annotate::AnnotationCache,
    ) -> PgxSampleResult {
        let match_options = MatchOptions {
            top_candidates_only: !options.all_candidates,
        };
        let mut genes = Vec::new();
        for (g, model) in self.models.iter().enumerate() {
            if outside_calls.iter().any(|o| o.gene == model.gene) {
                continue;
            }
            if let Some(why) = not_called_from_vcf(&model.gene, options) {
                genes.push(crate::annotate::not_called(&model.gene, why));
                continue;
            }
            let calls = &collected.calls[g][s];
            let m = match_gene(model, &compiled[g], calls, match_options);
            genes.push(self.gene_call(model, collected, g, s, calls, &m));
        }
        for o in outside_calls {
            genes.push(outside_gene_call(o));
        }
        genes.sort_by(|a, b| a.gene.cmp(&b.gene));
        crate::annotate::annotate_sample_cached(self.kb, &collected.samples[s], genes, cache)
    }

    fn gene_call(
        &self,
        model: &GeneModel,
        collected: &CollectedGenotypes,
        g: usize,
        s: usize,
        calls: &[Option<LocusGenotype>],
        m: &GeneMatch,
    ) -> GeneCall {
        let tables = &collected.tables[g];
        let report = |l: usize, note: Option<String>| {
            let locus = &model.loci[l];
            PositionReport {
                chromosome: locus.chromosome.clone(),
                position: locus.position,
                rsid: locus.rsid.clone(),
                ref_allele: locus.ref_allele.clone(),
                genotype: calls[l].map(|c| c.display(&tables[l])),
                note,
            }
        };
        let mut warnings = Vec::new();
        let mut mismatched = Vec::new();
        let mut assumed = Vec::new();
        for l in 0..model.loci.len() {
            let Some(notes) = collected.notes.get(&(g, s, l)) else {
                continue;
            };
            let pos = model.loci[l].position;
            for n in notes {
                match n {
                    LocusNote::RefMismatch { vcf_ref } => mismatched.push(report(
                        l,
                        Some(format!(
                            "VCF REF {vcf_ref} differs from the definition's {}; position not used",
                            model.loci[l].ref_allele
                        )),
                    )),
                    LocusNote::AssumedReference => {
                        assumed.push(report(l, Some("absent from input; assumed reference".into())))
                    }
                    LocusNote::Filtered { filters, used } => warnings.push(format!(
                        "position {pos}: FILTER {} ({})",
                        filters.join(";"),
                        if *used { "used anyway" } else { "not used" }
                    )),
                    LocusNote::PartialGenotype => warnings.push(format!(
                        "position {pos}: partial genotype (one allele missing); treated as missing"
                    )),
                    LocusNote::ConflictingRecords => warnings.push(format!(
                        "position {pos}: several records disagree; the first informative one was used"
                    )),
                }
            }
        }
        let present = &collected.present[g];
        let missing: Vec<PositionReport> = m
            .missing_loci
            .iter()
            .filter(|l| present[**l])
            .filter(|l| {
                !mismatched
                    .iter()
                    .any(|r: &PositionReport| r.position == model.loci[**l].position)
            })
            .map(|l| report(*l, None))
            .collect();
        let absent = (0..model.loci.len())
            .filter(|l| !present[*l] && !model.ignored_loci.contains(l))
            .count();
        let unknown: Vec<PositionReport> = m
            .undocumented_loci
            .iter()
            .map(|l| {
                report(
                    *l,
                    Some(if model.undocumented_as_reference {
                        "allele not in any definition; read as reference".into()
                    } else {
                        "allele not in any definition".into()
                    }),
                )
            })
            .collect();
        if let Some(reason) = &m.no_call {
            warnings.push(match reason {
                NoCallReason::NoData => {
                    "no position of this gene is in the input (not covered); not called".to_string()
                }
                NoCallReason::MissingRequired(loci) => format!(
                    "required position(s) missing: {}",
                    loci.iter()
                        .map(|l| model.loci[*l].position.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                NoCallReason::NoMatch => {
                    let variant: Vec<String> = calls
                        .iter()
                        .enumerate()
                        .filter_map(|(l, c)| {
                            let c = c.as_ref()?;
                            (c.a != 0 || c.b_or_a() != 0).then(|| {
                                let locus = &model.loci[l];
                                format!(
                                    "{}{} {}",
                                    locus.position,
                                    locus.rsid.as_deref().map(|r| format!(" ({r})")).unwrap_or_default(),
                                    c.display(&tables[l])
                                )
                            })
                        })
                        .collect();
                    format!(
                        "the genotypes match no pair of defined alleles (a novel or undefined combination); non-reference positions: {}",
                        if variant.is_empty() { "none".to_string() } else { variant.join(", ") }
                    )
                }
            });
        }
        let name = |h: &usize| model.alleles[*h].name.clone();
        let hap = |strand: &[usize]| HaplotypeCall {
            name: strand.iter().map(name).collect::<Vec<_>>().join(" + "),
            function: None,
            activity_value: None,
        };
        let mut diplotypes: Vec<DiplotypeCall> = m
            .diplotypes
            .iter()
            .map(|d| DiplotypeCall {
                label: diplotype_label(model, d),
                allele1: hap(&d.hap1),
                allele2: d.hap2.as_ref().map(|h| hap(h)),
                score: d.score,
                phenotype: None,
                activity_score: None,
                lookup_key: None,
            })
            .collect();
        if let Some(list) = &m.haplotype_list {
            let found: Vec<String> = list
                .iter()
                .map(|(h, n)| {
                    if *n > 1 {
                        format!("{} (homozygous)", name(h))
                    } else {
                        name(h)
                    }
                })
                .collect();
            if !found.is_empty() {
                warnings.push(format!(
                    "unphased data: variant alleles found: {}; the phenotype uses the two lowest-function alleles",
                    found.join(", ")
                ));
            }
            diplotypes = crate::annotate::lowest_function_diplotype(self.kb, model, list)
                .into_iter()
                .collect();
        }
        GeneCall {
            gene: model.gene.clone(),
            source: CallSource::Vcf,
            phased: m.phased,
            diplotypes,
            phenotypes: Vec::new(),
            matched_positions: calls.iter().filter(|c| c.is_some()).count(),
            missing_positions: missing,
            absent_positions: absent,
            mismatched_positions: mismatched,
            assumed_reference_positions: assumed,
            unknown_allele_positions: unknown,
            uncallable_alleles: m.uncallable_alleles.iter().map(name).collect(),
            warnings,
        }
    }
}

fn outside_gene_call(o: &OutsideCall) -> GeneCall {
    let hap = |a: &String| HaplotypeCall {
        name: a.clone(),
        function: None,
        activity_value: None,
    };
    // A phenotype- or activity-only call has a diplotype with no allele names; the
    // annotation step fills its label from the phenotype tables.
    let (label, a1, a2) = match o.alleles.as_slice() {
        [] => (String::new(), String::new(), None),
        [a] => (a.clone(), a.clone(), None),
        [a, b, ..] => (format!("{a}/{b}"), a.clone(), Some(b.clone())),
    };
    let diplotypes = vec![DiplotypeCall {
        label,
        allele1: hap(&a1),
        allele2: a2.as_ref().map(hap),
        score: 0,
        phenotype: o.phenotype.clone(),
        activity_score: o.activity_score.clone(),
        lookup_key: None,
    }];
    GeneCall {
        diplotypes,
        phenotypes: o.phenotype.iter().cloned().collect(),
        warnings: vec![format!(
            "called outside Tailor (outside-call file line {})",
            o.line
        )],
        ..GeneCall::new(&o.gene, CallSource::OutsideCall)
    }
}
