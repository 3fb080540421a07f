//! GT values such as `0/1`, `1|2`, `.`, `./1` parsed straight from bytes.
//!
//! This runs once per sample per target record (3,202 times per record for 1000 Genomes),
//! so it works on the raw bytes and writes into a reused [`Genotype`] without allocating.

use crate::site::Genotype;

/// Why a GT value could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GtError {
    /// Not GT syntax.
    Syntax,
    /// Names an allele index above the number of ALT alleles.
    AlleleOutOfRange(u32),
}

/// Parses the GT at the start of `text` into `gt` (its `phase_set` is left alone), stopping
/// at the end of the text or at the first `:` or tab, and returns how many bytes it used;
/// so it can run directly on a sample column without splitting it first. `alt_count`
/// bounds the allele indexes. An empty GT and `.` are a missing call, `[None]`.
pub(crate) fn parse(text: &[u8], alt_count: usize, gt: &mut Genotype) -> Result<usize, GtError> {
    // Nearly every call in a cohort file is diploid with single-digit alleles ("0|1"),
    // so that shape is decoded without the general loop.
    if let [a, sep @ (b'/' | b'|'), b, rest @ ..] = text {
        if a.is_ascii_digit()
            && b.is_ascii_digit()
            && matches!(rest.first(), None | Some(b':' | b'\t'))
        {
            let (a, b) = (u32::from(a - b'0'), u32::from(b - b'0'));
            if a.max(b) as usize > alt_count {
                return Err(GtError::AlleleOutOfRange(a.max(b)));
            }
            gt.alleles.clear();
            gt.alleles.extend_from_slice(&[Some(a), Some(b)]);
            gt.phased = *sep == b'|';
            return Ok(3);
        }
    }
    gt.alleles.clear();
    gt.phased = false;
    let end_of_gt = |i: usize| matches!(text.get(i), None | Some(b':' | b'\t'));
    if end_of_gt(0) {
        gt.alleles.push(None);
        return Ok(0);
    }
    let mut i = 0;
    let mut separators = 0usize;
    let mut all_phased = true;
    // VCF 4.4 allows an explicit leading phase marker ("|0" for a phased haploid call).
    if text[0] == b'|' || text[0] == b'/' {
        separators += 1;
        all_phased = text[0] == b'|';
        i = 1;
    }
    loop {
        let allele = match text.get(i) {
            Some(b'.') => {
                i += 1;
                None
            }
            Some(b) if b.is_ascii_digit() => {
                let mut value: u32 = 0;
                while let Some(&d) = text.get(i) {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    value = value
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(u32::from(d - b'0')))
                        .ok_or(GtError::Syntax)?;
                    i += 1;
                }
                if value as usize > alt_count {
                    return Err(GtError::AlleleOutOfRange(value));
                }
                Some(value)
            }
            _ => return Err(GtError::Syntax),
        };
        gt.alleles.push(allele);
        match text.get(i) {
            None | Some(b':' | b'\t') => break,
            Some(&sep @ (b'/' | b'|')) => {
                separators += 1;
                all_phased &= sep == b'|';
                i += 1;
            }
            Some(_) => return Err(GtError::Syntax),
        }
    }
    gt.phased = separators > 0 && all_phased;
    Ok(i)
}

/// The GT text at the start of a sample column, for messages.
pub(crate) fn text_at(column: &[u8]) -> &[u8] {
    let end = column
        .iter()
        .position(|&b| b == b':' || b == b'\t')
        .unwrap_or(column.len());
    &column[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gt(text: &str, alts: usize) -> Result<(Vec<Option<u32>>, bool), GtError> {
        let mut g = Genotype::default();
        let used = parse(text.as_bytes(), alts, &mut g)?;
        assert_eq!(used, text.len(), "{text}");
        Ok((g.alleles, g.phased))
    }

    #[test]
    fn every_genotype_form() {
        assert_eq!(gt("0/1", 1), Ok((vec![Some(0), Some(1)], false)));
        assert_eq!(gt("0|1", 1), Ok((vec![Some(0), Some(1)], true)));
        assert_eq!(gt("1", 1), Ok((vec![Some(1)], false)));
        assert_eq!(gt("./.", 1), Ok((vec![None, None], false)));
        assert_eq!(gt(".|.", 1), Ok((vec![None, None], true)));
        assert_eq!(gt("0/.", 1), Ok((vec![Some(0), None], false)));
        assert_eq!(gt("./1", 1), Ok((vec![None, Some(1)], false)));
        assert_eq!(gt(".", 1), Ok((vec![None], false)));
        assert_eq!(gt("", 1), Ok((vec![None], false)));
        assert_eq!(gt("1/2", 2), Ok((vec![Some(1), Some(2)], false)));
        assert_eq!(gt("0/1/2", 2), Ok((vec![Some(0), Some(1), Some(2)], false)));
        assert_eq!(gt("0|1/1", 1), Ok((vec![Some(0), Some(1), Some(1)], false)));
        assert_eq!(gt("|1", 1), Ok((vec![Some(1)], true)));
        assert_eq!(gt("/1", 1), Ok((vec![Some(1)], false)));
        assert_eq!(gt("10/0", 12), Ok((vec![Some(10), Some(0)], false)));
    }

    #[test]
    fn rejects_bad_syntax_and_out_of_range_alleles() {
        assert_eq!(gt("0/2", 1), Err(GtError::AlleleOutOfRange(2)));
        assert_eq!(gt("1", 0), Err(GtError::AlleleOutOfRange(1)));
        for bad in [
            "0/",
            "a/b",
            "0\\1",
            "0//1",
            "0/1 ",
            "-1/0",
            "99999999999/0",
            "|",
        ] {
            assert_eq!(gt(bad, 3), Err(GtError::Syntax), "{bad}");
        }
    }

    #[test]
    fn stops_at_the_end_of_the_gt_field() {
        let mut g = Genotype::default();
        assert_eq!(parse(b"0|1:35:99\t1/1", 1, &mut g), Ok(3));
        assert_eq!(g.alleles, vec![Some(0), Some(1)]);
        assert_eq!(parse(b"1/1\t0/0", 1, &mut g), Ok(3));
        assert_eq!(parse(b":35", 1, &mut g), Ok(0));
        assert_eq!(g.alleles, vec![None]);
        assert_eq!(parse(b"\t0/1", 1, &mut g), Ok(0));
        assert_eq!(parse(b".:3", 1, &mut g), Ok(1));
        assert_eq!(parse(b"0/:3", 1, &mut g), Err(GtError::Syntax));
        assert_eq!(text_at(b"0/x:3\t1"), b"0/x");
    }

    #[test]
    fn reuses_the_genotype_buffer() {
        let mut g = Genotype {
            alleles: vec![Some(5); 4],
            phased: true,
            phase_set: Some(9),
        };
        parse(b"0/1", 1, &mut g).unwrap();
        assert_eq!(g.alleles, vec![Some(0), Some(1)]);
        assert!(!g.phased);
        assert_eq!(g.phase_set, Some(9));
    }
}
