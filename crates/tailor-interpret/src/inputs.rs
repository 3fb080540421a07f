//! The reader stage: a case manifest and its files in, a parsed [`CaseInputs`] out.
//!
//! Reading is kept apart from interpreting so that a caller can hold a case between the
//! two: a server parses an upload once (and answers a bad file with 4xx before anything
//! is queued), a cohort runner reads while the engines interpret the previous case, and
//! a test compares parsed values without rendering anything. Every file entry goes
//! through a [`Resolver`]: disk paths for the command line, uploaded parts for the
//! server, which never resolves a path on its own filesystem.
//!
//! Parsing needs the knowledge base: somatic alleles are annotated with the exon model
//! and the curated genomic keys, and germline records are read only at the loci of the
//! compiled gene models. So the reader takes the same engines as the interpretation.

use std::io::Read;
use tailor_case::resolve::Resolver;
use tailor_case::CaseManifest;
use tailor_core::input_file::cited;
use tailor_kb::KnowledgeBase;
use tailor_onco::case::SomaticCase;
use tailor_onco::engine::OncoEngine;
use tailor_onco::load::{load_case_with, LoadOptions};
use tailor_pgx::collect::{CollectOptions, CollectedGenotypes};
use tailor_pgx::engine::{EngineOptions, PgxEngine};
use tailor_pgx::outside_call::OutsideCall;

use crate::{Engines, InterpretError, InterpretOptions};

/// One case read and parsed, ready for the engines ([`crate::interpret`]).
#[derive(Debug, Clone)]
pub struct CaseInputs {
    /// The manifest: the clinical context (patient, tumour type, sample, purity,
    /// medications, specimen, test, clinician) and the entries the files were read from.
    pub manifest: CaseManifest,
    /// The somatic findings, annotated (small variants, copy number, fusions,
    /// biomarkers); `None` when the case has no somatic input.
    pub somatic: Option<SomaticCase>,
    /// The germline genotypes and outside calls; `None` when the case has none.
    pub germline: Option<GermlineInputs>,
    /// SHA-256 (hexadecimal) of every input file's bytes, by manifest key
    /// (`somatic.vcf`), for the report id: the same files give the same id wherever
    /// they lie, one changed byte a new one.
    pub input_digests: Vec<(&'static str, String)>,
}

/// The germline part of a case, parsed.
#[derive(Debug, Clone)]
pub struct GermlineInputs {
    /// The inputs as outputs cite them (file names only).
    pub inputs: Vec<String>,
    /// Calls made outside Tailor (a CYP2D6 caller, HLA typing), each taking the place of
    /// Tailor's own call for its gene.
    pub outside_calls: Vec<OutsideCall>,
    /// Genotypes of the one person at every locus of the gene models; `None` when the
    /// case gives outside calls only.
    pub genotypes: Option<CollectedGenotypes>,
    /// The person's name in the results: the VCF's sample, or for outside calls alone
    /// the manifest's `germline.sample`, else the patient pseudonym.
    pub sample: String,
}

impl CaseInputs {
    /// Reads every file entry of `manifest` through `resolver` and parses it, with the
    /// models and indexes of `engines`. Errors name the entry and what is wrong; the
    /// tumour type is checked before any file is read.
    pub fn read(
        manifest: &CaseManifest,
        resolver: &dyn Resolver,
        engines: &Engines,
        options: &InterpretOptions,
    ) -> Result<Self, InterpretError> {
        read_with(
            manifest,
            resolver,
            engines.kb(),
            Some(engines.pgx()),
            Some(engines.onco()),
            &options.load,
        )
    }
}

pub(crate) fn has_somatic(m: &CaseManifest) -> bool {
    let s = &m.somatic;
    s.vcf.is_some()
        || s.maf.is_some()
        || s.cna.is_some()
        || s.segments.is_some()
        || s.fusions.is_some()
        || s.biomarkers.is_some()
        || m.biomarkers.is_some()
}

pub(crate) fn has_germline(m: &CaseManifest) -> bool {
    m.germline.vcf.is_some() || m.germline.outside_calls.is_some()
}

/// The reader behind [`CaseInputs::read`] and the one-shot entry points: an engine is
/// needed only for its part of the case.
pub(crate) fn read_with(
    manifest: &CaseManifest,
    resolver: &dyn Resolver,
    kb: &KnowledgeBase,
    pgx: Option<&PgxEngine<'_>>,
    onco: Option<&OncoEngine<'_>>,
    load: &LoadOptions,
) -> Result<CaseInputs, InterpretError> {
    if !has_somatic(manifest) && !has_germline(manifest) {
        return Err(InterpretError::NoInput);
    }
    let somatic = match onco {
        Some(engine) if has_somatic(manifest) => {
            Some(read_somatic(manifest, resolver, kb, engine, load)?)
        }
        _ => None,
    };
    let germline = match pgx {
        Some(engine) if has_germline(manifest) => Some(read_germline(manifest, resolver, engine)?),
        _ => None,
    };
    let mut input_digests = Vec::new();
    for (key, entry) in manifest.inputs() {
        input_digests.push((key, digest(resolver, entry)?));
    }
    Ok(CaseInputs {
        manifest: manifest.clone(),
        somatic,
        germline,
        input_digests,
    })
}

/// SHA-256 of an entry's bytes, as stored (compressed files are not inflated).
fn digest(resolver: &dyn Resolver, entry: &std::path::Path) -> Result<String, InterpretError> {
    use sha2::{Digest, Sha256};
    let mut reader = resolver.open(entry)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = reader
            .read(&mut buffer)
            .map_err(|source| tailor_case::CaseError::Io {
                path: entry.to_path_buf(),
                line: None,
                source,
            })?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The somatic inputs of a case, read and annotated; the tumour type is checked first,
/// so that a wrong code is reported before any file is read.
pub(crate) fn read_somatic(
    manifest: &CaseManifest,
    resolver: &dyn Resolver,
    kb: &KnowledgeBase,
    engine: &OncoEngine<'_>,
    load: &LoadOptions,
) -> Result<SomaticCase, InterpretError> {
    if let Some(code) = &manifest.tumor_type {
        engine.resolve_tumor_type(code)?;
    }
    Ok(load_case_with(
        manifest,
        resolver,
        engine,
        kb.transcripts()?,
        load,
    )?)
}

/// How a whole-case interpretation reads germline VCFs: the manifest's sample, every
/// record whatever its FILTER, absent positions not assumed reference, an index used
/// when there is one.
pub(crate) fn germline_options(manifest: &CaseManifest) -> EngineOptions {
    EngineOptions {
        collect: CollectOptions {
            samples: manifest.germline.sample.clone().map(|s| vec![s]),
            absent_is_reference: false,
            require_pass: false,
            use_index: true,
        },
        all_candidates: false,
        threads: 0,
        call_cyp2d6: false,
    }
}

fn read_germline(
    manifest: &CaseManifest,
    resolver: &dyn Resolver,
    engine: &PgxEngine<'_>,
) -> Result<GermlineInputs, InterpretError> {
    let g = &manifest.germline;
    let outside_calls = match &g.outside_calls {
        Some(p) => tailor_pgx::outside_call::read_outside_calls_from(resolver.open(p)?, p)?,
        None => Vec::new(),
    };
    let Some(vcf) = &g.vcf else {
        // Outside calls alone (diplotypes from a dedicated caller or from typing).
        let Some(calls_file) = &g.outside_calls else {
            return Err(InterpretError::NoInput);
        };
        return Ok(GermlineInputs {
            inputs: vec![cited(calls_file)],
            outside_calls,
            genotypes: None,
            sample: g.sample.clone().unwrap_or_else(|| manifest.patient.clone()),
        });
    };
    let input = resolver.resolve(vcf)?.into_variant_input(vcf);
    let options = germline_options(manifest);
    let genotypes =
        engine.collect_inputs(std::slice::from_ref(&input), &options.collect, |_| {})?;
    let n = genotypes.samples.len();
    if !outside_calls.is_empty() && n > 1 {
        return Err(tailor_pgx::engine::EngineError::OutsideCallsNeedOneSample(n).into());
    }
    let [sample] = genotypes.samples.as_slice() else {
        return Err(InterpretError::GermlineSamples {
            file: vcf.clone(),
            samples: genotypes.samples.clone(),
        });
    };
    Ok(GermlineInputs {
        inputs: vec![cited(vcf)],
        sample: sample.clone(),
        outside_calls,
        genotypes: Some(genotypes),
    })
}
