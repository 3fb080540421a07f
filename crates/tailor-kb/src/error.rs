//! Errors of the knowledge base: importing sources and reading/writing the artifact.
//!
//! Every message names the file and, for source data, the JSON path of the offending
//! value (`namedAlleles[3].alleles`), because the person who sees it is usually updating
//! a data file and needs to know exactly where to look.

use std::fmt;
use std::path::{Path, PathBuf};

/// An error from building, writing or reading the knowledge base.
#[derive(Debug)]
pub struct Error {
    kind: Box<ErrorKind>,
}

impl Error {
    /// What went wrong, for callers that react differently to different failures (for
    /// example rebuilding the KB when the artifact is stale but not when a source file
    /// is malformed).
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        ErrorKind::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
        .into()
    }

    pub(crate) fn json(
        path: &Path,
        json_path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ErrorKind::Json {
            path: path.to_path_buf(),
            json_path: json_path.into(),
            message: message.into(),
        }
        .into()
    }

    pub(crate) fn invalid(
        path: &Path,
        json_path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ErrorKind::Invalid {
            path: path.to_path_buf(),
            json_path: json_path.into(),
            message: message.into(),
        }
        .into()
    }

    pub(crate) fn table(
        path: &Path,
        line: usize,
        column: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ErrorKind::Table {
            path: path.to_path_buf(),
            line,
            column,
            field: field.into(),
            message: message.into(),
        }
        .into()
    }

    pub(crate) fn transcripts(message: String) -> Self {
        ErrorKind::Transcripts { message }.into()
    }

    pub(crate) fn artifact(path: &Path, problem: ArtifactProblem) -> Self {
        ErrorKind::Artifact {
            path: path.to_path_buf(),
            problem,
        }
        .into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self {
            kind: Box::new(kind),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The kinds of knowledge-base errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading, listing or writing a file failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was attempted (`read`, `list`, `write`, `rename`).
        action: &'static str,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A source file is not JSON or does not have the shape the importer expects.
    #[error("{}: at {json_path}: {message}", path.display())]
    Json {
        /// The source file.
        path: PathBuf,
        /// JSON path of the offending value (`.` for the document root).
        json_path: String,
        /// What the parser expected and found.
        message: String,
    },
    /// A source file parsed but its content contradicts itself or another source.
    #[error("{}: at {json_path}: {message}", path.display())]
    Invalid {
        /// The source file.
        path: PathBuf,
        /// JSON path of the offending value.
        json_path: String,
        /// What is wrong, with expected and found values.
        message: String,
    },
    /// A tab-separated table (a curated `kb/onco` table or an upstream TSV) has a value
    /// that does not parse or contradicts another table. Printed as
    /// `file:line:column: field: message` so an editor can jump to the cell.
    #[error("{}:{line}:{column}: {field}: {message}", path.display())]
    Table {
        /// The table file (for embedded curated tables, `kb/onco/<name>`).
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based character column where the field starts.
        column: usize,
        /// Column name (`tumor_type`), or `header`/`row` for structural problems.
        field: String,
        /// What is wrong, quoting the value and, where possible, a fix.
        message: String,
    },
    /// A compiled knowledge-base file cannot be used.
    #[error("{}: {problem}", path.display())]
    Artifact {
        /// The artifact file.
        path: PathBuf,
        /// Why it cannot be used.
        problem: ArtifactProblem,
    },
    /// The exon model sources could not be read or the curated keys contradict it
    /// (the message names the file and line).
    #[error("exon model: {message}")]
    Transcripts {
        /// What is wrong.
        message: String,
    },
    /// Serialising the compiled knowledge base failed (a bug, not a data problem).
    #[error("cannot encode the compiled knowledge base: {message}")]
    Encode {
        /// Encoder message.
        message: String,
    },
}

/// Why a compiled knowledge-base file was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArtifactProblem {
    /// The file does not start with the Tailor KB magic bytes.
    #[error("not a Tailor knowledge base (bad magic header); rebuild it with `tailor kb build`")]
    NotAKnowledgeBase,
    /// The file was written by a Tailor with a different artifact format.
    #[error(
        "knowledge base format version {found} is not the supported version {expected}; \
         it was built by another Tailor version, rebuild it with `tailor kb build`"
    )]
    FormatVersion {
        /// Version found in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The file is shorter than its header says.
    #[error("truncated: header announces {expected} payload bytes, file has {found}")]
    Truncated {
        /// Payload bytes announced.
        expected: u64,
        /// Payload bytes present.
        found: u64,
    },
    /// The payload does not match its checksum.
    #[error("corrupt: payload checksum mismatch; rebuild it with `tailor kb build`")]
    ChecksumMismatch,
    /// The payload could not be decoded.
    #[error("corrupt: cannot decode payload: {0}")]
    Decode(String),
}
