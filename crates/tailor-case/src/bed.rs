//! Panel BED files: the regions a targeted panel sequences.
//!
//! TMB from a panel counts only variants inside the panel and divides by its size, so
//! the BED decides both. BED is 0-based and half-open; [`Regions`] holds 1-based
//! inclusive intervals, merged per chromosome, with chromosome names normalised
//! (`chr1` and `1` are the same).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use tailor_core::normalize_chrom;

use crate::error::CaseError;
use crate::text::Lines;

/// Sorted, merged intervals per chromosome (1-based inclusive), e.g. a panel BED.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Regions {
    by_chrom: BTreeMap<String, Vec<(u64, u64)>>,
}

impl Regions {
    /// Builds from 1-based inclusive intervals; overlapping and touching ones merge.
    pub fn new(intervals: impl IntoIterator<Item = (String, u64, u64)>) -> Self {
        let mut by_chrom: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
        for (chrom, start, end) in intervals {
            by_chrom
                .entry(normalize_chrom(&chrom).to_string())
                .or_default()
                .push((start.min(end), start.max(end)));
        }
        for list in by_chrom.values_mut() {
            list.sort_unstable();
            let mut merged: Vec<(u64, u64)> = Vec::with_capacity(list.len());
            for &(s, e) in list.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1.saturating_add(1) => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *list = merged;
        }
        Regions { by_chrom }
    }

    /// Total length in bases.
    pub fn total_bases(&self) -> u64 {
        self.by_chrom
            .values()
            .flatten()
            .map(|(s, e)| e - s + 1)
            .sum()
    }

    /// True when the position is inside an interval.
    pub fn contains(&self, chrom: &str, pos: u64) -> bool {
        let Some(list) = self.by_chrom.get(normalize_chrom(chrom)) else {
            return false;
        };
        let i = list.partition_point(|&(s, _)| s <= pos);
        i > 0 && list[i - 1].1 >= pos
    }
}

/// Reads a panel BED file (plain or gzip).
pub fn read_bed(path: &Path) -> Result<Regions, CaseError> {
    read_bed_lines(Lines::open(path)?)
}

/// Reads panel BED bytes from any reader; `source` names them in errors.
///
/// ```
/// use std::path::Path;
/// let bed = "track name=panel\nchr7\t55019016\t55211628\tEGFR\n";
/// let panel = tailor_case::bed::read_bed_from(bed.as_bytes(), Path::new("panel.bed"))?;
/// assert!(panel.contains("7", 55191822));
/// assert_eq!(panel.total_bases(), 55211628 - 55019016);
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_bed_from<R: Read + 'static>(reader: R, source: &Path) -> Result<Regions, CaseError> {
    read_bed_lines(Lines::from_reader(reader, source)?)
}

fn read_bed_lines(mut lines: Lines) -> Result<Regions, CaseError> {
    let path = lines.path().to_path_buf();
    let mut intervals = Vec::new();
    while let Some((n, line)) = lines.next_content_line()? {
        if line.starts_with("track") || line.starts_with("browser") {
            continue;
        }
        let bad = |what: &str| CaseError::line_error(&path, n, None, what);
        let mut cols = line.split('\t');
        let (Some(chrom), Some(start), Some(end)) = (cols.next(), cols.next(), cols.next()) else {
            return Err(bad(
                "a BED line needs chrom, start and end separated by tabs",
            ));
        };
        let start: u64 = start
            .trim()
            .parse()
            .map_err(|_| bad("start is not a number"))?;
        let end: u64 = end.trim().parse().map_err(|_| bad("end is not a number"))?;
        if end <= start {
            return Err(bad(
                "end must be greater than start (BED is 0-based, half-open)",
            ));
        }
        intervals.push((chrom.to_string(), start + 1, end));
    }
    if intervals.is_empty() {
        return Err(CaseError::file_error(
            &path,
            "the panel BED has no intervals",
        ));
    }
    Ok(Regions::new(intervals))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bed(text: &str) -> Result<Regions, CaseError> {
        read_bed_from(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            Path::new("panel.bed"),
        )
    }

    #[test]
    fn regions_merge_and_contain() {
        let r = Regions::new(vec![
            ("chr1".to_string(), 10, 20),
            ("1".to_string(), 15, 30),
            ("1".to_string(), 31, 31),
            ("2".to_string(), 5, 5),
        ]);
        assert_eq!(r.total_bases(), 22 + 1);
        assert!(r.contains("1", 10) && r.contains("chr1", 31) && !r.contains("1", 32));
        assert!(!r.contains("1", 9) && r.contains("2", 5) && !r.contains("3", 5));
    }

    #[test]
    fn bed_is_zero_based_half_open() {
        let r =
            bed("track name=panel\n# comment\nchr7\t55191821\t55191822\tEGFR\r\n\n12\t100\t200\n")
                .unwrap();
        assert_eq!(r.total_bases(), 1 + 100);
        assert!(r.contains("7", 55191822) && !r.contains("7", 55191821));
        assert!(r.contains("12", 101) && r.contains("12", 200) && !r.contains("12", 100));
    }

    #[test]
    fn bad_bed_lines_name_file_and_line() {
        let e = bed("1\t10\t20\n1\tten\t20\n").unwrap_err();
        assert_eq!(e.to_string(), "panel.bed:2: start is not a number");
        let e = bed("1\t20\t20\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("panel.bed:1: end must be greater"),
            "{e}"
        );
        let e = bed("1 10 20\n").unwrap_err();
        assert!(e.to_string().contains("separated by tabs"), "{e}");
        let e = bed("# only a comment\n").unwrap_err();
        assert_eq!(e.to_string(), "panel.bed: the panel BED has no intervals");
        let e = bed("1\t\u{0}\t20\n").unwrap_err();
        assert!(e.to_string().contains("NUL"), "{e}");
    }
}
