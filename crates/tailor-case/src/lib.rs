//! Readers for a cancer case's inputs.
//!
//! The somatic engine needs a tumour's small variants, copy number, fusions and
//! biomarkers, and labs deliver them in many tool-specific files. This crate reads each
//! of them into plain typed records, refusing anything it cannot read with an error that
//! names the file, the line and the column, so a pipeline fails loudly at the input
//! instead of reporting "no actionable finding" for a case it half-read:
//!
//! - [`manifest`]: the case manifest (YAML) tying the inputs together ([`CaseManifest`]);
//! - [`maf`]: MAF files (GDC, cBioPortal, vcf2maf, TCGA legacy);
//! - [`cna`]: gene-level copy-number calls (cBioPortal discrete matrix, `gene call` TSV);
//! - [`segments`]: allele-specific copy-number segments;
//! - [`fusion`]: fusion calls (PCGR TSV, Arriba, STAR-Fusion, `gene5 gene3`);
//! - [`biomarkers`]: TMB, MSI, MMR, PD-L1, HER2, ER/PR, HRD;
//! - [`tumour_vcf`]: the tumour's small variants from a VCF/BCF (sample, assembly,
//!   allele fraction, depth and the pipeline's annotation), over `tailor-genome`'s reader;
//! - [`bed`]: panel regions.
//!
//! Every reader has a `read_*(path)` form and a `read_*_from(reader, source)` form (used
//! by tests and fuzz targets); plain and gzip input are both accepted. Interpretation
//! (thresholds, matching) is not done here.
#![deny(missing_docs)]

pub mod bed;
pub mod biomarkers;
pub mod cna;
mod error;
pub mod fusion;
pub mod limits;
pub mod maf;
pub mod manifest;
pub mod resolve;
pub mod segments;
mod text;
pub mod tumour_vcf;

pub use error::CaseError;
pub use manifest::CaseManifest;
