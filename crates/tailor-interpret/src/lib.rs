//! One case manifest in, one [`Interpretation`] out: runs the germline pharmacogenomics
//! engine and the somatic engine (either may be absent), flags the patient's current
//! medications, and states plainly what the test could not tell.
//!
//! This is the library function behind `tailor report`; the web app calls it the same
//! way. Rendering is not done here: every format is rendered from the returned value.
#![deny(missing_docs)]

use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tailor_case::resolve::{DiskResolver, Resolver};
use tailor_case::CaseManifest;
use tailor_core::interpretation::{
    CaseDetails, ClinicianInfo, Interpretation, Limitation, MedicationAlert, PgxPart, SpecimenInfo,
    SummaryItem, TestDetails, TrialsSection, INTERPRETATION_SCHEMA_VERSION,
};
use tailor_core::onco::{Effect, SomaticDocument};
use tailor_core::pgx::PgxSampleResult;
use tailor_kb::KnowledgeBase;
use tailor_onco::engine::{OncoEngine, OncoOptions};
use tailor_onco::load::LoadOptions;
use tailor_pgx::engine::PgxEngine;

mod engines;
mod inputs;
pub use engines::Engines;
use inputs::{germline_options, has_germline, has_somatic, read_somatic, read_with};
pub use inputs::{CaseInputs, GermlineInputs};

/// Why a case could not be interpreted. Messages name the file and what is wrong;
/// [`InterpretError::class`] tells a caller whose fault it is (a server answers a bad
/// upload with 4xx and a knowledge-base fault with 5xx).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InterpretError {
    /// Reading or interpreting the somatic inputs failed.
    #[error(transparent)]
    SomaticInput(#[from] tailor_onco::load::LoadError),
    /// The somatic case as a whole is wrong (tumour type, purity).
    #[error(transparent)]
    Somatic(#[from] tailor_onco::engine::OncoError),
    /// A file entry of the case could not be resolved or read (a germline entry with no
    /// uploaded part, a missing file).
    #[error(transparent)]
    Input(#[from] tailor_case::CaseError),
    /// Reading or calling the germline input failed.
    #[error("germline pharmacogenomics: {0}")]
    Germline(#[from] tailor_pgx::engine::EngineError),
    /// The outside-call file is malformed.
    #[error("germline pharmacogenomics: {0}")]
    OutsideCalls(#[from] tailor_pgx::outside_call::OutsideCallError),
    /// The germline VCF holds several people and the case did not say which one.
    #[error(
        "germline pharmacogenomics: {}: the germline VCF has {} samples ({}); name the patient's with germline.sample",
        file.display(), samples.len(), samples.join(", ")
    )]
    GermlineSamples {
        /// The VCF.
        file: PathBuf,
        /// Its samples.
        samples: Vec<String>,
    },
    /// The knowledge base's allele definitions do not compile into gene models.
    #[error("germline pharmacogenomics: {0}")]
    PgxModels(#[source] tailor_pgx::model::ModelError),
    /// The knowledge base could not provide a part.
    #[error(transparent)]
    Knowledge(#[from] tailor_kb::Error),
    /// Nothing to interpret.
    #[error(
        "the case has no input: give somatic files or biomarkers, a germline VCF, or outside calls"
    )]
    NoInput,
}

/// Whose fault an [`InterpretError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The case or one of its files is wrong: the user can fix it (exit 2, HTTP 4xx).
    BadInput,
    /// The knowledge base is faulty or incomplete: the operator must fix it (HTTP 5xx).
    Knowledge,
    /// Reading failed for a reason outside the case (the operating system refused a
    /// read): neither the user's nor the knowledge's fault (HTTP 5xx).
    Internal,
}

impl InterpretError {
    /// Whose fault the error is.
    pub fn class(&self) -> ErrorClass {
        use tailor_case::CaseError;
        use tailor_onco::load::LoadError;
        use tailor_pgx::collect::CollectError;
        use tailor_pgx::engine::EngineError;
        let genome = |e: &tailor_genome::Error| match e.kind() {
            tailor_genome::ErrorKind::Io(_) => ErrorClass::Internal,
            _ => ErrorClass::BadInput,
        };
        let case = |e: &CaseError| match e {
            CaseError::Io { .. } => ErrorClass::Internal,
            CaseError::Genome(e) => genome(e),
            _ => ErrorClass::BadInput,
        };
        match self {
            InterpretError::SomaticInput(LoadError::Case(e)) | InterpretError::Input(e) => case(e),
            InterpretError::Germline(EngineError::Collect(CollectError::Read(e))) => genome(e),
            InterpretError::Germline(EngineError::Model(_))
            | InterpretError::PgxModels(_)
            | InterpretError::Knowledge(_) => ErrorClass::Knowledge,
            _ => ErrorClass::BadInput,
        }
    }
}

/// Options of a report run.
#[derive(Debug, Clone, Default)]
pub struct InterpretOptions {
    /// Somatic loading options (copy-number thresholds).
    pub load: LoadOptions,
    /// Fixed generation time (RFC 3339) for reproducible output; `None` = now, or the
    /// `SOURCE_DATE_EPOCH` environment variable when set.
    pub generated_at: Option<String>,
}

/// Interprets one case, building the engines for this call only.
///
/// Convenient for a single case; a caller that interprets more than one (a server, a
/// batch) builds [`Engines`] once and calls [`interpret_manifest`], which skips the
/// per-call compilation of gene models and oncology indexes.
pub fn interpret_case(
    manifest: &CaseManifest,
    kb: &KnowledgeBase,
    options: &InterpretOptions,
) -> Result<Interpretation, InterpretError> {
    let pgx = if has_germline(manifest) {
        Some(PgxEngine::new(kb.pgx()).map_err(InterpretError::PgxModels)?)
    } else {
        None
    };
    let onco = has_somatic(manifest).then(|| OncoEngine::new(kb.onco(), OncoOptions::default()));
    interpret_with(
        manifest,
        &DiskResolver,
        kb,
        pgx.as_ref(),
        onco.as_ref(),
        options,
    )
}

/// Interprets one case with engines built once ([`Engines::new`]) and shared across
/// calls and threads. Gives the same [`Interpretation`] as [`interpret_case`].
pub fn interpret_manifest(
    manifest: &CaseManifest,
    engines: &Engines,
    options: &InterpretOptions,
) -> Result<Interpretation, InterpretError> {
    interpret_manifest_with(manifest, &DiskResolver, engines, options)
}

/// As [`interpret_manifest`], with every file entry of the manifest read through
/// `resolver`: [`tailor_case::resolve::MemoryResolver`] for uploaded parts held in
/// memory, so that nothing is read from (or written to) disk.
pub fn interpret_manifest_with(
    manifest: &CaseManifest,
    resolver: &dyn Resolver,
    engines: &Engines,
    options: &InterpretOptions,
) -> Result<Interpretation, InterpretError> {
    interpret_with(
        manifest,
        resolver,
        engines.kb(),
        Some(engines.pgx()),
        Some(engines.onco()),
        options,
    )
}

/// The somatic part of a case: the tumour type checked before any file is read, every
/// somatic input read through `resolver`, then matched. The one orchestration of the
/// somatic engine, for `tailor somatic` and for the whole-case interpretation alike.
pub fn interpret_somatic(
    manifest: &CaseManifest,
    resolver: &dyn Resolver,
    kb: &KnowledgeBase,
    engine: &OncoEngine<'_>,
    load: &LoadOptions,
) -> Result<SomaticDocument, InterpretError> {
    let case = read_somatic(manifest, resolver, kb, engine, load)?;
    Ok(engine.interpret(&case, kb.provenance())?)
}

/// Interprets a case already read ([`CaseInputs::read`]) with engines built once.
/// Reading then interpreting gives the same [`Interpretation`] as
/// [`interpret_manifest_with`] over the same manifest and resolver.
pub fn interpret(
    inputs: &CaseInputs,
    engines: &Engines,
    options: &InterpretOptions,
) -> Result<Interpretation, InterpretError> {
    interpret_parsed(
        inputs,
        engines.kb(),
        Some(engines.pgx()),
        Some(engines.onco()),
        options,
    )
}

/// The one interpretation path behind both entry points. An engine is needed only for
/// its part of the case: `pgx` when the case has germline inputs, `onco` when it has
/// somatic ones.
fn interpret_with(
    manifest: &CaseManifest,
    resolver: &dyn Resolver,
    kb: &KnowledgeBase,
    pgx_engine: Option<&PgxEngine<'_>>,
    onco_engine: Option<&OncoEngine<'_>>,
    options: &InterpretOptions,
) -> Result<Interpretation, InterpretError> {
    let inputs = read_with(
        manifest,
        resolver,
        kb,
        pgx_engine,
        onco_engine,
        &options.load,
    )?;
    interpret_parsed(&inputs, kb, pgx_engine, onco_engine, options)
}

/// The interpretation of a parsed case: each part by its engine, then the medication
/// alerts, summary, conclusion and limitations of the whole.
fn interpret_parsed(
    inputs: &CaseInputs,
    kb: &KnowledgeBase,
    pgx_engine: Option<&PgxEngine<'_>>,
    onco_engine: Option<&OncoEngine<'_>>,
    options: &InterpretOptions,
) -> Result<Interpretation, InterpretError> {
    let manifest = &inputs.manifest;
    let somatic = match (onco_engine, &inputs.somatic) {
        (Some(engine), Some(case)) => Some(engine.interpret(case, kb.provenance())?),
        _ => None,
    };
    let pgx = match (pgx_engine, &inputs.germline) {
        (Some(engine), Some(germline)) => Some(call_germline(germline, manifest, engine)?),
        _ => None,
    };

    let medications: Vec<String> = manifest
        .medications
        .iter()
        .map(|m| m.trim().to_lowercase())
        .collect();
    let medication_alerts = pgx
        .as_ref()
        .map(|p| medication_alerts(&medications, &p.result))
        .unwrap_or_default();
    let limitations = limitations(manifest, somatic.as_ref(), pgx.as_ref());
    let summary = summary_items(somatic.as_ref(), pgx.as_ref(), &medication_alerts);
    let conclusion = conclusion(somatic.as_ref(), pgx.as_ref(), &medication_alerts);
    let knowledge = kb.provenance();
    let attributions = knowledge
        .sources
        .iter()
        .map(|s| format!("{} — {} ({})", s.name, s.version, s.license))
        .collect();
    let tumor_type = somatic.as_ref().and_then(|s| s.case.tumor_type.clone());
    Ok(Interpretation {
        schema_version: INTERPRETATION_SCHEMA_VERSION.into(),
        tailor_version: env!("CARGO_PKG_VERSION").into(),
        report_id: report_id(inputs, kb, options),
        generated_at: options.generated_at.clone().unwrap_or_else(now_rfc3339),
        case: CaseDetails {
            patient: manifest.patient.clone(),
            tumor_type,
            sample_type: manifest.sample_type,
            purity: manifest.purity,
            specimen: manifest.specimen.as_ref().map(|s| SpecimenInfo {
                id: s.id.clone(),
                specimen_type: s.specimen_type.clone(),
                site: s.site.clone(),
                collected: s.collected.clone(),
                received: s.received.clone(),
            }),
            test: manifest.test.as_ref().map(|t| TestDetails {
                name: t.name.clone(),
                lab: t.lab.clone(),
                method: t.method.clone(),
            }),
            clinician: manifest.clinician.as_ref().map(|c| ClinicianInfo {
                name: c.name.clone(),
                organisation: c.organisation.clone(),
            }),
            medications,
        },
        knowledge,
        conclusion,
        summary,
        somatic,
        pgx,
        medication_alerts,
        limitations,
        trials: TrialsSection {
            searched: false,
            note: "Clinical-trial matching is not part of this version of Tailor: no trial registry was searched. Ask the care team or a trial-matching service about trials for the findings above.".into(),
        },
        methods: methods(),
        attributions,
    })
}

/// The germline part of a parsed case through the PGx engine: genotypes called and
/// combined with the outside calls, or the outside calls alone, through the same
/// phenotype and recommendation path.
fn call_germline(
    germline: &GermlineInputs,
    manifest: &CaseManifest,
    engine: &PgxEngine<'_>,
) -> Result<PgxPart, InterpretError> {
    let run = match &germline.genotypes {
        None => engine.run_outside_calls(&germline.sample, &germline.outside_calls),
        Some(genotypes) => engine.run_collected(
            genotypes,
            &germline.outside_calls,
            &germline_options(manifest),
        )?,
    };
    let samples = run.samples.len();
    let Ok([result]) = <[PgxSampleResult; 1]>::try_from(run.samples) else {
        return Err(InterpretError::GermlineSamples {
            file: germline
                .inputs
                .first()
                .map(PathBuf::from)
                .unwrap_or_default(),
            samples: vec![germline.sample.clone(); samples],
        });
    };
    Ok(PgxPart {
        inputs: germline.inputs.clone(),
        result,
        absent_positions: run.absent_positions,
        warnings: run.warnings,
    })
}

/// Current medications with a recommendation for this patient, actionable first.
fn medication_alerts(medications: &[String], result: &PgxSampleResult) -> Vec<MedicationAlert> {
    let mut alerts = Vec::new();
    for med in medications {
        for rec in result
            .recommendations
            .iter()
            .filter(|r| r.drug.eq_ignore_ascii_case(med))
        {
            let Some(text) = &rec.recommendation else {
                continue;
            };
            alerts.push(MedicationAlert {
                medication: med.clone(),
                genes: rec.phenotypes.keys().cloned().collect(),
                phenotypes: rec
                    .phenotypes
                    .iter()
                    .map(|(g, p)| format!("{g} {p}"))
                    .collect(),
                recommendation: text.clone(),
                classification: rec.classification.clone(),
                source: rec.source.clone(),
                actionable: changes_prescribing(rec),
            });
        }
    }
    alerts.sort_by_key(|a| !a.actionable);
    alerts
}

/// Whether a recommendation changes what is prescribed: a recommendation exists, and it
/// is not the standard-care one that guidelines give for normal phenotypes ("use the
/// label-recommended dose"). Judged from the phenotypes first (every gene normal means
/// no change) and from the guideline's own wording second.
pub fn changes_prescribing(rec: &tailor_core::pgx::DrugRecommendation) -> bool {
    if !rec.actionable || rec.recommendation.is_none() {
        return false;
    }
    let all_normal = !rec.phenotypes.is_empty()
        && rec.phenotypes.values().all(|p| {
            let l = p.to_ascii_lowercase();
            l.starts_with("normal")
                || l.contains("normal metabolizer")
                || l.contains("normal function")
                || l.ends_with(" negative")
                || l.contains("uncertain")
                || l.contains("indeterminate")
        });
    if all_normal {
        return false;
    }
    let text = rec
        .recommendation
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    // A dose change or an alternative always counts, whatever else the text says
    // ("use 75% of the standard dose").
    const CHANGE: [&str; 8] = [
        "%",
        "reduc",
        "increas",
        "avoid",
        "alternative",
        "not recommended",
        "do not use",
        "contraindicated",
    ];
    if CHANGE.iter().any(|p| text.contains(p)) && !text.contains("no need to avoid") {
        return true;
    }
    const STANDARD: [&str; 10] = [
        "no reason to",
        "no indication to change",
        "label-recommended",
        "label recommended",
        "according to the standard",
        "initiate therapy with recommended starting dose",
        "no action is needed",
        "per standard dosing",
        "use at standard dose",
        "as usual",
    ];
    !STANDARD.iter().any(|p| text.contains(p))
}

/// Phenotypes that change prescribing for some drug (everything but normal function).
fn notable_phenotype(p: &str) -> bool {
    let l = p.to_ascii_lowercase();
    !(l.contains("normal")
        || l.is_empty()
        || l == "n/a"
        || l.contains("indeterminate")
        || l.contains("uncertain")
        || l.contains("no result"))
}

fn summary_items(
    somatic: Option<&SomaticDocument>,
    pgx: Option<&PgxPart>,
    alerts: &[MedicationAlert],
) -> Vec<SummaryItem> {
    let mut items = Vec::new();
    for a in alerts.iter().filter(|a| a.actionable) {
        items.push(SummaryItem {
            area: "medication".into(),
            finding: format!("{} ({})", a.medication, a.phenotypes.join(", ")),
            meaning: a.recommendation.clone(),
            tier: None,
        });
    }
    if let Some(s) = somatic {
        for f in &s.findings {
            let meaning = match f.evidence.first() {
                Some(e) if e.effect == Effect::Sensitivity => format!(
                    "may respond to {} ({}, level {:?})",
                    e.therapy,
                    match e.label {
                        tailor_core::onco::LabelStatus::OnLabel =>
                            "approved or guideline-recommended for this tumour type",
                        tailor_core::onco::LabelStatus::OffLabel =>
                            "evidence from another tumour type",
                    },
                    e.level
                ),
                Some(e) => format!("predicts resistance to {}", e.therapy),
                None => f.tier_reason.clone(),
            };
            items.push(SummaryItem {
                area: "somatic".into(),
                finding: f.alteration.clone(),
                meaning,
                tier: Some(f.tier.label().into()),
            });
        }
    }
    if let Some(p) = pgx {
        for g in &p.result.genes {
            let Some(d) = g.diplotypes.first() else {
                continue;
            };
            let phenotype = g.phenotypes.first().cloned().unwrap_or_default();
            if !notable_phenotype(&phenotype) {
                continue;
            }
            let mut drugs: Vec<&str> = p
                .result
                .recommendations
                .iter()
                .filter(|r| changes_prescribing(r) && r.phenotypes.contains_key(&g.gene))
                .map(|r| r.drug.as_str())
                .collect();
            drugs.sort_unstable();
            drugs.dedup();
            if drugs.is_empty() {
                continue;
            }
            items.push(SummaryItem {
                area: "pgx".into(),
                finding: format!("{} {} ({phenotype})", g.gene, d.label),
                meaning: format!("changes the dose or choice of: {}", drugs.join(", ")),
                tier: None,
            });
        }
    }
    items
}

fn conclusion(
    somatic: Option<&SomaticDocument>,
    pgx: Option<&PgxPart>,
    alerts: &[MedicationAlert],
) -> String {
    let mut parts = Vec::new();
    if let Some(s) = somatic {
        parts.push(s.summary.clone());
    }
    if let Some(p) = pgx {
        let mut changed: Vec<&str> = p
            .result
            .recommendations
            .iter()
            .filter(|r| changes_prescribing(r))
            .map(|r| r.drug.as_str())
            .collect();
        changed.sort_unstable();
        changed.dedup();
        let actionable_drugs = changed.len();
        let flagged = alerts.iter().filter(|a| a.actionable).count();
        parts.push(if actionable_drugs == 0 {
            "Pharmacogenomics: no drug needs a change of dose or choice based on the genes tested.".into()
        } else {
            format!(
                "Pharmacogenomics: {actionable_drugs} drug(s) need a genotype-guided change of dose or choice{}.",
                if flagged > 0 {
                    format!(", {flagged} of them among the current medications")
                } else {
                    String::new()
                }
            )
        });
    }
    parts.join(" ")
}

fn limitations(
    manifest: &CaseManifest,
    somatic: Option<&SomaticDocument>,
    pgx: Option<&PgxPart>,
) -> Vec<Limitation> {
    let mut out = Vec::new();
    let mut add = |area: &str, what: String, why: String| {
        out.push(Limitation {
            area: area.into(),
            what,
            why,
        })
    };
    if let Some(s) = somatic {
        for w in &s.warnings {
            add("somatic", "Somatic analysis".into(), w.clone());
        }
        if !s.unannotated.is_empty() {
            add(
                "somatic",
                format!("{} variant(s) could not be annotated", s.unannotated.len()),
                format!(
                    "They are listed in the JSON with the reason (e.g. {}). They were not matched against therapy evidence.",
                    s.unannotated[0].reason
                ),
            );
        }
        let b = &s.case.biomarkers;
        let mut untested = Vec::new();
        if b.msi.is_none() && b.mmr.is_none() {
            untested.push("MSI/MMR");
        }
        if b.pdl1_tps.is_none() && b.pdl1_cps.is_none() {
            untested.push("PD-L1");
        }
        if b.her2_ihc.is_none() && b.her2_ish.is_none() {
            untested.push("HER2 IHC/ISH");
        }
        if s.tmb.is_none() {
            untested.push("TMB");
        }
        if !untested.is_empty() {
            add(
                "somatic",
                format!("Not reported: {}", untested.join(", ")),
                "These biomarkers were not given with the case; their absence is not a negative result.".into(),
            );
        }
    } else {
        add(
            "somatic",
            "No tumour testing".into(),
            "The case has no tumour (somatic) results, so no targeted-therapy options were assessed.".into(),
        );
    }
    if let Some(p) = pgx {
        // Genes not called for the same reason (all genes an outside-call file leaves
        // out, say) make one line, placed where the first of them would be.
        let why_not = |g: &tailor_core::pgx::GeneCall| {
            g.warnings
                .first()
                .cloned()
                .unwrap_or_else(|| "no call could be made from the data".into())
        };
        let mut grouped: Vec<String> = Vec::new();
        for g in &p.result.genes {
            if g.diplotypes.is_empty() {
                let why = why_not(g);
                if grouped.contains(&why) {
                    continue;
                }
                let genes: Vec<&str> = p
                    .result
                    .genes
                    .iter()
                    .filter(|o| o.diplotypes.is_empty() && why_not(o) == why)
                    .map(|o| o.gene.as_str())
                    .collect();
                add(
                    "pgx",
                    format!("{}: not called", genes.join(", ")),
                    why.clone(),
                );
                grouped.push(why);
            } else if !g.missing_positions.is_empty() {
                add(
                    "pgx",
                    format!("{}: {} position(s) missing", g.gene, g.missing_positions.len()),
                    "Alleles defined at these positions cannot be ruled out; the call assumes they are absent only where stated.".into(),
                );
            }
        }
        if manifest.germline.vcf.is_some() {
            add(
                "pgx",
                "CYP2D6, HLA-A, HLA-B, MT-RNR1 from the VCF".into(),
                "Not called from a VCF (gene deletions, duplications and HLA types need dedicated tests); only outside calls given with the case are used.".into(),
            );
        }
    } else if manifest.germline.vcf.is_none() {
        add(
            "pgx",
            "No pharmacogenomic testing".into(),
            "The case has no germline results, so drug-gene recommendations were not assessed."
                .into(),
        );
    }
    out
}

fn methods() -> Vec<String> {
    vec![
        "Somatic variants were read from the VCF/MAF, annotated from VEP/snpEff/MAF columns where present, else by Tailor's curated genomic keys and the MANE v1.5 exon model (gene, exon, in-frame/frameshift), and matched most specific first (genomic key, protein change, codon, exon, gene class, fusion, copy number, signature, expression) against Tailor's curated evidence tables.".into(),
        "Tiers follow AMP/ASCO/CAP 2017 (Li et al., J Mol Diagn 2017): level A/B evidence in this tumour type gives tier I; evidence from another tumour type gives tier II-C; variants of uncertain significance are tier III and never actionable. Tumour types match through the OncoTree hierarchy.".into(),
        "Germline pharmacogenomic variants were matched to PharmCAT 3.1.1 named-allele definitions; phenotypes and drug recommendations follow CPIC and DPWG guidelines. CYP2D6 is not called from a VCF.".into(),
        "Copy-number segments were turned into gene calls (amplification: all overlapping segments >= 6 copies; homozygous deletion: any overlapping segment with 0 copies). TMB counts coding SNVs/indels (VAF >= 5%, depth >= 25) per megabase of the stated panel.".into(),
    ]
}

/// A digest of what determines the report's content (docs/identifiers.md): the
/// manifest as parsed with each input file replaced by the SHA-256 of its bytes (so the
/// files' places do not count and their content does), the loading options, the
/// knowledge version and Tailor's version.
fn report_id(inputs: &CaseInputs, kb: &KnowledgeBase, options: &InterpretOptions) -> String {
    let mut manifest = serde_json::to_value(&inputs.manifest).unwrap_or_default();
    if let Some(m) = manifest.as_object_mut() {
        m.remove("source");
    }
    for (key, digest) in &inputs.input_digests {
        let mut at = &mut manifest;
        for part in key.split('.') {
            at = &mut at[part];
        }
        *at = serde_json::Value::String(format!("sha256:{digest}"));
    }
    let mut h = Sha256::new();
    h.update(b"tailor report id v2\n");
    h.update(manifest.to_string().as_bytes());
    h.update(format!("\namp_min_copies={}\n", options.load.amp_min_copies).as_bytes());
    h.update(kb.version().as_bytes());
    h.update(b"\n");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    let digest = h.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Now (or `SOURCE_DATE_EPOCH`) as RFC 3339 UTC, without a date library.
fn now_rfc3339() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
                .unwrap_or(0)
        });
    rfc3339(secs)
}

/// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, Howard Hinnant's
/// days-to-civil algorithm).
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::changes_prescribing;
    use tailor_core::pgx::DrugRecommendation;

    fn rec(phenotype: &str, text: &str) -> DrugRecommendation {
        DrugRecommendation {
            drug: "x".into(),
            source: "DPWG".into(),
            guideline: "g".into(),
            url: None,
            lookup: Default::default(),
            diplotypes: Default::default(),
            recommendation: Some(text.into()),
            classification: None,
            implications: vec![],
            phenotypes: [("CYP2D6".to_string(), phenotype.to_string())].into(),
            population: None,
            actionable: true,
            note: None,
        }
    }

    #[test]
    fn dose_changes_are_prescribing_changes() {
        let yes = |p: &str, t: &str| assert!(changes_prescribing(&rec(p, t)), "{t}");
        let no = |p: &str, t: &str| assert!(!changes_prescribing(&rec(p, t)), "{t}");
        yes(
            "Intermediate Metabolizer",
            "Use 75% of the standard dose and monitor.",
        );
        yes(
            "Poor Metabolizer",
            "Start with 50% of the standard dose or avoid fluorouracil.",
        );
        yes(
            "Intermediate Metabolizer",
            "Consider a 25% reduction of recommended starting dose.",
        );
        no("Normal Metabolizer", "Use 75% of the standard dose");
        no(
            "Intermediate Metabolizer",
            "Use codeine label recommended age- or weight-specific dosing.",
        );
        no(
            "*58:01 negative",
            "Use allopurinol per standard dosing guidelines",
        );
        no(
            "Normal Metabolizer",
            "There is no need to avoid prescribing of atazanavir",
        );
    }

    #[test]
    fn rfc3339_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::rfc3339(1_795_000_000), "2026-11-18T11:06:40Z");
    }
}
