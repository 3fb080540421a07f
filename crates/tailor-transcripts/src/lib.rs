//! GRCh38 gene / transcript / exon model for annotating raw somatic variants and mapping
//! copy-number segments to genes.
//!
//! A raw VCF (no VEP CSQ, no snpEff ANN) still deserves a gene, a MANE transcript, an exon
//! number and an in-frame/frameshift call, because many targeted-therapy rules are written
//! at that level (EGFR exon 19 in-frame deletions, MET exon 14 splice sites). Transcript and
//! genome *sequence* and *CDS bounds* are not available offline, so this crate infers only
//! what exon coordinates and allele lengths can tell, and says so in every annotation.
//!
//! # Sources
//! * MANE v1.5 summary: gene symbol, NM/NP, ENST, chromosome (RefSeq `NC_` accession,
//!   mapped to `1`..`22`, `X`, `Y` and checked to be the GRCh38 version), span, strand.
//!   MANE Select transcripts are annotated; MANE Plus Clinical ones are kept, marked
//!   [`ManeStatus::PlusClinical`], reachable by their ENST/NM, without exons. Rows on
//!   alternate loci/patches (`NT_`, `NW_`) are skipped and counted.
//! * GENCODE v44 MANE Select exons (BED, 0-based half-open, converted to 1-based inclusive),
//!   joined to MANE by ENST without version. A transcript's exons are kept only if the exon
//!   numbers are exactly 1..n, all on the MANE chromosome, non-overlapping and ordered along
//!   the strand (exon 1 lowest on `+`, highest on `-`); otherwise they are dropped and the
//!   reason listed in [`LoadStats::rejected_exon_models`]. When the exons do not reach the
//!   MANE span ends exactly the transcript is listed in [`LoadStats::span_mismatch`] and its
//!   span widened to cover them.
//! * GENCODE v44 genes: every `protein_coding` gene becomes a [`GeneSpan`] (named by MANE's
//!   symbol when the Ensembl gene id has a MANE Select transcript); MANE Select NM_ genes not
//!   listed there are added with their MANE transcript span.
//!
//! Coordinates are 1-based inclusive; chromosome names are compared after
//! [`tailor_core::normalize_chrom`] (so `chr7` and `7` are the same).
//!
//! # Consequence rules of [`TranscriptModel::annotate_raw`]
//! The allele is first trimmed: the bases REF and ALT share at the end, then at the start
//! (the VCF anchor base), are removed ([`trim_allele`]). What remains is either a
//! replacement of REF bases `[s, e]` (SNV, MNV, deletion, delins) or an insertion between
//! two adjacent bases. Each MANE Select transcript whose span contains the allele gets one
//! [`RawAnnotation`] (an insertion must lie strictly inside the span). Intergenic alleles
//! give an empty list; REF equal to ALT gives an empty list.
//!
//! Terms, in transcript orientation (strand-aware): intron *k* lies between exon *k* and
//! exon *k+1*. Its first two bases (+1, +2) are the **donor** dinucleotide of exon *k*; its
//! last two (-2, -1) are the **acceptor** dinucleotide of exon *k+1*. The outer ends of the
//! first and last exon are transcript ends, not splice sites.
//!
//! 1. **Canonical splice site.** A replacement that touches any donor or acceptor
//!    dinucleotide is [`VariantClass::SpliceSite`], whatever its length; this includes every
//!    deletion spanning an exon/intron boundary and every deletion of a whole exon.
//!    `splice_site_of_exon` is the exon owning the touched site (the lowest number when
//!    several are touched). An insertion is a splice site only when both flanking bases are
//!    inside one dinucleotide (between +1 and +2, or between -2 and -1).
//! 2. **Exonic.** A replacement entirely in exons (and not touching a site) is classed by
//!    its length change Δ = |ALT| − |REF| after trimming: Δ = 0 (SNV, MNV) →
//!    [`VariantClass::Exonic`]; Δ not a multiple of 3 → [`VariantClass::Frameshift`];
//!    otherwise [`VariantClass::InframeDeletion`] (pure deletion),
//!    [`VariantClass::InframeInsertion`] (pure insertion inside one exon) or
//!    [`VariantClass::InframeDelins`] (both). Exonic means "in an exon of the MANE
//!    transcript": without CDS bounds a 5' or 3' UTR base cannot be told from a coding one,
//!    except when the gene has a CDS anchor (rule 6).
//! 3. **Exonic splice region.** Exonic bases 1-3 bp from an *internal* exon boundary are in
//!    the splice region; the class from rule 2 is kept (it is the more severe one) and the
//!    note says "exonic splice region".
//! 4. **Intronic.** A replacement entirely inside one intron is
//!    [`VariantClass::SpliceRegion`] when its nearest base is 3-8 bp from the exon, else
//!    [`VariantClass::NonCoding`]; the same distances apply to insertions between two
//!    intronic bases (distance of the nearer flank).
//! 5. **Junction insertions.** An insertion exactly between the last/first exonic base and
//!    the intronic ±1 base leaves the canonical dinucleotide intact but changes the exon
//!    end, which cannot be judged without sequence: [`VariantClass::SpliceRegion`], with a
//!    note.
//! 6. **CDS anchor.** When the gene has an anchor ([`TranscriptModel::add_anchor`]), exonic
//!    alleles also get `cds_position` (c. of the 5'-most exonic base) and `codon`
//!    (`(c + 2) / 3` for c ≥ 1); an exonic allele entirely before c.1 becomes
//!    [`VariantClass::NonCoding`] (5' UTR); one touching c.1-c.3 becomes
//!    [`VariantClass::StartLost`] (every change of the ATG start codon loses it);
//!    intronic alleles get their c. coordinate (`c.3028+1`) in the note. The CDS *end* is
//!    unknown, so 3' UTR bases get c. numbers past the stop codon and stay Exonic.
//!    Positions are those of the allele as given (VCF, left-aligned on the genome), not
//!    HGVS's 3'-shifted ones: in a repeat the two differ (EGFR `7:55174771:AGGAATTAAGAGAAGC:A`
//!    starts at c.2235, codon 745, while HGVS writes c.2236_2250del / p.E746_A750del), so
//!    codon-level matching of indels must allow for the shift.
//! 7. **Cannot tell.** Symbolic or non-base alleles (`<DEL>`, `*`, `.`) and transcripts
//!    without an exon model give [`VariantClass::Unknown`] with the reason in the note.
//!
//! Missense, nonsense and synonymous cannot be told apart without sequence; those come from
//! VEP/snpEff/MAF annotations when present.
//!
//! # CDS anchoring
//! c. positions advance by one per exonic base in transcript order, so one trusted
//! (GRCh38 position, c. position) pair fixes c. numbering for the whole MANE transcript
//! ([`TranscriptModel::add_anchor`]). A second pair for the same gene must put c.1 on the
//! same transcript base ([`TranscriptModel::check_anchor`] reports an
//! [`AnchorError::Conflict`] otherwise). [`TranscriptModel::add_anchors_from_variant_keys`]
//! reads the team's `kb/onco/variant_keys.tsv` and anchors from its single-base
//! substitution rows after checking their bases against the strand.
//!
//! # Storage
//! [`TranscriptModel`] serialises its data only (transcripts with flat exon vectors, gene
//! spans, load statistics); the per-chromosome interval indexes and the name map are
//! rebuilt on deserialisation. Lookups are a binary search per chromosome over intervals
//! sorted by start with a running maximum of ends.
//!
//! ```no_run
//! use std::path::Path;
//! use tailor_transcripts::{TranscriptModel, TranscriptSources};
//! let sources = TranscriptSources::from_shared_data(Path::new("../shared/data"));
//! let mut model = TranscriptModel::load(&sources)?;
//! model.add_anchor("BRAF", 140_753_336, 1799)?;
//! let ann = model.annotate_raw("chr7", 140_753_336, "A", "T");
//! assert_eq!(ann[0].exon, Some((15, 18)));
//! assert_eq!(ann[0].codon, Some(600));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

mod anchor;
mod annotate;
mod error;
mod load;
mod model;

pub use anchor::{
    parse_cds_substitution, AnchorCheck, AnchorReport, AnchorRowIssue, CdsSubstitution,
};
pub use annotate::{trim_allele, RawAnnotation, TrimmedAllele};
pub use error::{AnchorError, TranscriptError};
pub use load::{chrom_from_accession, TranscriptSources};
pub use model::{
    BaseLocation, CdsAnchor, CdsCoordinate, Exon, GeneSpan, GeneSpanSource, LoadStats, ManeStatus,
    Strand, Transcript, TranscriptModel,
};
