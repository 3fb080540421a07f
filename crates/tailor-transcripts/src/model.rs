//! The in-memory model: transcripts with their exons, protein-coding gene spans, and the
//! per-chromosome interval indexes that make position lookups a binary search.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tailor_core::normalize_chrom;

/// Transcribed strand of a gene or transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strand {
    /// Forward (`+`): exon 1 has the lowest coordinates.
    Plus,
    /// Reverse (`-`): exon 1 has the highest coordinates.
    Minus,
}

impl Strand {
    /// `+` or `-`.
    pub fn symbol(self) -> char {
        match self {
            Strand::Plus => '+',
            Strand::Minus => '-',
        }
    }
}

/// MANE status of a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ManeStatus {
    /// The one representative transcript per protein-coding gene; the one Tailor annotates.
    Select,
    /// An additional transcript needed to report some clinical variants. Kept so a lookup by
    /// its ENST/NM succeeds, but it has no exons here (the GENCODE exon table covers MANE
    /// Select only) and is never used for annotation.
    PlusClinical,
}

/// One exon, GRCh38, 1-based inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exon {
    /// First base (lowest coordinate).
    pub start: u32,
    /// Last base (highest coordinate).
    pub end: u32,
}

impl Exon {
    /// Length in bases.
    pub fn len(&self) -> u32 {
        self.end.saturating_sub(self.start).saturating_add(1)
    }

    /// Always false for a real exon (kept for the `len`/`is_empty` convention).
    pub fn is_empty(&self) -> bool {
        self.end < self.start
    }
}

/// The CDS numbering of a transcript, fixed by one known (genomic, c.) pair.
///
/// Without CDS bounds the model cannot know where c.1 is; one trusted pair fixes it for every
/// exonic base, because c. positions advance by one per exonic base in transcript order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdsAnchor {
    /// GRCh38 position of the anchor (exonic).
    pub pos: u32,
    /// Its c. position (never 0; negative in the 5' UTR).
    pub cds: i64,
    /// The base of the spliced transcript (1-based, exon 1's 5' end = 1) that is c.1.
    pub c1_transcript_base: i64,
}

/// A MANE transcript with its exons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// HGNC gene symbol (from MANE).
    pub gene: String,
    /// Ensembl gene id with version.
    pub gene_id: String,
    /// Ensembl transcript id with version (MANE's).
    pub transcript: String,
    /// RefSeq transcript (NM_/NR_) with version.
    pub refseq: String,
    /// RefSeq protein (NP_) with version; empty for non-coding genes.
    pub protein: String,
    /// MANE Select or MANE Plus Clinical.
    pub status: ManeStatus,
    /// Normalised chromosome name (see [`tailor_core::normalize_chrom`]).
    pub chrom: String,
    /// First base of the transcript span (1-based).
    pub start: u32,
    /// Last base of the transcript span (1-based, inclusive).
    pub end: u32,
    /// Strand.
    pub strand: Strand,
    /// Exons in transcript order: `exons[0]` is exon 1 (the 5' exon, highest coordinates on
    /// the minus strand). Empty when the exon table has no entry for this transcript.
    pub exons: Vec<Exon>,
    /// CDS numbering, when a curated anchor fixed it.
    pub cds_anchor: Option<CdsAnchor>,
}

/// Where one base lies relative to a transcript's exons, in transcript orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseLocation {
    /// In exon `number` (1-based, transcript order).
    Exon {
        /// Exon number.
        number: u32,
        /// Bases between this base and the exon's 5' end (0 = the first base of the exon).
        from_5prime: u32,
        /// Bases between this base and the exon's 3' end (0 = the last base of the exon).
        from_3prime: u32,
    },
    /// In intron `number` (between exon `number` and exon `number + 1`).
    Intron {
        /// Intron number.
        number: u32,
        /// Distance from the donor end: 1 for the intronic +1 base.
        from_donor: u32,
        /// Distance from the acceptor end: 1 for the intronic -1 base.
        from_acceptor: u32,
    },
    /// 5' of the first exon (outside the transcript).
    Upstream,
    /// 3' of the last exon (outside the transcript).
    Downstream,
}

impl Transcript {
    /// Number of exons.
    pub fn exon_count(&self) -> u32 {
        u32::try_from(self.exons.len()).unwrap_or(u32::MAX)
    }

    /// Exon `number` (1-based, transcript order).
    pub fn exon(&self, number: u32) -> Option<&Exon> {
        let i = usize::try_from(number).ok()?.checked_sub(1)?;
        self.exons.get(i)
    }

    /// The Ensembl transcript id without its version (`ENST00000646891`).
    pub fn transcript_unversioned(&self) -> &str {
        strip_version(&self.transcript)
    }

    /// The RefSeq transcript id without its version (`NM_004333`).
    pub fn refseq_unversioned(&self) -> &str {
        strip_version(&self.refseq)
    }

    /// Exon with genomic rank `g` (0 = lowest coordinates), whatever the strand.
    fn genomic_exon(&self, g: usize) -> Option<&Exon> {
        match self.strand {
            Strand::Plus => self.exons.get(g),
            Strand::Minus => self
                .exons
                .len()
                .checked_sub(g + 1)
                .and_then(|i| self.exons.get(i)),
        }
    }

    /// Exon number of the exon with genomic rank `g`.
    fn number_of_genomic(&self, g: usize) -> u32 {
        let n = self.exons.len();
        let number = match self.strand {
            Strand::Plus => g + 1,
            Strand::Minus => n.saturating_sub(g),
        };
        u32::try_from(number).unwrap_or(u32::MAX)
    }

    /// Locates a base relative to the exons. `None` when the transcript has no exon model.
    pub fn locate(&self, pos: u32) -> Option<BaseLocation> {
        let n = self.exons.len();
        let first = self.genomic_exon(0)?;
        let last = self.genomic_exon(n - 1)?;
        if pos < first.start {
            return Some(match self.strand {
                Strand::Plus => BaseLocation::Upstream,
                Strand::Minus => BaseLocation::Downstream,
            });
        }
        if pos > last.end {
            return Some(match self.strand {
                Strand::Plus => BaseLocation::Downstream,
                Strand::Minus => BaseLocation::Upstream,
            });
        }
        // First exon (genomic order) whose end reaches pos; exons never overlap, so ends are
        // sorted like starts.
        let g = partition_point(n, |g| self.genomic_exon(g).is_some_and(|e| e.end < pos));
        let right = self.genomic_exon(g)?;
        if right.start <= pos {
            let (from_5prime, from_3prime) = match self.strand {
                Strand::Plus => (pos - right.start, right.end - pos),
                Strand::Minus => (right.end - pos, pos - right.start),
            };
            return Some(BaseLocation::Exon {
                number: self.number_of_genomic(g),
                from_5prime,
                from_3prime,
            });
        }
        let left = self.genomic_exon(g.checked_sub(1)?)?;
        let dist_left = pos - left.end;
        let dist_right = right.start - pos;
        Some(match self.strand {
            Strand::Plus => BaseLocation::Intron {
                number: self.number_of_genomic(g - 1),
                from_donor: dist_left,
                from_acceptor: dist_right,
            },
            Strand::Minus => BaseLocation::Intron {
                number: self.number_of_genomic(g),
                from_donor: dist_right,
                from_acceptor: dist_left,
            },
        })
    }

    /// The 1-based base of the spliced transcript (exon 1's 5' end = 1) at an exonic
    /// genomic position; `None` when `pos` is not exonic.
    pub fn transcript_base(&self, pos: u32) -> Option<i64> {
        let BaseLocation::Exon {
            number,
            from_5prime,
            ..
        } = self.locate(pos)?
        else {
            return None;
        };
        let before: i64 = self
            .exons
            .iter()
            .take(usize::try_from(number).ok()?.saturating_sub(1))
            .map(|e| i64::from(e.len()))
            .sum();
        Some(before + i64::from(from_5prime) + 1)
    }

    /// The exon holding the first base of codon `codon`, when the transcript has a CDS
    /// anchor. Lets a protein change given without an exon number (a legacy MAF, an HGVS
    /// string alone) meet exon-level rules such as FLT3 exon 14 insertions, on either
    /// assembly: the numbering is the transcript's, not the genome's.
    pub fn exon_of_codon(&self, codon: u32) -> Option<u32> {
        let anchor = self.cds_anchor?;
        if codon == 0 {
            return None;
        }
        // Transcript base of the codon's first base: c.(3k-2) sits at c1 + 3k - 3.
        let base = anchor.c1_transcript_base + 3 * i64::from(codon) - 3;
        let mut end = 0i64;
        for (i, exon) in self.exons.iter().enumerate() {
            end += i64::from(exon.len());
            if base <= end {
                return u32::try_from(i + 1).ok();
            }
        }
        None
    }

    /// The c. position of an exonic base, when the transcript has a CDS anchor.
    ///
    /// HGVS has no c.0: the base before c.1 is c.-1. Because the CDS end is unknown, bases
    /// in the 3' UTR get numbers past the stop codon instead of `c.*N`.
    pub fn cds_position(&self, pos: u32) -> Option<i64> {
        let anchor = self.cds_anchor?;
        let base = self.transcript_base(pos)?;
        Some(cds_from_transcript_base(base, anchor.c1_transcript_base))
    }

    /// The HGVS c. coordinate of any base inside the transcript, intronic ones included
    /// (`c.3028+1`, `c.-5`, `c.1799`), when the transcript has a CDS anchor.
    pub fn cds_coordinate(&self, pos: u32) -> Option<CdsCoordinate> {
        let anchor = self.cds_anchor?;
        match self.locate(pos)? {
            BaseLocation::Exon { .. } => Some(CdsCoordinate {
                position: self.cds_position(pos)?,
                offset: 0,
            }),
            BaseLocation::Intron {
                number,
                from_donor,
                from_acceptor,
            } => {
                // Intronic bases are named after the nearer exon base; ties go to the donor
                // side (HGVS convention).
                let donor_exon = self.exon(number)?;
                let acceptor_exon = self.exon(number + 1)?;
                let (exon_base, offset) = if from_donor <= from_acceptor {
                    let last = match self.strand {
                        Strand::Plus => donor_exon.end,
                        Strand::Minus => donor_exon.start,
                    };
                    (last, i64::from(from_donor))
                } else {
                    let first = match self.strand {
                        Strand::Plus => acceptor_exon.start,
                        Strand::Minus => acceptor_exon.end,
                    };
                    (first, -i64::from(from_acceptor))
                };
                let base = self.transcript_base(exon_base)?;
                Some(CdsCoordinate {
                    position: cds_from_transcript_base(base, anchor.c1_transcript_base),
                    offset,
                })
            }
            BaseLocation::Upstream | BaseLocation::Downstream => None,
        }
    }
}

/// c. position of a transcript base given the transcript base of c.1 (no c.0).
pub(crate) fn cds_from_transcript_base(base: i64, c1: i64) -> i64 {
    if base >= c1 {
        base - c1 + 1
    } else {
        base - c1
    }
}

/// A c. coordinate: an exonic c. position plus an intronic offset (`c.3028+1` is
/// `{ position: 3028, offset: 1 }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CdsCoordinate {
    /// c. position of the exonic base (negative in the 5' UTR).
    pub position: i64,
    /// Intronic offset: positive after the exon (donor side), negative before (acceptor side).
    pub offset: i64,
}

impl std::fmt::Display for CdsCoordinate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "c.{}", self.position)?;
        if self.offset > 0 {
            write!(f, "+{}", self.offset)?;
        } else if self.offset < 0 {
            write!(f, "{}", self.offset)?;
        }
        Ok(())
    }
}

/// Where a gene span came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GeneSpanSource {
    /// GENCODE v44 gene record (protein_coding).
    Gencode,
    /// The MANE Select transcript span (MANE protein-coding gene absent from the GENCODE list).
    Mane,
}

/// A protein-coding gene's span, for mapping copy-number segments to genes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneSpan {
    /// Gene symbol: MANE's (HGNC) when the gene has a MANE Select transcript, else GENCODE's.
    pub symbol: String,
    /// Ensembl gene id with version.
    pub gene_id: String,
    /// Normalised chromosome name.
    pub chrom: String,
    /// First base (1-based).
    pub start: u32,
    /// Last base (1-based, inclusive).
    pub end: u32,
    /// Strand.
    pub strand: Strand,
    /// True when the gene has a MANE Select transcript in the model.
    pub mane: bool,
    /// The source of the span.
    pub source: GeneSpanSource,
}

/// Counts and findings of one [`crate::TranscriptModel::load`], kept in the model so the KB
/// build can report what it was built from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadStats {
    /// MANE Select transcripts on the primary assembly.
    pub mane_select: usize,
    /// MANE Plus Clinical transcripts on the primary assembly (kept without exons).
    pub mane_plus_clinical: usize,
    /// MANE rows on alternate loci / patches (NT_/NW_), skipped.
    pub skipped_non_primary: usize,
    /// Exon rows read from the GENCODE table.
    pub exon_rows: usize,
    /// MANE Select transcripts that received exons.
    pub select_with_exons: usize,
    /// MANE Select transcripts without exons (ENST absent from GENCODE v44's exon table).
    pub select_without_exons: Vec<String>,
    /// Exon rows whose transcript is not a MANE Select ENST in MANE v1.5 (skipped).
    pub exon_rows_unmatched: usize,
    /// Transcripts whose ENST version differs between MANE and GENCODE (kept).
    pub version_mismatch: Vec<String>,
    /// Transcripts whose exons do not exactly reach the MANE span ends; the span was widened
    /// to cover the exons where they stick out.
    pub span_mismatch: Vec<String>,
    /// Transcripts whose exons were dropped as inconsistent (wrong chromosome, gaps in exon
    /// numbers, overlapping exons, order against the strand), with the reason.
    pub rejected_exon_models: Vec<String>,
    /// Protein-coding gene spans from GENCODE.
    pub gene_spans_gencode: usize,
    /// Gene spans added from MANE (genes not protein_coding in GENCODE's table).
    pub gene_spans_mane: usize,
}

/// Serialised part of the model: the data, not the indexes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ModelData {
    pub(crate) transcripts: Vec<Transcript>,
    pub(crate) genes: Vec<GeneSpan>,
    pub(crate) stats: LoadStats,
}

/// Intervals of one chromosome sorted by start, with the running maximum of the ends so an
/// overlap query is one binary search plus a scan of the hits.
#[derive(Debug, Clone, Default)]
struct IntervalIndex {
    /// (start, end, item index), sorted by start.
    items: Vec<(u32, u32, u32)>,
    /// `max_end[i]` = max end of `items[..=i]`; non-decreasing, hence binary-searchable.
    max_end: Vec<u32>,
}

impl IntervalIndex {
    fn build(mut items: Vec<(u32, u32, u32)>) -> Self {
        items.sort_unstable();
        let mut max_end = Vec::with_capacity(items.len());
        let mut running = 0u32;
        for &(_, end, _) in &items {
            running = running.max(end);
            max_end.push(running);
        }
        IntervalIndex { items, max_end }
    }

    /// Item indexes of intervals overlapping `[start, end]`.
    fn overlapping(&self, start: u32, end: u32) -> impl Iterator<Item = u32> + '_ {
        // No interval before `first` can reach `start`.
        let first = self.max_end.partition_point(|&m| m < start);
        self.items
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .take_while(move |&&(s, _, _)| s <= end)
            .filter(move |&&(_, e, _)| e >= start)
            .map(|&(_, _, i)| i)
    }
}

/// The four names a transcript can be looked up by.
#[derive(Debug, Clone, Copy)]
enum NameKind {
    Symbol,
    Ensembl,
    RefSeq,
    EnsemblGene,
}

impl NameKind {
    fn key(self, t: &Transcript) -> &str {
        match self {
            NameKind::Symbol => &t.gene,
            NameKind::Ensembl => t.transcript_unversioned(),
            NameKind::RefSeq => t.refseq_unversioned(),
            NameKind::EnsemblGene => strip_version(&t.gene_id),
        }
    }
}

/// Transcript indexes sorted by one name (MANE Select before Plus Clinical for equal
/// names), searched by binary search against the transcripts' own fields: no key strings
/// are copied, which keeps the rebuild after deserialising cheap.
#[derive(Debug, Clone, Default)]
struct NameIndex(Vec<u32>);

impl NameIndex {
    fn build(transcripts: &[Transcript], kind: NameKind) -> Self {
        // Keys computed once (borrowed, no copies), then one sort.
        let mut keyed: Vec<(&str, bool, u32)> = transcripts
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                Some((
                    kind.key(t),
                    t.status != ManeStatus::Select,
                    u32::try_from(i).ok()?,
                ))
            })
            .collect();
        keyed.sort_unstable();
        NameIndex(keyed.into_iter().map(|(_, _, i)| i).collect())
    }

    fn find(&self, transcripts: &[Transcript], kind: NameKind, name: &str) -> Option<usize> {
        let key_of = |i: u32| {
            transcripts
                .get(usize::try_from(i).ok()?)
                .map(|t| kind.key(t))
        };
        let at = self
            .0
            .partition_point(|&i| key_of(i).is_some_and(|k| k < name));
        let &i = self.0.get(at)?;
        (key_of(i)? == name && !name.is_empty()).then_some(usize::try_from(i).ok()?)
    }
}

/// Lookup structures rebuilt from [`ModelData`] after loading or deserialising.
#[derive(Debug, Clone, Default)]
struct Index {
    /// By symbol, unversioned ENST, unversioned NM/NR and unversioned ENSG.
    names: [NameIndex; 4],
    /// Chromosome -> MANE Select transcripts.
    transcripts: HashMap<String, IntervalIndex>,
    /// Chromosome -> gene spans.
    genes: HashMap<String, IntervalIndex>,
    /// Per gene span, a dense id shared by every span with the same symbol (a symbol can
    /// name spans on X and Y, say); `symbol_count` ids in all.
    symbol_ids: Vec<u32>,
    symbol_count: usize,
}

const NAME_KINDS: [NameKind; 4] = [
    NameKind::Symbol,
    NameKind::Ensembl,
    NameKind::RefSeq,
    NameKind::EnsemblGene,
];

/// Groups (start, end, item) triples by chromosome without copying a chromosome name per
/// item.
fn chrom_indexes<'a>(
    items: impl Iterator<Item = (&'a str, u32, u32, u32)>,
) -> HashMap<String, IntervalIndex> {
    let mut groups: HashMap<String, Vec<(u32, u32, u32)>> = HashMap::new();
    for (chrom, start, end, i) in items {
        match groups.get_mut(chrom) {
            Some(v) => v.push((start, end, i)),
            None => {
                groups.insert(chrom.to_owned(), vec![(start, end, i)]);
            }
        }
    }
    groups
        .into_iter()
        .map(|(c, v)| (c, IntervalIndex::build(v)))
        .collect()
}

/// The GRCh38 transcript model: MANE transcripts with GENCODE exons, protein-coding gene
/// spans, and CDS anchors.
///
/// Serialises as its data only; the indexes are rebuilt on deserialisation (a few
/// milliseconds), which keeps the artifact small and an artifact can never carry an index
/// that disagrees with its data.
#[derive(Debug, Clone, Default)]
pub struct TranscriptModel {
    pub(crate) data: ModelData,
    index: Index,
}

impl Serialize for TranscriptModel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TranscriptModel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ModelData::deserialize(deserializer).map(TranscriptModel::from_data)
    }
}

pub(crate) fn strip_version(id: &str) -> &str {
    id.split_once('.').map_or(id, |(base, _)| base)
}

/// `slice::partition_point` over `0..n` for a predicate on the index.
pub(crate) fn partition_point(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl TranscriptModel {
    /// Builds the model (and its indexes) from its data.
    pub(crate) fn from_data(data: ModelData) -> Self {
        let names = NAME_KINDS.map(|kind| NameIndex::build(&data.transcripts, kind));
        let transcripts = chrom_indexes(
            data.transcripts
                .iter()
                .enumerate()
                .filter(|(_, t)| t.status == ManeStatus::Select)
                .filter_map(|(i, t)| {
                    Some((t.chrom.as_str(), t.start, t.end, u32::try_from(i).ok()?))
                }),
        );
        let genes =
            chrom_indexes(data.genes.iter().enumerate().filter_map(|(i, g)| {
                Some((g.chrom.as_str(), g.start, g.end, u32::try_from(i).ok()?))
            }));
        let mut id_of: HashMap<&str, u32> = HashMap::with_capacity(data.genes.len());
        let symbol_ids = data
            .genes
            .iter()
            .map(|g| {
                let next = u32::try_from(id_of.len()).unwrap_or(u32::MAX);
                *id_of.entry(g.symbol.as_str()).or_insert(next)
            })
            .collect();
        let symbol_count = id_of.len();
        TranscriptModel {
            index: Index {
                names,
                transcripts,
                genes,
                symbol_ids,
                symbol_count,
            },
            data,
        }
    }

    /// All transcripts (MANE Select and Plus Clinical), in source order.
    pub fn transcripts(&self) -> &[Transcript] {
        &self.data.transcripts
    }

    /// All protein-coding gene spans.
    pub fn gene_spans(&self) -> &[GeneSpan] {
        &self.data.genes
    }

    /// What the load found (counts, inconsistencies).
    pub fn stats(&self) -> &LoadStats {
        &self.data.stats
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        // A symbol first (so `BRAF` is the MANE Select even if some id looked alike),
        // then the identifiers, compared without version.
        let bare = strip_version(name);
        NAME_KINDS
            .iter()
            .zip(&self.index.names)
            .find_map(|(&kind, ix)| {
                let key = match kind {
                    NameKind::Symbol => name,
                    _ => bare,
                };
                ix.find(&self.data.transcripts, kind, key)
            })
    }

    /// The MANE transcript of a gene, by symbol (`BRAF`, gives the MANE Select), by Ensembl
    /// transcript or gene id or by RefSeq NM/NR, with or without version.
    pub fn gene(&self, name: &str) -> Option<&Transcript> {
        self.index_of(name)
            .and_then(|i| self.data.transcripts.get(i))
    }

    pub(crate) fn gene_mut(&mut self, name: &str) -> Option<&mut Transcript> {
        self.index_of(name)
            .and_then(|i| self.data.transcripts.get_mut(i))
    }

    /// Protein-coding genes whose span overlaps `[start, end]` (1-based inclusive) on
    /// `chrom` (any naming: `chr7`, `7`).
    pub fn genes_overlapping<'a>(
        &'a self,
        chrom: &str,
        start: u32,
        end: u32,
    ) -> impl Iterator<Item = &'a GeneSpan> + 'a {
        self.index
            .genes
            .get(normalize_chrom(chrom))
            .into_iter()
            .flat_map(move |ix| ix.overlapping(start, end))
            .filter_map(|i| self.data.genes.get(usize::try_from(i).ok()?))
    }

    /// Gene spans overlapping `[start, end]` on `chrom`, each with its symbol id: a dense
    /// number below [`TranscriptModel::symbol_count`], the same for every span of one
    /// symbol. Callers that gather per gene over many intervals (copy-number segments
    /// cover the whole genome) index a plain vector with it instead of hashing symbols.
    pub fn genes_overlapping_with_ids<'a>(
        &'a self,
        chrom: &str,
        start: u32,
        end: u32,
    ) -> impl Iterator<Item = (usize, &'a GeneSpan)> + 'a {
        self.index
            .genes
            .get(normalize_chrom(chrom))
            .into_iter()
            .flat_map(move |ix| ix.overlapping(start, end))
            .filter_map(|i| {
                let i = usize::try_from(i).ok()?;
                let id = usize::try_from(*self.index.symbol_ids.get(i)?).ok()?;
                Some((id, self.data.genes.get(i)?))
            })
    }

    /// How many distinct gene symbols the model has (the bound of the symbol ids of
    /// [`TranscriptModel::genes_overlapping_with_ids`]).
    pub fn symbol_count(&self) -> usize {
        self.index.symbol_count
    }

    /// MANE Select transcripts whose span overlaps `[start, end]` on `chrom`.
    pub fn transcripts_overlapping<'a>(
        &'a self,
        chrom: &str,
        start: u32,
        end: u32,
    ) -> impl Iterator<Item = &'a Transcript> + 'a {
        self.index
            .transcripts
            .get(normalize_chrom(chrom))
            .into_iter()
            .flat_map(move |ix| ix.overlapping(start, end))
            .filter_map(|i| self.data.transcripts.get(usize::try_from(i).ok()?))
    }

    /// The c. position of an exonic base of a gene's MANE transcript, when anchored.
    pub fn cds_position(&self, gene: &str, pos: u32) -> Option<i64> {
        self.gene(gene)?.cds_position(pos)
    }

    /// The codon (amino-acid residue) number of an exonic base, when anchored and in the CDS
    /// (c. >= 1): `(c + 2) / 3`.
    pub fn codon(&self, gene: &str, pos: u32) -> Option<u32> {
        codon_of(self.cds_position(gene, pos)?)
    }
}

/// Codon number of a c. position (c. >= 1).
pub(crate) fn codon_of(cds: i64) -> Option<u32> {
    if cds >= 1 {
        u32::try_from((cds + 2) / 3).ok()
    } else {
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A plus-strand transcript with exons 100-199, 300-349, 500-599 and a minus-strand one
    /// with the same genomic exons (so exon 1 is 500-599).
    pub(crate) fn toy(strand: Strand) -> Transcript {
        let mut exons = vec![
            Exon {
                start: 100,
                end: 199,
            },
            Exon {
                start: 300,
                end: 349,
            },
            Exon {
                start: 500,
                end: 599,
            },
        ];
        if strand == Strand::Minus {
            exons.reverse();
        }
        Transcript {
            gene: "TOY".into(),
            gene_id: "ENSG00000000001.1".into(),
            transcript: "ENST00000000001.1".into(),
            refseq: "NM_000001.1".into(),
            protein: "NP_000001.1".into(),
            status: ManeStatus::Select,
            chrom: "1".into(),
            start: 100,
            end: 599,
            strand,
            exons,
            cds_anchor: None,
        }
    }

    #[test]
    fn locate_plus_strand() {
        let t = toy(Strand::Plus);
        assert_eq!(t.locate(99), Some(BaseLocation::Upstream));
        assert_eq!(t.locate(600), Some(BaseLocation::Downstream));
        assert_eq!(
            t.locate(100),
            Some(BaseLocation::Exon {
                number: 1,
                from_5prime: 0,
                from_3prime: 99
            })
        );
        assert_eq!(
            t.locate(200),
            Some(BaseLocation::Intron {
                number: 1,
                from_donor: 1,
                from_acceptor: 100
            })
        );
        assert_eq!(
            t.locate(299),
            Some(BaseLocation::Intron {
                number: 1,
                from_donor: 100,
                from_acceptor: 1
            })
        );
        assert_eq!(
            t.locate(349),
            Some(BaseLocation::Exon {
                number: 2,
                from_5prime: 49,
                from_3prime: 0
            })
        );
        assert_eq!(t.transcript_base(300), Some(101));
        assert_eq!(t.transcript_base(500), Some(151));
        assert_eq!(t.transcript_base(250), None);
    }

    #[test]
    fn locate_minus_strand() {
        let t = toy(Strand::Minus);
        assert_eq!(t.locate(99), Some(BaseLocation::Downstream));
        assert_eq!(t.locate(600), Some(BaseLocation::Upstream));
        assert_eq!(
            t.locate(599),
            Some(BaseLocation::Exon {
                number: 1,
                from_5prime: 0,
                from_3prime: 99
            })
        );
        // Intron 1 lies between exon 1 (500-599) and exon 2 (300-349); its donor is at 499.
        assert_eq!(
            t.locate(499),
            Some(BaseLocation::Intron {
                number: 1,
                from_donor: 1,
                from_acceptor: 150
            })
        );
        assert_eq!(
            t.locate(350),
            Some(BaseLocation::Intron {
                number: 1,
                from_donor: 150,
                from_acceptor: 1
            })
        );
        assert_eq!(
            t.locate(100),
            Some(BaseLocation::Exon {
                number: 3,
                from_5prime: 99,
                from_3prime: 0
            })
        );
        assert_eq!(t.transcript_base(599), Some(1));
        assert_eq!(t.transcript_base(349), Some(101));
        assert_eq!(t.transcript_base(100), Some(250));
    }

    #[test]
    fn cds_numbering_has_no_c0() {
        let mut t = toy(Strand::Plus);
        t.cds_anchor = Some(CdsAnchor {
            pos: 110,
            cds: 1,
            c1_transcript_base: 11,
        });
        assert_eq!(t.cds_position(110), Some(1));
        assert_eq!(t.cds_position(109), Some(-1));
        assert_eq!(t.cds_position(300), Some(91));
        assert_eq!(
            t.cds_coordinate(201).map(|c| c.to_string()),
            Some("c.90+2".to_owned())
        );
        assert_eq!(
            t.cds_coordinate(298).map(|c| c.to_string()),
            Some("c.91-2".to_owned())
        );
        assert_eq!(codon_of(1), Some(1));
        assert_eq!(codon_of(3), Some(1));
        assert_eq!(codon_of(4), Some(2));
        assert_eq!(codon_of(-1), None);
    }

    #[test]
    fn interval_index_finds_long_intervals() {
        let ix = IntervalIndex::build(vec![(1, 1000, 0), (10, 20, 1), (500, 600, 2)]);
        let hits: Vec<u32> = ix.overlapping(700, 800).collect();
        assert_eq!(hits, vec![0]);
        let hits: Vec<u32> = ix.overlapping(15, 15).collect();
        assert_eq!(hits, vec![0, 1]);
        assert_eq!(ix.overlapping(1001, 2000).count(), 0);
    }
}
