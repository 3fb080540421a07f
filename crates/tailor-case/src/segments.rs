//! Copy-number segments: allele-specific (`Chromosome Start End nMajor nMinor`, the PCGR
//! input form, as written by ASCAT/Sequenza-like callers) or total copy number only.
//!
//! Segments are kept as given; turning them into gene amplifications and deletions needs
//! the exon model and the stated thresholds, which live in the engine.

use std::io::Read;
use std::path::Path;

use tailor_core::normalize_chrom;
use tailor_core::position::parse_position;

use crate::error::{CaseError, Shown};
use crate::text::{check_width, is_missing, Header, Lines, Separator};

/// One copy-number segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// 1-based line in the file.
    pub line: usize,
    /// Chromosome, normalised with [`tailor_core::normalize_chrom`].
    pub chrom: String,
    /// Start coordinate as written.
    pub start: u64,
    /// End coordinate as written (`>= start`).
    pub end: u64,
    /// Copies of the more frequent allele, when the file is allele-specific.
    pub n_major: Option<u32>,
    /// Copies of the less frequent allele (0 = loss of heterozygosity).
    pub n_minor: Option<u32>,
    /// Total copy number: the `total_cn`/`copy_number` column, else `n_major + n_minor`.
    pub total: u32,
}

/// Reads a segment file (plain or gzip).
///
/// ```no_run
/// let segs = tailor_case::segments::read_segments(std::path::Path::new("T001.cna.tsv"))?;
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_segments(path: &Path) -> Result<Vec<Segment>, CaseError> {
    parse(Lines::open(path)?)
}

/// Like [`read_segments`], from any reader; `source` names it in errors.
///
/// ```
/// let text = "Chromosome\tStart\tEnd\tnMajor\tnMinor\nchr17\t39687914\t39730426\t8\t1\n";
/// let segs = tailor_case::segments::read_segments_from(text.as_bytes(), std::path::Path::new("mem"))?;
/// assert_eq!((segs[0].chrom.as_str(), segs[0].total), ("17", 9));
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_segments_from<R: Read + 'static>(
    reader: R,
    source: &Path,
) -> Result<Vec<Segment>, CaseError> {
    parse(Lines::from_reader(reader, source)?)
}

fn parse(mut lines: Lines) -> Result<Vec<Segment>, CaseError> {
    let path = lines.path().to_path_buf();
    let Some((n, first)) = lines.next_content_line()? else {
        return Err(CaseError::file_error(&path, "empty segment file"));
    };
    let sep = Separator::sniff(first);
    let header = Header::new(&sep.split(first), n);
    let chrom = header.require(&path, &["Chromosome", "chrom", "chr", "chromosome_name"])?;
    let start = header.require(&path, &["Start", "start_position", "loc.start", "startpos"])?;
    let end = header.require(&path, &["End", "end_position", "loc.end", "endpos"])?;
    let major = header.find(&["nMajor", "major_cn", "nAraw", "n_major"]);
    let minor = header.find(&["nMinor", "minor_cn", "nBraw", "n_minor"]);
    let total = header.find(&["total_cn", "copy_number", "tcn", "totalCN", "CN"]);
    if total.is_none() && (major.is_none() || minor.is_none()) {
        return Err(CaseError::line_error(
            &path,
            n,
            None,
            "expected copy-number columns `nMajor` and `nMinor`, or `total_cn`/`copy_number`",
        ));
    }
    let mut out = Vec::new();
    while let Some((n, line)) = lines.next_content_line()? {
        let fields = sep.split(line);
        check_width(&path, n, &fields, &header)?;
        let field = |c: usize| fields.get(c).copied().unwrap_or("");
        let name = |c: usize| header.names.get(c).map(String::as_str);
        let int = |c: usize, what: &str| -> Result<Option<u64>, CaseError> {
            let v = field(c);
            if is_missing(v) {
                return Ok(None);
            }
            v.parse::<u64>().map(Some).map_err(|_| {
                CaseError::line_error(
                    &path,
                    n,
                    name(c),
                    format!("expected {what}, found {}", Shown(v)),
                )
            })
        };
        let copies = |c: Option<usize>| -> Result<Option<u32>, CaseError> {
            let Some(c) = c else { return Ok(None) };
            match int(c, "a non-negative integer copy number")? {
                None => Ok(None),
                Some(v) => u32::try_from(v).map(Some).map_err(|_| {
                    CaseError::line_error(
                        &path,
                        n,
                        name(c),
                        format!("copy number {v} is out of range"),
                    )
                }),
            }
        };
        let chrom_text = field(chrom);
        if is_missing(chrom_text) {
            return Err(CaseError::line_error(
                &path,
                n,
                name(chrom),
                "required value is empty",
            ));
        }
        let position = |c: usize| -> Result<u64, CaseError> {
            let v = field(c);
            if is_missing(v) {
                return Err(CaseError::line_error(
                    &path,
                    n,
                    name(c),
                    "required value is empty",
                ));
            }
            parse_position(v).map_err(|e| CaseError::line_error(&path, n, name(c), e.to_string()))
        };
        let seg_start = position(start)?;
        let seg_end = position(end)?;
        if seg_end < seg_start {
            return Err(CaseError::line_error(
                &path,
                n,
                name(end),
                format!("end {seg_end} is before start {seg_start}"),
            ));
        }
        let n_major = copies(major)?;
        let n_minor = copies(minor)?;
        let total_cn = match (copies(total)?, n_major, n_minor) {
            (Some(t), _, _) => t,
            (None, Some(a), Some(b)) => a.checked_add(b).ok_or_else(|| {
                CaseError::line_error(&path, n, None, "nMajor + nMinor is out of range")
            })?,
            _ => {
                return Err(CaseError::line_error(
                    &path,
                    n,
                    None,
                    "no total copy number: give `nMajor` and `nMinor` (or `total_cn`)",
                ))
            }
        };
        if let (Some(a), Some(b)) = (n_major, n_minor) {
            if b > a {
                return Err(CaseError::line_error(
                    &path,
                    n,
                    name(minor.unwrap_or(0)),
                    format!("nMinor {b} is larger than nMajor {a}"),
                ));
            }
        }
        out.push(Segment {
            line: n,
            chrom: normalize_chrom(chrom_text).to_owned(),
            start: seg_start,
            end: seg_end,
            n_major,
            n_minor,
            total: total_cn,
        });
    }
    if out.is_empty() {
        return Err(CaseError::line_error(
            &path,
            n,
            None,
            "the segment file has a header but no segments",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Segment>, CaseError> {
        read_segments_from(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            Path::new("s.tsv"),
        )
    }

    #[test]
    fn total_column_form() {
        let s = read("chrom start end copy_number\n7 100 200 12\nX 1 5 NA\n");
        let e = s.unwrap_err().to_string();
        assert!(e.starts_with("s.tsv:3: no total copy number"), "{e}");
        let s = read("chrom\tstart\tend\ttotal_cn\n7\t100\t200\t12\n").unwrap();
        assert_eq!((s[0].total, s[0].n_major), (12, None));
    }

    #[test]
    fn invalid_rows_name_line_and_column() {
        let h = "Chromosome\tStart\tEnd\tnMajor\tnMinor\n";
        for (row, want) in [
            (
                "1\t10\t5\t1\t1",
                "s.tsv:2: column `End`: end 5 is before start 10",
            ),
            (
                "1\t1.5\t5\t1\t1",
                "s.tsv:2: column `Start`: expected a 1-based position from 1 to 2147483647, found `1.5`",
            ),
            ("1\t1\t5\t-1\t1", "s.tsv:2: column `nMajor`"),
            (
                "1\t1\t5\t1\t2",
                "s.tsv:2: column `nMinor`: nMinor 2 is larger than nMajor 1",
            ),
            ("1\t1\t5\t1", "s.tsv:2: expected 5 fields"),
        ] {
            let e = read(&format!("{h}{row}\n")).unwrap_err().to_string();
            assert!(e.starts_with(want), "{e} should start with {want}");
        }
    }
}
