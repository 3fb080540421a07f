//! The team's curated tables in `kb/onco/`: `genes.tsv`, `evidence.tsv`,
//! `variant_keys.tsv` (schema in the somatic-engine spec, repeated in each type's doc).
//!
//! Every row is validated when the knowledge base is built — unknown alteration types,
//! bad grammar, empty therapies or citations, bad dates, duplicate ids, unknown OncoTree
//! codes (with a suggestion), genes missing from `genes.tsv` — and keeps its file and
//! line so the engine's evidence trail can cite `kb/onco/evidence.tsv:123`.

use super::oncotree::{OncoTree, ANY, SOLID};
use super::pattern::{
    is_gene_symbol, Alteration, AlterationPattern, AlterationType, ProteinChange,
};
use super::table::{Cell, Table};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

/// Where a row came from: file and 1-based line. Displays as `kb/onco/evidence.tsv:123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RowOrigin {
    /// The file, as cited (`kb/onco/evidence.tsv` for the embedded tables).
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

impl fmt::Display for RowOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Whether the evidence predicts response or resistance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Effect {
    /// The alteration predicts response to the therapy.
    Sensitivity,
    /// The alteration predicts resistance to the therapy.
    Resistance,
}

impl Effect {
    /// The table spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sensitivity => "sensitivity",
            Self::Resistance => "resistance",
        }
    }
}

/// AMP/ASCO/CAP 2017 evidence level for the stated tumour type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// FDA-approved therapy or professional guideline.
    A,
    /// Well-powered studies with expert consensus.
    B,
    /// Multiple small studies, or FDA-approved in another tumour type.
    C,
    /// Preclinical studies or case reports.
    D,
}

impl Level {
    /// The table spelling (`A`..`D`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
        }
    }
}

/// What kind of source a row cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SourceType {
    /// An FDA label.
    Fda,
    /// A professional guideline (NCCN, ESMO, ASCO/CAP).
    Guideline,
    /// A publication (PMID), or a CIViC evidence item.
    Publication,
}

impl SourceType {
    /// The table spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fda => "FDA",
            Self::Guideline => "guideline",
            Self::Publication => "publication",
        }
    }
}

/// The tumour types a row applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TumorScope {
    /// One OncoTree node and everything below it (canonical upper case).
    Code(String),
    /// Every solid tumour (not under MYELOID/LYMPH).
    Solid,
    /// Every tumour type.
    Any,
}

impl TumorScope {
    /// The code to pass to [`OncoTree::is_within`] as the ancestor.
    pub fn as_code(&self) -> &str {
        match self {
            Self::Code(c) => c,
            Self::Solid => SOLID,
            Self::Any => ANY,
        }
    }

    /// Whether a patient with OncoTree `code` falls under this scope.
    pub fn covers(&self, tree: &OncoTree, code: &str) -> bool {
        tree.is_within(code, self.as_code())
    }
}

impl fmt::Display for TumorScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_code())
    }
}

/// One evidence row (`evidence.tsv`, or an imported CIViC item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRow {
    /// Stable row id (`civic:EID1409` for CIViC items).
    pub id: String,
    /// Gene and pattern; displays as `BRAF V600E`.
    pub alteration: Alteration,
    /// Tumour types the row applies to.
    pub tumor_type: TumorScope,
    /// One regimen: lower-case generic drug names joined by ` + `.
    pub therapy: String,
    /// Response or resistance.
    pub effect: Effect,
    /// AMP/ASCO/CAP evidence level for the stated tumour type.
    pub level: Level,
    /// Kind of source.
    pub source_type: SourceType,
    /// Citation (`FDA label TAFINLAR (dabrafenib) NDA 202806, revised 2024-10`).
    pub citation: String,
    /// ISO date of the source version (`YYYY-MM` or `YYYY-MM-DD`).
    pub date: String,
    /// Free text (line of therapy, companion diagnostic, restrictions); may be empty.
    pub note: String,
    /// File and line.
    pub origin: RowOrigin,
}

impl EvidenceRow {
    /// The gene, if the row has one.
    pub fn gene(&self) -> Option<&str> {
        self.alteration.gene.as_deref()
    }

    /// The drugs of the regimen (`["dabrafenib", "trametinib"]`).
    pub fn drugs(&self) -> impl Iterator<Item = &str> {
        self.therapy.split(" + ").map(str::trim)
    }
}

/// A gene's role in cancer (`genes.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GeneRole {
    /// Activating changes drive the tumour.
    Oncogene,
    /// Loss of function drives the tumour.
    Tsg,
    /// Either, depending on context.
    Both,
}

impl GeneRole {
    /// The table spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oncogene => "oncogene",
            Self::Tsg => "tsg",
            Self::Both => "both",
        }
    }

    /// Whether truncating changes count as oncogenic for this gene.
    pub fn is_tumor_suppressor(self) -> bool {
        matches!(self, Self::Tsg | Self::Both)
    }
}

/// One row of `genes.tsv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneEntry {
    /// HGNC symbol.
    pub gene: String,
    /// Role in cancer.
    pub role: GeneRole,
    /// Where the role comes from.
    pub source: String,
    /// File and line.
    pub origin: RowOrigin,
}

/// A VCF-style genomic key `CHROM:POS:REF:ALT` (normalised chromosome, left-aligned,
/// anchor base for indels).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GenomicKey {
    /// Chromosome without `chr` (`7`, `X`, `M`).
    pub chrom: String,
    /// 1-based position.
    pub pos: u64,
    /// Reference allele.
    pub ref_allele: String,
    /// Alternate allele.
    pub alt_allele: String,
}

impl fmt::Display for GenomicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}",
            self.chrom, self.pos, self.ref_allele, self.alt_allele
        )
    }
}

impl std::str::FromStr for GenomicKey {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = |why: &str| format!("`{s}` is not a genomic key CHROM:POS:REF:ALT ({why})");
        let parts: Vec<&str> = s.split(':').collect();
        let [chrom, pos, r, a] = parts.as_slice() else {
            return Err(bad("four `:`-separated parts expected"));
        };
        if tailor_core::normalize_chrom(chrom) != *chrom || chrom.is_empty() {
            return Err(bad(
                "write the chromosome without `chr`, mitochondrion as M",
            ));
        }
        let pos: u64 = pos
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| bad("position is not a positive number"))?;
        let dna = |x: &str| !x.is_empty() && x.bytes().all(|b| b"ACGTN".contains(&b));
        if !dna(r) || !dna(a) {
            return Err(bad("alleles must be upper-case A, C, G, T, N"));
        }
        if r == a {
            return Err(bad("REF equals ALT"));
        }
        Ok(Self {
            chrom: (*chrom).to_string(),
            pos,
            ref_allele: (*r).to_string(),
            alt_allele: (*a).to_string(),
        })
    }
}

/// One row of `variant_keys.tsv`: genomic keys and cDNA change of a well-known
/// actionable variant, so raw VCFs match exactly and codons can be numbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantKey {
    /// HGNC symbol.
    pub gene: String,
    /// One-letter protein change.
    pub protein: ProteinChange,
    /// cDNA change (`c.1799T>A`), when known.
    pub hgvsc: Option<String>,
    /// MANE Select transcript (ENST or NM), when known.
    pub transcript: Option<String>,
    /// GRCh38 key, when known.
    pub grch38: Option<GenomicKey>,
    /// GRCh37 key, when known.
    pub grch37: Option<GenomicKey>,
    /// Where the keys come from.
    pub source: String,
    /// File and line.
    pub origin: RowOrigin,
}

/// One curated table's text and the name it is cited by.
pub(crate) struct CuratedText<'a> {
    /// Path shown in errors and cited in row origins.
    pub(crate) path: &'a Path,
    pub(crate) text: &'a str,
}

fn origin(path: &Path, line: usize) -> RowOrigin {
    RowOrigin {
        file: path.to_string_lossy().replace('\\', "/"),
        line: u32::try_from(line).unwrap_or(u32::MAX),
    }
}

fn gene_symbol<'a>(cell: &Cell<'a>) -> Result<&'a str, Error> {
    let v = cell.value.trim();
    if is_gene_symbol(v) {
        Ok(v)
    } else {
        Err(cell.error(format!("`{v}` is not a gene symbol")))
    }
}

/// Parses `genes.tsv`.
pub(crate) fn parse_genes(t: &CuratedText<'_>) -> Result<Vec<GeneEntry>, Error> {
    let table = Table::parse(t.path, t.text, &["gene", "role", "source"], true)?;
    let mut out: Vec<GeneEntry> = Vec::with_capacity(table.rows.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &table.rows {
        let gene_cell = table.cell(row, "gene");
        let gene = gene_symbol(&gene_cell)?;
        if let Some(first) = seen.insert(gene.to_string(), row.line) {
            return Err(gene_cell.error(format!(
                "gene `{gene}` is listed twice (first on line {first})"
            )));
        }
        let role_cell = table.cell(row, "role");
        let role = match role_cell.value.trim() {
            "oncogene" => GeneRole::Oncogene,
            "tsg" => GeneRole::Tsg,
            "both" => GeneRole::Both,
            other => {
                return Err(role_cell.error(format!(
                    "`{other}` is not a role; expected oncogene, tsg or both"
                )))
            }
        };
        out.push(GeneEntry {
            gene: gene.to_string(),
            role,
            source: table.cell(row, "source").required()?.to_string(),
            origin: origin(t.path, row.line),
        });
    }
    out.sort_by(|a, b| a.gene.cmp(&b.gene));
    Ok(out)
}

/// Whether `s` is `YYYY-MM` or `YYYY-MM-DD` with a real month and day.
pub(crate) fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (year, month, day) = match parts.as_slice() {
        [y, m] => (num(y, 4), num(m, 2), Some(1)),
        [y, m, d] => (num(y, 4), num(m, 2), num(d, 2)),
        _ => return false,
    };
    let (Some(y), Some(m), Some(d)) = (year, month, day) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&y) && (1..=days).contains(&d)
}

/// Checks a regimen: drugs are lower-case names joined by ` + `.
pub(crate) fn check_therapy(therapy: &str) -> Result<(), String> {
    for drug in therapy.split(" + ") {
        let d = drug.trim();
        if d.is_empty() || d != drug {
            return Err(format!(
                "`{therapy}`: drugs are joined by ` + ` (space, plus, space) with no empty names"
            ));
        }
        if d.chars().any(|c| c.is_uppercase()) {
            return Err(format!(
                "`{therapy}`: drug names are lower-case generic names (`{}`)",
                d.to_lowercase()
            ));
        }
        if d.contains('+') || d.contains(',') || d.contains(';') {
            return Err(format!(
                "`{therapy}`: one regimen per row, drugs joined by ` + `; write several rows for alternatives"
            ));
        }
    }
    Ok(())
}

const EVIDENCE_COLUMNS: [&str; 12] = [
    "id",
    "gene",
    "alteration_type",
    "alteration",
    "tumor_type",
    "therapy",
    "effect",
    "level",
    "source_type",
    "citation",
    "date",
    "note",
];

/// Parses the tumour-type cell against the tree.
pub(crate) fn tumor_scope(tree: &OncoTree, text: &str) -> Result<TumorScope, String> {
    if text.eq_ignore_ascii_case(SOLID) {
        Ok(TumorScope::Solid)
    } else if text.eq_ignore_ascii_case(ANY) {
        Ok(TumorScope::Any)
    } else {
        tree.get(text)
            .map(|n| TumorScope::Code(n.code.clone()))
            .ok_or_else(|| tree.unknown_code_message(text))
    }
}

/// Parses and validates `evidence.tsv` against the genes and the tree.
pub(crate) fn parse_evidence(
    t: &CuratedText<'_>,
    genes: &[GeneEntry],
    tree: &OncoTree,
) -> Result<Vec<EvidenceRow>, Error> {
    let table = Table::parse(t.path, t.text, &EVIDENCE_COLUMNS, true)?;
    let known: HashSet<&str> = genes.iter().map(|g| g.gene.as_str()).collect();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let c = |name| table.cell(row, name);
        let id_cell = c("id");
        let id = id_cell.required()?;
        if id.chars().any(char::is_whitespace) {
            return Err(id_cell.error(format!("`{id}`: ids have no spaces")));
        }
        if let Some(first) = ids.insert(id.to_string(), row.line) {
            return Err(id_cell.error(format!("duplicate id `{id}` (first on line {first})")));
        }
        let type_cell = c("alteration_type");
        let alteration_type: AlterationType = type_cell
            .required()?
            .parse()
            .map_err(|m: String| type_cell.error(m))?;
        let alt_cell = c("alteration");
        let pattern = AlterationPattern::parse(alteration_type, alt_cell.required()?)
            .map_err(|m| alt_cell.error(m))?;

        let gene_cell = c("gene");
        let gene = match gene_cell.optional() {
            None => None,
            Some(_) => Some(gene_symbol(&gene_cell)?.to_string()),
        };
        check_gene(&gene_cell, gene.as_deref(), &pattern, &known)?;

        let scope_cell = c("tumor_type");
        let tumor_type =
            tumor_scope(tree, scope_cell.required()?).map_err(|m| scope_cell.error(m))?;

        let therapy_cell = c("therapy");
        let therapy = therapy_cell.required()?;
        check_therapy(therapy).map_err(|m| therapy_cell.error(m))?;

        let effect_cell = c("effect");
        let effect = match effect_cell.value.trim() {
            "sensitivity" => Effect::Sensitivity,
            "resistance" => Effect::Resistance,
            v => {
                return Err(effect_cell.error(format!(
                    "`{v}` is not an effect; expected sensitivity or resistance"
                )))
            }
        };
        let level_cell = c("level");
        let level = match level_cell.value.trim() {
            "A" => Level::A,
            "B" => Level::B,
            "C" => Level::C,
            "D" => Level::D,
            v => {
                return Err(level_cell.error(format!(
                    "`{v}` is not an AMP/ASCO/CAP level; expected A, B, C or D"
                )))
            }
        };
        let source_cell = c("source_type");
        let source_type = match source_cell.value.trim() {
            "FDA" => SourceType::Fda,
            "guideline" => SourceType::Guideline,
            "publication" => SourceType::Publication,
            v => {
                return Err(source_cell.error(format!(
                    "`{v}` is not a source type; expected FDA, guideline or publication"
                )))
            }
        };
        let citation = c("citation").required()?.to_string();
        let date_cell = c("date");
        let date = date_cell.required()?;
        if !is_iso_date(date) {
            return Err(date_cell.error(format!(
                "`{date}` is not a date; expected YYYY-MM or YYYY-MM-DD"
            )));
        }
        out.push(EvidenceRow {
            id: id.to_string(),
            alteration: Alteration { gene, pattern },
            tumor_type,
            therapy: therapy.to_string(),
            effect,
            level,
            source_type,
            citation,
            date: date.to_string(),
            note: c("note").value.trim().to_string(),
            origin: origin(t.path, row.line),
        });
    }
    Ok(out)
}

/// The gene column must fit the pattern: DNA alterations name a gene from `genes.tsv`;
/// signatures have none; expression rows name the marker's gene or nothing; a specific
/// fusion pair contains the gene.
fn check_gene(
    cell: &Cell<'_>,
    gene: Option<&str>,
    pattern: &AlterationPattern,
    known: &HashSet<&str>,
) -> Result<(), Error> {
    let t = pattern.alteration_type();
    match (pattern, gene) {
        (AlterationPattern::Signature(_), Some(g)) => {
            Err(cell.error(format!("`{g}`: signature rows leave the gene column empty")))
        }
        (AlterationPattern::Signature(_), None) => Ok(()),
        (AlterationPattern::Expression { marker, .. }, Some(g)) if g != marker.gene() => Err(cell
            .error(format!(
                "`{g}`: {} is encoded by {}; write that or leave the gene empty",
                marker.as_str(),
                marker.gene()
            ))),
        (AlterationPattern::Expression { .. }, _) => Ok(()),
        (_, None) => Err(cell.error(format!("empty; {t} rows name a gene"))),
        (_, Some(g)) if !known.contains(g) => Err(cell.error(format!(
            "gene `{g}` is not in genes.tsv; add it there with its role"
        ))),
        (
            AlterationPattern::Fusion {
                partner: Some((a, b)),
            },
            Some(g),
        ) if g != a && g != b => {
            Err(cell.error(format!("`{g}` is not a partner of the fusion {a}--{b}")))
        }
        _ => Ok(()),
    }
}

const VARIANT_KEY_COLUMNS: [&str; 7] = [
    "gene",
    "protein",
    "hgvsc",
    "transcript",
    "grch38",
    "grch37",
    "source",
];

/// Parses and validates `variant_keys.tsv`.
pub(crate) fn parse_variant_keys(
    t: &CuratedText<'_>,
    genes: &[GeneEntry],
) -> Result<Vec<VariantKey>, Error> {
    let table = Table::parse(t.path, t.text, &VARIANT_KEY_COLUMNS, true)?;
    let known: HashSet<&str> = genes.iter().map(|g| g.gene.as_str()).collect();
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut seen_keys: BTreeMap<GenomicKey, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let c = |name| table.cell(row, name);
        let gene_cell = c("gene");
        let gene = gene_symbol(&gene_cell)?;
        if !known.contains(gene) {
            return Err(gene_cell.error(format!(
                "gene `{gene}` is not in genes.tsv; add it there with its role"
            )));
        }
        let protein_cell = c("protein");
        let protein: ProteinChange = protein_cell
            .required()?
            .parse()
            .map_err(|m: String| protein_cell.error(m))?;
        let hgvsc_cell = c("hgvsc");
        let hgvsc = hgvsc_cell.optional().map(str::to_string);
        // One protein change can come from several cDNA changes (KRAS Q61H: c.183A>C
        // and c.183A>T), so a duplicate is the same gene, protein and cDNA change.
        let identity = (
            gene.to_string(),
            protein.to_string(),
            hgvsc.clone().unwrap_or_default(),
        );
        if let Some(first) = seen.insert(identity, row.line) {
            return Err(protein_cell.error(format!(
                "{gene} {protein} {} is listed twice (first on line {first})",
                hgvsc.as_deref().unwrap_or("-")
            )));
        }
        if let Some(h) = &hgvsc {
            if !h.starts_with("c.") || h.len() < 4 || h.contains(char::is_whitespace) {
                return Err(hgvsc_cell.error(format!(
                    "`{h}` is not a cDNA change such as c.1799T>A (or `-`)"
                )));
            }
        }
        let tx_cell = c("transcript");
        let transcript = tx_cell.optional().map(str::to_string);
        if let Some(tx) = &transcript {
            if !(tx.starts_with("ENST") || tx.starts_with("NM_"))
                || tx.contains(char::is_whitespace)
            {
                return Err(
                    tx_cell.error(format!("`{tx}` is not an ENST or NM_ transcript (or `-`)"))
                );
            }
        }
        let key = |name: &'static str| -> Result<Option<GenomicKey>, Error> {
            let cell = c(name);
            cell.optional()
                .map(|k| k.parse::<GenomicKey>().map_err(|m| cell.error(m)))
                .transpose()
        };
        let grch38 = key("grch38")?;
        if let Some(k) = &grch38 {
            if let Some(first) = seen_keys.insert(k.clone(), row.line) {
                return Err(c("grch38").error(format!(
                    "GRCh38 key {k} is listed twice (first on line {first})"
                )));
            }
        }
        out.push(VariantKey {
            gene: gene.to_string(),
            protein,
            hgvsc,
            transcript,
            grch38,
            grch37: key("grch37")?,
            source: c("source").required()?.to_string(),
            origin: origin(t.path, row.line),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::oncotree::tests::small_tree;
    use super::*;

    const GENES: &str = "gene\trole\tsource\nBRAF\toncogene\tCGC\nEGFR\toncogene\tCGC\nALK\toncogene\tCGC\nKRAS\toncogene\tCGC\nBRCA2\ttsg\tCGC\n";
    const HEADER: &str = "id\tgene\talteration_type\talteration\ttumor_type\ttherapy\teffect\tlevel\tsource_type\tcitation\tdate\tnote\n";

    fn genes() -> Vec<GeneEntry> {
        parse_genes(&CuratedText {
            path: Path::new("kb/onco/genes.tsv"),
            text: GENES,
        })
        .expect("genes")
    }

    fn evidence(rows: &str) -> Result<Vec<EvidenceRow>, Error> {
        let text = format!("{HEADER}{rows}");
        parse_evidence(
            &CuratedText {
                path: Path::new("kb/onco/evidence.tsv"),
                text: &text,
            },
            &genes(),
            &small_tree(),
        )
    }

    const GOOD: &str = "E1\tBRAF\tprotein\tV600E\tMEL\tdabrafenib + trametinib\tsensitivity\tA\tFDA\tFDA label TAFINLAR\t2024-10\tfirst line\n";

    fn row_with(column: usize, value: &str) -> String {
        let mut fields: Vec<&str> = GOOD.trim_end().split('\t').collect();
        fields[column] = value;
        format!("{}\n", fields.join("\t"))
    }

    fn error_of(rows: &str) -> String {
        evidence(rows).expect_err(rows).to_string()
    }

    #[test]
    fn good_rows_parse() {
        let rows = evidence(&format!(
            "# comment\n{GOOD}E2\t\tsignature\tTMB-H>=10\tSOLID\tpembrolizumab\tsensitivity\tA\tFDA\tFDA label KEYTRUDA\t2020-06-16\t\n\
             E3\tALK\tfusion\tEML4--ALK\tNSCLC\talectinib\tsensitivity\tA\tguideline\tNCCN NSCLC v.2025\t2025-01\t\n\
             E4\tCD274\texpression\tPD-L1_TPS>=50\tnsclc\tpembrolizumab\tsensitivity\tA\tFDA\tFDA label KEYTRUDA\t2024-01\t\n\
             E5\tKRAS\tcodon\tG12,G13\tCOADREAD\tcetuximab\tresistance\tA\tguideline\tNCCN\t2025-01\t\n"
        ))
        .expect("good");
        assert_eq!(rows.len(), 5);
        let e1 = &rows[0];
        assert_eq!(e1.alteration.to_string(), "BRAF V600E");
        assert_eq!(e1.origin.to_string(), "kb/onco/evidence.tsv:3");
        assert_eq!(e1.drugs().collect::<Vec<_>>(), ["dabrafenib", "trametinib"]);
        assert_eq!(
            (e1.effect, e1.level, e1.source_type),
            (Effect::Sensitivity, Level::A, SourceType::Fda)
        );
        assert_eq!(e1.note, "first line");
        assert_eq!(rows[1].tumor_type, TumorScope::Solid);
        assert_eq!(rows[1].gene(), None);
        assert_eq!(rows[3].tumor_type, TumorScope::Code("NSCLC".into()));
        assert!(rows[3].tumor_type.covers(&small_tree(), "LUAD"));
        assert_eq!(rows[4].effect, Effect::Resistance);
    }

    #[test]
    fn validation_errors_name_file_line_column_and_value() {
        let cases = [
            (row_with(2, "mutation"), "evidence.tsv:2:9: alteration_type: unknown alteration_type `mutation`"),
            (row_with(3, "V60E0"), "alteration: `V60E0` is not a one-letter protein change"),
            (row_with(3, "p.V600E"), "without `p.`"),
            (row_with(5, ""), "therapy: empty"),
            (row_with(5, "Dabrafenib"), "lower-case"),
            (row_with(5, "dabrafenib+trametinib"), "one regimen per row"),
            (row_with(9, " "), "citation: empty"),
            (row_with(10, "2024-13"), "date: `2024-13` is not a date"),
            (row_with(10, "Oct 2024"), "is not a date"),
            (row_with(4, "NSLC"), "tumor_type: unknown OncoTree code `NSLC`; did you mean NSCLC (Non-Small Cell Lung Cancer)?"),
            (row_with(1, "NRAS"), "gene `NRAS` is not in genes.tsv"),
            (row_with(1, ""), "gene: empty; protein rows name a gene"),
            (row_with(6, "response"), "effect: `response` is not an effect"),
            (row_with(7, "E"), "level: `E` is not an AMP/ASCO/CAP level"),
            (row_with(8, "label"), "source_type: `label` is not a source type"),
            (format!("{GOOD}{GOOD}"), "evidence.tsv:3:1: id: duplicate id `E1` (first on line 2)"),
            ("E9\tBRAF\tsignature\tMSI-H\tANY\tpembrolizumab\tsensitivity\tA\tFDA\tx\t2020-01\t\n".to_string(), "signature rows leave the gene column empty"),
            ("E9\tESR1\texpression\tHER2=positive\tBRCA\ttrastuzumab\tsensitivity\tA\tFDA\tx\t2020-01\t\n".to_string(), "HER2 is encoded by ERBB2"),
            ("E9\tEGFR\tfusion\tEML4--ALK\tNSCLC\talectinib\tsensitivity\tA\tFDA\tx\t2020-01\t\n".to_string(), "not a partner of the fusion EML4--ALK"),
            ("E9\tBRAF\tprotein\tV600E\tMEL\tx\n".to_string(), "row: 6 tab-separated fields"),
        ];
        for (rows, expected) in cases {
            let e = error_of(&rows);
            assert!(e.contains(expected), "expected `{expected}` in `{e}`");
            assert!(e.starts_with("kb/onco/evidence.tsv:"), "{e}");
        }
    }

    #[test]
    fn header_must_match_the_schema() {
        let text = HEADER.replace("tumor_type", "tumour_type");
        let e = parse_evidence(
            &CuratedText {
                path: Path::new("e.tsv"),
                text: &text,
            },
            &genes(),
            &small_tree(),
        )
        .expect_err("header");
        assert!(
            e.to_string().contains("unknown column `tumour_type`"),
            "{e}"
        );
    }

    #[test]
    fn genes_table_rules() {
        let g = genes();
        assert_eq!(g.len(), 5);
        assert_eq!(g[0].gene, "ALK", "sorted");
        assert!(g
            .iter()
            .any(|e| e.gene == "BRCA2" && e.role.is_tumor_suppressor()));
        let parse = |text: &str| {
            parse_genes(&CuratedText {
                path: Path::new("g.tsv"),
                text,
            })
            .map(|_| ())
            .expect_err(text)
            .to_string()
        };
        assert!(parse("gene\trole\tsource\nBRAF\tdriver\tx\n")
            .contains("g.tsv:2:6: role: `driver` is not a role"));
        assert!(
            parse("gene\trole\tsource\nBRAF\toncogene\tx\nBRAF\toncogene\tx\n")
                .contains("listed twice (first on line 2)")
        );
        assert!(parse("gene\trole\tsource\nBR AF\toncogene\tx\n").contains("not a gene symbol"));
    }

    #[test]
    fn variant_keys_rules() {
        let header = "gene\tprotein\thgvsc\ttranscript\tgrch38\tgrch37\tsource\n";
        let parse = |rows: &str| {
            let text = format!("{header}{rows}");
            parse_variant_keys(
                &CuratedText {
                    path: Path::new("k.tsv"),
                    text: &text,
                },
                &genes(),
            )
        };
        let keys = parse(
            "BRAF\tV600E\tc.1799T>A\tENST00000646891\t7:140753336:A:T\t7:140453136:A:T\tClinVar\n\
             EGFR\tE746_A750del\tc.2235_2249del\t-\t7:55174771:AGGAATTAAGAGAAGC:A\t-\tClinVar\n",
        )
        .expect("keys");
        assert_eq!(
            keys[0].grch38.as_ref().map(ToString::to_string).as_deref(),
            Some("7:140753336:A:T")
        );
        assert_eq!(keys[1].transcript, None);
        assert_eq!(keys[1].grch37, None);
        assert_eq!(keys[1].origin.line, 3);
        // Same protein change from two cDNA changes is allowed.
        parse("KRAS\tQ61H\tc.183A>C\t-\t-\t-\tx\nKRAS\tQ61H\tc.183A>T\t-\t-\t-\tx\n")
            .expect("two cDNA changes");
        for (row, expected) in [
            ("BRAF\tV600\t-\t-\t-\t-\tx\n", "protein: `V600` is not a one-letter protein change"),
            ("NRAS\tQ61K\t-\t-\t-\t-\tx\n", "not in genes.tsv"),
            ("BRAF\tV600E\t1799T>A\t-\t-\t-\tx\n", "not a cDNA change"),
            ("BRAF\tV600E\t-\tNP_1\t-\t-\tx\n", "not an ENST or NM_"),
            ("BRAF\tV600E\t-\t-\tchr7:140753336:A:T\t-\tx\n", "without `chr`"),
            ("BRAF\tV600E\t-\t-\t7:0:A:T\t-\tx\n", "positive number"),
            ("BRAF\tV600E\t-\t-\t7:1:a:t\t-\tx\n", "upper-case"),
            ("BRAF\tV600E\t-\t-\t7:1:A\t-\tx\n", "four"),
            ("BRAF\tV600E\t-\t-\t-\t-\tx\nBRAF\tV600E\t-\t-\t-\t-\tx\n", "listed twice"),
            ("BRAF\tV600E\tc.1799T>A\t-\t7:1:A:T\t-\tx\nBRAF\tV600K\tc.1798_1799delinsAA\t-\t7:1:A:T\t-\tx\n", "GRCh38 key 7:1:A:T is listed twice"),
        ] {
            let e = parse(row).expect_err(row).to_string();
            assert!(e.contains(expected), "expected `{expected}` in `{e}`");
            assert!(e.starts_with("k.tsv:"), "{e}");
        }
    }

    #[test]
    fn iso_dates() {
        for ok in ["2024-10", "2024-02-29", "2025-12-31"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in [
            "2023-02-29",
            "2024-00",
            "2024-1",
            "24-10-01",
            "2024-10-32",
            "2024/10",
            "",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
