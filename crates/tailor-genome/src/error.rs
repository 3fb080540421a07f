//! The one error type of the variant reader.
//!
//! A user who sees an error needs three things to act: which file, where in it, and what
//! is wrong (expected vs found). [`Error`] carries exactly those; its `Display` reads
//! `"<path>: line 12: <what is wrong>"` so it can be printed as is by the CLI.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A 1-based line number of a text VCF (header lines count).
    Line(u64),
    /// A 1-based record number of a BCF file (the header is not a record).
    Record(u64),
    /// A record reached through an index, where line numbers are unknown without reading
    /// everything before it; the record is named by its position instead.
    Site {
        /// CHROM as written in the file.
        chrom: String,
        /// POS, when it could be read.
        pos: Option<u64>,
    },
    /// A byte offset into the (compressed) file, for damage below the record level.
    Offset(u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Record(n) => write!(f, "record {n}"),
            Location::Site {
                chrom,
                pos: Some(pos),
            } => write!(f, "record at {chrom}:{pos}"),
            Location::Site { chrom, pos: None } => write!(f, "record on {chrom}"),
            Location::Offset(n) => write!(f, "byte offset {n}"),
        }
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The operating system refused a read.
    #[error("cannot read the file: {0}")]
    Io(#[source] std::io::Error),
    /// The path is not a regular file (missing, a directory, a device).
    #[error("{0}")]
    NotAFile(tailor_core::input_file::FileProblem),
    /// The file has no bytes at all.
    #[error("the file is empty; expected a VCF or BCF file")]
    Empty,
    /// The bytes are not VCF or BCF (or a compressed form of them).
    #[error("not a VCF or BCF file: {0}")]
    NotVariantFile(String),
    /// The compressed stream ends early: data is missing.
    #[error("the file is truncated: {0}")]
    Truncated(String),
    /// The compressed stream is damaged (bad deflate data, checksum mismatch, bad block).
    #[error("the compressed data is corrupt: {0}")]
    Corrupt(String),
    /// A header line cannot be understood.
    #[error("malformed header: {0}")]
    Header(String),
    /// A data line has fewer tab-separated columns than VCF requires.
    #[error("expected at least {expected} tab-separated columns, found {found}")]
    TooFewColumns {
        /// How many columns the line must have at least.
        expected: usize,
        /// How many it has.
        found: usize,
    },
    /// The number of sample columns differs from the `#CHROM` header line.
    #[error("the header names {expected} samples but this record has {found} sample columns")]
    SampleColumns {
        /// Samples named in the header.
        expected: usize,
        /// Sample columns in the record.
        found: usize,
    },
    /// POS is not a position from 1 to 2^31-1 (the one rule of every Tailor reader,
    /// [`tailor_core::position`]).
    #[error("POS: {0}")]
    InvalidPosition(tailor_core::position::PositionError),
    /// A genotype names an allele the record does not have.
    #[error(
        "sample {sample}: genotype {genotype:?} refers to allele {allele} but the record has \
         only {alt_count} ALT allele(s)"
    )]
    AlleleOutOfRange {
        /// The sample whose genotype is wrong.
        sample: String,
        /// The genotype as written.
        genotype: String,
        /// The allele index it names.
        allele: u32,
        /// ALT alleles in the record.
        alt_count: usize,
    },
    /// A GT value cannot be parsed.
    #[error("sample {sample}: cannot parse genotype {genotype:?}")]
    InvalidGenotype {
        /// The sample whose genotype is wrong.
        sample: String,
        /// The genotype as written.
        genotype: String,
    },
    /// Any other malformed field of a record.
    #[error("{0}")]
    InvalidRecord(String),
    /// A requested sample is not in the file.
    #[error("sample {sample:?} is not in the file; available samples: {}", list_samples(.available))]
    UnknownSample {
        /// The sample that was asked for.
        sample: String,
        /// The samples the file has.
        available: Vec<String>,
    },
    /// The file is aligned to GRCh37, which Tailor's knowledge (GRCh38) cannot be applied to.
    #[error(
        "the file looks like GRCh37 ({evidence}); Tailor needs GRCh38 coordinates: lift the \
         file over to GRCh38 (e.g. with bcftools +liftover or Picard LiftoverVcf) or call \
         variants against GRCh38"
    )]
    Grch37 {
        /// The header facts that identify the build.
        evidence: String,
    },
    /// The index beside the file cannot be read.
    #[error(
        "index {}: {message} (delete or rebuild the index, or read without it)",
        .index.display()
    )]
    Index {
        /// The index file.
        index: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}

/// Shows at most 20 sample names, because a 3,202-sample cohort would otherwise print a
/// screenful that hides the actual message.
fn list_samples(samples: &[String]) -> String {
    const SHOWN: usize = 20;
    if samples.is_empty() {
        return "(none; the file has no sample columns)".to_string();
    }
    let mut text = samples
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if samples.len() > SHOWN {
        text.push_str(&format!(" ... and {} more", samples.len() - SHOWN));
    }
    text
}

/// An error from reading a VCF or BCF file: the file, where in it, and what is wrong.
///
/// ```
/// use tailor_genome::{ReaderOptions, VariantReader};
/// let err = VariantReader::open("missing.vcf".as_ref(), &ReaderOptions::default()).unwrap_err();
/// assert!(err.to_string().starts_with("missing.vcf: "));
/// ```
#[derive(Debug)]
pub struct Error(Box<Details>);

/// Boxed so that `Result<_, Error>` stays one pointer wide on the happy path.
#[derive(Debug)]
struct Details {
    path: PathBuf,
    location: Option<Location>,
    kind: ErrorKind,
}

impl Error {
    pub(crate) fn new(path: &Path, location: Option<Location>, kind: ErrorKind) -> Self {
        Self(Box::new(Details {
            path: path.to_path_buf(),
            location,
            kind,
        }))
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// Where in the file, when known.
    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        match &d.location {
            Some(location) => write!(f, "{}: {location}: {}", d.path.display(), d.kind),
            None => write!(f, "{}: {}", d.path.display(), d.kind),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0.kind)
    }
}

/// An error before the file path is attached: the inner layers (BGZF, line splitting,
/// record parsing) do not know the path, and carrying it through every call would cost
/// more than attaching it once at the API boundary.
#[derive(Debug)]
pub(crate) struct Fault {
    pub(crate) location: Option<Location>,
    pub(crate) kind: ErrorKind,
}

impl Fault {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self {
            location: None,
            kind,
        }
    }

    pub(crate) fn at(location: Location, kind: ErrorKind) -> Self {
        Self {
            location: Some(location),
            kind,
        }
    }

    /// Adds a location unless a more precise one is already set.
    pub(crate) fn or_at(mut self, location: impl FnOnce() -> Location) -> Self {
        if self.location.is_none() {
            self.location = Some(location());
        }
        self
    }

    pub(crate) fn with_path(self, path: &Path) -> Error {
        Error::new(path, self.location, self.kind)
    }
}

impl From<std::io::Error> for Fault {
    fn from(err: std::io::Error) -> Self {
        Fault::new(ErrorKind::Io(err))
    }
}

pub(crate) type FaultResult<T> = std::result::Result<T, Fault>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_problem() {
        let err = Error::new(
            Path::new("in.vcf"),
            Some(Location::Line(12)),
            ErrorKind::InvalidPosition(tailor_core::position::position_error(b"abc")),
        );
        assert_eq!(
            err.to_string(),
            "in.vcf: line 12: POS: expected a 1-based position from 1 to 2147483647, found `abc`"
        );
    }

    #[test]
    fn unknown_sample_lists_a_bounded_number_of_names() {
        let available: Vec<String> = (0..30).map(|i| format!("S{i}")).collect();
        let kind = ErrorKind::UnknownSample {
            sample: "X".into(),
            available,
        };
        let text = kind.to_string();
        assert!(text.contains("\"X\""));
        assert!(text.contains("S0, S1"));
        assert!(text.contains("and 10 more"));
        assert!(!text.contains("S25"));
    }
}
