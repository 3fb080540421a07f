//! Phenotype tables: haplotype function and activity values, diplotype phenotypes.
//!
//! One [`GenePhenotype`] per source file. PharmCAT keeps CPIC-style and DPWG tables
//! apart because the two guideline bodies key their recommendations differently
//! (e.g. DPYD: CPIC by activity score `1.5`, DPWG by `1.5 (Intermediate Metabolizer)`),
//! so the tables record where they came from and the knowledge base resolves, per
//! guideline source, which table applies to a gene.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which guideline body a phenotype table or guideline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum GuidelineSource {
    /// Clinical Pharmacogenetics Implementation Consortium.
    Cpic,
    /// Dutch Pharmacogenetics Working Group.
    Dpwg,
}

impl GuidelineSource {
    /// The name guidelines use for the source (`CPIC`, `DPWG`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cpic => "CPIC",
            Self::Dpwg => "DPWG",
        }
    }
}

/// The file set a phenotype table was read from. Order is precedence within a source:
/// earlier variants are newer and win when two files cover the same gene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PhenotypeOrigin {
    /// PharmCAT 3.1.1 `phenotype/` (newest, CPIC-style).
    PharmCat311,
    /// PharmCAT commits after 2.12.0 holding the newest RYR1 and G6PD tables.
    Supplement,
    /// PharmCAT 2.12.0 `phenotype/cpic/`.
    PharmCat2120Cpic,
    /// PharmCAT 2.12.0 `phenotype/dpwg/`.
    PharmCat2120Dpwg,
}

impl PhenotypeOrigin {
    /// The guideline source whose lookup keys the table produces.
    pub fn source(self) -> GuidelineSource {
        match self {
            Self::PharmCat2120Dpwg => GuidelineSource::Dpwg,
            _ => GuidelineSource::Cpic,
        }
    }
}

/// Allele counts of a diplotype, sorted by allele name: `[("*1", 1), ("*2", 1)]` for
/// `*1/*2`, `[("*1", 2)]` for `*1/*1`, `[("A", 1)]` for a hemizygous `A`. The same
/// shape keys phenotype tables and DPWG's diplotype-specific recommendations.
pub type DiplotypeKey = Vec<(String, u32)>;

/// Builds the [`DiplotypeKey`] of one or two haplotype names.
pub fn diplotype_key(allele1: &str, allele2: Option<&str>) -> DiplotypeKey {
    match allele2 {
        Some(a2) if a2 == allele1 => vec![(allele1.to_string(), 2)],
        Some(a2) => {
            let mut key = vec![(allele1.to_string(), 1), (a2.to_string(), 1)];
            key.sort();
            key
        }
        None => vec![(allele1.to_string(), 1)],
    }
}

/// One gene's phenotype table.
///
/// The diplotype rows (tens of thousands for CYP2D6 and G6PD) are stored compactly: each
/// distinct string once in a per-table pool and each row as indices into it. That keeps
/// the compiled artifact small and makes loading it a matter of milliseconds instead of
/// hundreds of thousands of string allocations. Rows are read through
/// [`DiplotypeRecord`] views.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenePhenotype {
    /// HGNC symbol (`MT-RNR1`).
    pub gene: String,
    /// Table data version (`2025-11-05-00-25`, `v1.30.0`).
    pub version: String,
    /// The file set the table came from.
    pub origin: PhenotypeOrigin,
    /// Haplotype name to function (or, for G6PD, WHO class/phenotype).
    pub haplotypes: BTreeMap<String, String>,
    /// Haplotype name to activity value, for activity-scored genes; empty otherwise.
    pub activity_values: BTreeMap<String, String>,
    /// Per-allele records with function and lookup key; `None` when the file has no
    /// `namedAlleles` list (the G6PD supplement table).
    pub named_alleles: Option<Vec<HaplotypeRecord>>,
    strings: Vec<String>,
    /// Sorted by (allele1, allele2) names so lookups are a binary search.
    rows: Vec<DiplotypeRow>,
    /// Gene result -> activity scores of its rows (numeric order), for reverse lookups
    /// that would otherwise scan every row (14,706 for CYP2D6).
    scores_by_result: BTreeMap<String, Vec<String>>,
    /// Lookup key -> gene results of its rows.
    results_by_lookup_key: BTreeMap<String, Vec<String>>,
    rows_have_activity_scores: bool,
}

/// Orders activity scores numerically (`≥`/`>` prefixes ignored), text after numbers.
fn cmp_scores(a: &str, b: &str) -> std::cmp::Ordering {
    let value = |s: &str| s.trim_start_matches(['>', '\u{2265}']).parse::<f64>().ok();
    match (value(a), value(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.cmp(b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Marks an absent optional string in a [`DiplotypeRow`].
const NONE: u32 = u32::MAX;

/// A diplotype row as indices into the table's string pool. `allele1 <= allele2` by
/// name; `allele2 == NONE` for a hemizygous (single-copy) row, `allele2 == allele1` for
/// a homozygous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct DiplotypeRow {
    allele1: u32,
    allele2: u32,
    diplotype: u32,
    gene_result: u32,
    lookup_key: u32,
    activity_score: u32,
    phenotype: u32,
    description: u32,
}

/// A diplotype row of a phenotype table, as the source writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiplotypeRecord<'a> {
    /// Gene result: the phenotype PharmCAT reports (`Intermediate Metabolizer`;
    /// `1.5 (Intermediate Metabolizer)` in DPWG DPYD).
    pub gene_result: Option<&'a str>,
    /// Diplotype as written in the source (`*1/*2`).
    pub diplotype: &'a str,
    /// Free-text description, when given.
    pub description: Option<&'a str>,
    /// Recommendation lookup key (phenotype or activity score).
    pub lookup_key: Option<&'a str>,
    /// First allele (the smaller name).
    pub allele1: &'a str,
    /// Second allele; `None` for a hemizygous row.
    pub allele2: Option<&'a str>,
    /// Activity score, for activity-scored genes.
    pub activity_score: Option<&'a str>,
    /// Phenotype column, when present.
    pub phenotype: Option<&'a str>,
}

impl DiplotypeRecord<'_> {
    /// The row's allele counts.
    pub fn key(&self) -> DiplotypeKey {
        diplotype_key(self.allele1, self.allele2)
    }
}

/// The source fields of one diplotype row, for [`GenePhenotype::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiplotypeRowSource {
    /// Gene result.
    pub gene_result: Option<String>,
    /// Diplotype as written.
    pub diplotype: String,
    /// Description.
    pub description: Option<String>,
    /// Lookup key.
    pub lookup_key: Option<String>,
    /// Allele counts; must total 1 or 2.
    pub key: DiplotypeKey,
    /// Activity score.
    pub activity_score: Option<String>,
    /// Phenotype column.
    pub phenotype: Option<String>,
}

/// Why [`GenePhenotype::new`] refused a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableProblem {
    /// Row `index` does not describe one or two allele copies.
    BadKey {
        /// Row index in the input.
        index: usize,
    },
    /// Rows `first` and `second` have the same allele counts.
    Duplicate {
        /// Earlier row index.
        first: usize,
        /// Later row index.
        second: usize,
    },
}

impl GenePhenotype {
    /// Builds a table, pooling strings and sorting rows for lookup.
    pub fn new(
        gene: String,
        version: String,
        origin: PhenotypeOrigin,
        haplotypes: BTreeMap<String, String>,
        activity_values: BTreeMap<String, String>,
        named_alleles: Option<Vec<HaplotypeRecord>>,
        rows: Vec<DiplotypeRowSource>,
    ) -> Result<Self, TableProblem> {
        let mut pool: Vec<String> = Vec::new();
        let mut index: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut intern = |s: &str| -> u32 {
            if let Some(i) = index.get(s) {
                return *i;
            }
            let i = u32::try_from(pool.len()).unwrap_or(NONE - 1);
            pool.push(s.to_string());
            index.insert(s.to_string(), i);
            i
        };
        let opt = |s: &Option<String>, intern: &mut dyn FnMut(&str) -> u32| {
            s.as_deref().map_or(NONE, &mut *intern)
        };
        let mut compact = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let (a1, a2) = match r.key.as_slice() {
                [(a, 1)] => (a.as_str(), None),
                [(a, 2)] => (a.as_str(), Some(a.as_str())),
                [(a, 1), (b, 1)] if a != b => {
                    if a <= b {
                        (a.as_str(), Some(b.as_str()))
                    } else {
                        (b.as_str(), Some(a.as_str()))
                    }
                }
                _ => return Err(TableProblem::BadKey { index: i }),
            };
            let row = DiplotypeRow {
                allele1: intern(a1),
                allele2: a2.map_or(NONE, &mut intern),
                diplotype: intern(&r.diplotype),
                gene_result: opt(&r.gene_result, &mut intern),
                lookup_key: opt(&r.lookup_key, &mut intern),
                activity_score: opt(&r.activity_score, &mut intern),
                phenotype: opt(&r.phenotype, &mut intern),
                description: opt(&r.description, &mut intern),
            };
            compact.push((i, row));
        }
        let name = |i: u32| pool.get(i as usize).map(String::as_str);
        compact.sort_by(|(_, x), (_, y)| {
            (name(x.allele1), name(x.allele2)).cmp(&(name(y.allele1), name(y.allele2)))
        });
        for w in compact.windows(2) {
            if (w[0].1.allele1, w[0].1.allele2) == (w[1].1.allele1, w[1].1.allele2) {
                return Err(TableProblem::Duplicate {
                    first: w[0].0.min(w[1].0),
                    second: w[0].0.max(w[1].0),
                });
            }
        }
        let mut scores_by_result: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut results_by_lookup_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &rows {
            if let (Some(result), Some(score)) = (&r.gene_result, &r.activity_score) {
                scores_by_result
                    .entry(result.clone())
                    .or_default()
                    .push(score.clone());
            }
            if let (Some(key), Some(result)) = (&r.lookup_key, &r.gene_result) {
                results_by_lookup_key
                    .entry(key.clone())
                    .or_default()
                    .push(result.clone());
            }
        }
        for v in scores_by_result.values_mut() {
            v.sort_by(|a, b| cmp_scores(a, b));
            v.dedup();
        }
        for v in results_by_lookup_key.values_mut() {
            v.sort();
            v.dedup();
        }
        Ok(Self {
            gene,
            version,
            origin,
            haplotypes,
            activity_values,
            named_alleles,
            strings: pool,
            rows: compact.into_iter().map(|(_, r)| r).collect(),
            scores_by_result,
            results_by_lookup_key,
            rows_have_activity_scores: rows.iter().any(|r| r.activity_score.is_some()),
        })
    }

    /// Activity scores of the rows whose gene result is `result`, in numeric order
    /// (`0.25`, `0.5`, ..., `≥4.0`; non-numeric values such as `n/a` last).
    pub fn activity_scores_for_result(&self, result: &str) -> &[String] {
        self.scores_by_result
            .get(result)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Gene results of the rows whose lookup key is `key`, sorted.
    pub fn results_for_lookup_key(&self, key: &str) -> &[String] {
        self.results_by_lookup_key
            .get(key)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Whether the diplotype rows carry activity scores (DPWG's DPYD table has activity
    /// values per allele but keys its rows by phenotype, without scores).
    pub fn rows_have_activity_scores(&self) -> bool {
        self.rows_have_activity_scores
    }

    fn string(&self, i: u32) -> Option<&str> {
        if i == NONE {
            None
        } else {
            self.strings.get(i as usize).map(String::as_str)
        }
    }

    fn record(&self, row: &DiplotypeRow) -> DiplotypeRecord<'_> {
        DiplotypeRecord {
            gene_result: self.string(row.gene_result),
            diplotype: self.string(row.diplotype).unwrap_or_default(),
            description: self.string(row.description),
            lookup_key: self.string(row.lookup_key),
            allele1: self.string(row.allele1).unwrap_or_default(),
            allele2: self.string(row.allele2),
            activity_score: self.string(row.activity_score),
            phenotype: self.string(row.phenotype),
        }
    }

    /// Number of diplotype rows.
    pub fn diplotype_count(&self) -> usize {
        self.rows.len()
    }

    /// All diplotype rows, sorted by allele names.
    pub fn diplotypes(&self) -> impl Iterator<Item = DiplotypeRecord<'_>> + '_ {
        self.rows.iter().map(|r| self.record(r))
    }

    /// Whether recommendations for this gene are looked up by activity score: PharmCAT's
    /// rule is "the table has at least one real activity value".
    pub fn is_activity_scored(&self) -> bool {
        self.activity_values
            .values()
            .any(|v| !v.trim().is_empty() && !v.trim().eq_ignore_ascii_case("n/a"))
    }

    /// The diplotype row for these alleles, in either order; `allele2 = None` looks up
    /// a hemizygous row.
    pub fn find_diplotype(
        &self,
        allele1: &str,
        allele2: Option<&str>,
    ) -> Option<DiplotypeRecord<'_>> {
        let (a1, a2) = match allele2 {
            Some(b) if b < allele1 => (b, Some(allele1)),
            _ => (allele1, allele2),
        };
        self.rows
            .binary_search_by(|r| {
                (self.string(r.allele1), self.string(r.allele2)).cmp(&(Some(a1), a2))
            })
            .ok()
            .and_then(|i| self.rows.get(i))
            .map(|r| self.record(r))
    }

    /// The diplotype row with exactly these allele counts.
    pub fn find_by_key(&self, key: &[(String, u32)]) -> Option<DiplotypeRecord<'_>> {
        match key {
            [(a, 1)] => self.find_diplotype(a, None),
            [(a, 2)] => self.find_diplotype(a, Some(a)),
            [(a, 1), (b, 1)] if a != b => self.find_diplotype(a, Some(b)),
            _ => None,
        }
    }

    /// Function of a haplotype: from the `namedAlleles` records when the file has them,
    /// otherwise from the `haplotypes` map.
    pub fn haplotype_function(&self, name: &str) -> Option<&str> {
        match &self.named_alleles {
            Some(records) => records
                .iter()
                .find(|r| r.name == name)
                .and_then(|r| r.function_value.as_deref()),
            None => self.haplotypes.get(name).map(String::as_str),
        }
    }

    /// Activity value of a haplotype, when the gene is activity-scored and lists it.
    pub fn activity_value(&self, name: &str) -> Option<&str> {
        self.activity_values.get(name).map(String::as_str)
    }
}

/// A haplotype's row in a phenotype table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HaplotypeRecord {
    /// Allele name.
    pub name: String,
    /// Activity value (`0.5`), for activity-scored genes.
    pub activity_value: Option<String>,
    /// Function (`Decreased function`).
    pub function_value: Option<String>,
    /// Key used for allele-level lookups.
    pub lookup_key: Option<String>,
}
