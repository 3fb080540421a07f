//! The genomic positions a caller wants to read.
//!
//! PGx needs ~1,200 positions out of a genome of millions of records, so the reader's main
//! job is to skip everything else cheaply. [`Targets`] is the caller-facing set (easy to
//! build in any order); [`TargetIndex`] is the compiled, sorted form the hot loop queries.

use std::collections::{BTreeMap, HashMap};

use tailor_core::normalize_chrom;

/// Target positions to read, per normalised chromosome, as inclusive 1-based intervals.
///
/// Chromosome names are normalised on insert and on query (`chr10` and `10` are the same
/// chromosome, `MT` and `chrM` too), so callers can use either naming convention.
/// Overlapping and adjacent intervals are merged: only "is this position wanted" matters.
///
/// ```
/// use tailor_genome::Targets;
/// let mut targets = Targets::new();
/// targets.add("chr10", 94_781_859, 94_781_859);
/// targets.add("10", 94_842_866, 94_842_900);
/// assert!(targets.contains("10", 94_781_859));
/// assert!(targets.contains("chr10", 94_842_870));
/// assert!(!targets.contains("10", 94_781_860));
/// assert!(targets.overlaps("10", 94_781_800, 94_781_859));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// normalised chromosome -> start -> end (disjoint, non-adjacent intervals).
    by_chrom: HashMap<String, BTreeMap<u64, u64>>,
}

impl Targets {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the inclusive interval `start..=end` on `chrom` (any naming convention).
    /// A reversed interval (`start > end`) is taken as the same interval written backwards.
    pub fn add(&mut self, chrom: &str, start: u64, end: u64) {
        let (mut start, mut end) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        let intervals = self
            .by_chrom
            .entry(normalize_chrom(chrom).to_string())
            .or_default();
        // Absorb every interval that overlaps or touches [start, end]; the last one starting
        // at or before end+1 is the only candidate at each step because they are disjoint.
        while let Some((&s, &e)) = intervals.range(..=end.saturating_add(1)).next_back() {
            if e.saturating_add(1) < start {
                break;
            }
            intervals.remove(&s);
            start = start.min(s);
            end = end.max(e);
        }
        intervals.insert(start, end);
    }

    /// True when no interval has been added.
    pub fn is_empty(&self) -> bool {
        self.by_chrom.is_empty()
    }

    /// True when `pos` (1-based) on the chromosome lies in a target interval.
    pub fn contains(&self, chrom_normalised: &str, pos: u64) -> bool {
        self.overlaps(chrom_normalised, pos, pos)
    }

    /// True when the inclusive interval `start..=end` touches any target interval.
    pub fn overlaps(&self, chrom_normalised: &str, start: u64, end: u64) -> bool {
        let (start, end) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        self.by_chrom
            .get(normalize_chrom(chrom_normalised))
            .and_then(|intervals| intervals.range(..=end).next_back())
            .is_some_and(|(_, &e)| e >= start)
    }

    /// The normalised chromosome names that have targets, in no particular order.
    pub fn chromosomes(&self) -> impl Iterator<Item = &str> {
        self.by_chrom.keys().map(String::as_str)
    }

    /// The merged intervals on one chromosome, sorted by start.
    pub fn intervals(&self, chrom: &str) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.by_chrom
            .get(normalize_chrom(chrom))
            .into_iter()
            .flat_map(|intervals| intervals.iter().map(|(&s, &e)| (s, e)))
    }
}

/// The sorted-vector form of [`Targets`] queried once per record.
///
/// A binary search over a contiguous slice is several times faster than a B-tree lookup,
/// and this query runs for every record of a whole-genome file.
#[derive(Debug, Clone, Default)]
pub(crate) struct TargetIndex {
    chroms: HashMap<String, Vec<(u64, u64)>>,
}

/// Which records a read wants.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Wanted<'a> {
    /// Every record (the somatic engine reads whole files).
    All,
    /// Records overlapping these targets.
    Targets(&'a TargetIndex),
}

/// What one record's position says about it before its span is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probe {
    /// POS is inside a target.
    Hit,
    /// Nothing at or after POS on this chromosome is a target.
    Miss,
    /// The next target starts at this position (> POS): the record is wanted only if its
    /// span reaches it.
    NextStart(u64),
}

impl TargetIndex {
    pub(crate) fn new(targets: &Targets) -> Self {
        let chroms = targets
            .by_chrom
            .iter()
            .map(|(chrom, intervals)| {
                (
                    chrom.clone(),
                    intervals.iter().map(|(&s, &e)| (s, e)).collect(),
                )
            })
            .collect();
        Self { chroms }
    }

    /// The intervals for a chromosome as written in a file (any naming convention).
    pub(crate) fn intervals(&self, chrom: &str) -> Option<&[(u64, u64)]> {
        self.chroms.get(normalize_chrom(chrom)).map(Vec::as_slice)
    }

    pub(crate) fn chromosomes(&self) -> impl Iterator<Item = (&str, &[(u64, u64)])> {
        self.chroms.iter().map(|(c, v)| (c.as_str(), v.as_slice()))
    }
}

/// Classifies `pos` against sorted disjoint intervals.
pub(crate) fn probe(intervals: &[(u64, u64)], pos: u64) -> Probe {
    let i = intervals.partition_point(|&(_, end)| end < pos);
    match intervals.get(i) {
        None => Probe::Miss,
        Some(&(start, _)) if start <= pos => Probe::Hit,
        Some(&(start, _)) => Probe::NextStart(start),
    }
}

/// True when `start..=end` touches one of the sorted disjoint intervals.
pub(crate) fn overlaps(intervals: &[(u64, u64)], start: u64, end: u64) -> bool {
    match probe(intervals, start) {
        Probe::Hit => true,
        Probe::Miss => false,
        Probe::NextStart(next) => next <= end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_overlapping_and_adjacent_intervals() {
        let mut t = Targets::new();
        t.add("chr1", 10, 20);
        t.add("1", 21, 30);
        t.add("1", 5, 12);
        t.add("1", 100, 90);
        assert_eq!(
            t.intervals("1").collect::<Vec<_>>(),
            vec![(5, 30), (90, 100)]
        );
        t.add("1", 31, 89);
        assert_eq!(t.intervals("chr1").collect::<Vec<_>>(), vec![(5, 100)]);
    }

    #[test]
    fn merge_absorbs_many_intervals_at_once() {
        let mut t = Targets::new();
        for p in (10..100).step_by(10) {
            t.add("2", p, p);
        }
        t.add("2", 1, 1000);
        assert_eq!(t.intervals("2").collect::<Vec<_>>(), vec![(1, 1000)]);
    }

    #[test]
    fn queries_normalise_chromosome_names() {
        let mut t = Targets::new();
        t.add("MT", 3, 3);
        assert!(t.contains("chrM", 3));
        assert!(t.contains("M", 3));
        assert!(!t.contains("M", 4));
        assert!(!t.contains("1", 3));
        assert!(t.overlaps("M", 1, 3));
        assert!(t.overlaps("M", 3, 1));
        assert!(!t.overlaps("M", 4, 9));
        assert!(!t.is_empty());
        assert!(Targets::new().is_empty());
    }

    #[test]
    fn probe_reports_hit_miss_or_next_start() {
        let iv = [(10, 20), (30, 30)];
        assert_eq!(probe(&iv, 5), Probe::NextStart(10));
        assert_eq!(probe(&iv, 10), Probe::Hit);
        assert_eq!(probe(&iv, 20), Probe::Hit);
        assert_eq!(probe(&iv, 21), Probe::NextStart(30));
        assert_eq!(probe(&iv, 31), Probe::Miss);
        assert!(overlaps(&iv, 25, 30));
        assert!(!overlaps(&iv, 21, 29));
        assert!(overlaps(&iv, 1, 10));
    }

    #[test]
    fn index_matches_targets_for_every_position() {
        let mut t = Targets::new();
        t.add("chr7", 100, 105);
        t.add("chr7", 200, 200);
        let index = TargetIndex::new(&t);
        let iv = index.intervals("chr7").unwrap();
        for pos in 90..210 {
            assert_eq!(overlaps(iv, pos, pos), t.contains("7", pos), "{pos}");
        }
        assert!(index.intervals("chr8").is_none());
    }
}
