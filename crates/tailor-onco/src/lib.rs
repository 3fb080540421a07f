//! Somatic interpretation: tumour findings to AMP/ASCO/CAP tiers, therapies, resistance
//! and TMB, every call traceable to the knowledge-base row that made it.
#![deny(missing_docs)]

pub mod biomarker;
pub mod case;
pub mod engine;
pub mod germline;
pub mod ids;
pub mod load;
pub mod rank;
pub mod tier;
pub mod tmb;
