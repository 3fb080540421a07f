//! Atomic file output: write to a temporary file beside the target, then rename.

use std::io::Write;
use std::path::{Path, PathBuf};

/// An output file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct WriteError {
    /// The target path.
    pub path: PathBuf,
    /// The underlying I/O error.
    #[source]
    pub source: std::io::Error,
}

/// A file being written; it appears under its final name only on [`AtomicFile::commit`].
/// Dropping it without committing removes the temporary file.
pub struct AtomicFile {
    target: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Starts writing `target` (its directory must exist).
    pub fn create(target: &Path) -> Result<Self, WriteError> {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".tailor-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| WriteError {
                path: target.to_path_buf(),
                source,
            })?;
        Ok(Self {
            target: target.to_path_buf(),
            tmp,
        })
    }

    /// The writer for the content.
    pub fn writer(&mut self) -> &mut impl Write {
        self.tmp.as_file_mut()
    }

    /// Flushes, syncs and renames into place.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let target = self.target.clone();
        let err = |source| WriteError {
            path: target.clone(),
            source,
        };
        self.tmp.as_file_mut().flush().map_err(err)?;
        // Temporary files are created private (0600); a report is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(self.tmp.path(), std::fs::Permissions::from_mode(0o644))
                .map_err(err)?;
        }
        self.tmp.as_file().sync_all().map_err(err)?;
        self.tmp.persist(&self.target).map_err(|e| WriteError {
            path: self.target.clone(),
            source: e.error,
        })?;
        Ok(())
    }
}

/// Writes `bytes` to `target` atomically.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let mut f = AtomicFile::create(target)?;
    f.writer().write_all(bytes).map_err(|source| WriteError {
        path: target.to_path_buf(),
        source,
    })?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_files_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.writer().write_all(b"partial").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomic(&target, b"{}").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"{}");
    }
}
