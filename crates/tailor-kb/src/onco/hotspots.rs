//! Recurrent mutation hotspots (cancerhotspots.org v2 single-residue, in-frame indel and
//! splice hotspots, plus 3D clusters; ODbL), as packaged by genome-nexus-importer.
//!
//! Used as oncogenicity support: a change at a statistically recurrent residue is far
//! more likely to drive the tumour than a private one. The per-variant counts are kept
//! so that "is V600E itself recurrent, or only the residue?" can be answered.

use super::table::Table;
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// Which analysis called the hotspot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HotspotKind {
    /// A recurrently mutated single residue (v2).
    SingleResidue,
    /// A range of residues recurrently hit by in-frame insertions/deletions.
    InframeIndel,
    /// A recurrently hit splice site (residue written `X<pos>`).
    Splice,
    /// A residue in a 3D cluster around a hotspot.
    ThreeD,
}

impl HotspotKind {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "single residue" => Some(Self::SingleResidue),
            "in-frame indel" => Some(Self::InframeIndel),
            "splice site" | "splice" => Some(Self::Splice),
            "3d" => Some(Self::ThreeD),
            _ => None,
        }
    }
}

/// One hotspot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hotspot {
    /// HGNC symbol.
    pub gene: String,
    /// Which analysis called it.
    pub kind: HotspotKind,
    /// The residue as the source writes it (`V600`, `745-759`, `X187`).
    pub residue: String,
    /// First residue position.
    pub start: u32,
    /// Last residue position (same as `start` for single residues).
    pub end: u32,
    /// Observed changes with their tumour counts: alternate amino acids (`E`, `*`) for
    /// single-residue and 3D hotspots, full changes (`E746_A750del`) for indels, `sp` for
    /// splice sites. Sorted by count, highest first.
    pub variants: Vec<(String, u32)>,
    /// Tumours with a mutation here.
    pub tumor_count: u32,
    /// Significance: q-value (single residue, indel, splice) or p-value (3D).
    pub significance: Option<f64>,
    /// Ensembl transcript the positions refer to.
    pub transcript: String,
}

impl Hotspot {
    /// Tumour count of one observed change: an alternate amino acid (`E`) or the whole
    /// change (`V600E`, `E746_A750del`).
    pub fn variant_count(&self, change: &str) -> Option<u32> {
        let key = match self.kind {
            HotspotKind::SingleResidue | HotspotKind::ThreeD => {
                // Accept `V600E` as well as `E`: strip the residue prefix when it matches.
                let prefix = self.residue.as_str();
                change
                    .strip_prefix(prefix)
                    .filter(|rest| !rest.is_empty())
                    .unwrap_or(change)
            }
            _ => change,
        };
        self.variants
            .iter()
            .find(|(v, _)| v == key)
            .map(|(_, n)| *n)
    }

    /// Whether this exact change was itself seen in tumours here.
    pub fn is_recurrent_change(&self, change: &str) -> bool {
        self.variant_count(change).is_some_and(|n| n > 0)
    }
}

/// Counts per hotspot kind, for provenance and `tailor kb info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HotspotCounts {
    /// Single-residue hotspots.
    pub single_residue: usize,
    /// In-frame indel hotspots.
    pub inframe_indel: usize,
    /// Splice-site hotspots.
    pub splice: usize,
    /// 3D-cluster residues.
    pub three_d: usize,
    /// Distinct genes.
    pub genes: usize,
}

/// All hotspots, sorted by (gene, kind, start) for binary-search lookup.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Hotspots {
    spots: Vec<Hotspot>,
    /// Each gene's range in `spots`, built on first use. The somatic engine asks for a
    /// gene's hotspots several times per variant; a binary search over all 6,910 rows
    /// compared gene names about 26 times per question and was about a tenth of a case's
    /// interpretation time.
    #[serde(skip)]
    by_gene: OnceLock<HashMap<String, (usize, usize)>>,
}

impl PartialEq for Hotspots {
    fn eq(&self, other: &Self) -> bool {
        self.spots == other.spots
    }
}

fn parse_counts(s: &str) -> Option<Vec<(String, u32)>> {
    let mut out = Vec::new();
    for item in s.split('|').filter(|i| !i.is_empty()) {
        let (v, n) = item.rsplit_once(':')?;
        out.push((v.to_string(), n.parse::<u32>().ok()?));
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Some(out)
}

fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    s.parse::<u32>()
        .ok()
        .or_else(|| s.strip_suffix(".0").and_then(|t| t.parse().ok()))
}

impl Hotspots {
    /// Builds the index from hotspots in any order.
    pub fn new(mut spots: Vec<Hotspot>) -> Self {
        spots.sort_by(|a, b| {
            (&a.gene, a.kind, a.start, a.end).cmp(&(&b.gene, b.kind, b.start, b.end))
        });
        Self {
            spots,
            by_gene: OnceLock::new(),
        }
    }

    /// Every hotspot of a gene, sorted by kind then position (through the per-gene
    /// index).
    pub fn of_gene(&self, gene: &str) -> &[Hotspot] {
        let index = self.by_gene.get_or_init(|| {
            let mut index: HashMap<String, (usize, usize)> = HashMap::new();
            for (i, h) in self.spots.iter().enumerate() {
                index
                    .entry(h.gene.clone())
                    .and_modify(|range| range.1 = i + 1)
                    .or_insert((i, i + 1));
            }
            index
        });
        index
            .get(gene)
            .and_then(|&(lo, hi)| self.spots.get(lo..hi))
            .unwrap_or(&[])
    }

    /// Reads the genome-nexus hotspots TSV.
    pub(crate) fn from_tsv(path: &Path, text: &str) -> Result<Self, Error> {
        const COLUMNS: [&str; 8] = [
            "hugo_symbol",
            "residue",
            "amino_acid_position",
            "variant_amino_acid",
            "q_value",
            "tumor_count",
            "transcript_id",
            "type",
        ];
        let table = Table::parse(path, text, &COLUMNS, false)?;
        let has_p = table.has("p_value");
        let mut spots = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let kind_cell = table.cell(row, "type");
            let kind = HotspotKind::parse(kind_cell.value.trim()).ok_or_else(|| {
                kind_cell.error(format!("unknown hotspot type `{}`", kind_cell.value))
            })?;
            let residue = table.cell(row, "residue").required()?.to_string();
            let pos = table.cell(row, "amino_acid_position");
            let pos_text = pos.required()?;
            let (start, end) = match pos_text.split_once('-') {
                Some((a, b)) => (parse_number(a), parse_number(b)),
                None => (parse_number(pos_text), parse_number(pos_text)),
            };
            let (Some(start), Some(end)) = (start, end) else {
                return Err(pos.error(format!("`{pos_text}` is not a position or range")));
            };
            if end < start {
                return Err(pos.error(format!("`{pos_text}`: range ends before it starts")));
            }
            let var = table.cell(row, "variant_amino_acid");
            let variants = parse_counts(var.value.trim()).ok_or_else(|| {
                var.error(format!("`{}` is not a list of change:count", var.value))
            })?;
            let count = table.cell(row, "tumor_count");
            let tumor_count = parse_number(count.value)
                .ok_or_else(|| count.error(format!("`{}` is not a count", count.value)))?;
            let q = table.cell(row, "q_value").value.trim();
            let p = if has_p {
                table.cell(row, "p_value").value.trim()
            } else {
                ""
            };
            let significance = [q, p]
                .into_iter()
                .find(|s| !s.is_empty())
                .and_then(|s| s.parse::<f64>().ok());
            spots.push(Hotspot {
                gene: table.cell(row, "hugo_symbol").required()?.to_string(),
                kind,
                residue,
                start,
                end,
                variants,
                tumor_count,
                significance,
                transcript: table.cell(row, "transcript_id").value.trim().to_string(),
            });
        }
        Ok(Self::new(spots))
    }

    fn of_kind(&self, gene: &str, kind: HotspotKind) -> &[Hotspot] {
        let spots = self.of_gene(gene);
        let lo = spots.partition_point(|h| h.kind < kind);
        let hi = spots.partition_point(|h| h.kind <= kind);
        spots.get(lo..hi).unwrap_or(&[])
    }

    fn residue_of_kind(&self, gene: &str, kind: HotspotKind, position: u32) -> Option<&Hotspot> {
        let spots = self.of_kind(gene, kind);
        spots
            .binary_search_by(|h| h.start.cmp(&position))
            .ok()
            .and_then(|i| spots.get(i))
    }

    /// The hotspot at a residue: the single-residue hotspot if there is one, otherwise
    /// the 3D-cluster residue.
    ///
    /// ```no_run
    /// # let kb = tailor_kb::build(&tailor_kb::default_source_paths())?;
    /// let v600 = kb.onco().hotspots().at("BRAF", 600).expect("hotspot");
    /// assert!(v600.is_recurrent_change("V600E"));
    /// # Ok::<(), tailor_kb::Error>(())
    /// ```
    pub fn at(&self, gene: &str, position: u32) -> Option<&Hotspot> {
        self.single_residue(gene, position)
            .or_else(|| self.three_d(gene, position))
    }

    /// The single-residue hotspot at a position.
    pub fn single_residue(&self, gene: &str, position: u32) -> Option<&Hotspot> {
        self.residue_of_kind(gene, HotspotKind::SingleResidue, position)
    }

    /// The 3D-cluster residue at a position.
    pub fn three_d(&self, gene: &str, position: u32) -> Option<&Hotspot> {
        self.residue_of_kind(gene, HotspotKind::ThreeD, position)
    }

    /// The splice-site hotspot at a residue (`X187` -> 187).
    pub fn splice_at(&self, gene: &str, position: u32) -> Option<&Hotspot> {
        self.residue_of_kind(gene, HotspotKind::Splice, position)
    }

    /// In-frame indel hotspots whose residue range overlaps `start..=end`.
    pub fn indels_overlapping(
        &self,
        gene: &str,
        start: u32,
        end: u32,
    ) -> impl Iterator<Item = &Hotspot> {
        self.of_kind(gene, HotspotKind::InframeIndel)
            .iter()
            .filter(move |h| h.start <= end && start <= h.end)
    }

    /// Every hotspot.
    pub fn all(&self) -> &[Hotspot] {
        &self.spots
    }

    /// Counts per kind.
    pub fn counts(&self) -> HotspotCounts {
        let mut c = HotspotCounts::default();
        let mut last_gene: Option<&str> = None;
        for h in &self.spots {
            match h.kind {
                HotspotKind::SingleResidue => c.single_residue += 1,
                HotspotKind::InframeIndel => c.inframe_indel += 1,
                HotspotKind::Splice => c.splice += 1,
                HotspotKind::ThreeD => c.three_d += 1,
            }
            if last_gene != Some(h.gene.as_str()) {
                c.genes += 1;
                last_gene = Some(h.gene.as_str());
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "hugo_symbol\tresidue\treference_amino_acid\tamino_acid_position\tclass\tvariant_amino_acid\tq_value\tp_value\ttumor_count\ttranscript_id\ttype\n";

    fn fixture() -> Hotspots {
        let text = format!(
            "{HEADER}\
             BRAF\tV600\tV:897\t600\t\tR:4|E:833|K:24\t0.0\t\t897\tENST00000288602\tsingle residue\n\
             BRAF\tG466\t\t466\tHotspot\tA:1|E:6|V:10\t\t0.0004\t17\tENST00000288602\t3d\n\
             BRAF\tV600\t\t600\tHotspot\tE:5\t\t0.001\t5\tENST00000288602\t3d\n\
             EGFR\t745-759\tELREA:46\t745-759\t\tE746_A750del:123|L747_P753delinsS:8\t0.0\t\t155\tENST00000275493\tin-frame indel\n\
             MET\tX1010\tX:19\t1010\t\tsp:19\t3.3e-36\t\t19\tENST00000397752\tsplice site\n\
             KRAS\tG12\tG:2175\t12\t\tD:757|C:384\t0.0\t\t2175\tENST00000256078\tsingle residue\n"
        );
        Hotspots::from_tsv(Path::new("hotspots.tsv"), &text).expect("fixture")
    }

    #[test]
    fn lookups_by_kind() {
        let h = fixture();
        let v600 = h.at("BRAF", 600).expect("V600");
        assert_eq!(
            v600.kind,
            HotspotKind::SingleResidue,
            "single residue wins over 3D"
        );
        assert_eq!(v600.variant_count("E"), Some(833));
        assert_eq!(v600.variant_count("V600K"), Some(24));
        assert!(v600.is_recurrent_change("V600E"));
        assert!(!v600.is_recurrent_change("V600D"));
        assert_eq!(v600.variants[0], ("E".to_string(), 833), "sorted by count");
        assert_eq!(h.at("BRAF", 466).map(|s| s.kind), Some(HotspotKind::ThreeD));
        assert_eq!(h.at("BRAF", 466).and_then(|s| s.significance), Some(0.0004));
        assert!(h.at("BRAF", 601).is_none());
        assert!(h.at("NOPE", 600).is_none());
        assert_eq!(h.at("KRAS", 12).map(|s| s.tumor_count), Some(2175));
        let indels: Vec<_> = h.indels_overlapping("EGFR", 746, 750).collect();
        assert_eq!(indels.len(), 1);
        assert!(indels[0].is_recurrent_change("E746_A750del"));
        assert_eq!(h.indels_overlapping("EGFR", 760, 770).count(), 0);
        assert_eq!(h.splice_at("MET", 1010).map(|s| s.tumor_count), Some(19));
        assert_eq!(h.of_gene("BRAF").len(), 3);
        let c = h.counts();
        assert_eq!(
            (
                c.single_residue,
                c.inframe_indel,
                c.splice,
                c.three_d,
                c.genes
            ),
            (2, 1, 1, 2, 4)
        );
    }

    #[test]
    fn bad_rows_are_located() {
        let text = format!("{HEADER}BRAF\tV600\t\tsix\t\tE:1\t0\t\t1\tT\tsingle residue\n");
        let e = Hotspots::from_tsv(Path::new("h.tsv"), &text).expect_err("bad position");
        assert!(e.to_string().starts_with("h.tsv:2:"), "{e}");
        let text = format!("{HEADER}BRAF\tV600\t\t600\t\tE:1\t0\t\t1\tT\tweird\n");
        let e = Hotspots::from_tsv(Path::new("h.tsv"), &text).expect_err("bad type");
        assert!(
            e.to_string().contains("unknown hotspot type `weird`"),
            "{e}"
        );
        let text = format!("{HEADER}BRAF\tV600\t\t600\t\tE1\t0\t\t1\tT\t3d\n");
        let e = Hotspots::from_tsv(Path::new("h.tsv"), &text).expect_err("bad counts");
        assert!(e.to_string().contains("change:count"), "{e}");
    }
}
