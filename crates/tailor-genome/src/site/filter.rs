//! The FILTER column of a record.

/// The FILTER column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Filter {
    /// `PASS`.
    Pass,
    /// `.`: filters were not applied.
    #[default]
    Missing,
    /// The names of the filters the record failed, as written.
    Failed(Vec<String>),
}

impl Filter {
    /// True for `PASS`.
    pub fn is_pass(&self) -> bool {
        matches!(self, Filter::Pass)
    }
}
