//! The UCSC/htslib binning scheme shared by tabix and CSI indexes.
//!
//! Level `l` of a scheme with `depth` levels below the root divides the coordinate space
//! into `8^l` bins of `2^(min_shift + 3*(depth-l))` bases; bin numbers run level by level.

/// First bin number of a level: `(8^level - 1) / 7`.
pub(crate) fn first_bin(level: u32) -> u64 {
    ((1u64 << (3 * level)) - 1) / 7
}

/// Every bin that may hold records overlapping the 0-based half-open `[beg, end)`.
pub(crate) fn region_bins(beg: u64, end: u64, min_shift: u32, depth: u32) -> Vec<u32> {
    let end = end.max(beg + 1) - 1;
    let mut bins = Vec::new();
    for level in 0..=depth {
        let shift = min_shift + 3 * (depth - level);
        let first = first_bin(level);
        let last_of_level = first_bin(level + 1) - 1;
        let b = first + (beg >> shift);
        let e = (first + (end >> shift)).min(last_of_level);
        if b > e {
            continue;
        }
        bins.extend((b..=e).filter_map(|bin| u32::try_from(bin).ok()));
    }
    bins
}

/// How many bins [`region_bins`] would return, without building the list.
pub(crate) fn region_bin_count(beg: u64, end: u64, min_shift: u32, depth: u32) -> u64 {
    let end = end.max(beg + 1) - 1;
    (0..=depth)
        .map(|level| {
            let shift = min_shift + 3 * (depth - level);
            let last = (1u64 << (3 * level)) - 1;
            let b = (beg >> shift).min(last + 1);
            let e = (end >> shift).min(last);
            if b > e {
                0
            } else {
                e - b + 1
            }
        })
        .sum()
}

/// The 0-based half-open span of positions a bin covers; `None` for numbers beyond the
/// scheme (such as the metadata pseudo-bin).
pub(crate) fn bin_span(bin: u32, min_shift: u32, depth: u32) -> Option<(u64, u64)> {
    let bin = u64::from(bin);
    let level = (0..=depth).find(|&l| bin < first_bin(l + 1))?;
    let offset = bin - first_bin(level);
    let shift = min_shift + 3 * (depth - level);
    Some((offset << shift, (offset + 1) << shift))
}

/// The leaf bin containing `pos` and its ancestors up to the root, deepest first.
pub(crate) fn ancestry(pos: u64, min_shift: u32, depth: u32) -> impl Iterator<Item = u32> {
    let leaf = first_bin(depth) + (pos >> min_shift);
    std::iter::successors(Some(leaf), |&bin| (bin > 0).then(|| (bin - 1) >> 3))
        .filter_map(|bin| u32::try_from(bin).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabix_levels_match_htslib_numbering() {
        assert_eq!(first_bin(0), 0);
        assert_eq!(first_bin(1), 1);
        assert_eq!(first_bin(5), 4681);
        // A single base at 0 lies in bin 0 of each level.
        assert_eq!(region_bins(0, 1, 14, 5), vec![0, 1, 9, 73, 585, 4681]);
        // A base at 2^14 is in the second leaf.
        assert!(region_bins(16_384, 16_385, 14, 5).contains(&4682));
    }

    #[test]
    fn counting_and_spans_agree_with_enumeration() {
        for (beg, end) in [
            (0, 1),
            (5_000, 90_000),
            (1 << 20, (1 << 26) + 7),
            (0, 1 << 29),
        ] {
            let bins = region_bins(beg, end, 14, 5);
            assert_eq!(region_bin_count(beg, end, 14, 5), bins.len() as u64);
            for bin in bins {
                let (s, e) = bin_span(bin, 14, 5).unwrap();
                assert!(s < end && e > beg, "bin {bin} [{s},{e}) vs [{beg},{end})");
            }
        }
        assert_eq!(bin_span(0, 14, 5), Some((0, 1 << 29)));
        assert_eq!(bin_span(4681, 14, 5), Some((0, 1 << 14)));
        assert_eq!(bin_span(37_450, 14, 5), None);
    }

    #[test]
    fn ancestry_walks_to_the_root() {
        let path: Vec<u32> = ancestry(16_384, 14, 5).collect();
        assert_eq!(path, vec![4682, 585, 73, 9, 1, 0]);
    }

    #[test]
    fn positions_beyond_the_scheme_do_not_overflow_a_level() {
        let bins = region_bins(1 << 40, (1 << 40) + 10, 14, 5);
        assert!(bins.iter().all(|&b| u64::from(b) < first_bin(6)));
    }
}
