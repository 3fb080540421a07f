//! Atomic file output: write to a temporary file beside the target, then rename.
//!
//! The final name never holds a partial file. The temporary files themselves are removed
//! on every exit path a process can act on: a drop without commit (an error), and,
//! through [`remove_live_temp_files_and_exit`], an interrupt or termination signal. A
//! SIGKILL or a power cut leaves them behind, so [`sweep_stale`] removes them at the next
//! run into the same folder (and the server at start). Their names carry the writer's
//! process id (`.tailor-<pid>-XXXXXX.tmp`) so a sweep never touches a file another running
//! process is still writing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written by this process, for removal on a signal, and whether
/// the process is terminating (then no new temporary file may be created).
static LIVE: Mutex<Live> = Mutex::new(Live {
    files: Vec::new(),
    terminating: false,
});

struct Live {
    files: Vec<PathBuf>,
    terminating: bool,
}

const TEMP_PREFIX: &str = ".tailor-";
const TEMP_SUFFIX: &str = ".tmp";

fn live() -> std::sync::MutexGuard<'static, Live> {
    // A panic while holding the lock leaves a list that is still a valid list.
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// For a termination signal: removes every temporary file of this process, prints
/// `message` and exits with `code`, holding the list's lock to the end, so that no other
/// thread can create a temporary file after the removal (creation takes the same lock).
pub fn remove_live_temp_files_and_exit(message: &str, code: i32) -> ! {
    let mut live = live();
    live.terminating = true;
    for p in live.files.drain(..) {
        let _ = std::fs::remove_file(p);
    }
    eprintln!("{message}");
    std::process::exit(code)
}

/// Keeps a temporary file's path in the live list for as long as the file is ours (the
/// path is added when the file is created, under the list's lock).
struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        live().files.retain(|p| p != &self.0);
    }
}

/// Removes temporary files that an earlier run left in `dir` when it was killed: names
/// `.tailor-<pid>-*.tmp` whose process no longer runs (on Linux, no `/proc/<pid>`;
/// elsewhere, untouched for a day). Returns how many were removed; a folder that does not
/// exist has none.
pub fn sweep_stale(dir: &Path) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(writer_pid) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) || writer_alive(pid, &entry) {
            continue;
        }
        if std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The writer's process id from a temporary file name; `None` for any other name (and
/// for the pid-less names of older versions, whose writer cannot be known: 0).
fn writer_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    match rest.split_once('-') {
        Some((pid, _)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
            pid.parse().ok()
        }
        _ => Some(0),
    }
}

fn writer_alive(pid: u32, entry: &std::fs::DirEntry) -> bool {
    if pid == std::process::id() {
        return live().files.contains(&entry.path());
    }
    if cfg!(target_os = "linux") && pid != 0 {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    let day = std::time::Duration::from_secs(24 * 3600);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age < day)
}

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
    /// Dropped after `tmp` (field order), so the path leaves the list once it is gone.
    _registered: Registered,
}

impl AtomicFile {
    /// Starts writing `target` (its directory must exist).
    pub fn create(target: &Path) -> Result<Self, WriteError> {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
        // Created and listed under the lock: a termination signal that has removed the
        // listed files holds it until the process exits, so nothing is created after.
        let mut live = live();
        if live.terminating {
            return Err(WriteError {
                path: target.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"),
            });
        }
        let tmp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(dir)
            .map_err(|source| WriteError {
                path: target.to_path_buf(),
                source,
            })?;
        live.files.push(tmp.path().to_path_buf());
        drop(live);
        let registered = Registered(tmp.path().to_path_buf());
        Ok(Self {
            target: target.to_path_buf(),
            tmp,
            _registered: registered,
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

    /// What the signal handler does, limited to one folder (the handler itself exits).
    fn remove_live_under(root: &Path) -> usize {
        let mut live = live();
        let mut removed = 0;
        live.files.retain(|p| {
            if !p.starts_with(root) {
                return true;
            }
            removed += usize::from(std::fs::remove_file(p).is_ok());
            false
        });
        removed
    }

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
        assert!(!live().files.iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn signal_cleanup_removes_what_is_being_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("report.pdf")).unwrap();
        f.writer().write_all(b"%PDF-half").unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_eq!(remove_live_under(dir.path()), 1);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        drop(f);
    }

    #[test]
    fn sweep_removes_files_of_dead_writers_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        // A process id that is not running: above the Linux pid limit (2^22).
        let dead = p.join(".tailor-4999999-abc123.tmp");
        let legacy = p.join(".tailor-Xq3z9a.tmp");
        let mine_live = AtomicFile::create(&p.join("pgx.json")).unwrap();
        let other = p.join("pgx.json.tmp");
        let alive = p.join(format!(".tailor-{}-zzz.tmp", std::process::id()));
        for f in [&dead, &legacy, &other, &alive] {
            std::fs::write(f, b"x").unwrap();
        }
        let removed = sweep_stale(p).unwrap();
        // `legacy` has no pid; on Linux it is judged by age like elsewhere (new: kept).
        assert_eq!(
            removed, 2,
            "the dead writer's file and this process's stale one"
        );
        assert!(!dead.exists());
        assert!(!alive.exists(), "not in this process's live list, so stale");
        assert!(legacy.exists() && other.exists());
        assert!(
            mine_live.tmp.path().exists(),
            "a file still being written stays"
        );
        assert_eq!(sweep_stale(&p.join("absent")).unwrap(), 0);
    }
}
