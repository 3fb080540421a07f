//! tailor-kb (being written).
