//! Pharmacogenomics engine: genotypes to diplotypes, phenotypes and drug
//! recommendations, with PharmCAT's matching semantics.
//!
//! The stages, each usable alone: [`collect`] reads VCF/BCF inputs into genotypes at
//! every definition locus; [`matcher`] turns one sample's genotypes at one gene into
//! candidate diplotypes; [`engine`] runs both for every sample and gene and, through
//! [`annotate`], adds phenotypes and CPIC/DPWG recommendations.
#![deny(missing_docs)]

pub mod annotate;
pub mod collect;
pub mod engine;
pub mod genotype;
pub mod matcher;
pub mod model;
pub mod outside_call;
pub mod phenotype;
pub mod recommendation;
