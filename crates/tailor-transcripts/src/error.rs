//! Errors of the transcript model: loading the source tables and anchoring CDS numbering.

use std::path::PathBuf;

/// An error while reading the MANE / GENCODE source tables.
///
/// Every message names the file and, for content errors, the 1-based line, so a KB build
/// that fails on a new data release says exactly which row to look at.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TranscriptError {
    /// The file could not be opened or decompressed.
    #[error("{path}: {source}")]
    Io {
        /// The file being read.
        path: PathBuf,
        /// The underlying I/O or gzip error.
        source: std::io::Error,
    },
    /// A line does not have the expected shape.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file being read.
        path: PathBuf,
        /// 1-based line number (0 when the problem is the header or the file as a whole).
        line: usize,
        /// What was expected and what was found.
        message: String,
    },
}

/// Why a CDS anchor (a genomic position with its known `c.` position) was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnchorError {
    /// No MANE transcript is known under this name.
    #[error("unknown gene or transcript {0:?}")]
    UnknownGene(String),
    /// The gene's MANE transcript has no exon model (absent from the GENCODE exon table).
    #[error("{gene} ({transcript}) has no exon model, so c. numbering cannot be anchored")]
    NoExonModel {
        /// Gene symbol.
        gene: String,
        /// MANE Select ENST.
        transcript: String,
    },
    /// `c.0` does not exist in HGVS numbering.
    #[error("{gene}: c.0 is not a valid CDS position")]
    ZeroCdsPosition {
        /// Gene symbol.
        gene: String,
    },
    /// The genomic position is not in an exon of the MANE transcript.
    #[error("{gene}: GRCh38 position {pos} is not exonic in {transcript}")]
    NotExonic {
        /// Gene symbol.
        gene: String,
        /// MANE Select ENST.
        transcript: String,
        /// The genomic position given.
        pos: u32,
    },
    /// The anchor would put c.1 outside the transcript (before its first base).
    #[error("{gene}: c.{cds} at {pos} would put c.1 outside {transcript}")]
    OutsideTranscript {
        /// Gene symbol.
        gene: String,
        /// MANE Select ENST.
        transcript: String,
        /// The genomic position given.
        pos: u32,
        /// The c. position given.
        cds: i64,
    },
    /// A second anchor implies a different numbering than the one already set.
    #[error(
        "{gene}: c.{cds} at {pos} conflicts with the existing anchor c.{existing_cds} at {existing_pos} \
         (they imply c.1 at transcript base {proposed_c1} vs {existing_c1})"
    )]
    Conflict {
        /// Gene symbol.
        gene: String,
        /// The genomic position given.
        pos: u32,
        /// The c. position given.
        cds: i64,
        /// Genomic position of the anchor already set.
        existing_pos: u32,
        /// c. position of the anchor already set.
        existing_cds: i64,
        /// Transcript base (1-based along the spliced transcript) of c.1 implied by the new anchor.
        proposed_c1: i64,
        /// Transcript base of c.1 implied by the existing anchor.
        existing_c1: i64,
    },
}
