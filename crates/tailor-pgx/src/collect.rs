//! Reading the input files into per-sample genotypes at every definition locus.
//!
//! All genes' loci are gathered into one target set so each file is read once, in one
//! pass, for every sample at the same time: the 1000 Genomes cohort files are read once
//! for all 3,202 samples instead of once per sample.

use crate::genotype::{AlleleId, AlleleTable, LocusGenotype};
use crate::model::GeneModel;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tailor_core::normalize_chrom;
use tailor_genome::{Filter, ReaderOptions, SampleSelection, Site, Targets, VariantInput};

/// How inputs are read.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// Samples to read (default: all).
    pub samples: Option<Vec<String>>,
    /// Treat loci absent from the input as homozygous reference (for variant-only VCFs
    /// from joint calling). Each assumed locus is reported. Applied only to genes with
    /// at least one definition locus in the input, so that a gene the input does not
    /// cover at all stays uncalled.
    pub absent_is_reference: bool,
    /// Ignore records whose FILTER is set and not PASS (their loci become missing).
    /// Without it, such records are used and a warning names them.
    pub require_pass: bool,
    /// Use a .tbi/.csi index when one sits beside the file.
    pub use_index: bool,
}

/// Something noteworthy about one locus in one sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocusNote {
    /// The VCF REF disagrees with the definition's reference allele; the locus was not
    /// used.
    RefMismatch {
        /// REF as written in the input.
        vcf_ref: String,
    },
    /// The record failed FILTER.
    Filtered {
        /// FILTER values.
        filters: Vec<String>,
        /// Whether the record was still used.
        used: bool,
    },
    /// The genotype was partly missing (`0/.`, `./1`); the locus was treated as missing.
    PartialGenotype,
    /// No record: assumed homozygous reference (`--absent-is-reference`).
    AssumedReference,
    /// Several records at the locus disagreed; the first informative one was used.
    ConflictingRecords,
}

/// Genotypes of every sample at every locus of every gene.
#[derive(Debug, Clone)]
pub struct CollectedGenotypes {
    /// Sample names, in first-seen order across inputs.
    pub samples: Vec<String>,
    /// Per gene (same order as the models), per locus: the allele table.
    pub tables: Vec<Vec<AlleleTable>>,
    /// `calls[gene][sample][locus]`.
    pub calls: Vec<Vec<Vec<Option<LocusGenotype>>>>,
    /// Notes per (gene, sample, locus).
    pub notes: HashMap<(usize, usize, usize), Vec<LocusNote>>,
    /// `present[gene][locus]`: whether any input had a record at the locus. Loci absent
    /// from every input are reported once per run rather than once per sample.
    pub present: Vec<Vec<bool>>,
    /// Files read, with the statistics of each read.
    pub files: Vec<FileRead>,
}

/// What was read from one file.
#[derive(Debug, Clone)]
pub struct FileRead {
    /// Path as given.
    pub path: PathBuf,
    /// Samples in the file (selected ones).
    pub samples: usize,
    /// Records scanned.
    pub records_scanned: u64,
    /// Records at a definition locus.
    pub records_matched: u64,
    /// Whether an index was used.
    pub used_index: bool,
    /// Why an index beside the file was not used (stale, or does not fit the data).
    pub index_problem: Option<String>,
}

/// Errors while collecting genotypes.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The reader failed (file, line and cause are in the message).
    #[error(transparent)]
    Read(#[from] tailor_genome::Error),
    /// A requested sample is in none of the inputs.
    #[error("sample '{sample}' is not in any input file (samples available: {available})")]
    UnknownSample {
        /// The sample asked for.
        sample: String,
        /// Some of the samples present.
        available: String,
    },
    /// No input contained any definition locus.
    #[error("none of the {loci} pharmacogene positions were found in {files}; is this a GRCh38 VCF covering the PGx genes (or a variant-only file, whose absent positions would have to be read as reference)?")]
    NoPgxPositions {
        /// Number of loci looked for.
        loci: usize,
        /// The inputs.
        files: String,
    },
}

/// The (gene, locus) pairs at one position.
type PositionHits = (u64, Vec<(usize, usize)>);

/// Where each definition position sits in the gene models: per normalised chromosome,
/// positions sorted, each with its (gene, locus) pairs.
#[derive(Default)]
struct LocusIndex {
    by_chrom: HashMap<String, Vec<PositionHits>>,
    len: usize,
}

impl LocusIndex {
    fn at(&self, chrom: &str, pos: u64) -> &[(usize, usize)] {
        self.by_chrom
            .get(chrom)
            .and_then(|v| {
                v.binary_search_by_key(&pos, |(p, _)| *p)
                    .ok()
                    .map(|i| v[i].1.as_slice())
            })
            .unwrap_or(&[])
    }

    fn within(&self, chrom: &str, start: u64, end: u64) -> impl Iterator<Item = &(usize, usize)> {
        let v = self.by_chrom.get(chrom).map(Vec::as_slice).unwrap_or(&[]);
        let from = v.partition_point(|(p, _)| *p < start);
        v[from..]
            .iter()
            .take_while(move |(p, _)| *p <= end)
            .flat_map(|(_, hits)| hits.iter())
    }
}

/// Where the definition positions of a set of gene models are: built once per set of
/// models (an engine keeps it), used by every read.
pub struct LocusMap {
    index: LocusIndex,
    targets: Targets,
}

impl LocusMap {
    /// The positions of `models`, which must be the models later passed to
    /// [`collect_inputs_with`].
    pub fn new(models: &[GeneModel]) -> Self {
        let (index, targets) = locus_index(models);
        Self { index, targets }
    }
}

impl std::fmt::Debug for LocusMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocusMap")
            .field("positions", &self.index.len)
            .finish_non_exhaustive()
    }
}

fn locus_index(models: &[GeneModel]) -> (LocusIndex, Targets) {
    let mut map: HashMap<String, HashMap<u64, Vec<(usize, usize)>>> = HashMap::new();
    let mut targets = Targets::new();
    for (g, m) in models.iter().enumerate() {
        for (l, locus) in m.loci.iter().enumerate() {
            let chrom = normalize_chrom(&locus.chromosome).to_string();
            let end = locus.position + locus.ref_allele.len().max(1) as u64 - 1;
            targets.add(&chrom, locus.position, end);
            map.entry(chrom)
                .or_default()
                .entry(locus.position)
                .or_default()
                .push((g, l));
        }
    }
    let mut index = LocusIndex::default();
    for (chrom, positions) in map {
        index.len += positions.len();
        let mut v: Vec<PositionHits> = positions.into_iter().collect();
        v.sort_by_key(|(p, _)| *p);
        index.by_chrom.insert(chrom, v);
    }
    (index, targets)
}

/// Expresses a VCF allele of a record with reference `vcf_ref` in the definition's
/// representation at the same position (`def_ref`). Records written with more or less
/// trailing context than the definition (unnormalised multi-allelic records, for
/// example `CATAT>C,CAT` against a definition `CAT>C`) describe the same change once
/// the shared trailing bases are accounted for.
fn to_definition_space(vcf_ref: &str, allele: &str, def_ref: &str) -> Option<String> {
    if vcf_ref == def_ref {
        return Some(allele.to_string());
    }
    if let Some(extra) = vcf_ref.strip_prefix(def_ref) {
        // The record carries `extra` more reference bases; the allele must end in them.
        return allele
            .strip_suffix(extra)
            .filter(|a| !a.is_empty())
            .map(str::to_string);
    }
    if let Some(extra) = def_ref.strip_prefix(vcf_ref) {
        return Some(format!("{allele}{extra}"));
    }
    None
}

fn is_symbolic(allele: &str) -> bool {
    allele.starts_with('<') || allele == "*" || allele == "."
}

/// A genotype for one sample from one record, in locus allele ids.
enum RecordCall {
    Call(LocusGenotype),
    Partial,
    Missing,
}

/// Reads every input file and returns genotypes at every definition locus.
pub fn collect(
    models: &[GeneModel],
    inputs: &[PathBuf],
    options: &CollectOptions,
    progress: impl FnMut(&Path),
) -> Result<CollectedGenotypes, CollectError> {
    let inputs: Vec<VariantInput> = inputs.iter().cloned().map(VariantInput::from).collect();
    collect_inputs(models, &inputs, options, progress)
}

/// Reads every input, files or bytes in memory, and returns genotypes at every
/// definition locus.
pub fn collect_inputs(
    models: &[GeneModel],
    inputs: &[VariantInput],
    options: &CollectOptions,
    progress: impl FnMut(&Path),
) -> Result<CollectedGenotypes, CollectError> {
    collect_inputs_with(models, &LocusMap::new(models), inputs, options, progress)
}

/// [`collect_inputs`] with the positions of `models` located beforehand
/// ([`LocusMap::new`]), as an engine that reads many cases does.
pub fn collect_inputs_with(
    models: &[GeneModel],
    positions: &LocusMap,
    inputs: &[VariantInput],
    options: &CollectOptions,
    mut progress: impl FnMut(&Path),
) -> Result<CollectedGenotypes, CollectError> {
    let (index, targets) = (&positions.index, &positions.targets);
    let mut tables: Vec<Vec<AlleleTable>> =
        models.iter().map(GeneModel::documented_tables).collect();
    let mut samples: Vec<String> = Vec::new();
    let mut sample_ix: HashMap<String, usize> = HashMap::new();
    // Every sample name in the inputs, wanted or not, for the unknown-sample message.
    let mut in_files: Vec<String> = Vec::new();
    // calls[gene][sample][locus]. Rows are added only once a file has a record at a
    // definition position (and at the end), so memory follows what was read, not the
    // number of samples a header claims: a header of 100,000 names with no records
    // costs the names and nothing per gene.
    let mut calls: Vec<Vec<Vec<Option<LocusGenotype>>>> = vec![Vec::new(); models.len()];
    let mut seen: Vec<Vec<Vec<bool>>> = vec![Vec::new(); models.len()];
    let mut notes: HashMap<(usize, usize, usize), Vec<LocusNote>> = HashMap::new();
    let mut present: Vec<Vec<bool>> = models.iter().map(|m| vec![false; m.loci.len()]).collect();
    let mut files = Vec::new();
    let mut any_locus = false;

    let selection = match &options.samples {
        None => SampleSelection::All,
        Some(s) => SampleSelection::Named(s.clone()),
    };
    let mut found_requested = vec![false; options.samples.as_ref().map_or(0, Vec::len)];

    for input in inputs {
        let path = input.name();
        progress(path);
        let reader_opts = ReaderOptions {
            samples: SampleSelection::All,
            use_index: options.use_index,
            ..ReaderOptions::default()
        };
        let mut reader = input.open(&reader_opts)?;
        // Map this file's samples onto the run's samples (selection applied here so an
        // unknown name is reported once, across all inputs).
        let mut file_to_run: Vec<Option<usize>> = Vec::with_capacity(reader.samples().len());
        for name in reader.samples() {
            if options.samples.is_some() && in_files.len() < AVAILABLE_SHOWN + 1 {
                in_files.push(name.clone());
            }
            let wanted = match &selection {
                SampleSelection::All => true,
                SampleSelection::Named(list) => {
                    if let Some(k) = list.iter().position(|s| s == name) {
                        found_requested[k] = true;
                        true
                    } else {
                        false
                    }
                }
            };
            if !wanted {
                file_to_run.push(None);
                continue;
            }
            let ix = *sample_ix.entry(name.clone()).or_insert_with(|| {
                samples.push(name.clone());
                samples.len() - 1
            });
            file_to_run.push(Some(ix));
        }
        let run_samples = samples.len();

        let mut on_site = |site: &Site| {
            let chrom = normalize_chrom(&site.chrom);
            let ref_block = site.alts.iter().all(|a| is_symbolic(a)) && site.end > site.pos;
            if ref_block {
                // A reference block covers every definition locus inside it.
                for &(g, l) in index.within(chrom, site.pos, site.end) {
                    grow_rows(models, run_samples, &mut calls, &mut seen);
                    any_locus = true;
                    present[g][l] = true;
                    apply_ref_block(site, g, l, &file_to_run, &mut calls, &mut seen);
                }
                return;
            }
            let hits = index.at(chrom, site.pos);
            if hits.is_empty() {
                return;
            }
            grow_rows(models, run_samples, &mut calls, &mut seen);
            any_locus = true;
            for &(g, l) in hits {
                present[g][l] = true;
                let locus = &models[g].loci[l];
                let table = &mut tables[g][l];
                // Allele ids of this record's alleles in the locus table.
                let Some(ids) = record_allele_ids(site, &locus.ref_allele, table) else {
                    for run in file_to_run.iter().flatten() {
                        notes
                            .entry((g, *run, l))
                            .or_default()
                            .push(LocusNote::RefMismatch {
                                vcf_ref: site.ref_allele.clone(),
                            });
                    }
                    continue;
                };
                let failed = match &site.filter {
                    Filter::Failed(f) => Some(f.clone()),
                    _ => None,
                };
                if let Some(f) = &failed {
                    for run in file_to_run.iter().flatten() {
                        notes
                            .entry((g, *run, l))
                            .or_default()
                            .push(LocusNote::Filtered {
                                filters: f.clone(),
                                used: !options.require_pass,
                            });
                    }
                    if options.require_pass {
                        continue;
                    }
                }
                for (fs, run) in file_to_run.iter().enumerate() {
                    let Some(run) = *run else { continue };
                    let Some(gt) = site.genotypes.get(fs) else {
                        continue;
                    };
                    let rc = record_call(gt, &ids);
                    merge_call(g, run, l, rc, &mut calls, &mut seen, &mut notes);
                }
            }
        };
        let stats = reader.read_targets(targets, &mut on_site)?;
        files.push(FileRead {
            path: path.to_path_buf(),
            samples: file_to_run.iter().flatten().count(),
            records_scanned: stats.records_scanned,
            records_matched: stats.records_matched,
            used_index: stats.used_index,
            index_problem: reader.index_problem().map(str::to_string),
        });
    }

    if let Some(list) = &options.samples {
        for (k, name) in list.iter().enumerate() {
            if !found_requested[k] {
                return Err(CollectError::UnknownSample {
                    sample: name.clone(),
                    available: list_available(&in_files),
                });
            }
        }
    }
    if !any_locus {
        return Err(CollectError::NoPgxPositions {
            loci: index.len,
            files: inputs
                .iter()
                .map(|p| p.name().display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }

    grow_rows(models, samples.len(), &mut calls, &mut seen);
    if options.absent_is_reference {
        for (g, per_sample) in seen.iter().enumerate() {
            // A gene with no definition position in any input gives no sign that the
            // input covers it (e.g. a chromosome missing from the files): assuming
            // reference there would invent a normal result from no data.
            if !present[g].iter().any(|p| *p) {
                continue;
            }
            for (s, per_locus) in per_sample.iter().enumerate() {
                for (l, was_seen) in per_locus.iter().enumerate() {
                    // Only loci with no record at all for this sample: a record that was
                    // set aside (REF mismatch, failed filter) is not "absent".
                    let set_aside = notes.get(&(g, s, l)).is_some_and(|n| {
                        n.iter().any(|x| {
                            matches!(
                                x,
                                LocusNote::RefMismatch { .. }
                                    | LocusNote::Filtered { used: false, .. }
                            )
                        })
                    });
                    if !was_seen && !set_aside && calls[g][s][l].is_none() {
                        calls[g][s][l] = Some(LocusGenotype::unphased(0, 0));
                        // Loci absent from every input are reported once per run.
                        if present[g][l] {
                            notes
                                .entry((g, s, l))
                                .or_default()
                                .push(LocusNote::AssumedReference);
                        }
                    }
                }
            }
        }
    }

    Ok(CollectedGenotypes {
        samples,
        tables,
        calls,
        notes,
        present,
        files,
    })
}

/// Allele ids for REF and each ALT of `site` at a locus; `None` when the record's REF
/// cannot be reconciled with the definition's.
fn record_allele_ids(site: &Site, def_ref: &str, table: &mut AlleleTable) -> Option<Vec<AlleleId>> {
    to_definition_space(&site.ref_allele, &site.ref_allele, def_ref)?;
    let mut ids = Vec::with_capacity(1 + site.alts.len());
    ids.push(0);
    for alt in &site.alts {
        let id = if is_symbolic(alt) {
            // `<NON_REF>`, `<*>`, `*`: not a sequence the definitions can name.
            table.intern(alt)
        } else {
            match to_definition_space(&site.ref_allele, alt, def_ref) {
                Some(a) => table.intern(&a),
                None => table.intern(alt),
            }
        };
        ids.push(id);
    }
    Some(ids)
}

fn record_call(gt: &tailor_genome::Genotype, ids: &[AlleleId]) -> RecordCall {
    let mut out = [0 as AlleleId; 2];
    let n = gt.alleles.len();
    if n == 0 || gt.alleles.iter().all(Option::is_none) {
        return RecordCall::Missing;
    }
    if gt.alleles.iter().any(Option::is_none) {
        return RecordCall::Partial;
    }
    for (k, a) in gt.alleles.iter().take(2).enumerate() {
        let Some(a) = a else {
            return RecordCall::Missing;
        };
        let Some(id) = ids.get(*a as usize) else {
            return RecordCall::Missing;
        };
        out[k] = *id;
    }
    RecordCall::Call(LocusGenotype {
        a: out[0],
        b: if n >= 2 { Some(out[1]) } else { None },
        phased: gt.phased && n >= 2,
        phase_set: gt.phase_set,
    })
}

/// How many sample names an unknown-sample error lists.
const AVAILABLE_SHOWN: usize = 20;

fn list_available(names: &[String]) -> String {
    if names.is_empty() {
        return "none; the inputs have no sample columns".to_string();
    }
    let mut text = names
        .iter()
        .take(AVAILABLE_SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > AVAILABLE_SHOWN {
        text.push_str(", ...");
    }
    text
}

/// Adds empty rows for samples that have none yet (all genes at once, so
/// `calls[g].len()` is the same for every gene).
fn grow_rows(
    models: &[GeneModel],
    samples: usize,
    calls: &mut [Vec<Vec<Option<LocusGenotype>>>],
    seen: &mut [Vec<Vec<bool>>],
) {
    if calls.first().is_none_or(|c| c.len() >= samples) {
        return;
    }
    for (g, m) in models.iter().enumerate() {
        calls[g].resize_with(samples, || vec![None; m.loci.len()]);
        seen[g].resize_with(samples, || vec![false; m.loci.len()]);
    }
}

#[allow(clippy::too_many_arguments)]
fn merge_call(
    g: usize,
    s: usize,
    l: usize,
    rc: RecordCall,
    calls: &mut [Vec<Vec<Option<LocusGenotype>>>],
    seen: &mut [Vec<Vec<bool>>],
    notes: &mut HashMap<(usize, usize, usize), Vec<LocusNote>>,
) {
    seen[g][s][l] = true;
    let new = match rc {
        RecordCall::Call(c) => c,
        RecordCall::Partial => {
            notes
                .entry((g, s, l))
                .or_default()
                .push(LocusNote::PartialGenotype);
            return;
        }
        RecordCall::Missing => return,
    };
    let slot = &mut calls[g][s][l];
    match slot {
        None => *slot = Some(new),
        Some(old) => {
            // Split multi-allelic records: 0/x and 0/y make x/y; a reference call never
            // overrides a variant one.
            let old_ref = old.a == 0 && old.b_or_a() == 0;
            let new_ref = new.a == 0 && new.b_or_a() == 0;
            if old_ref {
                *slot = Some(new);
            } else if new_ref || *old == new {
            } else if old.a == 0 && new.a == 0 && old.b.is_some() && new.b.is_some() {
                *slot = Some(LocusGenotype {
                    a: old.b_or_a(),
                    b: new.b,
                    phased: old.phased && new.phased,
                    phase_set: old.phase_set,
                });
            } else {
                notes
                    .entry((g, s, l))
                    .or_default()
                    .push(LocusNote::ConflictingRecords);
            }
        }
    }
}

fn apply_ref_block(
    site: &Site,
    g: usize,
    l: usize,
    file_to_run: &[Option<usize>],
    calls: &mut [Vec<Vec<Option<LocusGenotype>>>],
    seen: &mut [Vec<Vec<bool>>],
) {
    for (fs, run) in file_to_run.iter().enumerate() {
        let Some(run) = *run else { continue };
        let Some(gt) = site.genotypes.get(fs) else {
            continue;
        };
        if gt.alleles.is_empty() || gt.alleles.iter().any(|a| *a != Some(0)) {
            continue;
        }
        seen[g][run][l] = true;
        if calls[g][run][l].is_none() {
            calls[g][run][l] = Some(if gt.alleles.len() >= 2 {
                LocusGenotype::unphased(0, 0)
            } else {
                LocusGenotype::haploid(0)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alleles_are_moved_into_the_definition_representation() {
        assert_eq!(to_definition_space("CAT", "C", "CAT").as_deref(), Some("C"));
        // Longer record REF (multi-allelic with extra context).
        assert_eq!(
            to_definition_space("CATAT", "CAT", "CAT").as_deref(),
            Some("C")
        );
        assert_eq!(
            to_definition_space("CATAT", "CATATAT", "CAT").as_deref(),
            Some("CATAT")
        );
        // Shorter record REF (SNP written against a deletion locus).
        assert_eq!(
            to_definition_space("C", "T", "CCTT").as_deref(),
            Some("TCTT")
        );
        assert_eq!(to_definition_space("G", "A", "T"), None);
        // The allele cannot lose the context it does not end with.
        assert_eq!(to_definition_space("CATAT", "C", "CAT"), None);
    }
}
