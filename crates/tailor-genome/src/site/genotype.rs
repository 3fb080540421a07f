//! One sample's call at a record.

/// One sample's genotype call.
///
/// ```
/// use tailor_genome::Genotype;
/// let gt = Genotype { alleles: vec![Some(0), Some(1)], phased: true, phase_set: None };
/// assert!(!gt.is_missing());
/// assert!(gt.is_heterozygous());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Genotype {
    /// Allele indexes (0 = REF, 1 = first ALT); `None` for `.`. The ploidy is as written:
    /// a haploid call has one entry. A sample whose GT is absent (no GT in FORMAT, or a
    /// dropped trailing field) reads as `[None]`, the same as `.`.
    pub alleles: Vec<Option<u32>>,
    /// True when every separator is `|` (VCF 4.4 also allows a leading `|` on haploid
    /// calls). A haploid call without a prefix is not marked phased.
    pub phased: bool,
    /// FORMAT PS (phase set), when present and not `.`.
    pub phase_set: Option<u64>,
}

impl Genotype {
    /// True when no allele is called.
    pub fn is_missing(&self) -> bool {
        self.alleles.iter().all(Option::is_none)
    }

    /// True when at least two called alleles differ.
    pub fn is_heterozygous(&self) -> bool {
        let mut called = self.alleles.iter().flatten();
        match called.next() {
            Some(first) => called.any(|a| a != first),
            None => false,
        }
    }

    pub(crate) fn set_missing(&mut self) {
        self.alleles.clear();
        self.alleles.push(None);
        self.phased = false;
        self.phase_set = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genotype_predicates() {
        let missing = Genotype {
            alleles: vec![None, None],
            ..Genotype::default()
        };
        assert!(missing.is_missing());
        assert!(!missing.is_heterozygous());
        let half = Genotype {
            alleles: vec![Some(1), None],
            ..Genotype::default()
        };
        assert!(!half.is_missing());
        assert!(!half.is_heterozygous());
        let hom = Genotype {
            alleles: vec![Some(2), Some(2)],
            ..Genotype::default()
        };
        assert!(!hom.is_heterozygous());
    }
}
