//! What an evidence row matches: the typed form of the curated tables'
//! `alteration_type` + `alteration` columns (and of CIViC molecular profiles).
//!
//! Parsing happens once, when the knowledge base is built, so a typo such as `V60E0`
//! or `19:inframe_deleton` stops the build with the file and line instead of silently
//! never matching a patient.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The `alteration_type` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AlterationType {
    /// One or more exact protein changes.
    Protein,
    /// Any change at one or more residues.
    Codon,
    /// A class of change within one exon.
    Exon,
    /// A gene-level class (oncogenic, truncating, any).
    Gene,
    /// A gene fusion.
    Fusion,
    /// Copy-number amplification.
    Amplification,
    /// Homozygous deletion.
    Deletion,
    /// A genome-wide signature (TMB, MSI, dMMR, HRD).
    Signature,
    /// A protein-expression / IHC result.
    Expression,
}

impl AlterationType {
    /// Every type, in table order.
    pub const ALL: [AlterationType; 9] = [
        Self::Protein,
        Self::Codon,
        Self::Exon,
        Self::Gene,
        Self::Fusion,
        Self::Amplification,
        Self::Deletion,
        Self::Signature,
        Self::Expression,
    ];

    /// The spelling used in the tables (`protein`, `amplification`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Protein => "protein",
            Self::Codon => "codon",
            Self::Exon => "exon",
            Self::Gene => "gene",
            Self::Fusion => "fusion",
            Self::Amplification => "amplification",
            Self::Deletion => "deletion",
            Self::Signature => "signature",
            Self::Expression => "expression",
        }
    }

    /// Whether rows of this type name a gene whose DNA is altered (and so must list it
    /// in `genes.tsv`). Signatures have no gene; expression rows name the encoding gene
    /// only for reference.
    pub fn needs_gene(self) -> bool {
        !matches!(self, Self::Signature | Self::Expression)
    }
}

impl FromStr for AlterationType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                let all: Vec<&str> = Self::ALL.iter().map(|t| t.as_str()).collect();
                format!(
                    "unknown alteration_type `{s}`; expected one of {}",
                    all.join(", ")
                )
            })
    }
}

impl fmt::Display for AlterationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The twenty standard amino acids in one-letter code.
const AMINO_ACIDS: &str = "ACDEFGHIKLMNPQRSTVWY";

/// What kind of protein change a [`ProteinChange`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProteinChangeKind {
    /// One residue replaced by another (`V600E`).
    Missense,
    /// A stop gained (`Q61*`).
    Nonsense,
    /// No change to the residue (`V600=`).
    Synonymous,
    /// In-frame deletion (`E746_A750del`, `K546del`).
    Deletion,
    /// In-frame insertion between two residues (`N771_P772insH`).
    Insertion,
    /// Deletion-insertion (`L747_P753delinsS`).
    Delins,
    /// Duplication (`A767_V769dup`).
    Duplication,
    /// Frameshift (`L189Cfs*2`, `L189fs`).
    Frameshift,
    /// Splice-site change at a residue (`X165_splice`).
    Splice,
}

/// One protein change in the one-letter short form the whole project uses (no `p.`):
/// `V600E`, `Q61*`, `E746_A750del`, `L747_P753delinsS`, `A767_V769dup`, `L189Cfs*2`,
/// `X165_splice`.
///
/// ```
/// use tailor_kb::onco::{ProteinChange, ProteinChangeKind};
/// let c: ProteinChange = "E746_A750del".parse().unwrap();
/// assert_eq!(c.kind(), ProteinChangeKind::Deletion);
/// assert_eq!(c.residues(), (746, 750));
/// assert_eq!(c.to_string(), "E746_A750del");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProteinChange {
    text: String,
    start: (char, u32),
    end: Option<(char, u32)>,
    kind: ProteinChangeKind,
}

impl ProteinChange {
    /// The change as written (`V600E`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first residue: reference amino acid and position (`('V', 600)`).
    pub fn start(&self) -> (char, u32) {
        self.start
    }

    /// The last residue of a range (`E746_A750del` -> `('A', 750)`).
    pub fn end(&self) -> Option<(char, u32)> {
        self.end
    }

    /// First and last affected residue position.
    pub fn residues(&self) -> (u32, u32) {
        (self.start.1, self.end.map_or(self.start.1, |e| e.1))
    }

    /// What kind of change it is.
    pub fn kind(&self) -> ProteinChangeKind {
        self.kind
    }
}

/// Reads `<aa><position>` at the start of `s`; returns it and the rest.
fn residue(s: &str, allow_x: bool) -> Option<((char, u32), &str)> {
    let mut chars = s.chars();
    let aa = chars.next()?;
    let known = AMINO_ACIDS.contains(aa) || aa == '*' || (allow_x && aa == 'X');
    if !known {
        return None;
    }
    let rest = chars.as_str();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || rest.starts_with('0') {
        return None;
    }
    let pos: u32 = rest[..digits].parse().ok()?;
    Some(((aa, pos), &rest[digits..]))
}

fn amino_acid_run(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| AMINO_ACIDS.contains(c) || c == '*')
}

impl FromStr for ProteinChange {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = |why: &str| {
            format!(
                "`{s}` is not a one-letter protein change ({why}); expected forms like V600E, \
                 Q61*, E746_A750del, L747_P753delinsS, A767_V769dup, N771_P772insH, \
                 L189Cfs*2, X165_splice"
            )
        };
        if s.starts_with("p.") {
            return Err(bad("write it without `p.`"));
        }
        let (start, rest) = residue(s, true).ok_or_else(|| bad("no residue such as V600"))?;
        let (end, rest) = match rest.strip_prefix('_') {
            Some("splice") => {
                return Ok(Self {
                    text: s.to_string(),
                    start,
                    end: None,
                    kind: ProteinChangeKind::Splice,
                })
            }
            Some(r) => {
                let (end, rest) = residue(r, false).ok_or_else(|| bad("no residue after `_`"))?;
                if end.1 <= start.1 {
                    return Err(bad(
                        "the range must go from the lower to the higher position",
                    ));
                }
                (Some(end), rest)
            }
            None => (None, rest),
        };
        if start.0 == 'X' {
            return Err(bad(
                "`X` is only used for splice changes such as X165_splice",
            ));
        }
        let kind = if rest == "del" {
            ProteinChangeKind::Deletion
        } else if rest == "dup" {
            ProteinChangeKind::Duplication
        } else if let Some(aas) = rest.strip_prefix("delins") {
            if !amino_acid_run(aas) {
                return Err(bad("no inserted amino acids after `delins`"));
            }
            ProteinChangeKind::Delins
        } else if let Some(aas) = rest.strip_prefix("ins") {
            if end.is_none() {
                return Err(bad("an insertion names the two flanking residues"));
            }
            if !amino_acid_run(aas) {
                return Err(bad("no inserted amino acids after `ins`"));
            }
            ProteinChangeKind::Insertion
        } else if let Some(fs) = rest.find("fs") {
            let (alt, tail) = (&rest[..fs], &rest[fs + 2..]);
            let alt_ok = alt.is_empty() || (alt.len() == 1 && amino_acid_run(alt));
            let tail_ok = tail.is_empty()
                || tail == "*?"
                || tail
                    .strip_prefix('*')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if end.is_some() || !alt_ok || !tail_ok {
                return Err(bad("malformed frameshift"));
            }
            ProteinChangeKind::Frameshift
        } else if end.is_some() {
            return Err(bad("a range must end in del, dup, ins.. or delins.."));
        } else if rest == "*" {
            ProteinChangeKind::Nonsense
        } else if rest == "=" {
            ProteinChangeKind::Synonymous
        } else if rest.chars().count() == 1 && amino_acid_run(rest) {
            ProteinChangeKind::Missense
        } else if rest.is_empty() {
            return Err(bad(
                "no change after the residue; use alteration_type codon for any change there",
            ));
        } else {
            return Err(bad("unrecognised change after the residue"));
        };
        Ok(Self {
            text: s.to_string(),
            start,
            end,
            kind,
        })
    }
}

impl fmt::Display for ProteinChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Which changes within an exon an `exon` rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExonKind {
    /// In-frame deletions (and deletion-insertions that shorten the protein), e.g. EGFR
    /// exon 19.
    InframeDeletion,
    /// In-frame insertions and duplications, e.g. EGFR/ERBB2 exon 20.
    InframeInsertion,
    /// Exon skipping: splice-site variants at the exon's donor/acceptor, or deletions
    /// spanning them (MET exon 14).
    Skipping,
    /// Missense changes in the exon (EGFR exon 18).
    Missense,
    /// Any protein-altering change in the exon (KIT exon 11).
    Any,
}

impl ExonKind {
    const TABLE: [(ExonKind, &'static str); 5] = [
        (Self::InframeDeletion, "inframe_deletion"),
        (Self::InframeInsertion, "inframe_insertion"),
        (Self::Skipping, "skipping"),
        (Self::Missense, "missense"),
        (Self::Any, "any"),
    ];

    /// The table spelling (`inframe_deletion`).
    pub fn as_str(self) -> &'static str {
        Self::TABLE
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("any", |(_, s)| s)
    }
}

/// Gene-level classes of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GeneClass {
    /// A hotspot or known-oncogenic change; for tumour suppressors also truncating
    /// changes.
    Oncogenic,
    /// Nonsense, frameshift or splice-site changes.
    Truncating,
    /// Any protein-altering change.
    Any,
}

impl GeneClass {
    /// The table spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oncogenic => "oncogenic",
            Self::Truncating => "truncating",
            Self::Any => "any",
        }
    }
}

/// Genome-wide signatures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Signature {
    /// Tumour mutational burden at or above `min` mutations per megabase.
    TmbHigh {
        /// Threshold in mut/Mb (10 for the FDA pembrolizumab TMB-H indication).
        min: f64,
    },
    /// Microsatellite instability high.
    MsiHigh,
    /// Mismatch-repair deficient (IHC).
    Dmmr,
    /// Homologous-recombination deficient.
    Hrd,
}

/// Expression / IHC markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Marker {
    /// PD-L1 tumour proportion score (%).
    Pdl1Tps,
    /// PD-L1 combined positive score.
    Pdl1Cps,
    /// HER2 (ERBB2) by IHC/ISH.
    Her2,
    /// Oestrogen receptor.
    Er,
    /// Progesterone receptor.
    Pr,
}

impl Marker {
    /// The table spelling (`PD-L1_TPS`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdl1Tps => "PD-L1_TPS",
            Self::Pdl1Cps => "PD-L1_CPS",
            Self::Her2 => "HER2",
            Self::Er => "ER",
            Self::Pr => "PR",
        }
    }

    /// The gene that encodes the marker (what the `gene` column may say).
    pub fn gene(self) -> &'static str {
        match self {
            Self::Pdl1Tps | Self::Pdl1Cps => "CD274",
            Self::Her2 => "ERBB2",
            Self::Er => "ESR1",
            Self::Pr => "PGR",
        }
    }

    fn is_score(self) -> bool {
        matches!(self, Self::Pdl1Tps | Self::Pdl1Cps)
    }
}

/// A categorical expression result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExpressionStatus {
    /// Positive (HER2: IHC 3+ or ISH-amplified).
    Positive,
    /// HER2-low: IHC 1+, or 2+ with negative ISH.
    Low,
    /// HER2-ultralow: faint staining in up to 10% of cells (IHC >0 <1+).
    Ultralow,
}

impl ExpressionStatus {
    /// The table spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Positive => "positive",
            Self::Low => "low",
            Self::Ultralow => "ultralow",
        }
    }
}

/// The condition an expression result must meet.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ExpressionRule {
    /// Score at or above the value (PD-L1 TPS in %, CPS as a number).
    AtLeast(f64),
    /// A categorical result.
    Status(ExpressionStatus),
}

/// What an evidence row matches, independent of the gene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AlterationPattern {
    /// Exact protein changes (any of them).
    Protein {
        /// The changes, in table order.
        changes: Vec<ProteinChange>,
    },
    /// Any change at one of the residues.
    Codon {
        /// Reference amino acid and position of each residue.
        residues: Vec<(char, u32)>,
    },
    /// A class of change in one exon.
    Exon {
        /// Exon number in the MANE Select transcript.
        exon: u32,
        /// Which changes count.
        kind: ExonKind,
    },
    /// A gene-level class.
    Gene(GeneClass),
    /// A fusion involving the gene.
    Fusion {
        /// `None`: the gene is either partner. `Some((five_prime, three_prime))`: this
        /// pair only.
        partner: Option<(String, String)>,
    },
    /// Copy-number amplification of the gene.
    Amplification,
    /// Homozygous deletion of the gene.
    Deletion,
    /// A genome-wide signature.
    Signature(Signature),
    /// An expression/IHC result.
    Expression {
        /// Which marker.
        marker: Marker,
        /// The condition.
        rule: ExpressionRule,
    },
}

/// Parses a non-negative decimal threshold.
fn threshold(s: &str) -> Option<f64> {
    let ok = !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.bytes().filter(|b| *b == b'.').count() <= 1;
    ok.then(|| s.parse().ok()).flatten()
}

fn write_number(f: &mut fmt::Formatter<'_>, v: f64) -> fmt::Result {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        write!(f, "{}", v as i64)
    } else {
        write!(f, "{v}")
    }
}

impl AlterationPattern {
    /// Parses the `alteration` column for the given `alteration_type`. The error says
    /// what was expected; the importer adds the file, line and column.
    ///
    /// ```
    /// use tailor_kb::onco::{AlterationPattern, AlterationType, ExonKind};
    /// let p = AlterationPattern::parse(AlterationType::Exon, "19:inframe_deletion").unwrap();
    /// assert_eq!(p, AlterationPattern::Exon { exon: 19, kind: ExonKind::InframeDeletion });
    /// ```
    pub fn parse(kind: AlterationType, text: &str) -> Result<Self, String> {
        let text = text.trim();
        match kind {
            AlterationType::Protein => {
                let changes = text
                    .split(',')
                    .map(|c| c.trim().parse::<ProteinChange>())
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Self::Protein { changes })
            }
            AlterationType::Codon => {
                let residues = text
                    .split(',')
                    .map(|c| {
                        let c = c.trim();
                        match residue(c, false) {
                            Some((r, "")) if r.0 != '*' => Ok(r),
                            _ => Err(format!(
                                "`{c}` is not a residue; expected forms like G12 or G12,G13,Q61"
                            )),
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Self::Codon { residues })
            }
            AlterationType::Exon => {
                let bad = || {
                    let kinds: Vec<&str> = ExonKind::TABLE.iter().map(|(_, s)| *s).collect();
                    format!(
                        "`{text}` is not an exon rule; expected <exon>:<kind> with kind one of {} \
                         (e.g. 19:inframe_deletion)",
                        kinds.join(", ")
                    )
                };
                let (exon, what) = text.split_once(':').ok_or_else(bad)?;
                let exon: u32 = exon.parse().ok().filter(|e| *e > 0).ok_or_else(bad)?;
                let kind = ExonKind::TABLE
                    .iter()
                    .find(|(_, s)| *s == what)
                    .map(|(k, _)| *k)
                    .ok_or_else(bad)?;
                Ok(Self::Exon { exon, kind })
            }
            AlterationType::Gene => match text {
                "oncogenic" => Ok(Self::Gene(GeneClass::Oncogenic)),
                "truncating" => Ok(Self::Gene(GeneClass::Truncating)),
                "any" => Ok(Self::Gene(GeneClass::Any)),
                _ => Err(format!(
                    "`{text}` is not a gene-level class; expected oncogenic, truncating or any"
                )),
            },
            AlterationType::Fusion => {
                if text == "any" {
                    return Ok(Self::Fusion { partner: None });
                }
                match text.split_once("--") {
                    Some((a, b))
                        if is_gene_symbol(a) && is_gene_symbol(b) && a != b =>
                    {
                        Ok(Self::Fusion {
                            partner: Some((a.to_string(), b.to_string())),
                        })
                    }
                    _ => Err(format!(
                        "`{text}` is not a fusion; expected `any` or a 5'--3' pair such as EML4--ALK"
                    )),
                }
            }
            AlterationType::Amplification | AlterationType::Deletion => {
                if text == "-" {
                    Ok(if kind == AlterationType::Amplification {
                        Self::Amplification
                    } else {
                        Self::Deletion
                    })
                } else {
                    Err(format!("`{text}`: {kind} rows take `-` as alteration"))
                }
            }
            AlterationType::Signature => {
                if let Some(min) = text.strip_prefix("TMB-H>=") {
                    return threshold(min)
                        .map(|min| Self::Signature(Signature::TmbHigh { min }))
                        .ok_or_else(|| format!("`{text}`: TMB threshold is not a number"));
                }
                match text {
                    "MSI-H" => Ok(Self::Signature(Signature::MsiHigh)),
                    "dMMR" => Ok(Self::Signature(Signature::Dmmr)),
                    "HRD" => Ok(Self::Signature(Signature::Hrd)),
                    _ => Err(format!(
                        "`{text}` is not a signature; expected TMB-H>=<mut/Mb>, MSI-H, dMMR or HRD"
                    )),
                }
            }
            AlterationType::Expression => parse_expression(text),
        }
    }

    /// The `alteration_type` this pattern belongs to.
    pub fn alteration_type(&self) -> AlterationType {
        match self {
            Self::Protein { .. } => AlterationType::Protein,
            Self::Codon { .. } => AlterationType::Codon,
            Self::Exon { .. } => AlterationType::Exon,
            Self::Gene(_) => AlterationType::Gene,
            Self::Fusion { .. } => AlterationType::Fusion,
            Self::Amplification => AlterationType::Amplification,
            Self::Deletion => AlterationType::Deletion,
            Self::Signature(_) => AlterationType::Signature,
            Self::Expression { .. } => AlterationType::Expression,
        }
    }

    /// The `alteration` column spelling (the inverse of [`AlterationPattern::parse`]).
    pub fn table_form(&self) -> String {
        struct TableForm<'a>(&'a AlterationPattern);
        impl fmt::Display for TableForm<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.0 {
                    AlterationPattern::Protein { changes } => {
                        join(f, changes.iter().map(|c| c.as_str().to_string()), ",")
                    }
                    AlterationPattern::Codon { residues } => {
                        join(f, residues.iter().map(|(a, p)| format!("{a}{p}")), ",")
                    }
                    AlterationPattern::Exon { exon, kind } => {
                        write!(f, "{exon}:{}", kind.as_str())
                    }
                    AlterationPattern::Gene(c) => f.write_str(c.as_str()),
                    AlterationPattern::Fusion { partner: None } => f.write_str("any"),
                    AlterationPattern::Fusion {
                        partner: Some((a, b)),
                    } => write!(f, "{a}--{b}"),
                    AlterationPattern::Amplification | AlterationPattern::Deletion => {
                        f.write_str("-")
                    }
                    AlterationPattern::Signature(Signature::TmbHigh { min }) => {
                        f.write_str("TMB-H>=")?;
                        write_number(f, *min)
                    }
                    AlterationPattern::Signature(Signature::MsiHigh) => f.write_str("MSI-H"),
                    AlterationPattern::Signature(Signature::Dmmr) => f.write_str("dMMR"),
                    AlterationPattern::Signature(Signature::Hrd) => f.write_str("HRD"),
                    AlterationPattern::Expression { marker, rule } => {
                        f.write_str(marker.as_str())?;
                        match rule {
                            ExpressionRule::AtLeast(v) => {
                                f.write_str(">=")?;
                                write_number(f, *v)
                            }
                            ExpressionRule::Status(s) => write!(f, "={}", s.as_str()),
                        }
                    }
                }
            }
        }
        TableForm(self).to_string()
    }
}

fn join(f: &mut fmt::Formatter<'_>, items: impl Iterator<Item = String>, sep: &str) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        f.write_str(&item)?;
    }
    Ok(())
}

fn parse_expression(text: &str) -> Result<AlterationPattern, String> {
    let bad = || {
        format!(
            "`{text}` is not an expression rule; expected PD-L1_TPS>=<%>, PD-L1_CPS>=<n>, \
             HER2=positive|low|ultralow, ER=positive or PR=positive"
        )
    };
    if let Some((name, value)) = text.split_once(">=") {
        let marker = match name {
            "PD-L1_TPS" => Marker::Pdl1Tps,
            "PD-L1_CPS" => Marker::Pdl1Cps,
            _ => return Err(bad()),
        };
        let v = threshold(value).ok_or_else(bad)?;
        if marker == Marker::Pdl1Tps && v > 100.0 {
            return Err(format!("`{text}`: a TPS is a percentage, at most 100"));
        }
        return Ok(AlterationPattern::Expression {
            marker,
            rule: ExpressionRule::AtLeast(v),
        });
    }
    let (name, value) = text.split_once('=').ok_or_else(bad)?;
    let marker = match name {
        "HER2" => Marker::Her2,
        "ER" => Marker::Er,
        "PR" => Marker::Pr,
        _ => return Err(bad()),
    };
    debug_assert!(!marker.is_score());
    let status = match (marker, value) {
        (_, "positive") => ExpressionStatus::Positive,
        (Marker::Her2, "low") => ExpressionStatus::Low,
        (Marker::Her2, "ultralow") => ExpressionStatus::Ultralow,
        _ => return Err(bad()),
    };
    Ok(AlterationPattern::Expression {
        marker,
        rule: ExpressionRule::Status(status),
    })
}

/// Whether `s` looks like an HGNC symbol (letters, digits, `-`, `.`; no spaces).
pub(crate) fn is_gene_symbol(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
}

/// An alteration as a clinician reads it: the gene together with the pattern.
///
/// ```
/// use tailor_kb::onco::{Alteration, AlterationPattern, AlterationType};
/// let a = Alteration {
///     gene: Some("BRAF".into()),
///     pattern: AlterationPattern::parse(AlterationType::Protein, "V600E").unwrap(),
/// };
/// assert_eq!(a.to_string(), "BRAF V600E");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alteration {
    /// The gene (`None` for signatures and gene-less expression rows).
    pub gene: Option<String>,
    /// What is matched.
    pub pattern: AlterationPattern,
}

impl fmt::Display for Alteration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gene = self.gene.as_deref().unwrap_or("");
        let lead = |f: &mut fmt::Formatter<'_>| {
            if gene.is_empty() {
                Ok(())
            } else {
                write!(f, "{gene} ")
            }
        };
        match &self.pattern {
            AlterationPattern::Protein { changes } => {
                lead(f)?;
                join(f, changes.iter().map(|c| c.as_str().to_string()), ", ")
            }
            AlterationPattern::Codon { residues } => {
                lead(f)?;
                join(f, residues.iter().map(|(a, p)| format!("{a}{p}")), ", ")
            }
            AlterationPattern::Exon { exon, kind } => {
                lead(f)?;
                let what = match kind {
                    ExonKind::InframeDeletion => "in-frame deletion",
                    ExonKind::InframeInsertion => "in-frame insertion",
                    ExonKind::Skipping => "skipping",
                    ExonKind::Missense => "missense mutation",
                    ExonKind::Any => "mutation",
                };
                write!(f, "exon {exon} {what}")
            }
            AlterationPattern::Gene(class) => {
                lead(f)?;
                f.write_str(match class {
                    GeneClass::Oncogenic => "oncogenic mutation",
                    GeneClass::Truncating => "truncating mutation",
                    GeneClass::Any => "mutation",
                })
            }
            AlterationPattern::Fusion { partner: None } => {
                lead(f)?;
                f.write_str("fusion")
            }
            AlterationPattern::Fusion {
                partner: Some((a, b)),
            } => write!(f, "{a}--{b} fusion"),
            AlterationPattern::Amplification => {
                lead(f)?;
                f.write_str("amplification")
            }
            AlterationPattern::Deletion => {
                lead(f)?;
                f.write_str("homozygous deletion")
            }
            AlterationPattern::Signature(Signature::TmbHigh { min }) => {
                f.write_str("TMB >= ")?;
                write_number(f, *min)?;
                f.write_str(" mut/Mb")
            }
            AlterationPattern::Signature(Signature::MsiHigh) => f.write_str("MSI-H"),
            AlterationPattern::Signature(Signature::Dmmr) => f.write_str("dMMR"),
            AlterationPattern::Signature(Signature::Hrd) => f.write_str("HRD"),
            AlterationPattern::Expression { marker, rule } => {
                let name = match marker {
                    Marker::Pdl1Tps => "PD-L1 TPS",
                    Marker::Pdl1Cps => "PD-L1 CPS",
                    Marker::Her2 => "HER2",
                    Marker::Er => "ER",
                    Marker::Pr => "PR",
                };
                match rule {
                    ExpressionRule::AtLeast(v) => {
                        write!(f, "{name} >= ")?;
                        write_number(f, *v)?;
                        if *marker == Marker::Pdl1Tps {
                            f.write_str("%")?;
                        }
                        Ok(())
                    }
                    ExpressionRule::Status(ExpressionStatus::Positive) => {
                        write!(f, "{name} positive")
                    }
                    ExpressionRule::Status(s) => write!(f, "{name}-{}", s.as_str()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(gene: Option<&str>, t: AlterationType, text: &str) -> String {
        Alteration {
            gene: gene.map(str::to_string),
            pattern: AlterationPattern::parse(t, text).expect(text),
        }
        .to_string()
    }

    #[test]
    fn display_reads_like_a_report() {
        use AlterationType as T;
        assert_eq!(show(Some("BRAF"), T::Protein, "V600E"), "BRAF V600E");
        assert_eq!(
            show(Some("BRAF"), T::Protein, "V600E,V600K"),
            "BRAF V600E, V600K"
        );
        assert_eq!(show(Some("KRAS"), T::Codon, "G12"), "KRAS G12");
        assert_eq!(
            show(Some("EGFR"), T::Exon, "19:inframe_deletion"),
            "EGFR exon 19 in-frame deletion"
        );
        assert_eq!(
            show(Some("MET"), T::Exon, "14:skipping"),
            "MET exon 14 skipping"
        );
        assert_eq!(show(Some("ALK"), T::Fusion, "any"), "ALK fusion");
        assert_eq!(
            show(Some("ALK"), T::Fusion, "EML4--ALK"),
            "EML4--ALK fusion"
        );
        assert_eq!(
            show(Some("ERBB2"), T::Amplification, "-"),
            "ERBB2 amplification"
        );
        assert_eq!(
            show(Some("CDKN2A"), T::Deletion, "-"),
            "CDKN2A homozygous deletion"
        );
        assert_eq!(show(None, T::Signature, "TMB-H>=10"), "TMB >= 10 mut/Mb");
        assert_eq!(show(None, T::Signature, "MSI-H"), "MSI-H");
        assert_eq!(
            show(Some("CD274"), T::Expression, "PD-L1_TPS>=50"),
            "PD-L1 TPS >= 50%"
        );
        assert_eq!(show(None, T::Expression, "PD-L1_CPS>=1"), "PD-L1 CPS >= 1");
        assert_eq!(show(Some("ERBB2"), T::Expression, "HER2=low"), "HER2-low");
        assert_eq!(show(None, T::Expression, "ER=positive"), "ER positive");
        assert_eq!(
            show(Some("BRCA2"), T::Gene, "truncating"),
            "BRCA2 truncating mutation"
        );
    }

    #[test]
    fn table_form_round_trips() {
        let cases = [
            (AlterationType::Protein, "V600E,V600K"),
            (AlterationType::Codon, "G12,G13,Q61"),
            (AlterationType::Exon, "20:inframe_insertion"),
            (AlterationType::Exon, "11:any"),
            (AlterationType::Exon, "18:missense"),
            (AlterationType::Gene, "oncogenic"),
            (AlterationType::Fusion, "any"),
            (AlterationType::Fusion, "EML4--ALK"),
            (AlterationType::Deletion, "-"),
            (AlterationType::Signature, "TMB-H>=10"),
            (AlterationType::Signature, "TMB-H>=12.5"),
            (AlterationType::Signature, "dMMR"),
            (AlterationType::Signature, "HRD"),
            (AlterationType::Expression, "PD-L1_TPS>=1"),
            (AlterationType::Expression, "HER2=ultralow"),
            (AlterationType::Expression, "PR=positive"),
        ];
        for (t, text) in cases {
            let p = AlterationPattern::parse(t, text).expect(text);
            assert_eq!(p.alteration_type(), t);
            assert_eq!(p.table_form(), text);
        }
    }

    #[test]
    fn protein_forms() {
        use ProteinChangeKind as K;
        let cases = [
            ("V600E", K::Missense, (600, 600)),
            ("Q61*", K::Nonsense, (61, 61)),
            ("V600=", K::Synonymous, (600, 600)),
            ("E746_A750del", K::Deletion, (746, 750)),
            ("K546del", K::Deletion, (546, 546)),
            ("L747_P753delinsS", K::Delins, (747, 753)),
            ("E709_T710delinsD", K::Delins, (709, 710)),
            ("A767_V769dup", K::Duplication, (767, 769)),
            ("H773dup", K::Duplication, (773, 773)),
            ("N771_P772insH", K::Insertion, (771, 772)),
            ("L189Cfs*2", K::Frameshift, (189, 189)),
            ("L189fs", K::Frameshift, (189, 189)),
            ("R175Hfs*?", K::Frameshift, (175, 175)),
            ("X165_splice", K::Splice, (165, 165)),
            ("W557_K558del", K::Deletion, (557, 558)),
        ];
        for (text, kind, span) in cases {
            let c: ProteinChange = text.parse().expect(text);
            assert_eq!((c.kind(), c.residues()), (kind, span), "{text}");
            assert_eq!(c.to_string(), text);
        }
        let c: ProteinChange = "V600E".parse().expect("V600E");
        assert_eq!(c.start(), ('V', 600));
        assert_eq!(c.end(), None);
    }

    #[test]
    fn protein_errors_say_why() {
        for (text, why) in [
            ("p.V600E", "without `p.`"),
            ("V600", "use alteration_type codon"),
            ("V60E0", "unrecognised change"),
            ("B600E", "no residue"),
            ("V0E", "no residue"),
            ("E750_A746del", "lower to the higher"),
            ("E746_A750", "must end in"),
            ("N771insH", "flanking residues"),
            ("E746_A750delins", "no inserted amino acids"),
            ("L189Cfs*x", "malformed frameshift"),
            ("X165A", "only used for splice"),
            ("", "no residue"),
            ("V600EE", "unrecognised change"),
        ] {
            let e = text.parse::<ProteinChange>().expect_err(text);
            assert!(e.contains(why), "{text}: {e}");
        }
    }

    #[test]
    fn grammar_errors() {
        use AlterationType as T;
        for (t, text, why) in [
            (T::Codon, "G12C", "not a residue"),
            (T::Codon, "G12,", "not a residue"),
            (T::Exon, "19", "not an exon rule"),
            (T::Exon, "0:any", "not an exon rule"),
            (T::Exon, "19:inframe_deleton", "not an exon rule"),
            (T::Gene, "hotspot", "not a gene-level class"),
            (T::Fusion, "EML4-ALK", "not a fusion"),
            (T::Fusion, "ALK--ALK", "not a fusion"),
            (T::Amplification, "high", "take `-`"),
            (T::Signature, "TMB-H>=ten", "not a number"),
            (T::Signature, "MSS", "not a signature"),
            (T::Expression, "PD-L1_TPS>=150", "at most 100"),
            (T::Expression, "PD-L1_TPS=high", "not an expression rule"),
            (T::Expression, "ER=low", "not an expression rule"),
            (T::Expression, "KI67>=20", "not an expression rule"),
        ] {
            let e = AlterationPattern::parse(t, text).expect_err(text);
            assert!(e.contains(why), "{t} {text}: {e}");
        }
        let e = "mutation".parse::<AlterationType>().expect_err("unknown");
        assert!(e.contains("unknown alteration_type `mutation`"), "{e}");
    }
}
