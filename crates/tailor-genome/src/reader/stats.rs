//! What a read did.

/// What a read did, for logs and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// Records looked at (every record when streaming; those in index chunks otherwise).
    pub records_scanned: u64,
    /// Records passed to the callback.
    pub records_matched: u64,
    /// Whether an index limited the read to the target regions.
    pub used_index: bool,
    /// BGZF blocks inflated (0 for plain and gzip files).
    pub blocks_decompressed: u64,
}
