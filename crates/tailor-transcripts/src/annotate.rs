//! Consequence inference for raw (un-annotated) VCF alleles from the exon model alone.
//!
//! The rules are listed in the crate documentation; this module implements them.

use serde::{Deserialize, Serialize};
use tailor_core::somatic::VariantClass;

use crate::model::{codon_of, partition_point, BaseLocation, Strand, Transcript, TranscriptModel};

/// Intronic bases 1-2 from the exon are the canonical splice dinucleotide.
const CANONICAL_SPLICE: u32 = 2;
/// Intronic bases 3-8 from the exon are the splice region (as in VEP/Ensembl).
const SPLICE_REGION_INTRONIC: u32 = 8;
/// Exonic bases 1-3 from an internal exon boundary are the splice region (as in VEP/Ensembl).
const SPLICE_REGION_EXONIC: u32 = 3;

/// What the exon model says about one allele in one MANE Select transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawAnnotation {
    /// Gene symbol.
    pub gene: String,
    /// MANE Select ENST with version.
    pub transcript: String,
    /// MANE Select RefSeq NM/NR with version.
    pub refseq: String,
    /// Strand of the transcript.
    pub strand: Strand,
    /// (exon number, exon count) when the allele touches an exon.
    pub exon: Option<(u32, u32)>,
    /// (intron number, intron count) when the allele touches an intron.
    pub intron: Option<(u32, u32)>,
    /// Inferred class (see the crate docs for the rules).
    pub class: VariantClass,
    /// The exon whose canonical splice dinucleotide the allele touches (donor of exon k =
    /// intron k +1/+2; acceptor of exon k = intron k-1 -1/-2), or whose boundary a
    /// deletion spans. The lowest such exon number when several are touched.
    pub splice_site_of_exon: Option<u32>,
    /// c. position of the allele's 5'-most exonic base, when the gene has a CDS anchor.
    pub cds_position: Option<i64>,
    /// Codon of `cds_position` when it is >= 1.
    pub codon: Option<u32>,
    /// Human-readable details: location, c. coordinate, splice-region proximity, caveats.
    pub note: String,
}

/// A VCF allele after removing the shared suffix, then the shared prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrimmedAllele<'a> {
    /// Position of the first remaining REF base; for a pure insertion, the base after the
    /// insertion point.
    pub pos: u32,
    /// Remaining REF bases (empty for an insertion).
    pub reference: &'a str,
    /// Remaining ALT bases (empty for a deletion).
    pub alternate: &'a str,
}

/// Removes the bases REF and ALT share at the end, then at the start (the VCF anchor base),
/// moving `pos` past the removed leading bases.
///
/// ```
/// use tailor_transcripts::trim_allele;
/// let t = trim_allele(100, "CAG", "C");
/// assert_eq!((t.pos, t.reference, t.alternate), (101, "AG", ""));
/// let t = trim_allele(100, "A", "AT");
/// assert_eq!((t.pos, t.reference, t.alternate), (101, "", "T"));
/// ```
pub fn trim_allele<'a>(pos: u32, reference: &'a str, alternate: &'a str) -> TrimmedAllele<'a> {
    let (r, a) = (reference.as_bytes(), alternate.as_bytes());
    let suffix = r
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
        .count();
    let (r_len, a_len) = (r.len() - suffix, a.len() - suffix);
    let prefix = r[..r_len]
        .iter()
        .zip(&a[..a_len])
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
        .count();
    // Byte offsets are safe string boundaries because only ASCII bases are trimmed
    // (non-ASCII input is rejected by the caller before trimming).
    TrimmedAllele {
        pos: pos.saturating_add(u32::try_from(prefix).unwrap_or(u32::MAX)),
        reference: reference.get(prefix..r_len).unwrap_or(""),
        alternate: alternate.get(prefix..a_len).unwrap_or(""),
    }
}

fn is_plain_allele(allele: &str) -> bool {
    !allele.is_empty()
        && allele
            .bytes()
            .all(|b| matches!(b.to_ascii_uppercase(), b'A' | b'C' | b'G' | b'T' | b'N'))
}

/// Genomic rank helpers on a transcript with exons.
struct Exons<'a> {
    t: &'a Transcript,
    n: usize,
}

impl<'a> Exons<'a> {
    fn genomic(&self, g: usize) -> Option<&'a crate::model::Exon> {
        match self.t.strand {
            Strand::Plus => self.t.exons.get(g),
            Strand::Minus => self.n.checked_sub(g + 1).and_then(|i| self.t.exons.get(i)),
        }
    }

    fn number(&self, g: usize) -> u32 {
        let k = match self.t.strand {
            Strand::Plus => g + 1,
            Strand::Minus => self.n.saturating_sub(g),
        };
        u32::try_from(k).unwrap_or(u32::MAX)
    }

    /// Exon numbers whose canonical splice dinucleotide intersects `[s, e]`, sorted.
    fn splice_sites_touched(&self, s: u32, e: u32) -> Vec<u32> {
        let mut out = Vec::new();
        // First exon (genomic) whose end reaches s: introns before it cannot intersect.
        let mut g = partition_point(self.n, |g| self.genomic(g).is_some_and(|x| x.end < s)).max(1);
        while g < self.n {
            let (Some(left), Some(right)) = (self.genomic(g - 1), self.genomic(g)) else {
                break;
            };
            let (intron_start, intron_end) = (left.end + 1, right.start.saturating_sub(1));
            if intron_start > e {
                break;
            }
            if intron_start <= intron_end {
                // Site next to the left exon and site next to the right exon, each belonging
                // to that exon (donor or acceptor depending on strand).
                let left_site = (intron_start, (left.end + CANONICAL_SPLICE).min(intron_end));
                let right_site = (
                    right
                        .start
                        .saturating_sub(CANONICAL_SPLICE)
                        .max(intron_start),
                    intron_end,
                );
                if left_site.0 <= e && left_site.1 >= s {
                    out.push(self.number(g - 1));
                }
                if right_site.0 <= e && right_site.1 >= s {
                    out.push(self.number(g));
                }
            }
            g += 1;
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Exon numbers (sorted) of exons intersecting `[s, e]`, and those entirely inside it.
    fn exons_touched(&self, s: u32, e: u32) -> (Vec<u32>, Vec<u32>) {
        let mut touched = Vec::new();
        let mut inside = Vec::new();
        for g in 0..self.n {
            let Some(x) = self.genomic(g) else { break };
            if x.start > e {
                break;
            }
            if x.end >= s {
                touched.push(self.number(g));
                if x.start >= s && x.end <= e {
                    inside.push(self.number(g));
                }
            }
        }
        touched.sort_unstable();
        inside.sort_unstable();
        (touched, inside)
    }
}

/// Splice-region proximity of an exonic base, for the note: internal boundaries only.
fn exonic_splice_region(loc: BaseLocation, exon_count: u32) -> Option<String> {
    let BaseLocation::Exon {
        number,
        from_5prime,
        from_3prime,
    } = loc
    else {
        return None;
    };
    if number > 1 && from_5prime < SPLICE_REGION_EXONIC {
        return Some(format!(
            "exonic splice region: {} bp from the exon {number} acceptor boundary",
            from_5prime + 1
        ));
    }
    if number < exon_count && from_3prime < SPLICE_REGION_EXONIC {
        return Some(format!(
            "exonic splice region: {} bp from the exon {number} donor boundary",
            from_3prime + 1
        ));
    }
    None
}

fn intronic_distance(loc: BaseLocation) -> Option<u32> {
    match loc {
        BaseLocation::Intron {
            from_donor,
            from_acceptor,
            ..
        } => Some(from_donor.min(from_acceptor)),
        _ => None,
    }
}

/// Class of an exonic change from its length change (and the CDS anchor, when known).
fn exonic_class(
    ref_len: usize,
    alt_len: usize,
    cds: &[i64],
) -> (VariantClass, Option<&'static str>) {
    if !cds.is_empty() && cds.iter().all(|&c| c < 1) {
        return (VariantClass::NonCoding, Some("5' UTR (before c.1)"));
    }
    if cds.iter().any(|&c| (1..=3).contains(&c)) {
        return (
            VariantClass::StartLost,
            Some("changes the start codon (c.1-c.3)"),
        );
    }
    let diff = alt_len.abs_diff(ref_len);
    let class = if diff == 0 {
        VariantClass::Exonic
    } else if diff % 3 != 0 {
        VariantClass::Frameshift
    } else if alt_len == 0 {
        VariantClass::InframeDeletion
    } else if ref_len == 0 {
        VariantClass::InframeInsertion
    } else {
        VariantClass::InframeDelins
    };
    (class, None)
}

struct Builder<'a> {
    t: &'a Transcript,
    ann: RawAnnotation,
    notes: Vec<String>,
    /// Whether to write the note; a caller that only needs the class and the numbers
    /// skips the formatting (see [`TranscriptModel::annotate_brief`]).
    with_notes: bool,
}

impl<'a> Builder<'a> {
    fn new(t: &'a Transcript) -> Self {
        Builder {
            t,
            ann: RawAnnotation {
                gene: t.gene.clone(),
                transcript: t.transcript.clone(),
                refseq: t.refseq.clone(),
                strand: t.strand,
                exon: None,
                intron: None,
                class: VariantClass::Unknown,
                splice_site_of_exon: None,
                cds_position: None,
                codon: None,
                note: String::new(),
            },
            notes: Vec::new(),
            with_notes: true,
        }
    }

    fn brief(mut self, brief: bool) -> Self {
        self.with_notes = !brief;
        self
    }

    /// Adds a part of the note, formatted only when notes are wanted.
    fn note(&mut self, text: impl FnOnce() -> String) {
        if self.with_notes {
            self.notes.push(text());
        }
    }

    /// As [`Builder::note`], for a part that may have nothing to say.
    fn note_if(&mut self, text: impl FnOnce() -> Option<String>) {
        if self.with_notes {
            self.notes.extend(text());
        }
    }

    fn set_location(&mut self, loc: Option<BaseLocation>) {
        let n = self.t.exon_count();
        match loc {
            Some(BaseLocation::Exon { number, .. }) => {
                self.ann.exon.get_or_insert((number, n));
            }
            Some(BaseLocation::Intron { number, .. }) => {
                self.ann.intron.get_or_insert((number, n.saturating_sub(1)));
            }
            _ => {}
        }
    }

    fn set_cds(&mut self, cds: Option<i64>) {
        self.ann.cds_position = cds;
        self.ann.codon = cds.and_then(codon_of);
    }

    fn finish(mut self, class: VariantClass) -> RawAnnotation {
        self.ann.class = class;
        self.ann.note = self.notes.join("; ");
        self.ann
    }
}

impl TranscriptModel {
    /// Annotates a VCF-style allele (1-based `pos`, REF, ALT with the anchor base for indels)
    /// against every MANE Select transcript it overlaps. Empty when it overlaps none
    /// (intergenic) or REF equals ALT. The rules are in the crate documentation.
    pub fn annotate_raw(
        &self,
        chrom: &str,
        pos: u32,
        reference: &str,
        alternate: &str,
    ) -> Vec<RawAnnotation> {
        self.annotate_alleles(chrom, pos, reference, alternate, false)
    }

    /// [`TranscriptModel::annotate_raw`] without the note (left empty): every other
    /// field is the same. For callers that read only the class and the numbers, over
    /// thousands of variants per case, where formatting notes nobody reads is most of the
    /// work.
    pub fn annotate_brief(
        &self,
        chrom: &str,
        pos: u32,
        reference: &str,
        alternate: &str,
    ) -> Vec<RawAnnotation> {
        self.annotate_alleles(chrom, pos, reference, alternate, true)
    }

    fn annotate_alleles(
        &self,
        chrom: &str,
        pos: u32,
        reference: &str,
        alternate: &str,
        brief: bool,
    ) -> Vec<RawAnnotation> {
        if !is_plain_allele(reference) || !is_plain_allele(alternate) {
            let end =
                pos.saturating_add(u32::try_from(reference.len().max(1) - 1).unwrap_or(u32::MAX));
            return self
                .transcripts_overlapping(chrom, pos, end)
                .map(|t| {
                    let mut b = Builder::new(t).brief(brief);
                    b.set_location(t.locate(pos));
                    b.note(|| format!(
                        "REF {reference:?} / ALT {alternate:?} is symbolic, missing or not a plain base sequence; class not inferred"
                    ));
                    b.finish(VariantClass::Unknown)
                })
                .collect();
        }
        let allele = trim_allele(pos, reference, alternate);
        let (r_len, a_len) = (allele.reference.len(), allele.alternate.len());
        if r_len == 0 && a_len == 0 {
            return Vec::new();
        }
        if r_len == 0 {
            // Insertion between pos-1 and pos.
            let Some(before) = allele.pos.checked_sub(1) else {
                return Vec::new();
            };
            return self
                .transcripts_overlapping(chrom, before, allele.pos)
                .filter(|t| t.start <= before && allele.pos <= t.end)
                .map(|t| annotate_insertion(t, before, allele.pos, a_len, brief))
                .collect();
        }
        let end = allele
            .pos
            .saturating_add(u32::try_from(r_len - 1).unwrap_or(u32::MAX));
        self.transcripts_overlapping(chrom, allele.pos, end)
            .map(|t| annotate_replacement(t, allele.pos, end, r_len, a_len, brief))
            .collect()
    }
}

fn no_exon_model(t: &Transcript, brief: bool) -> RawAnnotation {
    let mut b = Builder::new(t).brief(brief);
    b.note(|| {
        format!(
            "no exon model for {} (absent from the GENCODE v44 MANE Select exon table); gene only",
            t.transcript
        )
    });
    b.finish(VariantClass::Unknown)
}

fn describe_cds(t: &Transcript, pos: u32) -> Option<String> {
    t.cds_coordinate(pos).map(|c| c.to_string())
}

/// REF bases `[s, e]` replaced by `a_len` bases (SNV, MNV, deletion, delins).
fn annotate_replacement(
    t: &Transcript,
    s: u32,
    e: u32,
    r_len: usize,
    a_len: usize,
    brief: bool,
) -> RawAnnotation {
    if t.exons.is_empty() {
        return no_exon_model(t, brief);
    }
    let exons = Exons {
        t,
        n: t.exons.len(),
    };
    let n = t.exon_count();
    let mut b = Builder::new(t).brief(brief);
    let (loc_s, loc_e) = (t.locate(s), t.locate(e));
    // Transcript-5' end first so exon/intron fields name the 5'-most feature.
    let (loc5, loc3, pos5) = match t.strand {
        Strand::Plus => (loc_s, loc_e, s),
        Strand::Minus => (loc_e, loc_s, e),
    };
    b.set_location(loc5);
    b.set_location(loc3);

    let (touched, inside) = exons.exons_touched(s, e);
    if let (Some(first), Some(last)) = (touched.first(), touched.last()) {
        b.ann.exon = Some((*first, n));
        if first != last {
            b.note(|| format!("spans exons {first}-{last}"));
        }
    }
    if !inside.is_empty() {
        let (first, last) = (inside[0], inside[inside.len() - 1]);
        b.note(|| {
            if first == last {
                format!("removes all of exon {first}")
            } else {
                format!("removes all of exons {first}-{last}")
            }
        });
    }
    // c. positions of the exonic bases at both ends (when exonic and anchored).
    let cds: Vec<i64> = [s, e].iter().filter_map(|&p| t.cds_position(p)).collect();
    b.set_cds(cds.iter().copied().min());

    let sites = exons.splice_sites_touched(s, e);
    if let Some(&first) = sites.first() {
        b.ann.splice_site_of_exon = Some(first);
        b.note(|| {
            let list: Vec<String> = sites.iter().map(u32::to_string).collect();
            format!(
                "touches the canonical splice dinucleotide of exon {}",
                list.join(", ")
            )
        });
        b.note_if(|| describe_cds(t, pos5).map(|c| format!("starts at {c}")));
        return b.finish(VariantClass::SpliceSite);
    }

    let exonic = !touched.is_empty();
    let intronic_only = matches!(
        (loc_s, loc_e),
        (
            Some(BaseLocation::Intron { number: x, .. }),
            Some(BaseLocation::Intron { number: y, .. })
        ) if x == y
    ) && !exonic;
    if intronic_only {
        let d = loc_s
            .and_then(intronic_distance)
            .into_iter()
            .chain(loc_e.and_then(intronic_distance))
            .min()
            .unwrap_or(u32::MAX);
        b.note_if(|| describe_cds(t, pos5));
        return if d <= SPLICE_REGION_INTRONIC {
            b.note(|| format!("intronic splice region ({d} bp from the exon)"));
            b.finish(VariantClass::SpliceRegion)
        } else {
            b.finish(VariantClass::NonCoding)
        };
    }
    if !exonic {
        b.note(|| "outside the exons of the transcript span".to_owned());
        return b.finish(VariantClass::NonCoding);
    }
    if matches!(
        loc_s,
        Some(BaseLocation::Upstream | BaseLocation::Downstream)
    ) || matches!(
        loc_e,
        Some(BaseLocation::Upstream | BaseLocation::Downstream)
    ) {
        b.note(|| "extends beyond the transcript's outer end".to_owned());
    }
    for loc in [loc5, loc3].into_iter().flatten() {
        if let Some(note) = exonic_splice_region(loc, n) {
            b.note(|| note);
            break;
        }
    }
    let (class, why) = exonic_class(r_len, a_len, &cds);
    if let Some(why) = why {
        b.note(|| why.to_owned());
    }
    b.finish(class)
}

/// `a_len` bases inserted between `before` and `after` (= before + 1).
fn annotate_insertion(
    t: &Transcript,
    before: u32,
    after: u32,
    a_len: usize,
    brief: bool,
) -> RawAnnotation {
    if t.exons.is_empty() {
        return no_exon_model(t, brief);
    }
    let n = t.exon_count();
    let mut b = Builder::new(t).brief(brief);
    let (l1, l2) = (t.locate(before), t.locate(after));
    b.set_location(l1);
    b.set_location(l2);
    match (l1, l2) {
        (
            Some(BaseLocation::Exon { number: x, .. }),
            Some(BaseLocation::Exon { number: y, .. }),
        ) if x == y => {
            let cds: Vec<i64> = [before, after]
                .iter()
                .filter_map(|&p| t.cds_position(p))
                .collect();
            b.set_cds(cds.iter().copied().min());
            for loc in [l1, l2].into_iter().flatten() {
                if let Some(note) = exonic_splice_region(loc, n) {
                    b.note(|| note);
                    break;
                }
            }
            let (class, why) = exonic_class(0, a_len, &cds);
            if let Some(why) = why {
                b.note(|| why.to_owned());
            }
            b.finish(class)
        }
        (
            Some(BaseLocation::Intron {
                number,
                from_donor: d1,
                from_acceptor: a1,
            }),
            Some(BaseLocation::Intron {
                from_donor: d2,
                from_acceptor: a2,
                ..
            }),
        ) => {
            let pos5 = match t.strand {
                Strand::Plus => before,
                Strand::Minus => after,
            };
            b.note_if(|| describe_cds(t, pos5).map(|c| format!("next to {c}")));
            if d1.max(d2) <= CANONICAL_SPLICE {
                b.ann.splice_site_of_exon = Some(number);
                b.note(|| format!("inserted inside the donor dinucleotide of exon {number}"));
                return b.finish(VariantClass::SpliceSite);
            }
            if a1.max(a2) <= CANONICAL_SPLICE {
                b.ann.splice_site_of_exon = Some(number + 1);
                b.note(|| {
                    format!(
                        "inserted inside the acceptor dinucleotide of exon {}",
                        number + 1
                    )
                });
                return b.finish(VariantClass::SpliceSite);
            }
            let d = d1.min(d2).min(a1).min(a2);
            if d <= SPLICE_REGION_INTRONIC {
                b.note(|| format!("intronic splice region ({d} bp from the exon)"));
                b.finish(VariantClass::SpliceRegion)
            } else {
                b.finish(VariantClass::NonCoding)
            }
        }
        (Some(BaseLocation::Exon { number, .. }), Some(BaseLocation::Intron { .. }))
        | (Some(BaseLocation::Intron { .. }), Some(BaseLocation::Exon { number, .. })) => {
            b.note(|| format!(
                "inserted exactly at an exon {number}/intron junction: the canonical dinucleotide is intact, \
                 but whether the inserted bases are spliced in cannot be told without sequence"
            ));
            b.finish(VariantClass::SpliceRegion)
        }
        _ => {
            b.note(|| "outside the exons of the transcript span".to_owned());
            b.finish(VariantClass::NonCoding)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::toy;
    use crate::model::{CdsAnchor, ModelData};

    fn model(strand: Strand, anchor: Option<CdsAnchor>) -> TranscriptModel {
        let mut t = toy(strand);
        t.cds_anchor = anchor;
        TranscriptModel::from_data(ModelData {
            transcripts: vec![t],
            ..ModelData::default()
        })
    }

    fn one(m: &TranscriptModel, pos: u32, r: &str, a: &str) -> RawAnnotation {
        let mut v = m.annotate_raw("chr1", pos, r, a);
        assert_eq!(v.len(), 1, "{pos} {r}>{a}: {v:?}");
        v.remove(0)
    }

    #[test]
    fn trimming() {
        let t = trim_allele(10, "ACGT", "AGGT");
        assert_eq!((t.pos, t.reference, t.alternate), (11, "C", "G"));
        let t = trim_allele(10, "AT", "ATT");
        assert_eq!((t.pos, t.reference, t.alternate), (11, "", "T"));
        let t = trim_allele(10, "A", "A");
        assert_eq!((t.reference, t.alternate), ("", ""));
    }

    #[test]
    fn snv_classes_plus_strand() {
        let m = model(Strand::Plus, None);
        let a = one(&m, 150, "A", "G");
        assert_eq!(
            (a.class, a.exon, a.intron),
            (VariantClass::Exonic, Some((1, 3)), None)
        );
        // Donor of exon 1: 200 (+1), 201 (+2); 202 is +3.
        let a = one(&m, 201, "G", "A");
        assert_eq!(
            (a.class, a.splice_site_of_exon, a.intron),
            (VariantClass::SpliceSite, Some(1), Some((1, 2)))
        );
        assert_eq!(one(&m, 202, "G", "A").class, VariantClass::SpliceRegion);
        assert_eq!(one(&m, 207, "G", "A").class, VariantClass::SpliceRegion);
        assert_eq!(one(&m, 208, "G", "A").class, VariantClass::NonCoding);
        // Acceptor of exon 2: 298 (-2), 299 (-1).
        let a = one(&m, 298, "G", "A");
        assert_eq!(
            (a.class, a.splice_site_of_exon),
            (VariantClass::SpliceSite, Some(2))
        );
        // Exonic splice region keeps Exonic but says so.
        let a = one(&m, 301, "G", "A");
        assert_eq!(a.class, VariantClass::Exonic);
        assert!(a.note.contains("exonic splice region"), "{}", a.note);
        // The transcript's outer ends are not splice sites.
        assert!(!one(&m, 100, "G", "A").note.contains("splice"));
        assert!(m.annotate_raw("1", 99, "G", "A").is_empty());
        assert!(m.annotate_raw("2", 150, "G", "A").is_empty());
    }

    #[test]
    fn snv_classes_minus_strand() {
        let m = model(Strand::Minus, None);
        // Exon 1 is 500-599; its donor is 499/498 on the minus strand.
        let a = one(&m, 498, "G", "A");
        assert_eq!(
            (a.class, a.splice_site_of_exon, a.intron),
            (VariantClass::SpliceSite, Some(1), Some((1, 2)))
        );
        // Exon 2 (300-349) acceptor is 350/351.
        let a = one(&m, 351, "G", "A");
        assert_eq!(
            (a.class, a.splice_site_of_exon),
            (VariantClass::SpliceSite, Some(2))
        );
        let a = one(&m, 120, "G", "A");
        assert_eq!(a.exon, Some((3, 3)));
    }

    #[test]
    fn indels() {
        let m = model(Strand::Plus, None);
        assert_eq!(
            one(&m, 150, "ACGT", "A").class,
            VariantClass::InframeDeletion
        );
        assert_eq!(one(&m, 150, "AC", "A").class, VariantClass::Frameshift);
        assert_eq!(
            one(&m, 150, "A", "ACGT").class,
            VariantClass::InframeInsertion
        );
        assert_eq!(one(&m, 150, "A", "AC").class, VariantClass::Frameshift);
        assert_eq!(one(&m, 150, "ACG", "T").class, VariantClass::Frameshift);
        assert_eq!(one(&m, 150, "ACGT", "G").class, VariantClass::InframeDelins);
        assert_eq!(one(&m, 150, "AC", "GT").class, VariantClass::Exonic);
        // Deletion across the exon 1 / intron 1 boundary.
        let a = one(&m, 195, "ACGTACGT", "A");
        assert_eq!(
            (a.class, a.splice_site_of_exon),
            (VariantClass::SpliceSite, Some(1))
        );
        // Deletion of all of exon 2 touches its acceptor (and donor): exon 2.
        let a = one(&m, 280, &"A".repeat(100), "A");
        assert_eq!(
            (a.class, a.splice_site_of_exon),
            (VariantClass::SpliceSite, Some(2))
        );
        assert!(a.note.contains("removes all of exon 2"), "{}", a.note);
        // Insertions inside the donor dinucleotide (between +1 and +2) vs after +2.
        let a = one(&m, 200, "G", "GA");
        assert_eq!(
            (a.class, a.splice_site_of_exon),
            (VariantClass::SpliceSite, Some(1))
        );
        assert_eq!(one(&m, 201, "G", "GA").class, VariantClass::SpliceRegion);
        assert_eq!(one(&m, 199, "G", "GA").class, VariantClass::SpliceRegion);
        // Insertion exactly at the transcript's outer end is not in the transcript.
        assert!(m.annotate_raw("1", 599, "G", "GA").is_empty());
        // Symbolic alleles still name the gene but infer nothing.
        assert_eq!(one(&m, 150, "A", "<DEL>").class, VariantClass::Unknown);
        assert!(m.annotate_raw("1", 150, "A", "A").is_empty());
    }

    #[test]
    fn anchored_numbering() {
        // c.1 at transcript base 11 (genomic 110): 5' UTR before, start codon c.1-3.
        let anchor = CdsAnchor {
            pos: 110,
            cds: 1,
            c1_transcript_base: 11,
        };
        let m = model(Strand::Plus, Some(anchor));
        let a = one(&m, 105, "A", "G");
        assert_eq!(
            (a.class, a.cds_position, a.codon),
            (VariantClass::NonCoding, Some(-5), None)
        );
        assert_eq!(one(&m, 112, "A", "G").class, VariantClass::StartLost);
        let a = one(&m, 302, "A", "G");
        assert_eq!((a.cds_position, a.codon), (Some(93), Some(31)));
        let a = one(&m, 203, "A", "G");
        assert!(a.note.contains("c.90+4"), "{}", a.note);
    }
}
