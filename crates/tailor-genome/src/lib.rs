//! tailor-genome (being written).
