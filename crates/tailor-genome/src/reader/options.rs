//! How to open a file.

/// Which samples to read genotypes for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SampleSelection {
    /// Every sample in the file.
    #[default]
    All,
    /// These samples (any order; duplicates ignored). Each must be in the file.
    Named(Vec<String>),
}

/// How to open a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderOptions {
    /// Samples to read.
    pub samples: SampleSelection,
    /// Use a `.tbi`/`.csi` index beside the file when there is one (default true).
    pub use_index: bool,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        Self {
            samples: SampleSelection::All,
            use_index: true,
        }
    }
}
