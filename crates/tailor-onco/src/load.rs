//! From a case manifest's files to a [`SomaticCase`]: reading, sample choice, VAF and
//! depth, annotation, copy-number thresholds, TMB counting.
//!
//! Annotation order for a small variant (first that applies):
//! 1. the VEP `CSQ` / snpEff `ANN` annotation in the VCF, or the MAF's own columns
//!    (protein change, class, exon), choosing the MANE Select transcript when several
//!    are given;
//! 2. Tailor's curated genomic keys (exact chromosome, position and alleles), which give
//!    the protein change of well-known actionable variants even in a raw VCF;
//! 3. the MANE exon model (GRCh38 only): gene, transcript, exon, splice site and
//!    in-frame/frameshift from the allele lengths, and the codon for genes with a CDS
//!    anchor; the protein change itself stays unknown and the report says so.
//!
//! Exon numbers and splice-site exons missing from an annotation are filled from the
//! exon model when the transcript is the MANE one (GRCh38).
//!
//! Copy-number segments become gene calls with stated thresholds: a gene is amplified
//! when every segment overlapping it has at least `amp_min_copies` total copies (default
//! 6, as PCGR's default gain cut-off), and homozygously deleted when any overlapping
//! segment has 0 copies (a partial homozygous deletion also inactivates the gene).

use crate::case::{CopyNumberCall, CopyNumberState, FusionCall, SmallVariant, SomaticCase};
use crate::engine::OncoEngine;
use crate::tmb::{self, Regions};
use std::io::Read;
use std::path::{Path, PathBuf};
use tailor_case::cna::CnaCall;
use tailor_case::resolve::{DiskResolver, Resolved, Resolver};
use tailor_case::{CaseError, CaseManifest};
use tailor_core::normalize_chrom;
use tailor_core::onco::{AnnotationSource, SomaticInput, UnannotatedVariant};
use tailor_core::somatic::{Assembly, Biomarkers, VariantClass};
use tailor_genome::annotation::{pick_best, AnnotationSchema};
use tailor_genome::protein::parse_protein;
use tailor_genome::{ReaderOptions, SampleSelection, VariantInput};
use tailor_transcripts::TranscriptModel;

/// Loading errors: every one names the file and, where there is one, the line.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A tabular input or the manifest is malformed.
    #[error(transparent)]
    Case(#[from] CaseError),
    /// The VCF/BCF could not be read.
    #[error(transparent)]
    Genome(#[from] tailor_genome::Error),
    /// Something about the inputs as a whole is wrong.
    #[error("{path}: {message}")]
    Input {
        /// File.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The input is GRCh37 and the case does not say so.
    #[error(
        "{path}: {evidence}; Tailor's genomic knowledge is GRCh38: lift the file over, or declare \
         the case's assembly GRCh37 (`assembly: GRCh37`) to match by protein annotation and \
         GRCh37 keys only"
    )]
    Grch37Undeclared {
        /// File.
        path: PathBuf,
        /// What shows the assembly.
        evidence: String,
    },
    /// The input holds several tumour samples and the case names none.
    #[error(
        "{path}: {found}; one case is one tumour: name it as the case's tumour sample \
         (`somatic.tumor_sample`)"
    )]
    TumorSampleNeeded {
        /// File.
        path: PathBuf,
        /// The samples found.
        found: String,
    },
    /// Nothing to interpret.
    #[error("no somatic input: give a VCF, MAF, copy-number, segment, fusion or biomarker input")]
    NoInput,
}

/// Loading options beyond the manifest.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Minimum total copies for an amplification from segments.
    pub amp_min_copies: u32,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { amp_min_copies: 6 }
    }
}

/// Reads every somatic input of the manifest from disk into a [`SomaticCase`].
pub fn load_case(
    manifest: &CaseManifest,
    engine: &OncoEngine<'_>,
    transcripts: &TranscriptModel,
    options: &LoadOptions,
) -> Result<SomaticCase, LoadError> {
    load_case_with(manifest, &DiskResolver, engine, transcripts, options)
}

/// A VCF/BCF entry as the reader takes it: in place for a file (so an index beside it can
/// be used), from memory for bytes, named by the entry.
pub fn variant_input(resolved: Resolved, entry: &Path) -> VariantInput {
    match resolved {
        Resolved::File(path) => VariantInput::File(path),
        Resolved::Bytes(bytes) => VariantInput::Bytes {
            name: entry.to_path_buf(),
            bytes,
        },
    }
}

/// Reads every somatic input of the manifest into a [`SomaticCase`], each file entry
/// through `resolver` (disk paths on the command line, uploaded parts in a server).
pub fn load_case_with(
    manifest: &CaseManifest,
    resolver: &dyn Resolver,
    engine: &OncoEngine<'_>,
    transcripts: &TranscriptModel,
    options: &LoadOptions,
) -> Result<SomaticCase, LoadError> {
    let s = &manifest.somatic;
    let mut case = SomaticCase {
        patient: manifest.patient.clone(),
        tumor_type: manifest.tumor_type.clone(),
        sample_type: manifest.sample_type,
        purity: manifest.purity,
        assembly: manifest.assembly,
        ..SomaticCase::default()
    };
    let has_any = s.vcf.is_some()
        || s.maf.is_some()
        || s.cna.is_some()
        || s.segments.is_some()
        || s.fusions.is_some()
        || s.biomarkers.is_some()
        || manifest.biomarkers.is_some();
    if !has_any {
        return Err(LoadError::NoInput);
    }
    if case.assembly == Assembly::GRCh37 {
        case.warnings.push(
            "GRCh37 input: variants are matched by their protein annotation and GRCh37 genomic keys only; \
             the MANE exon model (GRCh38) is not applied and copy-number segments are not mapped to genes."
                .into(),
        );
    }
    let panel = match &s.panel_bed {
        Some(bed) => {
            let mut bytes = Vec::new();
            resolver
                .open(bed)?
                .read_to_end(&mut bytes)
                .map_err(|e| LoadError::Input {
                    path: bed.clone(),
                    message: format!("cannot read the panel BED: {e}"),
                })?;
            Some(parse_bed(bed, bytes)?)
        }
        None => None,
    };
    let panel_size = s
        .panel_size_mb
        .or_else(|| panel.as_ref().map(|p| p.total_bases() as f64 / 1e6));
    let mut tmb_counted: Option<u64> = None;
    if let Some(vcf) = &s.vcf {
        let counted = read_vcf(
            vcf,
            variant_input(resolver.resolve(vcf)?, vcf),
            manifest,
            engine,
            transcripts,
            panel.as_ref(),
            &mut case,
        )?;
        tmb_counted = Some(counted);
    }
    if let Some(maf) = &s.maf {
        let counted = read_maf(
            maf,
            resolver.open(maf)?,
            manifest,
            engine,
            transcripts,
            panel.as_ref(),
            &mut case,
        )?;
        tmb_counted = Some(tmb_counted.unwrap_or(0) + counted);
    }
    if let (Some(counted), Some(size)) = (tmb_counted, panel_size) {
        case.computed_tmb = tmb::compute(counted, Some(size), tmb::TMB_HIGH);
    }
    if let Some(cna) = &s.cna {
        let sample = s.tumor_sample.as_deref();
        let calls = tailor_case::cna::read_gene_cna_from(resolver.open(cna)?, cna, sample)?;
        let n = calls.len() as u64;
        let mut used = 0;
        for c in calls {
            let state = match c.call {
                CnaCall::Amplification => CopyNumberState::Amplification,
                CnaCall::HomozygousDeletion => CopyNumberState::HomozygousDeletion,
                CnaCall::Gain => CopyNumberState::Gain,
                CnaCall::HeterozygousLoss => CopyNumberState::Loss,
                CnaCall::Neutral => continue,
            };
            used += 1;
            case.copy_numbers.push(CopyNumberCall {
                gene: c.gene,
                state,
                copies: c.copies,
                record: format!("{}:{}", cited(cna), c.line),
            });
        }
        case.inputs.push(input("cna", cna, n, used));
    }
    if let Some(seg) = &s.segments {
        let segments = tailor_case::segments::read_segments_from(resolver.open(seg)?, seg)?;
        let n = segments.len() as u64;
        if case.assembly == Assembly::GRCh37 {
            case.inputs.push(input("segments", seg, n, 0));
        } else {
            let calls = segment_calls(seg, &segments, transcripts, options.amp_min_copies);
            let used = segments
                .iter()
                .filter(|sg| {
                    let start = u32::try_from(sg.start).unwrap_or(u32::MAX);
                    let end = u32::try_from(sg.end).unwrap_or(u32::MAX);
                    transcripts
                        .genes_overlapping(&sg.chrom, start, end)
                        .next()
                        .is_some()
                })
                .count() as u64;
            case.copy_numbers.extend(calls);
            case.inputs.push(input("segments", seg, n, used));
        }
    }
    if let Some(fus) = &s.fusions {
        let fusions = tailor_case::fusion::read_fusions_from(resolver.open(fus)?, fus)?;
        let n = fusions.len() as u64;
        for f in fusions {
            case.fusions.push(FusionCall {
                gene5: f.gene5.unwrap_or_else(|| "unknown".into()),
                gene3: f.gene3.unwrap_or_else(|| "unknown".into()),
                reads: f.supporting_reads,
                reading_frame: f.reading_frame,
                record: format!("{}:{}", cited(fus), f.line),
            });
        }
        case.inputs.push(input("fusions", fus, n, n));
    }
    let mut biomarkers = Biomarkers::default();
    if let Some(path) = &s.biomarkers {
        let format = tailor_case::biomarkers::BiomarkerFormat::from_path(path);
        biomarkers =
            tailor_case::biomarkers::read_biomarkers_from(resolver.open(path)?, path, format)?;
        case.inputs.push(input("biomarkers", path, 1, 1));
    }
    if let Some(inline) = &manifest.biomarkers {
        biomarkers = merge_biomarkers(biomarkers, inline).map_err(|message| LoadError::Input {
            path: manifest
                .source
                .clone()
                .unwrap_or_else(|| PathBuf::from("case")),
            message,
        })?;
    }
    if tmb_counted.is_some() && case.computed_tmb.is_none() && biomarkers.tmb.is_none() {
        case.warnings
            .push("TMB not computed: no panel size (panel_size_mb) or panel BED was given.".into());
    }
    case.biomarkers = biomarkers;
    Ok(case)
}

/// How an input file is named in outputs: its file name only. Folders can carry
/// patient names or record numbers that have no place in a report.
pub fn cited(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn input(kind: &str, path: &Path, records: u64, used: u64) -> SomaticInput {
    SomaticInput {
        kind: kind.into(),
        path: cited(path),
        records,
        used,
    }
}

/// Inline biomarkers fill what the file leaves open; a value given differently in both
/// is an error (which one is right is not Tailor's call).
fn merge_biomarkers(file: Biomarkers, inline: &Biomarkers) -> Result<Biomarkers, String> {
    macro_rules! merge {
        ($field:ident) => {
            match (file.$field, inline.$field) {
                (Some(a), Some(b)) if a != b => {
                    return Err(format!(
                        "biomarker `{}` is {:?} in the biomarker file but {:?} in the manifest",
                        stringify!($field),
                        a,
                        b
                    ))
                }
                (a, b) => a.or(b),
            }
        };
    }
    Ok(Biomarkers {
        tmb: merge!(tmb),
        msi: merge!(msi),
        mmr: merge!(mmr),
        pdl1_tps: merge!(pdl1_tps),
        pdl1_cps: merge!(pdl1_cps),
        her2_ihc: merge!(her2_ihc),
        her2_ish: merge!(her2_ish),
        er: merge!(er),
        pr: merge!(pr),
        hrd: merge!(hrd),
    })
}

/// Reads a BED file (0-based half-open) into 1-based regions.
pub fn read_bed(path: &Path) -> Result<Regions, LoadError> {
    let text = std::fs::read(path).map_err(|e| LoadError::Input {
        path: path.to_path_buf(),
        message: format!("cannot read the panel BED: {e}"),
    })?;
    parse_bed(path, text)
}

/// Parses panel BED bytes; `path` names them in errors.
fn parse_bed(path: &Path, text: Vec<u8>) -> Result<Regions, LoadError> {
    let text = String::from_utf8(text).map_err(|_| LoadError::Input {
        path: path.to_path_buf(),
        message: "the panel BED is not UTF-8 text".into(),
    })?;
    let mut intervals = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with("track")
            || line.starts_with("browser")
        {
            continue;
        }
        let bad = |what: &str| LoadError::Input {
            path: path.to_path_buf(),
            message: format!("line {}: {what}", i + 1),
        };
        let mut cols = line.split('\t');
        let (Some(chrom), Some(start), Some(end)) = (cols.next(), cols.next(), cols.next()) else {
            return Err(bad(
                "a BED line needs chrom, start and end separated by tabs",
            ));
        };
        let start: u64 = start
            .trim()
            .parse()
            .map_err(|_| bad("start is not a number"))?;
        let end: u64 = end.trim().parse().map_err(|_| bad("end is not a number"))?;
        if end <= start {
            return Err(bad(
                "end must be greater than start (BED is 0-based, half-open)",
            ));
        }
        intervals.push((chrom.to_string(), start + 1, end));
    }
    if intervals.is_empty() {
        return Err(LoadError::Input {
            path: path.to_path_buf(),
            message: "the panel BED has no intervals".into(),
        });
    }
    Ok(Regions::new(intervals))
}

/// Gene calls from allele-specific segments (see the module documentation).
fn segment_calls(
    path: &Path,
    segments: &[tailor_case::segments::Segment],
    transcripts: &TranscriptModel,
    amp_min_copies: u32,
) -> Vec<CopyNumberCall> {
    // Segments cover whole chromosome arms, so this visits every gene of the genome
    // (about 19,000) once or more per case. Per gene symbol only the lowest total copy
    // number is kept, in a vector indexed by the model's symbol id (no hashing); the
    // segment lines are kept flat and gathered only for the genes that are called, and
    // the calls are sorted by gene at the end.
    let mut min_by_id: Vec<Option<u32>> = vec![None; transcripts.symbol_count()];
    let mut symbol_by_id: Vec<&str> = vec![""; transcripts.symbol_count()];
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for seg in segments {
        let start = u32::try_from(seg.start).unwrap_or(u32::MAX);
        let end = u32::try_from(seg.end).unwrap_or(u32::MAX);
        for (id, g) in transcripts.genes_overlapping_with_ids(&seg.chrom, start, end) {
            min_by_id[id] = Some(min_by_id[id].map_or(seg.total, |m| m.min(seg.total)));
            symbol_by_id[id] = g.symbol.as_str();
            hits.push((id, seg.line));
        }
    }
    // A gene only partly covered by segments: its uncovered part has unknown copy number,
    // so "every overlapping segment" is what the call can honestly say.
    let state_of = |min: u32| {
        if min == 0 {
            Some(CopyNumberState::HomozygousDeletion)
        } else if min >= amp_min_copies {
            Some(CopyNumberState::Amplification)
        } else {
            None
        }
    };
    // The called genes (by symbol id), each with its state and the lines that support it.
    let mut called: Vec<Option<(CopyNumberState, Vec<String>)>> = min_by_id
        .iter()
        .map(|&min| Some((state_of(min?)?, Vec::new())))
        .collect();
    for (id, line) in hits {
        if let Some((_, list)) = &mut called[id] {
            list.push(line.to_string());
        }
    }
    let mut calls: Vec<CopyNumberCall> = called
        .into_iter()
        .enumerate()
        .filter_map(|(id, call)| {
            let (state, lines) = call?;
            Some(CopyNumberCall {
                gene: symbol_by_id[id].to_string(),
                state,
                copies: min_by_id[id].map(f64::from),
                record: format!("{}:{}", cited(path), lines.join(",")),
            })
        })
        .collect();
    calls.sort_by(|a, b| a.gene.cmp(&b.gene));
    calls
}

/// Fills a missing exon number from the protein position (anchored genes only): the
/// codon-to-exon map is the transcript's, so it works for GRCh37 input too.
fn fill_exon_from_codon(v: &mut SmallVariant, transcripts: &TranscriptModel) {
    if v.exon.is_some() || v.codon_from_position {
        return;
    }
    if let (Some(gene), Some(codon)) = (v.gene.as_deref(), v.codon) {
        if let Some(t) = transcripts.gene(gene) {
            v.exon = t.exon_of_codon(codon);
            if v.exon.is_some() {
                v.exon_count = Some(t.exon_count());
            }
        }
    }
}

/// Fills exon and splice-site exon from the MANE model when the annotation lacks them
/// and its transcript is the MANE one (or unknown).
fn fill_from_model(v: &mut SmallVariant, transcripts: &TranscriptModel) {
    let Ok(pos) = u32::try_from(v.pos) else {
        return;
    };
    let Some(gene) = v.gene.clone() else { return };
    let anns = transcripts.annotate_brief(&v.chrom, pos, &v.ref_allele, &v.alt_allele);
    let Some(a) = anns.iter().find(|a| a.gene == gene) else {
        return;
    };
    let same_transcript = v.transcript.as_deref().is_none_or(|t| {
        let t = t.split('.').next().unwrap_or(t);
        a.transcript.split('.').next() == Some(t) || a.refseq.split('.').next() == Some(t)
    });
    if !same_transcript {
        return;
    }
    if v.exon.is_none() {
        v.exon = a.exon.map(|(n, _)| n);
        v.exon_count = a.exon.map(|(_, m)| m);
    }
    if v.splice_site_of_exon.is_none() {
        v.splice_site_of_exon = a.splice_site_of_exon;
    }
}

/// Annotates a variant without tool annotation: curated key, then exon model. Returns
/// false when it is outside every gene (intergenic).
pub fn annotate_unannotated(
    v: &mut SmallVariant,
    engine: &OncoEngine<'_>,
    transcripts: &TranscriptModel,
    assembly: Assembly,
    unannotated: &mut Vec<UnannotatedVariant>,
) -> bool {
    let key_hit = engine.apply_genomic_key(v, assembly);
    if assembly == Assembly::GRCh37 {
        if !key_hit && v.protein.is_none() {
            unannotated.push(UnannotatedVariant {
                record: v.record.clone(),
                variant: format!("{}:{}:{}:{}", v.chrom, v.pos, v.ref_allele, v.alt_allele),
                reason: "GRCh37 position without a protein annotation: the exon model is GRCh38-only and no curated GRCh37 key matches".into(),
            });
        }
        return key_hit || v.gene.is_some();
    }
    let Ok(pos) = u32::try_from(v.pos) else {
        return key_hit;
    };
    // Brief: the note is formatted again below only for an allele that cannot be classed.
    let anns = transcripts.annotate_brief(&v.chrom, pos, &v.ref_allele, &v.alt_allele);
    let chosen = match v.gene.as_deref() {
        Some(g) => anns.iter().find(|a| a.gene == g),
        None => anns.first(),
    };
    let Some(a) = chosen else {
        return key_hit;
    };
    if !key_hit {
        v.gene = Some(a.gene.clone());
        v.class = a.class;
        v.codon = a.codon;
        v.codon_from_position = a.codon.is_some();
        v.annotation = AnnotationSource::ExonModel;
        if a.class == VariantClass::Unknown {
            let note = transcripts
                .annotate_raw(&v.chrom, pos, &v.ref_allele, &v.alt_allele)
                .into_iter()
                .find(|full| full.transcript == a.transcript)
                .map(|full| full.note)
                .unwrap_or_default();
            unannotated.push(UnannotatedVariant {
                record: v.record.clone(),
                variant: format!("{}:{}:{}:{}", v.chrom, v.pos, v.ref_allele, v.alt_allele),
                reason: format!("in {} but the allele could not be classed: {note}", a.gene),
            });
        }
    }
    v.transcript = Some(a.transcript.clone());
    v.exon = a.exon.map(|(n, _)| n);
    v.exon_count = a.exon.map(|(_, m)| m);
    v.splice_site_of_exon = a.splice_site_of_exon;
    true
}

/// Which allele-fraction and depth fields a VCF offers, chosen once from its header.
#[derive(Debug, Default)]
struct VafSource {
    vaf_info: Option<String>,
    vaf_format: Option<String>,
    depth_info: Option<String>,
    depth_format: Option<String>,
    ad_format: Option<String>,
}

fn read_vcf(
    path: &Path,
    source: VariantInput,
    manifest: &CaseManifest,
    engine: &OncoEngine<'_>,
    transcripts: &TranscriptModel,
    panel: Option<&Regions>,
    case: &mut SomaticCase,
) -> Result<u64, LoadError> {
    let s = &manifest.somatic;
    // Sample choice needs the header first: open once, look, then reselect.
    let mut reader = source.open(&ReaderOptions {
        use_index: false,
        allow_grch37: true,
        ..ReaderOptions::default()
    })?;
    let header = reader.header().clone();
    let build = header.build().clone();
    match (build.build, manifest.assembly) {
        (tailor_genome::GenomeBuild::Grch37, Assembly::GRCh38) => {
            return Err(LoadError::Grch37Undeclared {
                path: path.to_path_buf(),
                evidence: format!("the file looks like GRCh37 ({})", build.evidence),
            })
        }
        (tailor_genome::GenomeBuild::Grch38, Assembly::GRCh37) => {
            return Err(LoadError::Input {
                path: path.to_path_buf(),
                message: format!(
                    "the case says GRCh37 but the file looks like GRCh38 ({})",
                    build.evidence
                ),
            })
        }
        _ => {}
    }
    let samples = header.samples().to_vec();
    let sample = match (&s.tumor_sample, samples.len()) {
        (Some(name), _) => {
            if !samples.contains(name) {
                return Err(LoadError::Input {
                    path: path.to_path_buf(),
                    message: format!(
                        "tumour sample `{name}` is not in the file (samples: {})",
                        samples.join(", ")
                    ),
                });
            }
            Some(name.clone())
        }
        (None, 0) => None,
        (None, 1) => Some(samples[0].clone()),
        (None, _) => {
            let tumour: Vec<&String> = samples
                .iter()
                .filter(|n| {
                    let l = n.to_ascii_lowercase();
                    l.contains("tumor") || l.contains("tumour")
                })
                .collect();
            if tumour.len() == 1 {
                Some(tumour[0].clone())
            } else {
                return Err(LoadError::TumorSampleNeeded {
                    path: path.to_path_buf(),
                    found: format!(
                        "the file has {} samples ({})",
                        samples.len(),
                        samples.join(", ")
                    ),
                });
            }
        }
    };
    let defined = |key: &str, kind: tailor_genome::DefinitionKind| {
        header
            .definitions()
            .iter()
            .any(|d| d.kind == kind && d.id == key)
    };
    use tailor_genome::DefinitionKind::{Format, Info};
    // A tag given by the user must exist (as INFO or FORMAT); otherwise the first
    // default the header defines is used. Returns (FORMAT tag, INFO tag).
    let resolve = |what: &str,
                   given: Option<&String>,
                   defaults: &[(&str, tailor_genome::DefinitionKind)]|
     -> Result<(Option<String>, Option<String>), LoadError> {
        if let Some(tag) = given {
            return if defined(tag, Format) {
                Ok((Some(tag.clone()), None))
            } else if defined(tag, Info) {
                Ok((None, Some(tag.clone())))
            } else {
                Err(LoadError::Input {
                    path: path.to_path_buf(),
                    message: format!(
                        "{what} tag `{tag}` is neither an INFO nor a FORMAT field of the header"
                    ),
                })
            };
        }
        Ok(defaults
            .iter()
            .find(|(tag, kind)| defined(tag, *kind))
            .map(|(tag, kind)| match kind {
                Format => (Some(tag.to_string()), None),
                _ => (None, Some(tag.to_string())),
            })
            .unwrap_or((None, None)))
    };
    let (vaf_format, vaf_info) =
        resolve("VAF", s.vaf_tag.as_ref(), &[("AF", Format), ("TVAF", Info)])?;
    let (depth_format, depth_info) = resolve(
        "depth",
        s.depth_tag.as_ref(),
        &[("DP", Format), ("TDP", Info), ("DP", Info)],
    )?;
    let src = VafSource {
        vaf_info,
        vaf_format,
        depth_info,
        depth_format,
        ad_format: defined("AD", Format).then(|| "AD".to_string()),
    };
    let mut format_keys: Vec<String> = Vec::new();
    for k in [&src.vaf_format, &src.depth_format, &src.ad_format]
        .into_iter()
        .flatten()
    {
        format_keys.push(k.clone());
    }
    let schema = AnnotationSchema::from_header(&header);
    reader.reselect(&ReaderOptions {
        samples: match &sample {
            Some(n) => SampleSelection::Named(vec![n.clone()]),
            None => SampleSelection::Named(Vec::new()),
        },
        use_index: false,
        info: true,
        format_keys,
        allow_grch37: manifest.assembly == Assembly::GRCh37,
    })?;
    let assembly = manifest.assembly;
    let label = cited(path);
    let mut records = 0u64;
    let mut used = 0u64;
    let mut counted = 0u64;
    let mut filtered = 0u64;
    let mut not_reported = 0u64;
    let mut variants = Vec::new();
    let mut unannotated = Vec::new();
    reader.read_all(|site| {
        records += 1;
        if !site.filter.is_pass() {
            filtered += 1;
            return;
        }
        used += 1;
        let consequences = schema.as_ref().map(|sc| sc.parse(site)).unwrap_or_default();
        for (alt_index, alt) in site.alts.iter().enumerate() {
            if alt == "*" || alt.starts_with('<') || alt == "." {
                continue;
            }
            let mut v = SmallVariant {
                gene: None,
                chrom: normalize_chrom(&site.chrom).to_string(),
                pos: site.pos,
                ref_allele: site.ref_allele.clone(),
                alt_allele: alt.clone(),
                protein: None,
                class: VariantClass::Unknown,
                exon: None,
                exon_count: None,
                splice_site_of_exon: None,
                codon: None,
                codon_from_position: false,
                transcript: None,
                hgvsc: None,
                vaf: vaf_of(site, &src, alt_index),
                depth: depth_of(site, &src),
                annotation: AnnotationSource::None,
                record: format!("{label}:{}", site.record_number),
            };
            let best = pick_best(&consequences, alt_index, |t: &str| {
                (t.starts_with("ENST") || t.starts_with("NM_")) && transcripts.gene(t).is_some()
            });
            let annotated = if let Some(c) = best {
                v.gene = Some(c.gene.clone()).filter(|g| !g.is_empty());
                v.class = c.class;
                v.transcript = Some(c.transcript.clone()).filter(|t| !t.is_empty());
                v.hgvsc = c.hgvsc.clone();
                v.exon = c.exon.map(|(n, _)| n);
                v.exon_count = c.exon.map(|(_, m)| m);
                v.annotation = match schema.as_ref().map(|sc| sc.source()) {
                    Some(tailor_genome::annotation::AnnotationSource::Vep) => AnnotationSource::Vep,
                    _ => AnnotationSource::SnpEff,
                };
                if let Some(p) = c.hgvsp.as_deref().or(c.hgvsp_raw.as_deref()) {
                    match parse_protein(p) {
                        Ok(pc) => {
                            v.codon = pc.codon().map(|(_, n)| n);
                            v.protein = Some(pc.short());
                        }
                        Err(e) => unannotated.push(UnannotatedVariant {
                            record: v.record.clone(),
                            variant: format!("{}:{}:{}:{alt}", v.chrom, v.pos, v.ref_allele),
                            reason: format!("protein change `{p}` could not be read: {e}"),
                        }),
                    }
                }
                // A curated key may still name the protein change for an annotation
                // that has none (e.g. a splice variant).
                if v.protein.is_none() {
                    let mut probe = v.clone();
                    if engine.apply_genomic_key(&mut probe, assembly) {
                        v.protein = probe.protein;
                        v.codon = probe.codon;
                    }
                }
                if assembly == Assembly::GRCh38 {
                    fill_from_model(&mut v, transcripts);
                }
                fill_exon_from_codon(&mut v, transcripts);
                v.gene.is_some()
            } else {
                annotate_unannotated(&mut v, engine, transcripts, assembly, &mut unannotated)
            };
            if tmb::counts(&v, panel) && annotated {
                counted += 1;
            }
            if annotated {
                variants.push(v);
            } else {
                not_reported += 1;
            }
        }
    })?;
    if filtered > 0 {
        case.warnings.push(format!(
            "{filtered} record(s) of {label} did not pass the caller's filters and were not used."
        ));
    }
    case.variants.extend(variants);
    case.unannotated.extend(unannotated);
    case.not_reported += not_reported;
    case.inputs.push(input("vcf", path, records, used));
    Ok(counted)
}

fn first_number(text: &str, index: usize) -> Option<f64> {
    text.split(',')
        .nth(index)
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

fn vaf_of(site: &tailor_genome::Site, src: &VafSource, alt_index: usize) -> Option<f64> {
    if let Some(tag) = &src.vaf_format {
        if let Some(v) = site
            .format_value(0, tag)
            .and_then(|t| first_number(t, alt_index))
        {
            return Some(v);
        }
    }
    if let Some(tag) = &src.vaf_info {
        if let Some(v) = site
            .info_value(tag)
            .and_then(|t| first_number(t, alt_index))
        {
            return Some(v);
        }
    }
    if let Some(tag) = &src.ad_format {
        if let Some(ad) = site.format_value(0, tag) {
            let counts: Vec<f64> = ad
                .split(',')
                .filter_map(|v| v.trim().parse().ok())
                .collect();
            let total: f64 = counts.iter().sum();
            if let Some(alt) = counts.get(alt_index + 1) {
                if total > 0.0 {
                    return Some(alt / total);
                }
            }
        }
    }
    None
}

fn depth_of(site: &tailor_genome::Site, src: &VafSource) -> Option<u32> {
    let parse = |t: &str| {
        t.split(',')
            .next()
            .and_then(|v| v.trim().parse::<u32>().ok())
    };
    if let Some(tag) = &src.depth_format {
        if let Some(d) = site.format_value(0, tag).and_then(parse) {
            return Some(d);
        }
    }
    if let Some(tag) = &src.depth_info {
        if let Some(d) = site.info_value(tag).and_then(parse) {
            return Some(d);
        }
    }
    None
}

fn read_maf(
    path: &Path,
    reader: Box<dyn std::io::Read + Send>,
    manifest: &CaseManifest,
    engine: &OncoEngine<'_>,
    transcripts: &TranscriptModel,
    panel: Option<&Regions>,
    case: &mut SomaticCase,
) -> Result<u64, LoadError> {
    let table = tailor_case::maf::read_maf_from(reader, path)?;
    let sample = match (&manifest.somatic.tumor_sample, table.samples.len()) {
        (Some(name), _) => {
            if !table.samples.contains(name) {
                return Err(LoadError::Input {
                    path: path.to_path_buf(),
                    message: format!(
                        "tumour sample `{name}` is not in the MAF's Tumor_Sample_Barcode column ({} samples)",
                        table.samples.len()
                    ),
                });
            }
            Some(name.clone())
        }
        (None, 0 | 1) => None,
        (None, n) => {
            let shown: Vec<&str> = table.samples.iter().take(5).map(String::as_str).collect();
            return Err(LoadError::TumorSampleNeeded {
                path: path.to_path_buf(),
                found: format!(
                    "the MAF holds {n} tumour samples (e.g. {})",
                    shown.join(", ")
                ),
            });
        }
    };
    let assembly = manifest.assembly;
    let label = cited(path);
    let mut used = 0u64;
    let mut counted = 0u64;
    for r in &table.records {
        if let (Some(want), Some(have)) = (&sample, &r.sample) {
            if want != have {
                continue;
            }
        }
        if let Some(build) = r.build {
            if build != assembly {
                let evidence = format!(
                    "line {}: NCBI_Build says {build} but the case is {assembly}",
                    r.line
                );
                return Err(if build == Assembly::GRCh37 {
                    LoadError::Grch37Undeclared {
                        path: path.to_path_buf(),
                        evidence,
                    }
                } else {
                    LoadError::Input {
                        path: path.to_path_buf(),
                        message: format!("{evidence}; fix the case's assembly"),
                    }
                });
            }
        }
        used += 1;
        // MAF alleles: '-' for the empty side; convert to VCF style with no anchor (the
        // genomic-key table uses anchored alleles, so keys only match SNVs/MNVs here).
        let mut v = SmallVariant {
            gene: Some(r.gene.clone()).filter(|g| !g.is_empty() && g != "Unknown"),
            chrom: r.chrom.clone(),
            pos: r.start,
            ref_allele: r.ref_allele.clone(),
            alt_allele: r.alt_allele.clone(),
            protein: None,
            class: r.classification,
            exon: r.exon.map(|(n, _)| n),
            exon_count: r.exon.map(|(_, m)| m),
            splice_site_of_exon: None,
            codon: None,
            codon_from_position: false,
            transcript: r.transcript.clone(),
            hgvsc: r.hgvsc.clone(),
            vaf: r.vaf,
            depth: r.t_depth,
            annotation: AnnotationSource::Maf,
            record: format!("{label}:{}", r.line),
        };
        if let Some(p) = r.protein.as_deref() {
            match parse_protein(p) {
                Ok(pc) => {
                    v.codon = pc.codon().map(|(_, n)| n);
                    v.protein = Some(pc.short());
                    if v.class == VariantClass::Unknown {
                        v.class = pc.class();
                    }
                }
                Err(e) => case.unannotated.push(UnannotatedVariant {
                    record: v.record.clone(),
                    variant: format!("{}:{}:{}:{}", v.chrom, v.pos, v.ref_allele, v.alt_allele),
                    reason: format!("protein change `{p}` could not be read: {e}"),
                }),
            }
        }
        if v.protein.is_none() && v.class.is_protein_altering() {
            let mut probe = v.clone();
            if engine.apply_genomic_key(&mut probe, assembly) {
                v.protein = probe.protein;
                v.codon = probe.codon;
            } else if assembly == Assembly::GRCh37 {
                case.unannotated.push(UnannotatedVariant {
                    record: v.record.clone(),
                    variant: format!("{}:{}:{}:{}", v.chrom, v.pos, v.ref_allele, v.alt_allele),
                    reason: "GRCh37 MAF row without a protein change: matched at gene and class level only".into(),
                });
            }
        }
        if assembly == Assembly::GRCh38 && v.gene.is_some() {
            // MAF alleles have no anchor base and write '-' for the empty side; the exon
            // model wants VCF style, so indels get an 'N' anchor before them.
            let (r, a) = (
                v.ref_allele.trim_matches('-'),
                v.alt_allele.trim_matches('-'),
            );
            let mut probe = v.clone();
            if r.len() != a.len() || r.is_empty() {
                if r.is_empty() {
                    // Insertion after Start_Position.
                    probe.ref_allele = "N".into();
                    probe.alt_allele = format!("N{a}");
                } else {
                    probe.pos = v.pos.saturating_sub(1);
                    probe.ref_allele = format!("N{r}");
                    probe.alt_allele = format!("N{a}");
                }
            }
            fill_from_model(&mut probe, transcripts);
            v.exon = probe.exon;
            v.exon_count = probe.exon_count;
            v.splice_site_of_exon = probe.splice_site_of_exon;
        }
        fill_exon_from_codon(&mut v, transcripts);
        if tmb::counts(&v, panel) {
            counted += 1;
        }
        if v.gene.is_some() {
            case.variants.push(v);
        } else {
            case.not_reported += 1;
        }
    }
    case.inputs
        .push(input("maf", path, table.records.len() as u64, used));
    Ok(counted)
}
