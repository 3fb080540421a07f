//! From a case manifest's files to a [`SomaticCase`]: annotation, copy-number
//! thresholds, TMB counting, over the readers of `tailor-case` (which choose the tumour
//! sample, check the assembly and read allele fraction, depth and the pipeline's
//! annotation).
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
use std::path::{Path, PathBuf};
use tailor_case::cna::CnaCall;
use tailor_case::resolve::{DiskResolver, Resolver};
use tailor_case::tumour_vcf::{read_tumour_vcf, TumourVcfOptions};
use tailor_case::{CaseError, CaseManifest};
use tailor_core::onco::{AnnotationSource, SomaticInput, UnannotatedVariant};
use tailor_core::somatic::{Assembly, Biomarkers, VariantClass};
use tailor_genome::annotation::pick_best;
use tailor_genome::protein::parse_protein;
use tailor_genome::VariantInput;
use tailor_transcripts::TranscriptModel;

/// Loading errors: every one names the file and, where there is one, the line.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A tabular input or the manifest is malformed.
    #[error(transparent)]
    Case(#[from] CaseError),
    /// Something about the inputs as a whole is wrong.
    #[error("{path}: {message}")]
    Input {
        /// File.
        path: PathBuf,
        /// What is wrong.
        message: String,
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
        Some(bed) => Some(tailor_case::bed::read_bed_from(resolver.open(bed)?, bed)?),
        None => None,
    };
    let panel_size = s
        .panel_size_mb
        .or_else(|| panel.as_ref().map(|p| p.total_bases() as f64 / 1e6));
    let mut tmb_counted: Option<u64> = None;
    if let Some(vcf) = &s.vcf {
        let counted = read_vcf(
            vcf,
            resolver.resolve(vcf)?.into_variant_input(vcf),
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

pub use tailor_core::input_file::cited;

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

/// Reads the tumour VCF through [`tailor_case::tumour_vcf`] and annotates each allele
/// (see the module documentation); returns the number of variants that count towards TMB.
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
    let options = TumourVcfOptions {
        tumor_sample: s.tumor_sample.clone(),
        vaf_tag: s.vaf_tag.clone(),
        depth_tag: s.depth_tag.clone(),
        assembly: manifest.assembly,
    };
    let assembly = manifest.assembly;
    let label = cited(path);
    let mut counted = 0u64;
    let mut not_reported = 0u64;
    let mut variants = Vec::new();
    let mut unannotated = Vec::new();
    let summary = read_tumour_vcf(path, source, &options, |allele| {
        let mut v = SmallVariant {
            vaf: allele.vaf,
            depth: allele.depth,
            ..SmallVariant::unannotated(
                allele.chrom.to_string(),
                allele.pos,
                allele.ref_allele.to_string(),
                allele.alt.to_string(),
                format!("{label}:{}", allele.record),
            )
        };
        let best = pick_best(allele.consequences, allele.alt_index, |t: &str| {
            (t.starts_with("ENST") || t.starts_with("NM_")) && transcripts.gene(t).is_some()
        });
        let annotated = if let Some(c) = best {
            v.gene = Some(c.gene.clone()).filter(|g| !g.is_empty());
            v.class = c.class;
            v.transcript = Some(c.transcript.clone()).filter(|t| !t.is_empty());
            v.hgvsc = c.hgvsc.clone();
            v.exon = c.exon.map(|(n, _)| n);
            v.exon_count = c.exon.map(|(_, m)| m);
            v.annotation = match allele.annotated_by {
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
                        variant: format!("{}:{}:{}:{}", v.chrom, v.pos, v.ref_allele, v.alt_allele),
                        reason: format!("protein change `{p}` could not be read: {e}"),
                    }),
                }
            }
            // A curated key may still name the protein change for an annotation that has
            // none (e.g. a splice variant).
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
    })?;
    case.matched_normal |= summary.matched_normal;
    if summary.filtered > 0 {
        case.warnings.push(format!(
            "{} record(s) of {label} did not pass the caller's filters and were not used.",
            summary.filtered
        ));
    }
    case.variants.extend(variants);
    case.unannotated.extend(unannotated);
    case.not_reported += not_reported;
    case.inputs
        .push(input("vcf", path, summary.records, summary.used));
    Ok(counted)
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
    let rows = table.tumour_records(
        path,
        manifest.somatic.tumor_sample.as_deref(),
        manifest.assembly,
    )?;
    let assembly = manifest.assembly;
    let label = cited(path);
    let mut used = 0u64;
    let mut counted = 0u64;
    for r in rows {
        case.matched_normal |= r.normal_sample.is_some();
        used += 1;
        // MAF alleles: '-' for the empty side; convert to VCF style with no anchor (the
        // genomic-key table uses anchored alleles, so keys only match SNVs/MNVs here).
        let mut v = SmallVariant {
            gene: Some(r.gene.clone()).filter(|g| !g.is_empty() && g != "Unknown"),
            class: r.classification,
            exon: r.exon.map(|(n, _)| n),
            exon_count: r.exon.map(|(_, m)| m),
            transcript: r.transcript.clone(),
            hgvsc: r.hgvsc.clone(),
            vaf: r.vaf,
            depth: r.t_depth,
            annotation: AnnotationSource::Maf,
            ..SmallVariant::unannotated(
                r.chrom.clone(),
                r.start,
                r.ref_allele.clone(),
                r.alt_allele.clone(),
                format!("{label}:{}", r.line),
            )
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
