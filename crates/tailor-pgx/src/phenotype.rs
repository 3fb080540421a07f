//! Diplotypes to phenotypes, activity scores and recommendation lookup keys, with
//! PharmCAT's reporter semantics.
//!
//! A diplotype is annotated separately for each guideline source because CPIC and DPWG
//! key their recommendations differently (DPYD `1.5` vs `1.5 (Intermediate
//! Metabolizer)`, CYP2C9 `1.0` vs `Intermediate Metabolizer`). The rules, as PharmCAT
//! applies them:
//!
//! * **Activity-scored genes** (the phenotype table has activity values and its diplotype
//!   rows carry scores: CYP2C9, CYP2D6, CPIC DPYD): the activity score comes from the
//!   diplotype row and is the lookup key; the phenotype comes from the same row. An
//!   outside call that gives only a phenotype gets every activity score of that
//!   phenotype as its lookup keys, so all matching recommendations are shown.
//! * **Other genes**: the phenotype (`gene result`) of the diplotype row is the lookup key.
//! * **HLA-A/HLA-B** have no tables: the lookup keys are allele-status keys
//!   (`*57:01 positive`, `*58:01 negative`) derived from the allele names.
//! * **Lowest-function genes** (DPYD, RYR1): when a strand carries several alleles, or the
//!   data are unphased, the diplotype used for recommendations is built from the lowest
//!   function alleles (DPYD: lowest CPIC activity value; RYR1: malignant-hyperthermia
//!   susceptibility first). For DPWG, DPYD alleles of normal function that DPWG does not
//!   tabulate are read as the reference allele, since DPWG's table lists only the few
//!   variants it gives advice for.
//! * **CYP2D6 copy numbers** from outside calls (`*2x3`) are read as the table's `≥3`
//!   allele (`*2x≥3`) when the table has one.
//! * **DPWG and newer allele names**: the DPWG tables are PharmCAT 2.12.0's and predate
//!   some of the 3.1.1 definitions' names (CYP2C19's reference is now `*38`). When the
//!   DPWG table has no row for a diplotype but the newest CPIC-style table does, and DPWG
//!   keys recommendations by that table's phenotype, that phenotype is used (flagged in
//!   [`AnnotatedDiplotype::phenotype_from_newer_table`]); PharmCAT 3.1.1 uses one table
//!   for both sources.
//! * **Uncalled genes** get the `Unknown` diplotype whose lookup key is `No Result`, which
//!   some multi-gene guidelines (amitriptyline, carbamazepine) have rows for.

use std::cmp::Ordering;
use tailor_core::pgx::{DiplotypeCall, HaplotypeCall};
use tailor_kb::pgx::{diplotype_key, DiplotypeKey, GenePhenotype, PgxKnowledge};

pub use tailor_kb::pgx::GuidelineSource;

/// PharmCAT's "not applicable" value (lower case, as lookup keys spell it).
pub const NA: &str = "n/a";
/// Lookup key and phenotype of a gene that was not called.
pub const NO_RESULT: &str = "No Result";
/// Name of the allele of an uncalled gene.
pub const UNKNOWN_ALLELE: &str = "Unknown";
/// Function of an allele the phenotype table does not list.
pub const UNASSIGNED_FUNCTION: &str = "Unassigned function";

const REFERENCE: &str = "Reference";
const GTE: &str = "\u{2265}";
/// Genes whose phenotype follows allele presence rather than function.
const ALLELE_PRESENCE_GENES: &[&str] = &["HLA-A", "HLA-B"];
/// Genes labelled CPIC-style (`Reference/Reference`, `X (heterozygous)`).
const CPIC_STYLE_LABEL_GENES: &[&str] = &["CACNA1S", "CFTR", "RYR1"];
/// Genes with one copy (MT-RNR1) or one copy in males (G6PD).
const SINGLE_PLOIDY_GENES: &[&str] = &["G6PD", "MT-RNR1"];
/// Genes whose recommendation diplotype is built from the lowest-function alleles.
const LOWEST_FUNCTION_GENES: &[&str] = &["DPYD", "RYR1"];

/// Whether `gene` is called by allele presence (HLA-A, HLA-B).
pub fn is_allele_presence_gene(gene: &str) -> bool {
    ALLELE_PRESENCE_GENES.contains(&gene) || gene.starts_with("HLA")
}

/// Whether `gene` may be reported with a single allele (MT-RNR1; G6PD in males).
pub fn is_single_ploidy_gene(gene: &str) -> bool {
    SINGLE_PLOIDY_GENES.contains(&gene)
}

/// Whether `gene` uses the lowest-function rule (DPYD, RYR1).
pub fn is_lowest_function_gene(gene: &str) -> bool {
    LOWEST_FUNCTION_GENES.contains(&gene)
}

/// One haplotype of an annotated diplotype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Haplotype {
    /// Allele name (`*17`, `c.2846A>T`, `Unknown`).
    pub name: String,
    /// Function from the phenotype table; [`UNASSIGNED_FUNCTION`] when the table does not
    /// list the allele; `None` for genes without a table, HLA and unknown alleles.
    pub function: Option<String>,
    /// Activity value; [`NA`] for genes whose table has none for this allele; `None`
    /// where there is no table.
    pub activity_value: Option<String>,
    /// Whether this is the gene's reference allele.
    pub reference: bool,
}

impl Haplotype {
    /// Whether this is the placeholder of an uncalled allele.
    pub fn is_unknown(&self) -> bool {
        self.name == UNKNOWN_ALLELE
    }

    fn to_call(&self) -> HaplotypeCall {
        HaplotypeCall {
            name: self.name.clone(),
            function: self.function.clone(),
            activity_value: self.activity_value.clone().filter(|v| !is_unspecified(v)),
        }
    }
}

/// What is known about one candidate diplotype of a gene.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DiplotypeInput {
    /// Haplotypes as called. A strand may be a combination (`[c.A + c.B]` or
    /// `c.A + c.B`); for lowest-function genes the lowest-function component is used.
    /// `allele2 = None` for a single-copy call (MT-RNR1, G6PD in males).
    Called {
        /// First haplotype.
        allele1: String,
        /// Second haplotype.
        allele2: Option<String>,
    },
    /// Unphased lowest-function call (DPYD, RYR1): every allele found, repeated when
    /// homozygous. Fewer than two alleles means the other strand is the reference.
    UnphasedAlleles(Vec<String>),
    /// A call made outside Tailor (PharmCAT outside-call semantics): alleles (zero, one or
    /// two), and optionally the phenotype and/or activity score the caller reported.
    Outside {
        /// Alleles as given.
        alleles: Vec<String>,
        /// Phenotype as given.
        phenotype: Option<String>,
        /// Activity score as given.
        activity_score: Option<String>,
    },
    /// The gene was not called.
    Unknown,
}

/// A diplotype with its phenotype, activity score and lookup keys for one guideline
/// source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotatedDiplotype {
    /// HGNC symbol.
    pub gene: String,
    /// Guideline source whose tables were used.
    pub source: GuidelineSource,
    /// First haplotype; `None` for a phenotype-only outside call.
    pub allele1: Option<Haplotype>,
    /// Second haplotype; `None` for single-copy calls and phenotype-only calls.
    pub allele2: Option<Haplotype>,
    /// Display label (`*1/*17`, `Reference/Reference`, `c.2846A>T (heterozygous)`).
    pub label: String,
    /// Phenotypes (one for most genes; three allele-status phenotypes for HLA-B).
    pub phenotypes: Vec<String>,
    /// Activity score, for activity-scored genes ([`NA`] or [`NO_RESULT`] when unknown).
    pub activity_score: Option<String>,
    /// Recommendation lookup keys for this gene (several when an outside phenotype maps to
    /// several activity scores, or for HLA-B).
    pub lookup_keys: Vec<String>,
    /// Allele counts, as DPWG's diplotype-specific rows key them.
    pub diplotype_key: DiplotypeKey,
    /// Whether the recommendation diplotype differs from the call (lowest-function or
    /// copy-number inference).
    pub inferred: bool,
    /// Whether the phenotype came from an outside call.
    pub outside_phenotype: bool,
    /// Whether the activity score came from an outside call.
    pub outside_activity_score: bool,
    /// The phenotype the tables give, when it differs from the outside call's.
    pub outside_phenotype_mismatch: Option<String>,
    /// The activity score the tables give, when it differs from the outside call's.
    pub outside_activity_score_mismatch: Option<String>,
    /// Whether the DPWG phenotype came from the newer CPIC-style table because the DPWG
    /// table does not list the diplotype (see [`annotate`]).
    pub phenotype_from_newer_table: bool,
}

impl AnnotatedDiplotype {
    /// Whether both alleles are unknown (or absent).
    pub fn is_unknown_alleles(&self) -> bool {
        unknown_alleles(self.allele1.as_ref(), self.allele2.as_ref())
    }

    /// Whether the phenotype is unknown (none, or [`NO_RESULT`]).
    pub fn is_unknown_phenotype(&self) -> bool {
        unknown_phenotype(&self.phenotypes)
    }

    /// Whether nothing is known about this diplotype (an uncalled gene).
    pub fn is_unknown(&self) -> bool {
        self.is_unknown_alleles() && self.is_unknown_phenotype()
    }

    /// The Tailor result type for this diplotype. Multiple phenotypes or lookup keys
    /// (HLA-B) are joined with `; `; [`NA`] values become `None`. `score` is the matcher's
    /// score (0 for outside calls).
    pub fn to_call(&self, score: u32) -> DiplotypeCall {
        let unknown = || HaplotypeCall {
            name: UNKNOWN_ALLELE.to_string(),
            function: None,
            activity_value: None,
        };
        let joined = |v: &[String]| {
            let v: Vec<&str> = v
                .iter()
                .map(String::as_str)
                .filter(|s| !is_unspecified(s))
                .collect();
            (!v.is_empty()).then(|| v.join("; "))
        };
        DiplotypeCall {
            label: self.label.clone(),
            allele1: self
                .allele1
                .as_ref()
                .map_or_else(unknown, Haplotype::to_call),
            allele2: self.allele2.as_ref().map(Haplotype::to_call),
            score,
            phenotype: joined(&self.phenotypes),
            activity_score: self.activity_score.clone().filter(|s| !is_unspecified(s)),
            lookup_key: joined(&self.lookup_keys),
        }
    }
}

fn is_unspecified(s: &str) -> bool {
    s.trim().is_empty() || s.trim().eq_ignore_ascii_case(NA)
}

fn unknown_alleles(a1: Option<&Haplotype>, a2: Option<&Haplotype>) -> bool {
    a1.is_none_or(Haplotype::is_unknown) && a2.is_none_or(Haplotype::is_unknown)
}

fn unknown_phenotype(phenotypes: &[String]) -> bool {
    phenotypes.is_empty() || phenotypes.iter().any(|p| p == NO_RESULT)
}

/// Annotates one diplotype of `gene` with the tables of `source`.
///
/// ```no_run
/// use tailor_pgx::phenotype::{annotate, DiplotypeInput, GuidelineSource};
/// let kb = tailor_kb::build(&tailor_kb::default_source_paths())?;
/// // Unphased DPYD: the two lowest-function alleles make the recommendation diplotype.
/// let input = DiplotypeInput::UnphasedAlleles(vec!["c.2846A>T".into(), "c.1905+1G>A (*2A)".into()]);
/// let d = annotate(kb.pgx(), "DPYD", &input, GuidelineSource::Cpic);
/// assert_eq!(d.lookup_keys, vec!["0.5"]);
/// # Ok::<(), tailor_kb::Error>(())
/// ```
pub fn annotate(
    kb: &PgxKnowledge,
    gene: &str,
    input: &DiplotypeInput,
    source: GuidelineSource,
) -> AnnotatedDiplotype {
    let mut d = Draft::new(gene, source);
    match input {
        DiplotypeInput::Unknown => {
            let unknown = d.haplotype(kb, UNKNOWN_ALLELE);
            d.allele2 = (!is_single_ploidy_gene(gene)).then(|| unknown.clone());
            d.allele1 = Some(unknown);
        }
        DiplotypeInput::Called { allele1, allele2 } => {
            if is_lowest_function_gene(gene) {
                let s1 = split_combination(allele1);
                let s2 = allele2.as_deref().map(split_combination);
                d.lowest_function_phased(kb, &s1, s2.as_deref());
            } else {
                d.allele1 = Some(d.haplotype(kb, allele1));
                d.allele2 = allele2.as_deref().map(|a| d.haplotype(kb, a));
            }
        }
        DiplotypeInput::UnphasedAlleles(alleles) => d.lowest_function_unphased(kb, alleles),
        DiplotypeInput::Outside {
            alleles,
            phenotype,
            activity_score,
        } => d.outside(kb, alleles, phenotype.as_deref(), activity_score.as_deref()),
    }
    d.finish(kb)
}

/// Annotates `allele1/allele2` of `gene` (`allele2 = None` for a single-copy call) and
/// returns Tailor's result type. See [`annotate`] for the full result.
///
/// ```no_run
/// use tailor_pgx::phenotype::{annotate_diplotype, GuidelineSource};
/// let kb = tailor_kb::build(&tailor_kb::default_source_paths())?;
/// let call = annotate_diplotype(kb.pgx(), "CYP2C19", "*2", Some("*17"), GuidelineSource::Cpic);
/// assert_eq!(call.phenotype.as_deref(), Some("Intermediate Metabolizer"));
/// # Ok::<(), tailor_kb::Error>(())
/// ```
pub fn annotate_diplotype(
    kb: &PgxKnowledge,
    gene: &str,
    allele1: &str,
    allele2: Option<&str>,
    source: GuidelineSource,
) -> DiplotypeCall {
    let input = DiplotypeInput::Called {
        allele1: allele1.to_string(),
        allele2: allele2.map(str::to_string),
    };
    annotate(kb, gene, &input, source).to_call(0)
}

/// The components of a combination haplotype (`[a + b]` or `a + b`), or the name itself.
pub fn split_combination(name: &str) -> Vec<String> {
    let inner = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .filter(|n| n.contains(" + "))
        .unwrap_or(name);
    if inner.contains(" + ") {
        inner.split(" + ").map(|s| s.trim().to_string()).collect()
    } else {
        vec![name.to_string()]
    }
}

fn is_combination_name(name: &str) -> bool {
    name.starts_with('[') && name.ends_with(']') && name.contains(" + ")
}

/// Orders haplotype names the way PharmCAT displays them: `Reference` (and `Any`,
/// `All`) first, `Unknown`/`Other` last, combinations after single alleles, otherwise
/// natural order (`*2` < `*10`).
pub fn compare_haplotype_names(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let rank = |n: &str| {
        if ["any", "all", "reference"].contains(&n.to_ascii_lowercase().as_str()) {
            0
        } else if ["other", "unknown"].contains(&n.to_ascii_lowercase().as_str()) {
            3
        } else if is_combination_name(n) {
            2
        } else {
            1
        }
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| crate::model::compare_allele_names(a, b))
}

/// A diplotype being annotated (PharmCAT's reporter `Diplotype` under construction).
struct Draft {
    gene: String,
    source: GuidelineSource,
    allele1: Option<Haplotype>,
    allele2: Option<Haplotype>,
    phenotypes: Vec<String>,
    activity_score: Option<String>,
    outside_phenotype: bool,
    outside_activity_score: bool,
    outside_phenotype_mismatch: Option<String>,
    outside_activity_score_mismatch: Option<String>,
    inferred: bool,
    phenotype_from_newer_table: bool,
}

impl Draft {
    fn new(gene: &str, source: GuidelineSource) -> Self {
        Self {
            gene: gene.to_string(),
            source,
            allele1: None,
            allele2: None,
            phenotypes: Vec::new(),
            activity_score: None,
            outside_phenotype: false,
            outside_activity_score: false,
            outside_phenotype_mismatch: None,
            outside_activity_score_mismatch: None,
            inferred: false,
            phenotype_from_newer_table: false,
        }
    }

    fn haplotype(&self, kb: &PgxKnowledge, name: &str) -> Haplotype {
        haplotype(kb, &self.gene, name, self.source)
    }

    fn table<'k>(&self, kb: &'k PgxKnowledge) -> Option<&'k GenePhenotype> {
        if is_allele_presence_gene(&self.gene) {
            None
        } else {
            kb.phenotype(self.source, &self.gene)
        }
    }

    /// Lowest-function diplotype of a phased call: the lowest-function allele of each
    /// strand.
    fn lowest_function_phased(&mut self, kb: &PgxKnowledge, s1: &[String], s2: Option<&[String]>) {
        let (h1, inferred1) = self.lowest_function_sorted(kb, s1);
        self.allele1 = h1.into_iter().next();
        let mut inferred = inferred1 || s1.len() > 1;
        if let Some(s2) = s2 {
            let (h2, inferred2) = self.lowest_function_sorted(kb, s2);
            self.allele2 = h2.into_iter().next();
            inferred = inferred || inferred2 || s2.len() > 1;
        }
        self.inferred = inferred;
    }

    /// Lowest-function diplotype of unphased data: the two lowest-function alleles.
    fn lowest_function_unphased(&mut self, kb: &PgxKnowledge, alleles: &[String]) {
        let mut names: Vec<String> = alleles.to_vec();
        if names.is_empty() {
            let unknown = self.haplotype(kb, UNKNOWN_ALLELE);
            self.allele1 = Some(unknown.clone());
            self.allele2 = Some(unknown);
            return;
        }
        let n = names.len();
        if n < 2 {
            if let Some(reference) = kb.reference_allele(&self.gene) {
                names.push(reference.to_string());
            }
        }
        let (sorted, inferred) = self.lowest_function_sorted(kb, &names);
        let mut it = sorted.into_iter();
        self.allele1 = it.next();
        self.allele2 = it.next();
        self.inferred = inferred || n > 2;
    }

    /// Haplotypes of `names`, lowest function first. For DPWG, CPIC-normal-function
    /// alleles other than the reference are read as the reference (and flagged).
    fn lowest_function_sorted(
        &self,
        kb: &PgxKnowledge,
        names: &[String],
    ) -> (Vec<Haplotype>, bool) {
        let reference = kb.reference_allele(&self.gene).map(str::to_string);
        let cpic = kb.phenotype(GuidelineSource::Cpic, &self.gene);
        let dpwg = kb.phenotype(GuidelineSource::Dpwg, &self.gene);
        let mut inferred = false;
        let mut haps: Vec<Haplotype> = names
            .iter()
            .map(|n| {
                if self.source == GuidelineSource::Dpwg {
                    let normal = cpic
                        .and_then(|t| t.haplotype_function(n))
                        .is_some_and(|f| f.eq_ignore_ascii_case("normal function"));
                    if let Some(r) = reference.as_deref().filter(|r| normal && n != r) {
                        inferred = true;
                        return self.haplotype(kb, r);
                    }
                }
                self.haplotype(kb, n)
            })
            .collect();
        if self.gene == "RYR1" {
            let malignant = |h: &Haplotype| {
                h.function
                    .as_deref()
                    .is_some_and(|f| f.contains("Malignant"))
            };
            haps.sort_by(|a, b| {
                malignant(b)
                    .cmp(&malignant(a))
                    .then_with(|| compare_haplotype_names(&a.name, &b.name))
            });
        } else {
            let activity = |h: &Haplotype| {
                cpic.and_then(|t| t.activity_value(&h.name))
                    .and_then(|v| v.trim().parse::<f64>().ok())
            };
            let in_dpwg = |h: &Haplotype| {
                dpwg.is_some_and(|t| {
                    t.origin.source() == GuidelineSource::Dpwg && t.haplotypes.contains_key(&h.name)
                })
            };
            haps.sort_by(|a, b| {
                // Unknown activity sorts first, as PharmCAT's comparator does.
                let (x, y) = (activity(a), activity(b));
                let by_activity = match (x, y) {
                    (None, None) => Ordering::Equal,
                    (None, Some(_)) => Ordering::Less,
                    (Some(_), None) => Ordering::Greater,
                    (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
                };
                by_activity
                    .then_with(|| in_dpwg(b).cmp(&in_dpwg(a)))
                    .then_with(|| compare_haplotype_names(&a.name, &b.name))
            });
        }
        (haps, inferred)
    }

    /// Outside-call semantics: alleles (copy-number and lowest-function inference applied),
    /// then the given activity score and phenotype, each checked against the tables.
    fn outside(
        &mut self,
        kb: &PgxKnowledge,
        alleles: &[String],
        phenotype: Option<&str>,
        activity_score: Option<&str>,
    ) {
        let phenotype = phenotype.map(str::trim).filter(|p| !p.is_empty());
        let activity_score = activity_score.map(str::trim).filter(|a| !a.is_empty());
        match alleles {
            [] => {}
            [a] => self.allele1 = Some(self.haplotype(kb, a)),
            [a, b, ..] => {
                self.allele1 = Some(self.haplotype(kb, a));
                self.allele2 = Some(self.haplotype(kb, b));
            }
        }
        let gp = self.table(kb);
        if let Some(score) = activity_score {
            let score = normalize_activity(score);
            self.outside_activity_score = true;
            self.activity_score = Some(score.clone());
            if let Some(gp) = gp.filter(|gp| is_matched_by_activity_score(gp)) {
                self.outside_activity_score_mismatch =
                    self.check_activity_score(gp, &score, phenotype);
            }
        }
        if let Some(p) = phenotype {
            self.outside_phenotype = true;
            self.phenotypes = vec![p.to_string()];
            if let Some(gp) = gp {
                self.outside_phenotype_mismatch = self.check_phenotype(gp, p);
            }
        }

        // The recommendation diplotype may differ from the call as given. Like PharmCAT,
        // an inferred diplotype is annotated afresh from its alleles: the outside
        // phenotype and score describe the call as given, not the inferred alleles.
        let has_alleles = !alleles.is_empty();
        if has_alleles && self.gene == "CYP2D6" && !self.outside_activity_score {
            let n1 = self
                .allele1
                .as_ref()
                .and_then(|h| infer_copy_number(kb, &h.name));
            let n2 = self
                .allele2
                .as_ref()
                .and_then(|h| infer_copy_number(kb, &h.name));
            if n1.is_some() || n2.is_some() {
                self.reset_to_alleles();
                if let Some(name) = n1 {
                    self.allele1 = Some(self.haplotype(kb, &name));
                }
                if let Some(name) = n2 {
                    self.allele2 = Some(self.haplotype(kb, &name));
                }
                self.inferred = true;
            }
        }
        if has_alleles && is_lowest_function_gene(&self.gene) {
            let mut names: Vec<&String> = alleles.iter().take(2).collect();
            names.sort_by(|a, b| compare_haplotype_names(a, b));
            let s1 = split_combination(names[0]);
            let s2 = names.get(1).map(|n| split_combination(n));
            self.reset_to_alleles();
            self.lowest_function_phased(kb, &s1, s2.as_deref());
        }
    }

    /// Forgets the outside phenotype and score, keeping the mismatch notes.
    fn reset_to_alleles(&mut self) {
        self.phenotypes.clear();
        self.activity_score = None;
        self.outside_phenotype = false;
        self.outside_activity_score = false;
    }

    fn check_activity_score(
        &self,
        gp: &GenePhenotype,
        score: &str,
        phenotype: Option<&str>,
    ) -> Option<String> {
        if let Some(p) = phenotype {
            let expected = activity_scores_for_phenotypes(gp, &[p.to_string()]);
            if !expected.iter().any(|e| e == score) {
                return Some(expected.join(", "));
            }
        }
        let (a1, a2) = (self.allele1.as_ref()?, self.allele2.as_ref());
        if unknown_alleles(Some(a1), a2) {
            return None;
        }
        let expected = gp
            .find_diplotype(&a1.name, a2.map(|h| h.name.as_str()))
            .and_then(|r| r.lookup_key)
            .map_or_else(|| NA.to_string(), normalize_activity);
        (expected != score).then_some(expected)
    }

    fn check_phenotype(&self, gp: &GenePhenotype, phenotype: &str) -> Option<String> {
        if is_matched_by_activity_score(gp) {
            if let Some(score) = self
                .activity_score
                .as_deref()
                .filter(|s| !is_unspecified(s))
            {
                let expected = phenotypes_for_activity_score(gp, score);
                if !expected.iter().any(|e| e == phenotype) {
                    return Some(expected.join(", "));
                }
                return None;
            }
        }
        let (a1, a2) = (self.allele1.as_ref()?, self.allele2.as_ref());
        if unknown_alleles(Some(a1), a2) {
            return None;
        }
        let expected = gp
            .find_diplotype(&a1.name, a2.map(|h| h.name.as_str()))
            .and_then(|r| r.gene_result)
            .unwrap_or(NA);
        (expected != phenotype).then(|| expected.to_string())
    }

    /// Fills phenotype, activity score and lookup keys from the tables (PharmCAT's
    /// `annotateDiplotype`), then the label.
    fn finish(mut self, kb: &PgxKnowledge) -> AnnotatedDiplotype {
        let key = self.diplotype_key();
        if is_allele_presence_gene(&self.gene) {
            let lookup_keys = if !self.unknown_alleles() && unknown_phenotype(&self.phenotypes) {
                self.phenotypes =
                    hla_phenotypes(&self.gene, self.allele1.as_ref(), self.allele2.as_ref());
                self.phenotypes.clone()
            } else if self.unknown_alleles() {
                if unknown_phenotype(&self.phenotypes) {
                    vec![NO_RESULT.to_string()]
                } else {
                    self.phenotypes.clone()
                }
            } else {
                self.phenotypes.clone()
            };
            return self.into_annotated(key, lookup_keys);
        }
        let Some(gp) = self.table(kb) else {
            return self.into_annotated(key, Vec::new());
        };
        let record = if self.unknown_alleles() {
            None
        } else {
            self.allele1.as_ref().and_then(|a1| {
                gp.find_diplotype(&a1.name, self.allele2.as_ref().map(|h| h.name.as_str()))
            })
        };
        let lookup_keys;
        if is_matched_by_activity_score(gp) {
            if self.activity_score.is_none() {
                self.activity_score = Some(if self.phenotypes.is_empty() {
                    match record.and_then(|r| r.activity_score) {
                        Some(s) => s.to_string(),
                        None if self.unknown_alleles() => NO_RESULT.to_string(),
                        None => NA.to_string(),
                    }
                } else {
                    // Leave the score open; one lookup key per score of the phenotype.
                    NA.to_string()
                });
            }
            if self.phenotypes.is_empty() {
                if self.outside_activity_score {
                    let score = self.activity_score.clone().unwrap_or_default();
                    let mut p = phenotypes_for_activity_score(gp, &score);
                    if p.is_empty() {
                        p.push(NA.to_string());
                    }
                    self.phenotypes = p;
                } else {
                    let p = match record {
                        Some(r) => r.phenotype.or(r.gene_result).unwrap_or(NA),
                        None if self.unknown_alleles() => NO_RESULT,
                        None => NA,
                    };
                    self.phenotypes = vec![p.to_string()];
                }
            }
            let score = self
                .activity_score
                .clone()
                .unwrap_or_else(|| NA.to_string());
            lookup_keys = if score != NA {
                vec![score]
            } else if self.unknown_alleles() && unknown_phenotype(&self.phenotypes) {
                vec![NO_RESULT.to_string()]
            } else {
                let mut scores = activity_scores_for_phenotypes(gp, &self.phenotypes);
                if scores.is_empty() {
                    scores.push(NA.to_string());
                }
                scores
            };
        } else {
            if self.phenotypes.is_empty() {
                let p = match record {
                    Some(r) => r.gene_result.unwrap_or(NA),
                    None if self.unknown_alleles() => NO_RESULT,
                    None => match self.newer_table_phenotype(kb, gp) {
                        Some(p) => {
                            self.phenotype_from_newer_table = true;
                            p
                        }
                        None => NA,
                    },
                };
                self.phenotypes = vec![p.to_string()];
            }
            lookup_keys = if self.unknown_alleles() && unknown_phenotype(&self.phenotypes) {
                vec![NO_RESULT.to_string()]
            } else {
                self.phenotypes.clone()
            };
        }
        self.into_annotated(key, lookup_keys)
    }

    fn unknown_alleles(&self) -> bool {
        unknown_alleles(self.allele1.as_ref(), self.allele2.as_ref())
    }

    /// For DPWG, the phenotype the newest CPIC-style table gives a diplotype that the
    /// DPWG table (PharmCAT 2.12.0) does not list, provided DPWG keys recommendations by
    /// that very phenotype. The definitions are PharmCAT 3.1.1's, whose allele names the
    /// 2.12.0 DPWG tables predate (CYP2C19's reference allele is now `*38`, not `*1`);
    /// PharmCAT 3.1.1 itself uses one table for both sources.
    fn newer_table_phenotype<'k>(
        &self,
        kb: &'k PgxKnowledge,
        dpwg: &GenePhenotype,
    ) -> Option<&'k str> {
        if self.source != GuidelineSource::Dpwg {
            return None;
        }
        let cpic = kb.phenotype(GuidelineSource::Cpic, &self.gene)?;
        if std::ptr::eq(cpic, dpwg) {
            return None;
        }
        let a1 = self.allele1.as_ref()?;
        let result = cpic
            .find_diplotype(&a1.name, self.allele2.as_ref().map(|h| h.name.as_str()))?
            .gene_result?;
        dpwg.diplotypes()
            .any(|d| d.lookup_key == Some(result))
            .then_some(result)
    }

    fn diplotype_key(&self) -> DiplotypeKey {
        match (&self.allele1, &self.allele2) {
            (Some(a), b) => diplotype_key(&a.name, b.as_ref().map(|h| h.name.as_str())),
            (None, Some(b)) => diplotype_key(&b.name, None),
            (None, None) => Vec::new(),
        }
    }

    fn label(&self) -> String {
        if CPIC_STYLE_LABEL_GENES.contains(&self.gene.as_str()) {
            if let Some(a1) = &self.allele1 {
                let ref1 = a1.reference;
                let ref2 = self.allele2.as_ref().is_some_and(|h| h.reference);
                match (&self.allele2, ref1, ref2) {
                    (None, true, _) => return REFERENCE.to_string(),
                    (Some(_), true, true) => return format!("{REFERENCE}/{REFERENCE}"),
                    (Some(a2), true, false) => return format!("{} (heterozygous)", a2.name),
                    (Some(_), false, true) => return format!("{} (heterozygous)", a1.name),
                    _ => {}
                }
            }
        }
        match (&self.allele1, &self.allele2) {
            (None, None) => {
                let score = self
                    .activity_score
                    .as_deref()
                    .filter(|s| !is_unspecified(s));
                if let Some(score) = score {
                    if unknown_phenotype(&self.phenotypes) {
                        score.to_string()
                    } else {
                        format!("{} ({score})", self.phenotypes.join("/"))
                    }
                } else if !unknown_phenotype(&self.phenotypes) {
                    self.phenotypes.join("/")
                } else {
                    NA.to_string()
                }
            }
            (Some(a1), Some(a2)) => {
                let mut names = [a1.name.as_str(), a2.name.as_str()];
                names.sort_by(|a, b| compare_haplotype_names(a, b));
                names.join("/")
            }
            (Some(a), None) | (None, Some(a)) => a.name.clone(),
        }
    }

    fn into_annotated(
        self,
        diplotype_key: DiplotypeKey,
        lookup_keys: Vec<String>,
    ) -> AnnotatedDiplotype {
        let label = self.label();
        AnnotatedDiplotype {
            gene: self.gene,
            source: self.source,
            allele1: self.allele1,
            allele2: self.allele2,
            label,
            phenotypes: self.phenotypes,
            activity_score: self.activity_score,
            lookup_keys,
            diplotype_key,
            inferred: self.inferred,
            outside_phenotype: self.outside_phenotype,
            outside_activity_score: self.outside_activity_score,
            outside_phenotype_mismatch: self.outside_phenotype_mismatch,
            outside_activity_score_mismatch: self.outside_activity_score_mismatch,
            phenotype_from_newer_table: self.phenotype_from_newer_table,
        }
    }
}

/// A haplotype with its function and activity value from the `source` tables.
fn haplotype(kb: &PgxKnowledge, gene: &str, name: &str, source: GuidelineSource) -> Haplotype {
    let reference = kb.reference_allele(gene) == Some(name);
    if name == UNKNOWN_ALLELE || is_allele_presence_gene(gene) {
        return Haplotype {
            name: name.to_string(),
            function: None,
            activity_value: None,
            reference,
        };
    }
    match kb.phenotype(source, gene) {
        Some(gp) => Haplotype {
            name: name.to_string(),
            // DPWG tables predate some current allele names; the function of an allele
            // they do not list is the newer CPIC-style table's (see `annotate`).
            function: Some(
                gp.haplotype_function(name)
                    .or_else(|| {
                        (source == GuidelineSource::Dpwg)
                            .then(|| kb.phenotype(GuidelineSource::Cpic, gene))
                            .flatten()
                            .and_then(|t| t.haplotype_function(name))
                    })
                    .unwrap_or(UNASSIGNED_FUNCTION)
                    .to_string(),
            ),
            activity_value: Some(gp.activity_value(name).unwrap_or(NA).to_string()),
            reference,
        },
        None => Haplotype {
            name: name.to_string(),
            function: None,
            activity_value: None,
            reference,
        },
    }
}

/// Whether lookups for this table go by activity score. PharmCAT's rule is "the table has
/// activity values"; we also require the diplotype rows to carry scores, which is what
/// distinguishes DPWG's DPYD table (keyed `2.0 (Normal Metabolizer)`, no scores) — the
/// case PharmCAT special-cases by gene and source.
fn is_matched_by_activity_score(gp: &GenePhenotype) -> bool {
    gp.is_activity_scored() && gp.rows_have_activity_scores()
}

/// Every phenotype (gene result) whose rows have lookup key `score`, sorted.
fn phenotypes_for_activity_score(gp: &GenePhenotype, score: &str) -> Vec<String> {
    gp.results_for_lookup_key(score).to_vec()
}

/// Every activity score of rows whose phenotype is one of `phenotypes`, in numeric order.
fn activity_scores_for_phenotypes(gp: &GenePhenotype, phenotypes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in phenotypes {
        for s in gp.activity_scores_for_result(p) {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
    }
    if phenotypes.len() > 1 {
        let value = |s: &str| s.trim_start_matches(['>', '\u{2265}']).parse::<f64>().ok();
        out.sort_by(|a, b| match (value(a), value(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.cmp(b)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => a.cmp(b),
        });
    }
    out
}

/// Writes integral activity scores with one decimal (`1` -> `1.0`, `≥3` -> `≥3.0`), as
/// the tables do.
fn normalize_activity(value: &str) -> String {
    let v = value.trim();
    let digits = v.trim_start_matches(['>', '\u{2265}']);
    let prefix = &v[..v.len() - digits.len()];
    let numeric = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
    if numeric && prefix.chars().count() <= 1 {
        format!("{v}.0")
    } else {
        v.to_string()
    }
}

/// Allele-status phenotypes of HLA-A (`*31:01`) and HLA-B (`*15:02`, `*57:01`, `*58:01`).
fn hla_phenotypes(gene: &str, a1: Option<&Haplotype>, a2: Option<&Haplotype>) -> Vec<String> {
    let markers: &[&str] = match gene {
        "HLA-A" => &["*31:01"],
        "HLA-B" => &["*15:02", "*57:01", "*58:01"],
        _ => &[],
    };
    let carries = |m: &str| [a1, a2].iter().flatten().any(|h| h.name.contains(m));
    markers
        .iter()
        .map(|m| {
            if carries(m) {
                format!("{m} positive")
            } else {
                format!("{m} negative")
            }
        })
        .collect()
}

/// CYP2D6 `*Nx<k>` with k > 2 becomes `*Nx≥3` when a table lists that allele.
fn infer_copy_number(kb: &PgxKnowledge, name: &str) -> Option<String> {
    let rest = name.strip_prefix('*')?;
    let (star, copies) = rest.split_once(['x', 'X'])?;
    if star.is_empty() || !star.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let gte = copies.starts_with(GTE);
    let digits = copies.trim_start_matches(GTE);
    let copies: u32 = digits.parse().ok()?;
    if copies <= 2 || (gte && copies == 3) {
        return None;
    }
    let candidate = format!("*{star}x{GTE}3");
    let listed = [GuidelineSource::Cpic, GuidelineSource::Dpwg]
        .iter()
        .any(|s| {
            kb.phenotype(*s, "CYP2D6")
                .is_some_and(|t| t.haplotypes.contains_key(&candidate))
        });
    listed.then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combination_names_split() {
        assert_eq!(split_combination("[c.1 + c.2]"), vec!["c.1", "c.2"]);
        assert_eq!(split_combination("c.1 + c.2"), vec!["c.1", "c.2"]);
        assert_eq!(split_combination("*1"), vec!["*1"]);
    }

    #[test]
    fn haplotype_names_sort_like_pharmcat() {
        let mut v = vec!["Unknown", "*10", "[*1 + *2]", "*2", "Reference"];
        v.sort_by(|a, b| compare_haplotype_names(a, b));
        assert_eq!(v, vec!["Reference", "*2", "*10", "[*1 + *2]", "Unknown"]);
    }

    #[test]
    fn activity_scores_are_normalized() {
        assert_eq!(normalize_activity("1"), "1.0");
        assert_eq!(normalize_activity("1.25"), "1.25");
        assert_eq!(normalize_activity("\u{2265}4"), "\u{2265}4.0");
        assert_eq!(normalize_activity("n/a"), "n/a");
    }

    #[test]
    fn hla_status_keys() {
        let h = |n: &str| Haplotype {
            name: n.into(),
            function: None,
            activity_value: None,
            reference: false,
        };
        assert_eq!(
            hla_phenotypes("HLA-B", Some(&h("*15:02")), Some(&h("*57:01:01"))),
            vec!["*15:02 positive", "*57:01 positive", "*58:01 negative"]
        );
        assert_eq!(
            hla_phenotypes("HLA-A", Some(&h("*02:01")), None),
            vec!["*31:01 negative"]
        );
    }
}
