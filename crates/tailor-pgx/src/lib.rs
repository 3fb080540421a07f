//! tailor-pgx (being written).
