//! Tailor's knowledge base: importers for the upstream sources, one compiled and
//! versioned artifact, and the provenance every report cites.
//!
//! The sources (PharmCAT allele definitions, phenotype tables and CPIC/DPWG guidelines;
//! see `shared/data/MANIFEST.md`) are JSON files of tens of megabytes. [`build`] reads
//! and cross-checks them once; [`KnowledgeBase::write`] stores the result as one binary
//! file that [`KnowledgeBase::read`] loads in milliseconds. [`load_or_build`] combines
//! the two so that the first `tailor` run on a fresh machine builds the artifact itself.
//!
//! ```no_run
//! let paths = tailor_kb::default_source_paths();
//! let kb = tailor_kb::build(&paths)?;
//! let cyp2c19 = kb.pgx().definition("CYP2C19").expect("defined");
//! assert_eq!(cyp2c19.chromosome, "chr10");
//! println!("knowledge base {}", kb.version());
//! # Ok::<(), tailor_kb::Error>(())
//! ```
//!
//! The knowledge base has a part per domain: [`KnowledgeBase::pgx`] and
//! [`KnowledgeBase::onco`] (curated evidence tables compiled into the library, OncoTree,
//! cancer hotspots, optional CIViC), in the same artifact.

#![deny(missing_docs)]

mod artifact;
mod error;
pub mod onco;
pub mod pgx;
mod source;

pub use artifact::FORMAT_VERSION;
pub use error::{ArtifactProblem, Error, ErrorKind};
pub use onco::OncoKnowledge;
pub use pgx::PgxKnowledge;
pub use source::{
    default_source_paths, FileStamp, SourceFile, SourceGroup, SourcePaths, SHARED_DATA_ENV,
};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tailor_core::pgx::{KnowledgeProvenance, SourceVersion};
pub use tailor_transcripts::TranscriptModel;

/// Environment variable naming the compiled knowledge-base file to use (see
/// [`default_cache_path`]).
pub const KB_PATH_ENV: &str = "TAILOR_KB";

/// One group of source files as compiled into the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    /// Which group.
    pub group: SourceGroup,
    /// Human-readable name (`PharmCAT 3.1.1 named-allele definitions`).
    pub name: String,
    /// Release and data versions found in the files
    /// (`PharmCAT 3.1.1; data 2025-11-05-00-25`).
    pub version: String,
    /// Licence/attribution line.
    pub license: String,
    /// Digest over the group's files (see [`SourceRecord::files`]).
    pub sha256: String,
    /// Every file with its own checksum.
    pub files: Vec<SourceFile>,
}

/// The compiled knowledge base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeBase {
    version: String,
    sources: Vec<SourceRecord>,
    stamps: Vec<FileStamp>,
    pgx: PgxKnowledge,
    onco: OncoKnowledge,
    /// Stored as the artifact's tail section, decoded on first use.
    #[serde(skip)]
    transcripts: LazyTranscripts,
}

/// The exon model as bincode bytes, checked and decoded the first time somatic code asks
/// for it (a PGx run never does).
#[derive(Default)]
struct LazyTranscripts {
    tail: std::sync::Arc<artifact::Tail>,
    path: PathBuf,
    model: std::sync::OnceLock<TranscriptModel>,
}

impl Clone for LazyTranscripts {
    fn clone(&self) -> Self {
        let model = std::sync::OnceLock::new();
        if let Some(m) = self.model.get() {
            let _ = model.set(m.clone());
        }
        LazyTranscripts {
            tail: self.tail.clone(),
            path: self.path.clone(),
            model,
        }
    }
}

impl PartialEq for LazyTranscripts {
    fn eq(&self, other: &Self) -> bool {
        self.tail.sha256 == other.tail.sha256
    }
}

impl std::fmt::Debug for LazyTranscripts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LazyTranscripts({} bytes)", self.tail.bytes.len())
    }
}

impl KnowledgeBase {
    /// Content version, `<newest data date>+<first 12 hex digits of the source digest>`
    /// (e.g. `2025-11-05+3f1c0a9be2d4`): two knowledge bases built from identical
    /// sources have the same version, and any change to any source changes it.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The source groups with versions, licences and checksums.
    pub fn sources(&self) -> &[SourceRecord] {
        &self.sources
    }

    /// The pharmacogenomics knowledge.
    pub fn pgx(&self) -> &PgxKnowledge {
        &self.pgx
    }

    /// The oncology knowledge: curated evidence, genes and variant keys, OncoTree,
    /// hotspots and (when built with it) CIViC.
    pub fn onco(&self) -> &OncoKnowledge {
        &self.onco
    }

    /// The MANE exon model (with CDS anchors from the curated variant keys), decoded and
    /// checksum-verified on first use.
    pub fn transcripts(&self) -> Result<&TranscriptModel, Error> {
        let lazy = &self.transcripts;
        if let Some(m) = lazy.model.get() {
            return Ok(m);
        }
        lazy.tail.verify(&lazy.path)?;
        let model: TranscriptModel = artifact::from_bytes(&lazy.path, &lazy.tail.bytes)?;
        let _ = lazy.model.set(model);
        lazy.model.get().ok_or_else(|| {
            Error::artifact(&lazy.path, ArtifactProblem::Decode("exon model".into()))
        })
    }

    /// What every report states about the knowledge it used.
    pub fn provenance(&self) -> KnowledgeProvenance {
        KnowledgeProvenance {
            kb_version: self.version.clone(),
            sources: self
                .sources
                .iter()
                .map(|s| SourceVersion {
                    name: s.name.clone(),
                    version: s.version.clone(),
                    license: s.license.clone(),
                    sha256: s.sha256.clone(),
                })
                .collect(),
        }
    }

    /// Writes the compiled artifact to `path` atomically (temporary file + rename).
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        artifact::write_atomic(path, &artifact::encode(self, &self.transcripts.tail)?)
    }

    /// Reads a compiled artifact. A file that is not a Tailor KB, was written by another
    /// format version, is truncated or fails its checksum yields
    /// [`ErrorKind::Artifact`] naming the file and the reason.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
        let (mut kb, tail): (KnowledgeBase, _) = artifact::decode(path, &bytes)?;
        kb.transcripts = LazyTranscripts {
            tail: std::sync::Arc::new(tail),
            path: path.to_path_buf(),
            model: std::sync::OnceLock::new(),
        };
        Ok(kb)
    }

    /// Whether the source files at `paths` still look like the ones this knowledge base
    /// was built from (same files, sizes and modification times). Cheap: no hashing.
    pub fn matches_sources(&self, paths: &SourcePaths) -> Result<bool, Error> {
        Ok(all_stamps(paths)? == self.stamps)
    }
}

/// Stamps of every source: PGx files, then oncology inputs (curated tables by content).
fn all_stamps(paths: &SourcePaths) -> Result<Vec<FileStamp>, Error> {
    let listed = source::list_sources(paths)?;
    let mut stamps = source::stamps(&listed)?;
    stamps.extend(onco::stamps(&onco::list(paths)?)?);
    Ok(stamps)
}

/// Imports and validates every source, and compiles the knowledge base.
///
/// Fails on the first problem with an error that names the file and the JSON path (or,
/// for tables, `file:line:column`) of the offending value; nothing is partially
/// imported.
pub fn build(paths: &SourcePaths) -> Result<KnowledgeBase, Error> {
    let listed = source::list_sources(paths)?;
    let onco_inputs = onco::list(paths)?;
    let mut stamps = source::stamps(&listed)?;
    stamps.extend(onco::stamps(&onco_inputs)?);
    let mut imported = pgx::import_all(&listed)?;
    let onco_imported = onco::import(&onco_inputs)?;
    let variant_keys_text = onco_imported.variant_keys_text.clone();
    imported.files.extend(onco_imported.files);
    for (group, v) in onco_imported.versions {
        imported.versions.entry(group).or_default().extend(v);
    }

    let mut by_group: BTreeMap<SourceGroup, Vec<SourceFile>> = BTreeMap::new();
    for f in &imported.files {
        by_group.entry(f.group).or_default().push(f.clone());
    }
    let sources: Vec<SourceRecord> = by_group
        .into_iter()
        .map(|(group, files)| {
            let data: Vec<&str> = imported
                .versions
                .get(&group)
                .map(|v| v.iter().map(String::as_str).collect())
                .unwrap_or_default();
            let version = if data.is_empty() {
                group.release().to_string()
            } else {
                format!("{}; data {}", group.release(), data.join(", "))
            };
            SourceRecord {
                group,
                name: group.name().to_string(),
                version,
                license: group.license().to_string(),
                sha256: source::digest_of_files(&files),
                files,
            }
        })
        .collect();

    let digest = source::digest_of_files(&imported.files);
    let date = imported
        .pgx
        .definitions()
        .iter()
        .filter_map(|d| data_date(&d.version))
        .max()
        .unwrap_or("undated");
    let version = format!("{date}+{}", &digest[..12]);

    let transcripts = build_transcripts(paths, &variant_keys_text)?;
    let tail = artifact::Tail::new(artifact::to_bytes(&transcripts)?);
    let lazy = LazyTranscripts {
        tail: std::sync::Arc::new(tail),
        path: PathBuf::from("(built in memory)"),
        model: std::sync::OnceLock::new(),
    };
    let _ = lazy.model.set(transcripts);

    Ok(KnowledgeBase {
        version,
        sources,
        stamps,
        pgx: imported.pgx,
        onco: onco_imported.onco,
        transcripts: lazy,
    })
}

/// Loads the exon model and anchors its c. numbering on the curated variant keys. A key
/// that contradicts the model (wrong base for the strand, not exonic, numbering that
/// disagrees with another key of the gene) fails the build: a wrong anchor would shift
/// every codon of that gene.
fn build_transcripts(
    paths: &SourcePaths,
    variant_keys: &(PathBuf, String),
) -> Result<TranscriptModel, Error> {
    let dir = &paths.onco_root;
    let [mane, exons, genes] = onco::TRANSCRIPT_FILES;
    let sources = tailor_transcripts::TranscriptSources {
        mane_summary: dir.join(mane),
        exons_bed: dir.join(exons),
        genes: dir.join(genes),
    };
    let mut model =
        TranscriptModel::load(&sources).map_err(|e| Error::transcripts(e.to_string()))?;
    let report = model
        .add_anchors_from_variant_keys(&variant_keys.0, &variant_keys.1)
        .map_err(|e| Error::transcripts(e.to_string()))?;
    if let Some(bad) = report.rejected.first() {
        return Err(Error::transcripts(format!(
            "{}:{}: variant key for {} cannot anchor the exon model: {} ({} rejected rows)",
            variant_keys.0.display(),
            bad.line,
            bad.gene,
            bad.reason,
            report.rejected.len()
        )));
    }
    Ok(model)
}

/// The `YYYY-MM-DD` prefix of a data version such as `2025-11-05-00-25`.
fn data_date(version: &str) -> Option<&str> {
    let date = version.get(..10)?;
    let b = date.as_bytes();
    let shape_ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    shape_ok.then_some(date)
}

/// How [`load_or_build`] obtained the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KbOrigin {
    /// Read from the compiled artifact.
    Cached,
    /// Built from the sources (no artifact path given, or no artifact yet).
    Built {
        /// Why the freshly built KB could not be saved, if it could not (the KB is still
        /// usable; the next run will build again).
        cache_error: Option<String>,
    },
    /// The artifact was unusable or out of date and was rebuilt.
    Rebuilt {
        /// Why the artifact was not used.
        reason: String,
        /// Why the rebuilt KB could not be saved, if it could not.
        cache_error: Option<String>,
    },
}

/// Loads the compiled knowledge base from `cache_path`, or builds it from the sources
/// (and saves it there) when it is missing, written by another format version, damaged
/// or older than the sources. This is what lets `tailor` run on a fresh machine with
/// only `../shared/data` beside the repository.
///
/// When the sources are not available at all, a valid artifact is used as it is.
///
/// ```no_run
/// let cache = tailor_kb::default_cache_path();
/// let (kb, origin) =
///     tailor_kb::load_or_build(cache.as_deref(), &tailor_kb::default_source_paths())?;
/// if let tailor_kb::KbOrigin::Rebuilt { reason, .. } = origin {
///     eprintln!("rebuilt knowledge base {}: {reason}", kb.version());
/// }
/// # Ok::<(), tailor_kb::Error>(())
/// ```
pub fn load_or_build(
    cache_path: Option<&Path>,
    paths: &SourcePaths,
) -> Result<(KnowledgeBase, KbOrigin), Error> {
    let Some(cache) = cache_path else {
        return Ok((build(paths)?, KbOrigin::Built { cache_error: None }));
    };
    let reason = if cache.exists() {
        match KnowledgeBase::read(cache) {
            Ok(kb) => match kb.matches_sources(paths) {
                Ok(true) => return Ok((kb, KbOrigin::Cached)),
                Ok(false) => format!(
                    "the sources changed since knowledge base {} was built",
                    kb.version()
                ),
                // Sources absent or unreadable: the artifact is all we have.
                Err(_) => return Ok((kb, KbOrigin::Cached)),
            },
            Err(e) if matches!(e.kind(), ErrorKind::Artifact { .. }) => e.to_string(),
            Err(e) => return Err(e),
        }
    } else {
        String::new()
    };
    let kb = build(paths)?;
    let cache_error = kb.write(cache).err().map(|e| e.to_string());
    let origin = if reason.is_empty() {
        KbOrigin::Built { cache_error }
    } else {
        KbOrigin::Rebuilt {
            reason,
            cache_error,
        }
    };
    Ok((kb, origin))
}

/// Where the compiled knowledge base lives by default: `$TAILOR_KB` if set, otherwise
/// `$XDG_CACHE_HOME/tailor/kb-v<FORMAT_VERSION>.bin` (or `~/.cache/tailor/...`). The
/// format version is in the name so that Tailor versions with different formats do not
/// keep rebuilding over each other. `None` when no home directory is known.
pub fn default_cache_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(KB_PATH_ENV) {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(
        base.join("tailor")
            .join(format!("kb-v{FORMAT_VERSION}.bin")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_date_takes_the_day() {
        assert_eq!(data_date("2025-11-05-00-25"), Some("2025-11-05"));
        assert_eq!(data_date("v1.30.0"), None);
        assert_eq!(data_date("2025"), None);
    }
}
