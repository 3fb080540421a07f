//! tailor-report (being written).
