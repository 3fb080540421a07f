//! One wording for "this path cannot be read as an input file", whichever reader or
//! command finds it.
//!
//! Readers used to test `Path::is_file()` and report every failure as "no such file", so
//! a directory or `/dev/null` given by mistake was reported as missing, and the user went
//! looking for a file that was there. The caller does the `stat` (this crate does no
//! I/O) and hands the result to [`FileProblem::of`], which says what is actually wrong.

use std::fmt;
use std::fs::Metadata;
use std::io;
use std::path::Path;

/// An input as every output cites it: its file name only, since folders can carry
/// patient names or record numbers that have no place in a report or a JSON document.
/// (Error messages on the command line keep the path the user typed.)
pub fn cited(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Why a path is not a readable input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Nothing exists at the path.
    Missing,
    /// The path is a directory.
    Directory,
    /// The path is a device, pipe or socket: readers seek and read files more than once,
    /// and a device such as `/dev/null` or `/dev/zero` is empty or endless.
    NotRegular,
    /// The path exists but cannot be examined (permissions, a broken mount).
    Unreadable(String),
}

impl FileProblem {
    /// What is wrong with a path, from the result of `std::fs::metadata` on it; `None`
    /// when it is a regular file (or a link to one).
    pub fn of(metadata: &io::Result<Metadata>) -> Option<FileProblem> {
        match metadata {
            Ok(m) if m.is_file() => None,
            Ok(m) if m.is_dir() => Some(FileProblem::Directory),
            Ok(_) => Some(FileProblem::NotRegular),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Some(FileProblem::Missing),
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                Some(FileProblem::Unreadable("permission denied".to_string()))
            }
            Err(e) => Some(FileProblem::Unreadable(e.kind().to_string())),
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::Missing => f.write_str("no such file"),
            FileProblem::Directory => f.write_str("is a directory, not a file"),
            FileProblem::NotRegular => f.write_str(
                "is not a regular file (a device, pipe or socket); write the data to a file \
                 and give its path",
            ),
            FileProblem::Unreadable(why) => write!(f, "cannot be examined: {why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_path_gets_its_own_words() {
        let dir = std::env::temp_dir();
        assert_eq!(
            FileProblem::of(&std::fs::metadata(&dir)),
            Some(FileProblem::Directory)
        );
        assert_eq!(
            FileProblem::of(&std::fs::metadata(dir.join("tailor-surely-not-here-0x1f"))),
            Some(FileProblem::Missing)
        );
        #[cfg(unix)]
        assert_eq!(
            FileProblem::of(&std::fs::metadata("/dev/null")),
            Some(FileProblem::NotRegular)
        );
        assert_eq!(
            FileProblem::of(
                &std::fs::metadata(file!()).or_else(|_| std::fs::metadata(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/Cargo.toml"
                )))
            ),
            None
        );
        assert_eq!(
            FileProblem::Directory.to_string(),
            "is a directory, not a file"
        );
        assert!(FileProblem::NotRegular
            .to_string()
            .starts_with("is not a regular file"));
    }
}
