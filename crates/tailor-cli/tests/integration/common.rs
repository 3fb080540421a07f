//! Helpers shared by the CLI test modules: the shared data folder, one compiled knowledge
//! base for the whole test binary, and the check that a failed run left nothing behind.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub(crate) fn shared_data() -> PathBuf {
    std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

/// One compiled KB for all tests of the binary (building it per test would dominate).
pub(crate) fn kb() -> &'static Path {
    static KB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = KB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kb.bin");
        let out = Command::new(env!("CARGO_BIN_EXE_tailor"))
            .args(["kb", "build", "--out"])
            .arg(&path)
            .arg("--data")
            .arg(shared_data())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kb build: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, path)
    });
    path
}

/// `tailor SUBCOMMAND ARGS --out OUT --kb KB --quiet`, as a command not yet run.
pub(crate) fn tailor_command(subcommand: &str, args: &[&OsStr], out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tailor"));
    c.arg(subcommand)
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--kb")
        .arg(kb())
        .arg("--quiet");
    c
}

pub(crate) fn tailor(subcommand: &str, args: &[&OsStr], out: &Path) -> Output {
    tailor_command(subcommand, args, out).output().unwrap()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a failed run: exit 2, the message contains every one of `needles`, and the
/// output folder holds no file at all (no result, no temporary file).
pub(crate) fn assert_clean_failure(o: &Output, out: &Path, needles: &[&str]) {
    let msg = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {msg}");
    for n in needles {
        assert!(msg.contains(n), "message lacks {n:?}: {msg}");
    }
    let left = files_in(out);
    assert!(left.is_empty(), "output left behind: {left:?}");
}

/// The names in a folder (none when it does not exist).
pub(crate) fn files_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
