//! Chromosome naming.
//!
//! Callers write `chr10`, `10`, `chrM`, `MT`; knowledge sources use `chr10`. Comparing the
//! normalised form lets Tailor accept either convention without a preprocessing step.

/// Returns the chromosome name without a `chr` prefix, with the mitochondrion as `M`.
///
/// ```
/// use tailor_core::normalize_chrom;
/// assert_eq!(normalize_chrom("chr10"), "10");
/// assert_eq!(normalize_chrom("10"), "10");
/// assert_eq!(normalize_chrom("chrX"), "X");
/// assert_eq!(normalize_chrom("MT"), "M");
/// assert_eq!(normalize_chrom("chrM"), "M");
/// ```
pub fn normalize_chrom(name: &str) -> &str {
    let bare = name
        .strip_prefix("chr")
        .or_else(|| name.strip_prefix("Chr"))
        .or_else(|| name.strip_prefix("CHR"))
        .unwrap_or(name);
    if bare == "MT" {
        "M"
    } else {
        bare
    }
}
