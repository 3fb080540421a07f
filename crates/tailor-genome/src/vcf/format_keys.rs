//! Where GT and PS sit in a FORMAT column, remembered across records.
//!
//! Nearly every record of a file repeats the same FORMAT string, so its key positions are
//! looked up once and reused while the bytes stay the same.

#[derive(Debug, Default)]
pub(crate) struct FormatKeys {
    raw: Vec<u8>,
    known: bool,
    /// Position of GT among the `:`-separated keys.
    pub(crate) gt: Option<usize>,
    /// Position of PS among the keys.
    pub(crate) ps: Option<usize>,
}

impl FormatKeys {
    /// Points at the keys of `format`, re-reading them only when the bytes change.
    pub(crate) fn update(&mut self, format: &[u8]) {
        if self.known && self.raw == format {
            return;
        }
        self.raw.clear();
        self.raw.extend_from_slice(format);
        self.known = true;
        self.gt = None;
        self.ps = None;
        if format == b"." {
            return;
        }
        for (i, key) in format.split(|&b| b == b':').enumerate() {
            match key {
                b"GT" if self.gt.is_none() => self.gt = Some(i),
                b"PS" if self.ps.is_none() => self.ps = Some(i),
                _ => {}
            }
        }
    }

    /// The GT and PS sub-fields of one sample column; a dropped trailing field is `None`.
    pub(crate) fn fields<'l>(&self, column: &'l [u8]) -> (Option<&'l [u8]>, Option<&'l [u8]>) {
        let last = match (self.gt, self.ps) {
            (None, None) => return (None, None),
            (Some(g), None) => g,
            (None, Some(p)) => p,
            (Some(g), Some(p)) => g.max(p),
        };
        let (mut gt, mut ps) = (None, None);
        let mut start = 0;
        for i in 0..=last {
            let end = memchr::memchr(b':', &column[start..]).map_or(column.len(), |e| start + e);
            if Some(i) == self.gt {
                gt = Some(&column[start..end]);
            }
            if Some(i) == self.ps {
                ps = Some(&column[start..end]);
            }
            if end == column.len() {
                break;
            }
            start = end + 1;
        }
        (gt, ps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_gt_and_ps_and_tolerates_dropped_fields() {
        let mut keys = FormatKeys::default();
        keys.update(b"GT:AD:PS");
        assert_eq!(keys.gt, Some(0));
        assert_eq!(keys.ps, Some(2));
        assert_eq!(
            keys.fields(b"0|1:3,4:1234"),
            (Some(&b"0|1"[..]), Some(&b"1234"[..]))
        );
        assert_eq!(keys.fields(b"0/1"), (Some(&b"0/1"[..]), None));
        assert_eq!(keys.fields(b""), (Some(&b""[..]), None));

        keys.update(b"DP:GT");
        assert_eq!((keys.gt, keys.ps), (Some(1), None));
        assert_eq!(keys.fields(b"12:1/1"), (Some(&b"1/1"[..]), None));
        assert_eq!(keys.fields(b"12"), (None, None));

        keys.update(b"DP");
        assert_eq!(keys.fields(b"12"), (None, None));
        keys.update(b".");
        assert_eq!((keys.gt, keys.ps), (None, None));
    }
}
