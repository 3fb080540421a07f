//! Genome IO for Tailor: one fast, strict reader for VCF and BCF.
//!
//! Every engine (pharmacogenomics now, somatic later) reads variants through
//! [`VariantReader`], so that format detection, sample selection, genome-build checks and
//! error messages behave the same everywhere. The reader is built for the PGx case: a few
//! hundred target positions in a file of millions of records. It uses a tabix/CSI index
//! when one sits beside the file and otherwise streams the file, inflating BGZF on worker
//! threads and parsing only CHROM and POS of records that cannot be targets.
//!
//! ```
//! use std::io::Write;
//! use tailor_genome::{ReaderOptions, Targets, VariantReader};
//!
//! let mut file = tempfile::NamedTempFile::new().unwrap();
//! file.write_all(b"##fileformat=VCFv4.2\n\
//! #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA12878\n\
//! chr10\t94781859\trs4244285\tG\tA\t.\tPASS\t.\tGT\t0/1\n\
//! chr10\t94781999\t.\tC\tT\t.\tPASS\t.\tGT\t1/1\n").unwrap();
//!
//! let mut reader = VariantReader::open(file.path(), &ReaderOptions::default()).unwrap();
//! let mut targets = Targets::new();
//! targets.add("10", 94_781_859, 94_781_859);
//! let mut calls = Vec::new();
//! reader.read_targets(&targets, |site| calls.push((site.pos, site.genotypes[0].alleles.clone()))).unwrap();
//! assert_eq!(calls, vec![(94_781_859, vec![Some(0), Some(1)])]);
//! ```

#![deny(missing_docs)]

pub mod annotation;
mod bcf;
pub mod bgzf;
mod error;
mod header;
mod index;
mod input;
pub mod protein;
mod reader;
mod site;
mod targets;
mod vcf;

pub use error::{Error, ErrorKind, Location};
pub use header::{
    BuildGuess, Contig, Definition, DefinitionKind, GenomeBuild, Header, MAX_HEADER_BYTES,
    MAX_SAMPLES,
};
pub use input::{Compression, FileKind, Format};
pub use reader::{ReadStats, ReaderOptions, SampleSelection, VariantInput, VariantReader};
pub use site::{Filter, FormatValues, Genotype, Site};
pub use tailor_core::normalize_chrom;
pub use targets::Targets;
