//! One variant record as the engines see it.
//!
//! [`Site`] holds what allele matching needs (position, alleles, filter, genotypes) and,
//! only when the reader is asked for them, the INFO text and chosen FORMAT fields; the
//! rest of a record (QUAL, unrequested INFO/FORMAT) is skipped so that no time is spent
//! parsing it.

mod filter;
mod format_values;
mod genotype;

pub use filter::Filter;
pub use format_values::FormatValues;
pub use genotype::Genotype;

use crate::reader::FieldRequest;

/// One VCF/BCF record overlapping the requested targets.
///
/// The reader hands out a reused `Site` for each record (so reading allocates nothing per
/// record once buffers have grown); callers clone what they keep.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Site {
    /// CHROM as written in the file (compare with [`tailor_core::normalize_chrom`]).
    pub chrom: String,
    /// POS, 1-based.
    pub pos: u64,
    /// Last reference base the record covers: INFO END for reference blocks and symbolic
    /// alleles (ALT `.` or `<...>`), else `POS + len(REF) - 1`.
    pub end: u64,
    /// The ID column split on `;`; empty for `.`.
    pub ids: Vec<String>,
    /// REF.
    pub ref_allele: String,
    /// ALT alleles as written (`<NON_REF>`, `<*>`, `*` kept); empty for `.`.
    pub alts: Vec<String>,
    /// FILTER.
    pub filter: Filter,
    /// One genotype per selected sample, in the order of
    /// [`VariantReader::samples`](crate::VariantReader::samples).
    pub genotypes: Vec<Genotype>,
    /// The INFO column as VCF text (`DP=40;SOMATIC;CSQ=...`), kept only when
    /// [`ReaderOptions::info`](crate::ReaderOptions::info) is set; empty for `.` and when
    /// not requested. BCF INFO is rendered as `bcftools view` prints it.
    pub info: String,
    /// The FORMAT fields named in
    /// [`ReaderOptions::format_keys`](crate::ReaderOptions::format_keys), per selected
    /// sample; read them with [`Site::format_value`].
    pub format: FormatValues,
    /// 1-based line number for text VCF, 1-based record number for BCF, for messages.
    /// 0 when the record was reached through an index: its number is not known without
    /// reading everything before it.
    pub record_number: u64,
}

impl Site {
    /// An empty site with one genotype slot per selected sample: the reusable buffer
    /// the VCF and BCF parsers fill record after record.
    pub(crate) fn with_samples(n: usize, request: &FieldRequest) -> Self {
        let mut site = Site::default();
        site.genotypes.resize_with(n, Genotype::default);
        site.format = FormatValues::new(&request.format_keys, n);
        site
    }

    /// The value of INFO `key`: `Some("")` for a flag that is present, `None` when the key
    /// is absent (or INFO was not kept). Values are returned as written, e.g. `"0.12"` or
    /// `"12,30"`.
    ///
    /// ```
    /// use tailor_genome::Site;
    /// let site = Site { info: "DP=40;SOMATIC;TVAF=0.12".into(), ..Site::default() };
    /// assert_eq!(site.info_value("TVAF"), Some("0.12"));
    /// assert_eq!(site.info_value("SOMATIC"), Some(""));
    /// assert_eq!(site.info_value("VAF"), None);
    /// ```
    pub fn info_value(&self, key: &str) -> Option<&str> {
        if key.is_empty() {
            return None;
        }
        self.info.split(';').find_map(|entry| {
            let rest = entry.strip_prefix(key)?;
            if rest.is_empty() {
                Some("")
            } else {
                rest.strip_prefix('=')
            }
        })
    }

    /// The value of FORMAT `key` for the selected sample `sample_index` (the order of
    /// [`VariantReader::samples`](crate::VariantReader::samples)), as VCF text. `None`
    /// when the key was not requested in
    /// [`ReaderOptions::format_keys`](crate::ReaderOptions::format_keys), the record
    /// lacks it, or the value is `.`.
    ///
    /// ```
    /// use tailor_genome::{FormatValues, Site};
    /// let mut site = Site { format: FormatValues::new(&["AD"], 1), ..Site::default() };
    /// site.format.set(0, "AD", "31,9");
    /// assert_eq!(site.format_value(0, "AD"), Some("31,9"));
    /// assert_eq!(site.format_value(0, "DP"), None);
    /// ```
    pub fn format_value(&self, sample_index: usize, key: &str) -> Option<&str> {
        self.format.get(sample_index, key)
    }

    /// The allele with this index (0 = REF), if the record has it.
    ///
    /// ```
    /// use tailor_genome::Site;
    /// let site = Site { ref_allele: "A".into(), alts: vec!["G".into()], ..Site::default() };
    /// assert_eq!(site.allele(0), Some("A"));
    /// assert_eq!(site.allele(1), Some("G"));
    /// assert_eq!(site.allele(2), None);
    /// ```
    pub fn allele(&self, index: u32) -> Option<&str> {
        match index {
            0 => Some(&self.ref_allele),
            i => self
                .alts
                .get(usize::try_from(i - 1).ok()?)
                .map(String::as_str),
        }
    }

    /// True when ALT says the record is a reference block or symbolic, i.e. when its span
    /// comes from INFO END rather than from REF.
    pub(crate) fn span_from_info_end(alts: &[String]) -> bool {
        alts.is_empty() || alts.iter().any(|a| a.starts_with('<'))
    }
}

/// Refills `dst` with `items`, reusing the `String` allocations already in it.
pub(crate) fn refill_strings<'a>(dst: &mut Vec<String>, items: impl Iterator<Item = &'a str>) {
    let mut n = 0;
    for item in items {
        if let Some(slot) = dst.get_mut(n) {
            slot.clear();
            slot.push_str(item);
        } else {
            dst.push(item.to_string());
        }
        n += 1;
    }
    dst.truncate(n);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refill_reuses_and_truncates() {
        let mut v = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        refill_strings(&mut v, ["x", "y"].into_iter());
        assert_eq!(v, vec!["x", "y"]);
        refill_strings(&mut v, ["1", "2", "3", "4"].into_iter());
        assert_eq!(v, vec!["1", "2", "3", "4"]);
    }

    #[test]
    fn info_values_flags_and_prefixes() {
        let site = Site {
            info: "DP=40;SOMATIC;DPT=7;AF=0.5,0.25;EMPTY=".into(),
            ..Site::default()
        };
        assert_eq!(site.info_value("DP"), Some("40"));
        assert_eq!(site.info_value("DPT"), Some("7"));
        assert_eq!(site.info_value("D"), None);
        assert_eq!(site.info_value("SOMATIC"), Some(""));
        assert_eq!(site.info_value("AF"), Some("0.5,0.25"));
        assert_eq!(site.info_value("EMPTY"), Some(""));
        assert_eq!(site.info_value(""), None);
        assert_eq!(Site::default().info_value("DP"), None);
    }

    #[test]
    fn span_rule_matches_symbolic_and_missing_alt() {
        assert!(Site::span_from_info_end(&[]));
        assert!(Site::span_from_info_end(&["<NON_REF>".into()]));
        assert!(Site::span_from_info_end(&["G".into(), "<*>".into()]));
        assert!(!Site::span_from_info_end(&["*".into()]));
        assert!(!Site::span_from_info_end(&["G".into()]));
    }
}
