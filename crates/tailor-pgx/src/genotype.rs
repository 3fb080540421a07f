//! A sample's genotype at one definition locus, in the locus's own allele numbering.
//!
//! Matching compares small integers, not strings: every locus has an [`AlleleTable`]
//! whose first entries are the definition's reference and alternate alleles, followed by
//! any other allele seen in the input (an "undocumented" allele). Samples then carry two
//! table indices per locus.

/// Index into a locus's [`AlleleTable`].
pub type AlleleId = u16;

/// The allele strings of one locus: definition alleles first, then alleles seen only in
/// the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlleleTable {
    alleles: Vec<String>,
    documented: usize,
}

impl AlleleTable {
    /// A table holding the definition's reference and alternate alleles.
    pub fn new<'a>(documented: impl IntoIterator<Item = &'a str>) -> Self {
        let alleles: Vec<String> = documented.into_iter().map(str::to_string).collect();
        let documented = alleles.len();
        Self {
            alleles,
            documented,
        }
    }

    /// The id of `allele`, adding it as undocumented when new.
    pub fn intern(&mut self, allele: &str) -> AlleleId {
        if let Some(i) = self.alleles.iter().position(|a| a == allele) {
            return i as AlleleId;
        }
        self.alleles.push(allele.to_string());
        (self.alleles.len() - 1) as AlleleId
    }

    /// The allele string for an id.
    pub fn get(&self, id: AlleleId) -> &str {
        self.alleles
            .get(id as usize)
            .map(String::as_str)
            .unwrap_or("?")
    }

    /// Whether the table holds the definition's alleles and nothing else (no input
    /// brought an allele the definition does not document).
    pub fn only_documented(&self) -> bool {
        self.alleles.len() == self.documented
    }

    /// How many of the ids (the first ones) are the definition's own alleles.
    pub fn documented_count(&self) -> usize {
        self.documented
    }

    /// Whether the definition documents this allele.
    pub fn is_documented(&self, id: AlleleId) -> bool {
        (id as usize) < self.documented
    }

    /// All allele strings, ids in order.
    pub fn alleles(&self) -> &[String] {
        &self.alleles
    }
}

/// One sample's call at one locus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocusGenotype {
    /// First allele.
    pub a: AlleleId,
    /// Second allele; `None` for a haploid call (e.g. chrX in a male sample).
    pub b: Option<AlleleId>,
    /// Whether the genotype was written phased (`|`).
    pub phased: bool,
    /// Phase set (FORMAT PS), when given.
    pub phase_set: Option<u64>,
}

impl LocusGenotype {
    /// An unphased diploid call.
    pub fn unphased(a: AlleleId, b: AlleleId) -> Self {
        Self {
            a,
            b: Some(b),
            phased: false,
            phase_set: None,
        }
    }

    /// A phased diploid call.
    pub fn phased(a: AlleleId, b: AlleleId) -> Self {
        Self {
            a,
            b: Some(b),
            phased: true,
            phase_set: None,
        }
    }

    /// A haploid call.
    pub fn haploid(a: AlleleId) -> Self {
        Self {
            a,
            b: None,
            phased: false,
            phase_set: None,
        }
    }

    /// Whether the two alleles differ.
    pub fn is_het(&self) -> bool {
        matches!(self.b, Some(b) if b != self.a)
    }

    /// The second allele, or the first for a haploid call.
    pub fn b_or_a(&self) -> AlleleId {
        self.b.unwrap_or(self.a)
    }

    /// Renders the call as VCF-style text (`C/T`, `C|T`, `C`).
    pub fn display(&self, table: &AlleleTable) -> String {
        match self.b {
            None => table.get(self.a).to_string(),
            Some(b) => format!(
                "{}{}{}",
                table.get(self.a),
                if self.phased { '|' } else { '/' },
                table.get(b)
            ),
        }
    }
}
