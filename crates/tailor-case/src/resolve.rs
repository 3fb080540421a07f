//! Where a case's file entries come from.
//!
//! A manifest names its inputs (`somatic.vcf: tumour.vcf.gz`). On the command line the
//! entry is a path, resolved against the manifest's folder. A server holds the same files
//! as uploaded parts and must never read a path a client wrote from its own disk. A
//! [`Resolver`] decides: [`DiskResolver`] hands the path on, [`MemoryResolver`] hands over
//! the bytes registered under the entry and refuses anything else. The readers then read
//! either, and every message and result names the input by its entry's file name.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::CaseError;

/// One file entry, resolved.
#[derive(Debug, Clone)]
pub enum Resolved {
    /// Read the file at this path (large indexed VCFs are read in place, not loaded).
    File(PathBuf),
    /// The entry's bytes, held in memory.
    Bytes(Arc<[u8]>),
}

impl Resolved {
    /// Opens the entry for reading from the start.
    pub fn open(&self) -> Result<Box<dyn Read + Send>, CaseError> {
        match self {
            Resolved::File(path) => Ok(Box::new(crate::limits::open_regular(path)?)),
            Resolved::Bytes(bytes) => Ok(Box::new(Cursor::new(Arc::clone(bytes)))),
        }
    }

    /// The entry as the VCF/BCF reader takes it: in place for a file (so an index beside
    /// it can be used), from memory for bytes, named by the entry.
    pub fn into_variant_input(self, entry: &Path) -> tailor_genome::VariantInput {
        match self {
            Resolved::File(path) => tailor_genome::VariantInput::File(path),
            Resolved::Bytes(bytes) => tailor_genome::VariantInput::Bytes {
                name: entry.to_path_buf(),
                bytes,
            },
        }
    }
}

/// Maps a manifest's file entries to what the readers read.
pub trait Resolver: Send + Sync {
    /// Resolves one entry as written in the manifest (after [`crate::CaseManifest`]'s
    /// own path resolution, when it did any).
    fn resolve(&self, entry: &Path) -> Result<Resolved, CaseError>;

    /// Resolves an entry and opens it for reading from the start; the readers'
    /// `read_*_from` functions take the result with the entry as its name.
    fn open(&self, entry: &Path) -> Result<Box<dyn Read + Send>, CaseError> {
        self.resolve(entry)?.open()
    }
}

/// Entries are paths on this machine's disk (the command line).
#[derive(Debug, Clone, Copy, Default)]
pub struct DiskResolver;

impl Resolver for DiskResolver {
    fn resolve(&self, entry: &Path) -> Result<Resolved, CaseError> {
        Ok(Resolved::File(entry.to_path_buf()))
    }
}

/// Entries are names of byte buffers the caller registered (uploaded parts); any other
/// entry is refused, and nothing is ever read from disk.
///
/// ```
/// use std::path::Path;
/// use tailor_case::resolve::{MemoryResolver, Resolver};
/// let mut parts = MemoryResolver::new();
/// parts.insert("fusions.tsv", b"gene5\tgene3\nEML4\tALK\n".to_vec());
/// assert!(parts.resolve(Path::new("fusions.tsv")).is_ok());
/// let refused = parts.resolve(Path::new("/etc/passwd")).unwrap_err();
/// assert!(refused.to_string().contains("no uploaded file"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryResolver {
    parts: HashMap<PathBuf, Arc<[u8]>>,
}

impl MemoryResolver {
    /// An empty set of parts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers the bytes of the entry `name` (as the manifest writes it).
    pub fn insert(&mut self, name: impl Into<PathBuf>, bytes: impl Into<Arc<[u8]>>) {
        self.parts.insert(name.into(), bytes.into());
    }
}

impl Resolver for MemoryResolver {
    fn resolve(&self, entry: &Path) -> Result<Resolved, CaseError> {
        self.parts
            .get(entry)
            .map(|bytes| Resolved::Bytes(Arc::clone(bytes)))
            .ok_or_else(|| {
                let shown = entry.file_name().map_or_else(
                    || entry.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                CaseError::file_error(
                    Path::new(&shown),
                    "no uploaded file has this name; upload it with the case",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_parts_are_read_and_nothing_else_is() {
        let mut parts = MemoryResolver::new();
        parts.insert("a/b.tsv", b"x".to_vec());
        let mut text = String::new();
        parts
            .resolve(Path::new("a/b.tsv"))
            .unwrap()
            .open()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "x");
        let e = parts.resolve(Path::new("../../etc/passwd")).unwrap_err();
        assert!(e.to_string().starts_with("passwd: "), "{e}");
        assert!(matches!(
            DiskResolver.resolve(Path::new("c.vcf")).unwrap(),
            Resolved::File(p) if p == Path::new("c.vcf")
        ));
    }
}
