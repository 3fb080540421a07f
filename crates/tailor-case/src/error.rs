//! The one error type of every reader in this crate.
//!
//! A pathologist or pipeline author who gets an error must be able to open the file and
//! go to the problem, so every variant names the file and, when there is one, the line
//! (1-based) and the column or manifest key involved.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong while reading a case input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The file could not be opened, or reading (or decompressing) it failed.
    #[error("{}{}: cannot read: {source}", path.display(), at_line(*line))]
    Io {
        /// The file.
        path: PathBuf,
        /// The line being read when it failed, when known.
        line: Option<usize>,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// One line of a tabular file is wrong.
    #[error("{}:{line}: {}{message}", path.display(), in_column(column.as_deref()))]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The column (header name) holding the bad value, when the problem is one value.
        column: Option<String>,
        /// What is wrong, with the value found.
        message: String,
    },
    /// The file as a whole is wrong (empty, no header, no records, sample not found).
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The YAML file (manifest or biomarkers) does not parse or does not fit the schema.
    #[error("{}{}: {message}", path.display(), at_position(*line, *column))]
    Yaml {
        /// The file.
        path: PathBuf,
        /// 1-based line, when the YAML parser knows it.
        line: Option<usize>,
        /// 1-based column, when the YAML parser knows it.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A manifest key (or the matching command-line flag) names a file that does not exist.
    #[error("{}`{key}` names {}, which does not exist", manifest_prefix(manifest.as_deref()), file.display())]
    MissingInput {
        /// The manifest, or `None` when the case was built from command-line flags.
        manifest: Option<PathBuf>,
        /// The manifest key, dotted (`somatic.maf`).
        key: String,
        /// The path after resolving it against the manifest's folder.
        file: PathBuf,
    },
    /// A path given as an input exists but is not a readable regular file (a directory,
    /// a device), or cannot be examined.
    #[error("{}{}{}: {problem}", manifest_prefix(manifest.as_deref()), key_prefix(key.as_deref()), file.display())]
    NotAFile {
        /// The manifest, when the path came from one.
        manifest: Option<PathBuf>,
        /// The manifest key, dotted, when the path came from one.
        key: Option<String>,
        /// The path after resolving it against the manifest's folder.
        file: PathBuf,
        /// What the path is instead.
        problem: tailor_core::input_file::FileProblem,
    },
    /// The VCF/BCF could not be read.
    #[error(transparent)]
    Genome(#[from] tailor_genome::Error),
    /// The input is GRCh37 and the case does not say so.
    #[error(
        "{}: {evidence}; Tailor's genomic knowledge is GRCh38: lift the file over, or declare \
         the case's assembly GRCh37 (`assembly: GRCh37`) to match by protein annotation and \
         GRCh37 keys only", path.display()
    )]
    Grch37Undeclared {
        /// File.
        path: PathBuf,
        /// What shows the assembly.
        evidence: String,
    },
    /// The input holds several tumour samples and the case names none.
    #[error(
        "{}: {found}; one case is one tumour: name it as the case's tumour sample \
         (`somatic.tumor_sample`)", path.display()
    )]
    TumorSampleNeeded {
        /// File.
        path: PathBuf,
        /// The samples found.
        found: String,
    },
    /// The case as a whole is not usable (no input at all, an invalid value given as a flag).
    #[error("{}{}{message}", manifest_prefix(manifest.as_deref()), key_prefix(key.as_deref()))]
    Case {
        /// The manifest, or `None` when the case was built from command-line flags.
        manifest: Option<PathBuf>,
        /// The manifest key involved, dotted, when there is one.
        key: Option<String>,
        /// What is wrong.
        message: String,
    },
}

impl CaseError {
    /// The file the error is about, when there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            CaseError::Io { path, .. }
            | CaseError::Line { path, .. }
            | CaseError::File { path, .. }
            | CaseError::Yaml { path, .. }
            | CaseError::NotAFile { file: path, .. }
            | CaseError::Grch37Undeclared { path, .. }
            | CaseError::TumorSampleNeeded { path, .. } => Some(path),
            CaseError::Genome(e) => Some(e.path()),
            CaseError::MissingInput { manifest, .. } | CaseError::Case { manifest, .. } => {
                manifest.as_deref()
            }
        }
    }

    /// The 1-based line the error is about, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            CaseError::Io { line, .. } | CaseError::Yaml { line, .. } => *line,
            CaseError::Line { line, .. } => Some(*line),
            _ => None,
        }
    }

    pub(crate) fn line_error(
        path: &Path,
        line: usize,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> CaseError {
        CaseError::Line {
            path: path.to_path_buf(),
            line,
            column: column.map(str::to_owned),
            message: message.into(),
        }
    }

    pub(crate) fn file_error(path: &Path, message: impl Into<String>) -> CaseError {
        CaseError::File {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

fn at_position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

fn in_column(column: Option<&str>) -> String {
    column
        .map(|c| format!("column `{c}`: "))
        .unwrap_or_default()
}

fn manifest_prefix(manifest: Option<&Path>) -> String {
    manifest
        .map(|m| format!("{}: ", m.display()))
        .unwrap_or_default()
}

fn key_prefix(key: Option<&str>) -> String {
    key.map(|k| format!("`{k}`: ")).unwrap_or_default()
}

/// Quotes a value from the input for an error message, cut short so that a binary or
/// absurdly long field cannot flood the terminal.
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 60;
        let mut chars = self.0.char_indices();
        match chars.nth(MAX) {
            Some((cut, _)) => write!(f, "`{}…`", self.0[..cut].escape_debug()),
            None => write!(f, "`{}`", self.0.escape_debug()),
        }
    }
}

/// Describes a line that is not the kind expected (a header in the wrong file, a row
/// with the wrong number of fields) by its shape only. No field of it is the offending
/// one, and the line may belong to a file the user never meant to show (a path followed
/// out of a case folder), so none of it is quoted.
pub(crate) struct Unquoted(pub(crate) usize);

impl fmt::Display for Unquoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("a line of 1 field (the line is not shown)"),
            n => write!(f, "a line of {n} fields (the line is not shown)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_error_names_file_line_and_column() {
        let e = CaseError::line_error(
            Path::new("a.maf"),
            7,
            Some("Start_Position"),
            "not a number",
        );
        assert_eq!(
            e.to_string(),
            "a.maf:7: column `Start_Position`: not a number"
        );
        assert_eq!(e.line(), Some(7));
        assert_eq!(e.path(), Some(Path::new("a.maf")));
    }

    #[test]
    fn shown_values_are_escaped_and_cut() {
        assert_eq!(Shown("a\tb").to_string(), "`a\\tb`");
        let long = "x".repeat(100);
        assert!(Shown(&long).to_string().ends_with("…`"));
    }

    #[test]
    fn missing_input_names_the_key() {
        let e = CaseError::MissingInput {
            manifest: Some(PathBuf::from("case.yaml")),
            key: "somatic.maf".into(),
            file: PathBuf::from("/x/calls.maf"),
        };
        assert_eq!(
            e.to_string(),
            "case.yaml: `somatic.maf` names /x/calls.maf, which does not exist"
        );
    }
}
