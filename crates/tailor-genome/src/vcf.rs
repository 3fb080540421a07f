//! Text VCF records: a cheap test of whether a line is wanted, then a full parse of the
//! wanted ones.
//!
//! For a whole genome with PGx targets, more than 99.9% of lines are unwanted, so the test
//! reads only CHROM and POS (plus REF/ALT and INFO END when a target starts just after
//! POS). Malformed fields in unwanted lines are therefore not reported; this is the price
//! of reading at memory speed, and those fields are never used.

mod format_keys;
mod genotype;

use format_keys::FormatKeys;
use genotype::GtError;

use crate::error::{ErrorKind, Fault, FaultResult};
use crate::reader::{FieldRequest, Selection};
use crate::site::{refill_strings, Filter, Site};
use crate::targets::{self, Probe, Wanted};

/// Turns wanted lines into [`Site`]s.
pub(crate) struct LineParser<'a> {
    wanted: Wanted<'a>,
    selection: &'a Selection,
    sample_names: &'a [String],
    last_chrom: Vec<u8>,
    last_intervals: Option<&'a [(u64, u64)]>,
    has_last_chrom: bool,
    format: FormatKeys,
    keep_info: bool,
    pub(crate) site: Site,
}

fn invalid(message: String) -> Fault {
    Fault::new(ErrorKind::InvalidRecord(message))
}

fn too_few(found: usize) -> Fault {
    Fault::new(ErrorKind::TooFewColumns { expected: 8, found })
}

/// Parses a whole number of at most 19 digits (no sign).
pub(crate) fn parse_u64(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut value = 0u64;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(b - b'0');
    }
    Some(value)
}

fn text<'l>(bytes: &'l [u8], what: &str) -> FaultResult<&'l str> {
    std::str::from_utf8(bytes).map_err(|_| invalid(format!("{what} is not valid UTF-8 text")))
}

/// The field starting at `*start`, advancing past its tab; `None` when no field is left.
fn next_field<'l>(line: &'l [u8], start: &mut usize) -> Option<&'l [u8]> {
    if *start > line.len() {
        return None;
    }
    let s = *start;
    let e = memchr::memchr(b'\t', &line[s..]).map_or(line.len(), |i| s + i);
    *start = e + 1;
    Some(&line[s..e])
}

/// The INFO END value, if the INFO column has an `END=` entry.
fn info_end(info: &[u8]) -> FaultResult<Option<u64>> {
    if info == b"." {
        return Ok(None);
    }
    for entry in info.split(|&b| b == b';') {
        if let Some(value) = entry.strip_prefix(b"END=") {
            return parse_u64(value).map(Some).ok_or_else(|| {
                invalid(format!(
                    "INFO END must be a whole number, found {:?}",
                    String::from_utf8_lossy(value)
                ))
            });
        }
    }
    Ok(None)
}

/// True when ALT makes the span come from INFO END (reference block or symbolic allele).
fn alt_uses_info_end(alt: &[u8]) -> bool {
    alt == b"." || memchr::memchr(b'<', alt).is_some()
}

impl<'a> LineParser<'a> {
    pub(crate) fn new(
        wanted: Wanted<'a>,
        selection: &'a Selection,
        sample_names: &'a [String],
        request: &FieldRequest,
    ) -> Self {
        let site = Site::with_samples(selection.columns.len(), request);
        Self {
            wanted,
            selection,
            sample_names,
            last_chrom: Vec::new(),
            last_intervals: None,
            has_last_chrom: false,
            format: FormatKeys::with_requested(&request.format_keys),
            keep_info: request.info,
            site,
        }
    }

    /// Fills `self.site` from `line` if the record is wanted; returns whether it was.
    /// An empty line is skipped.
    pub(crate) fn process(&mut self, line: &[u8], record_number: u64) -> FaultResult<bool> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return Ok(false);
        }
        let Some(tab) = memchr::memchr(b'\t', line) else {
            return Err(too_few(1));
        };
        let intervals = match self.wanted {
            Wanted::All => None,
            Wanted::Targets(index) => {
                let chrom = &line[..tab];
                if !self.has_last_chrom || self.last_chrom != chrom {
                    self.last_chrom.clear();
                    self.last_chrom.extend_from_slice(chrom);
                    self.has_last_chrom = true;
                    self.last_intervals = std::str::from_utf8(chrom)
                        .ok()
                        .and_then(|c| index.intervals(c));
                }
                match self.last_intervals {
                    Some(intervals) => Some(intervals),
                    None => return Ok(false),
                }
            }
        };
        let mut cursor = tab + 1;
        let pos_bytes = match memchr::memchr(b'\t', &line[cursor..]) {
            Some(i) => &line[cursor..cursor + i],
            None => return Err(too_few(2)),
        };
        let pos = tailor_core::position::parse_position_bytes(pos_bytes).ok_or_else(|| {
            Fault::new(ErrorKind::InvalidPosition(
                tailor_core::position::position_error(pos_bytes),
            ))
        })?;
        if let Some(intervals) = intervals {
            match targets::probe(intervals, pos) {
                Probe::Hit => {}
                Probe::Miss => return Ok(false),
                Probe::NextStart(next) => {
                    cursor += pos_bytes.len() + 1;
                    if !self.span_reaches(line, cursor, pos, next)? {
                        return Ok(false);
                    }
                }
            }
        }
        self.parse_full(line, pos, record_number)?;
        Ok(match intervals {
            Some(intervals) => targets::overlaps(intervals, self.site.pos, self.site.end),
            None => true,
        })
    }

    /// For a record at `pos` with the next target at `next`: could its span reach `next`?
    /// `start` points at the ID column. Never says no to a record that overlaps.
    fn span_reaches(
        &self,
        line: &[u8],
        mut start: usize,
        pos: u64,
        next: u64,
    ) -> FaultResult<bool> {
        let mut fields = 3;
        let mut field = || {
            fields += 1;
            next_field(line, &mut start).ok_or_else(|| too_few(fields - 1))
        };
        let _id = field()?;
        let reference = field()?;
        let alt = field()?;
        let ref_end = pos + (reference.len() as u64).max(1) - 1;
        if ref_end >= next {
            return Ok(true);
        }
        if !alt_uses_info_end(alt) {
            return Ok(false);
        }
        let _qual = field()?;
        let _filter = field()?;
        let info = field()?;
        Ok(info_end(info)?.is_some_and(|end| end >= next))
    }

    fn parse_full(&mut self, line: &[u8], pos: u64, record_number: u64) -> FaultResult<()> {
        let mut start = 0;
        let mut fixed: [&[u8]; 8] = [&[]; 8];
        for (i, slot) in fixed.iter_mut().enumerate() {
            *slot = next_field(line, &mut start).ok_or_else(|| too_few(i))?;
        }
        let [chrom, _pos, id, reference, alt, _qual, filter, info] = fixed;
        let site = &mut self.site;
        site.record_number = record_number;
        site.chrom.clear();
        site.chrom.push_str(text(chrom, "CHROM")?);
        site.pos = pos;
        if id == b"." {
            site.ids.clear();
        } else {
            refill_strings(&mut site.ids, text(id, "ID")?.split(';'));
        }
        if reference.is_empty() {
            return Err(invalid("REF is empty".to_string()));
        }
        site.ref_allele.clear();
        site.ref_allele.push_str(text(reference, "REF")?);
        if alt == b"." {
            site.alts.clear();
        } else {
            refill_strings(&mut site.alts, text(alt, "ALT")?.split(','));
            if site.alts.iter().any(String::is_empty) {
                return Err(invalid(format!(
                    "ALT {:?} has an empty allele",
                    String::from_utf8_lossy(alt)
                )));
            }
        }
        match filter {
            b"PASS" => site.filter = Filter::Pass,
            b"." => site.filter = Filter::Missing,
            names => {
                let names = text(names, "FILTER")?.split(';');
                match &mut site.filter {
                    Filter::Failed(list) => refill_strings(list, names),
                    other => *other = Filter::Failed(names.map(str::to_string).collect()),
                }
            }
        }
        let ref_end = pos + reference.len() as u64 - 1;
        site.end = if Site::span_from_info_end(&site.alts) {
            info_end(info)?.unwrap_or(ref_end).max(pos)
        } else {
            ref_end
        };
        if self.keep_info {
            site.info.clear();
            if info != b"." {
                site.info.push_str(text(info, "INFO")?);
            }
        }
        let format = next_field(line, &mut start);
        self.genotypes(line, format, start)
    }

    /// Copies the requested FORMAT values of one sample column into slot row `slot`.
    // Kept out of line: the default (PGx) read never calls it, and inlining it would
    // grow the per-record loop.
    #[inline(never)]
    fn keep_values(&mut self, slot: usize, column: &[u8]) -> FaultResult<()> {
        let values = &mut self.site.format;
        values.clear_sample(slot);
        let mut bad = None;
        self.format.values(column, |k, value| {
            // '.' is stored as an empty slot, as BCF's missing values are, so that sites
            // compare equal whichever container they came from.
            if value == b"." {
                return;
            }
            if let Some(text_slot) = values.slot(slot, k) {
                match std::str::from_utf8(value) {
                    Ok(value) => text_slot.push_str(value),
                    Err(_) => bad = Some(k),
                }
            }
        });
        match bad {
            Some(k) => Err(invalid(format!(
                "sample {}: FORMAT {} is not valid UTF-8 text",
                self.sample_names
                    .get(self.selection.columns[slot])
                    .map_or("?", String::as_str),
                values.keys().get(k).map_or("?", String::as_str)
            ))),
            None => Ok(()),
        }
    }

    /// Reads GT/PS of the selected samples; `start` is where the first sample column
    /// begins. Also checks that the record has exactly the header's sample columns.
    fn genotypes(&mut self, line: &[u8], format: Option<&[u8]>, start: usize) -> FaultResult<()> {
        let total = self.selection.total;
        let Some(format) = format else {
            // A sites-only line (8 columns) in a file with samples: no calls, as htslib reads it.
            for gt in &mut self.site.genotypes {
                gt.set_missing();
            }
            self.site.format.clear();
            return Ok(());
        };
        if total == 0 {
            if start <= line.len() {
                let found = 1 + memchr::memchr_iter(b'\t', &line[start..]).count();
                return Err(Fault::new(ErrorKind::SampleColumns { expected: 0, found }));
            }
            return Ok(());
        }
        self.format.update(format);
        let alt_count = self.site.alts.len();
        let wants_values = self.format.wants_values();
        // Most files put GT first and have no PS: then a sample column is parsed in one
        // pass from its first byte, without splitting it into fields first.
        let gt_first = self.format.gt == Some(0) && self.format.ps.is_none();
        let mut column = 0usize;
        let mut cursor = start;
        for (slot, &wanted) in self.selection.columns.iter().enumerate() {
            while column < wanted {
                match memchr::memchr(b'\t', line.get(cursor..).unwrap_or_default()) {
                    Some(i) => cursor += i + 1,
                    None => {
                        return Err(Fault::new(ErrorKind::SampleColumns {
                            expected: total,
                            found: column + usize::from(cursor <= line.len()),
                        }))
                    }
                }
                column += 1;
            }
            if cursor > line.len() {
                return Err(Fault::new(ErrorKind::SampleColumns {
                    expected: total,
                    found: column,
                }));
            }
            let genotype = &mut self.site.genotypes[slot];
            let name = &self.sample_names[wanted];
            if gt_first {
                let column_start = cursor;
                let rest = &line[cursor..];
                let used = genotype::parse(rest, alt_count, genotype)
                    .map_err(|e| gt_fault(e, name, genotype::text_at(rest), alt_count))?;
                genotype.phase_set = None;
                cursor += used;
                // Step past the rest of the column (other FORMAT fields) and its tab.
                cursor = match line.get(cursor) {
                    Some(b'\t') => cursor + 1,
                    None => line.len() + 1,
                    Some(_) => memchr::memchr(b'\t', &line[cursor..])
                        .map_or(line.len() + 1, |i| cursor + i + 1),
                };
                if wants_values {
                    let column_end = (cursor - 1).min(line.len());
                    self.keep_values(slot, &line[column_start..column_end])?;
                }
            } else {
                let field = next_field(line, &mut cursor).unwrap_or_default();
                let (gt_text, ps_text) = self.format.fields(field);
                match gt_text {
                    Some(gt_text) => {
                        genotype::parse(gt_text, alt_count, genotype)
                            .map_err(|e| gt_fault(e, name, gt_text, alt_count))?;
                    }
                    None => genotype.set_missing(),
                }
                genotype.phase_set = match ps_text {
                    None | Some(b".") | Some(b"") => None,
                    Some(ps) => Some(parse_u64(ps).ok_or_else(|| {
                        invalid(format!(
                            "sample {name}: PS must be a whole number, found {:?}",
                            String::from_utf8_lossy(ps)
                        ))
                    })?),
                };
                if wants_values {
                    self.keep_values(slot, field)?;
                }
            }
            column += 1;
        }
        // Count the columns after the last selected one without parsing them.
        let found = if cursor > line.len() {
            column
        } else {
            column + 1 + memchr::memchr_iter(b'\t', &line[cursor..]).count()
        };
        if found != total {
            return Err(Fault::new(ErrorKind::SampleColumns {
                expected: total,
                found,
            }));
        }
        Ok(())
    }
}

fn gt_fault(error: GtError, sample: &str, text: &[u8], alt_count: usize) -> Fault {
    let genotype = String::from_utf8_lossy(text).into_owned();
    let sample = sample.to_string();
    Fault::new(match error {
        GtError::Syntax => ErrorKind::InvalidGenotype { sample, genotype },
        GtError::AlleleOutOfRange(allele) => ErrorKind::AlleleOutOfRange {
            sample,
            genotype,
            allele,
            alt_count,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::{TargetIndex, Targets};

    fn selection(total: usize, columns: Vec<usize>) -> Selection {
        Selection { columns, total }
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("S{i}")).collect()
    }

    #[test]
    fn full_parse_of_a_wanted_line() {
        let sel = selection(2, vec![0, 1]);
        let names = names(2);
        let mut p = LineParser::new(Wanted::All, &sel, &names, &FieldRequest::default());
        let line =
            b"chr1\t100\trs1;rs2\tAC\tA,<NON_REF>\t50\tq10;lowDP\tEND=150;DP=3\tGT:PS\t0|1:77\t1/2";
        assert!(p.process(line, 9).unwrap());
        let s = &p.site;
        assert_eq!(s.chrom, "chr1");
        assert_eq!((s.pos, s.end), (100, 150));
        assert_eq!(s.ids, vec!["rs1", "rs2"]);
        assert_eq!(s.alts, vec!["A", "<NON_REF>"]);
        assert_eq!(s.filter, Filter::Failed(vec!["q10".into(), "lowDP".into()]));
        assert_eq!(s.genotypes[0].alleles, vec![Some(0), Some(1)]);
        assert!(s.genotypes[0].phased);
        assert_eq!(s.genotypes[0].phase_set, Some(77));
        assert_eq!(s.genotypes[1].alleles, vec![Some(1), Some(2)]);
        assert_eq!(s.genotypes[1].phase_set, None);
        assert_eq!(s.record_number, 9);
    }

    #[test]
    fn end_ignores_info_end_for_ordinary_alleles() {
        let sel = selection(0, vec![]);
        let mut p = LineParser::new(Wanted::All, &sel, &[], &FieldRequest::default());
        assert!(p.process(b"1\t10\t.\tACG\tA\t.\tPASS\tEND=99", 1).unwrap());
        assert_eq!(p.site.end, 12);
        assert!(p.process(b"1\t10\t.\tA\t.\t.\tPASS\tEND=99", 2).unwrap());
        assert_eq!(p.site.end, 99);
        assert!(p.site.alts.is_empty());
        assert_eq!(p.site.filter, Filter::Pass);
    }

    #[test]
    fn reference_block_reaching_a_target_is_wanted() {
        let mut t = Targets::new();
        t.add("chr2", 1000, 1000);
        let index = TargetIndex::new(&t);
        let sel = selection(1, vec![0]);
        let names = names(1);
        let mut p = LineParser::new(
            Wanted::Targets(&index),
            &sel,
            &names,
            &FieldRequest::default(),
        );
        // A block 990..=1005 covers the target; a block 990..=999 does not.
        assert!(p
            .process(b"2\t990\t.\tA\t<NON_REF>\t.\t.\tEND=1005\tGT\t0/0", 1)
            .unwrap());
        assert_eq!(p.site.end, 1005);
        assert!(!p
            .process(b"2\t990\t.\tA\t<NON_REF>\t.\t.\tEND=999\tGT\t0/0", 2)
            .unwrap());
        // A deletion whose REF reaches the target.
        assert!(p
            .process(b"chr2\t995\t.\tAAAAAAA\tA\t.\t.\t.\tGT\t0/1", 3)
            .unwrap());
        assert!(!p
            .process(b"chr2\t995\t.\tA\tG\t.\t.\t.\tGT\t0/1", 4)
            .unwrap());
        assert!(!p
            .process(b"chr3\t1000\t.\tA\tG\t.\t.\t.\tGT\t0/1", 5)
            .unwrap());
        assert!(!p
            .process(b"chr2\t1001\t.\tA\tG\t.\t.\t.\tGT\t0/1", 6)
            .unwrap());
    }

    #[test]
    fn unwanted_lines_are_not_validated_beyond_pos() {
        let mut t = Targets::new();
        t.add("1", 5, 5);
        let index = TargetIndex::new(&t);
        let sel = selection(1, vec![0]);
        let names = names(1);
        let mut p = LineParser::new(
            Wanted::Targets(&index),
            &sel,
            &names,
            &FieldRequest::default(),
        );
        assert!(!p.process(b"1\t100\tgarbage", 1).unwrap());
        assert!(!p.process(b"X\tnot-a-number", 1).unwrap());
        let err = p.process(b"1\tten\t.", 1).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::InvalidPosition(_)));
    }

    #[test]
    fn missing_gt_and_dropped_fields_read_as_missing() {
        let sel = selection(2, vec![0, 1]);
        let names = names(2);
        let mut p = LineParser::new(Wanted::All, &sel, &names, &FieldRequest::default());
        assert!(p.process(b"1\t5\t.\tA\tG\t.\t.\t.\tDP\t3\t4", 1).unwrap());
        assert!(p.site.genotypes.iter().all(|g| g.alleles == vec![None]));
        assert!(p
            .process(b"1\t5\t.\tA\tG\t.\t.\t.\tDP:GT\t3\t4:1/1", 1)
            .unwrap());
        assert_eq!(p.site.genotypes[0].alleles, vec![None]);
        assert_eq!(p.site.genotypes[1].alleles, vec![Some(1), Some(1)]);
        assert!(p.process(b"1\t5\t.\tA\tG\t.\t.\t.", 1).unwrap());
        assert!(p.site.genotypes.iter().all(|g| g.alleles == vec![None]));
    }

    #[test]
    fn sample_column_count_must_match_the_header() {
        let sel = selection(3, vec![1]);
        let names = names(3);
        let mut p = LineParser::new(Wanted::All, &sel, &names, &FieldRequest::default());
        assert!(p
            .process(b"1\t5\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0/1\t1/1", 1)
            .unwrap());
        assert_eq!(p.site.genotypes.len(), 1);
        assert_eq!(p.site.genotypes[0].alleles, vec![Some(0), Some(1)]);
        for (line, found) in [
            (&b"1\t5\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0/1"[..], 2),
            (&b"1\t5\t.\tA\tG\t.\t.\t.\tGT\t0/0"[..], 1),
            (&b"1\t5\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0/1\t1/1\t0/0"[..], 4),
        ] {
            let err = p.process(line, 1).unwrap_err();
            match err.kind {
                ErrorKind::SampleColumns {
                    expected: 3,
                    found: f,
                } => assert_eq!(f, found),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn record_errors_name_what_is_wrong() {
        let sel = selection(1, vec![0]);
        let names = names(1);
        let mut p = LineParser::new(Wanted::All, &sel, &names, &FieldRequest::default());
        let err = p.process(b"1\t5\t.\tA\tG\t.\t.", 1).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::TooFewColumns { found: 7, .. }),
            "{:?}",
            err.kind
        );
        let err = p.process(b"1", 1).unwrap_err();
        assert!(matches!(
            err.kind,
            ErrorKind::TooFewColumns { found: 1, .. }
        ));
        let err = p
            .process(b"1\t5\t.\tA\tG\t.\t.\t.\tGT\t0/2", 1)
            .unwrap_err();
        assert!(
            matches!(&err.kind, ErrorKind::AlleleOutOfRange { sample, allele: 2, alt_count: 1, .. } if sample == "S0"),
            "{:?}",
            err.kind
        );
        let err = p
            .process(b"1\t5\t.\tA\tG\t.\t.\t.\tGT\tx/y", 1)
            .unwrap_err();
        assert!(matches!(err.kind, ErrorKind::InvalidGenotype { .. }));
        let err = p
            .process(b"1\t5\t.\tA\tG\t.\t.\t.\tGT:PS\t0|1:abc", 1)
            .unwrap_err();
        assert!(err.kind.to_string().contains("PS"), "{}", err.kind);
        let err = p.process(b"1\t5\t.\t\tG\t.\t.\t.\tGT\t0/1", 1).unwrap_err();
        assert!(err.kind.to_string().contains("REF"));
        let err = p.process(b"1\t5\t.\tA\tG\t.\t.\tEND=x\tGT\t0/1", 1);
        assert!(err.is_ok(), "END is only read for symbolic alleles");
        let err = p
            .process(b"1\t5\t.\tA\t<DEL>\t.\t.\tEND=x\tGT\t0/1", 1)
            .unwrap_err();
        assert!(err.kind.to_string().contains("END"));
    }

    #[test]
    fn parse_u64_accepts_only_digits() {
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b"1234567890"), Some(1_234_567_890));
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"-1"), None);
        assert_eq!(parse_u64(b"1e5"), None);
        assert_eq!(parse_u64(b"99999999999999999999"), None);
    }
}
