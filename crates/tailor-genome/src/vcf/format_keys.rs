//! Where GT, PS and any requested keys sit in a FORMAT column, remembered across records.
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
    /// Keys the caller asked to keep (slot order of `FormatValues`).
    requested: Vec<String>,
    /// For each position among the keys of the current FORMAT: the requested slot, if any.
    slots: Vec<Option<usize>>,
}

impl FormatKeys {
    /// Keys that will also be kept (besides GT and PS), in slot order.
    pub(crate) fn with_requested(requested: &[String]) -> Self {
        Self {
            requested: requested.to_vec(),
            ..Self::default()
        }
    }

    /// True when FORMAT values beyond GT/PS are to be kept.
    pub(crate) fn wants_values(&self) -> bool {
        !self.requested.is_empty()
    }

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
        self.slots.clear();
        if format == b"." {
            return;
        }
        for (i, key) in format.split(|&b| b == b':').enumerate() {
            match key {
                b"GT" if self.gt.is_none() => self.gt = Some(i),
                b"PS" if self.ps.is_none() => self.ps = Some(i),
                _ => {}
            }
            if !self.requested.is_empty() {
                let slot = self.requested.iter().position(|r| r.as_bytes() == key);
                // A key written twice: the first one counts, as for GT and PS.
                let slot = slot.filter(|s| !self.slots.contains(&Some(*s)));
                self.slots.push(slot);
            }
        }
        while self.slots.last() == Some(&None) {
            self.slots.pop();
        }
    }

    /// Calls `keep(slot, value)` for every requested key present in one sample column.
    pub(crate) fn values<'l>(&self, column: &'l [u8], mut keep: impl FnMut(usize, &'l [u8])) {
        if self.slots.is_empty() {
            return;
        }
        for (i, value) in column.split(|&b| b == b':').enumerate() {
            match self.slots.get(i) {
                Some(Some(slot)) => keep(*slot, value),
                Some(None) => {}
                None => break,
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

    #[test]
    fn requested_keys_map_to_slots_in_any_order() {
        let mut keys = FormatKeys::with_requested(&["DP".into(), "AF".into(), "AD".into()]);
        assert!(keys.wants_values());
        keys.update(b"GT:AD:AF:DP:AD");
        let mut got = Vec::new();
        keys.values(b"0/1:3,4:0.571:7:9,9", |slot, v| {
            got.push((slot, v.to_vec()))
        });
        assert_eq!(
            got,
            vec![
                (2, b"3,4".to_vec()),
                (1, b"0.571".to_vec()),
                (0, b"7".to_vec())
            ]
        );
        got.clear();
        keys.values(b"0/1:3,4", |slot, v| got.push((slot, v.to_vec())));
        assert_eq!(got, vec![(2, b"3,4".to_vec())]);
        keys.update(b"GT:GQ");
        got.clear();
        keys.values(b"0/1:99", |slot, v| got.push((slot, v.to_vec())));
        assert!(got.is_empty());
        assert!(!FormatKeys::default().wants_values());
    }
}
