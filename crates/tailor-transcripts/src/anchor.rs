//! CDS anchoring: fixing c. numbering from known (GRCh38 position, c. position) pairs.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tailor_core::normalize_chrom;

use crate::error::{AnchorError, TranscriptError};
use crate::model::{CdsAnchor, Strand, Transcript, TranscriptModel};

/// Outcome of checking an anchor against the gene's current numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorCheck {
    /// The gene had no anchor; this one would set its numbering.
    New,
    /// The gene already has an anchor implying exactly the same numbering.
    Agrees,
}

/// Transcript base of c.1 implied by `cds` at `pos`, checked against the transcript.
fn implied_c1(t: &Transcript, pos: u32, cds: i64) -> Result<i64, AnchorError> {
    if t.exons.is_empty() {
        return Err(AnchorError::NoExonModel {
            gene: t.gene.clone(),
            transcript: t.transcript.clone(),
        });
    }
    if cds == 0 {
        return Err(AnchorError::ZeroCdsPosition {
            gene: t.gene.clone(),
        });
    }
    let base = t
        .transcript_base(pos)
        .ok_or_else(|| AnchorError::NotExonic {
            gene: t.gene.clone(),
            transcript: t.transcript.clone(),
            pos,
        })?;
    // No c.0: c.1 is `cds - 1` bases before a coding anchor, `-cds` bases after a 5' UTR one.
    let c1 = if cds > 0 {
        base - (cds - 1)
    } else {
        base - cds
    };
    let length: i64 = t.exons.iter().map(|e| i64::from(e.len())).sum();
    if c1 < 1 || c1 > length {
        return Err(AnchorError::OutsideTranscript {
            gene: t.gene.clone(),
            transcript: t.transcript.clone(),
            pos,
            cds,
        });
    }
    Ok(c1)
}

impl TranscriptModel {
    /// Checks whether "`pos` is c.`cds` in `gene`'s MANE transcript" is consistent with the
    /// model and with any anchor the gene already has, without changing anything.
    ///
    /// Two anchors agree when they put c.1 on the same transcript base; a different base is
    /// a [`AnchorError::Conflict`], never silently accepted, because one of the two curated
    /// rows must then be wrong.
    pub fn check_anchor(&self, gene: &str, pos: u32, cds: i64) -> Result<AnchorCheck, AnchorError> {
        let t = self
            .gene(gene)
            .ok_or_else(|| AnchorError::UnknownGene(gene.to_owned()))?;
        let c1 = implied_c1(t, pos, cds)?;
        match t.cds_anchor {
            None => Ok(AnchorCheck::New),
            Some(existing) if existing.c1_transcript_base == c1 => Ok(AnchorCheck::Agrees),
            Some(existing) => Err(AnchorError::Conflict {
                gene: t.gene.clone(),
                pos,
                cds,
                existing_pos: existing.pos,
                existing_cds: existing.cds,
                proposed_c1: c1,
                existing_c1: existing.c1_transcript_base,
            }),
        }
    }

    /// Fixes the c. numbering of `gene`'s MANE transcript from one exonic GRCh38 position
    /// and its c. position (`c.1799` -> 1799). Fails when the position is not exonic, the
    /// gene is unknown or has no exons, or an existing anchor implies other numbering.
    pub fn add_anchor(
        &mut self,
        gene: &str,
        pos: u32,
        cds: i64,
    ) -> Result<AnchorCheck, AnchorError> {
        let check = self.check_anchor(gene, pos, cds)?;
        if check == AnchorCheck::New {
            let t = self
                .gene_mut(gene)
                .ok_or_else(|| AnchorError::UnknownGene(gene.to_owned()))?;
            let c1 = implied_c1(t, pos, cds)?;
            t.cds_anchor = Some(CdsAnchor {
                pos,
                cds,
                c1_transcript_base: c1,
            });
        }
        Ok(check)
    }

    /// Removes a gene's anchor (e.g. before re-anchoring from a corrected table).
    pub fn clear_anchor(&mut self, gene: &str) {
        if let Some(t) = self.gene_mut(gene) {
            t.cds_anchor = None;
        }
    }

    /// Anchors genes from the team's `kb/onco/variant_keys.tsv` text (columns
    /// `gene protein hgvsc transcript grch38 grch37 source`, found by header name; `#`
    /// comment lines allowed). `label` names the table in messages.
    ///
    /// Only single-base substitutions with an exonic c. position (`c.1799T>A`, `c.-14C>T`)
    /// anchor: for those the genomic base and the c. base are the same base, so the row
    /// can be checked (REF/ALT must equal the c. bases, complemented on the minus strand).
    /// Indels and intronic/UTR-3' positions are skipped because their VCF position (left
    /// aligned, with an anchor base) and their HGVS position (3' shifted) differ.
    /// Rows that cannot be right (base mismatch, not exonic, conflicting numbering, other
    /// transcript) are listed in [`AnchorReport::rejected`]; the caller decides whether
    /// that fails the KB build.
    pub fn add_anchors_from_variant_keys(
        &mut self,
        label: &Path,
        text: &str,
    ) -> Result<AnchorReport, TranscriptError> {
        let mut report = AnchorReport::default();
        let mut cols: Option<[usize; 4]> = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').map(str::trim).collect();
            let Some(c) = cols else {
                let mut found = [0usize; 4];
                for (slot, name) in found
                    .iter_mut()
                    .zip(["gene", "hgvsc", "transcript", "grch38"])
                {
                    *slot = f.iter().position(|h| *h == name).ok_or_else(|| {
                        TranscriptError::Parse {
                            path: label.to_owned(),
                            line: line_no,
                            message: format!(
                                "header has no column {name:?} (found: {})",
                                f.join(", ")
                            ),
                        }
                    })?;
                }
                cols = Some(found);
                continue;
            };
            let get = |k: usize| f.get(c[k]).copied().unwrap_or("");
            let gene = get(0);
            let issue = |list: &mut Vec<AnchorRowIssue>, reason: String| {
                list.push(AnchorRowIssue {
                    line: line_no,
                    gene: gene.to_owned(),
                    reason,
                });
            };
            let (hgvsc, transcript, key) = (get(1), get(2), get(3));
            if key.is_empty() || key == "-" || hgvsc.is_empty() || hgvsc == "-" {
                issue(&mut report.skipped, "no GRCh38 key or no hgvsc".to_owned());
                continue;
            }
            let Some(sub) = parse_cds_substitution(hgvsc) else {
                issue(
                    &mut report.skipped,
                    format!("{hgvsc} is not an exonic single-base substitution"),
                );
                continue;
            };
            let Some((chrom, pos, r, a)) = parse_key(key) else {
                issue(
                    &mut report.rejected,
                    format!("grch38 key {key:?} is not CHROM:POS:REF:ALT"),
                );
                continue;
            };
            if r.len() != 1 || a.len() != 1 {
                issue(
                    &mut report.rejected,
                    format!("{hgvsc} is a substitution but key {key} is not a single-base change"),
                );
                continue;
            }
            let Some(t) = self.gene(gene) else {
                issue(&mut report.rejected, format!("unknown gene {gene:?}"));
                continue;
            };
            if !transcript.is_empty()
                && transcript != "-"
                && self.gene(transcript).map(|x| &x.transcript) != Some(&t.transcript)
            {
                issue(
                    &mut report.rejected,
                    format!(
                        "transcript {transcript} is not {gene}'s MANE Select ({} / {})",
                        t.transcript, t.refseq
                    ),
                );
                continue;
            }
            if normalize_chrom(chrom) != t.chrom {
                issue(
                    &mut report.rejected,
                    format!(
                        "key {key} is on chromosome {chrom}, {gene} is on {}",
                        t.chrom
                    ),
                );
                continue;
            }
            let (r, a) = (r.as_bytes()[0], a.as_bytes()[0]);
            let (want_r, want_a) = match t.strand {
                Strand::Plus => (sub.reference, sub.alternate),
                Strand::Minus => (complement(sub.reference), complement(sub.alternate)),
            };
            if !r.eq_ignore_ascii_case(&want_r) || !a.eq_ignore_ascii_case(&want_a) {
                issue(
                    &mut report.rejected,
                    format!(
                        "key {key} does not match {hgvsc} on the {} strand (expected {}>{})",
                        t.strand.symbol(),
                        want_r as char,
                        want_a as char
                    ),
                );
                continue;
            }
            let gene_name = t.gene.clone();
            match self.add_anchor(&gene_name, pos, sub.position) {
                Ok(AnchorCheck::New) => report.anchored.push(gene_name),
                Ok(AnchorCheck::Agrees) => report.agreed += 1,
                Err(e) => issue(&mut report.rejected, e.to_string()),
            }
        }
        if cols.is_none() {
            return Err(TranscriptError::Parse {
                path: label.to_owned(),
                line: 0,
                message: "no header line".to_owned(),
            });
        }
        Ok(report)
    }
}

/// What [`TranscriptModel::add_anchors_from_variant_keys`] did with each row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorReport {
    /// Genes newly anchored, in table order.
    pub anchored: Vec<String>,
    /// Rows that confirmed an existing anchor.
    pub agreed: usize,
    /// Rows that cannot serve as anchors (indels, intronic positions, missing keys); not errors.
    pub skipped: Vec<AnchorRowIssue>,
    /// Rows that contradict the model or another row; at least one of them is wrong.
    pub rejected: Vec<AnchorRowIssue>,
}

/// One table row that was skipped or rejected, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorRowIssue {
    /// 1-based line in the table.
    pub line: usize,
    /// The row's gene.
    pub gene: String,
    /// Why.
    pub reason: String,
}

/// A single-base substitution at an exonic c. position (`c.1799T>A`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CdsSubstitution {
    /// c. position (negative in the 5' UTR; never 0).
    pub position: i64,
    /// Reference base (upper case) on the transcript strand.
    pub reference: u8,
    /// Alternate base (upper case) on the transcript strand.
    pub alternate: u8,
}

/// Parses `c.1799T>A` (optionally prefixed by `NM_...:`) into a substitution; `None` for
/// anything else (indels, intronic offsets like `c.3028+1G>A`, 3' UTR `c.*5A>G`).
///
/// ```
/// use tailor_transcripts::parse_cds_substitution;
/// let s = parse_cds_substitution("NM_004333.6:c.1799T>A").unwrap();
/// assert_eq!((s.position, s.reference, s.alternate), (1799, b'T', b'A'));
/// assert!(parse_cds_substitution("c.3028+1G>A").is_none());
/// assert!(parse_cds_substitution("c.2235_2249del").is_none());
/// ```
pub fn parse_cds_substitution(hgvsc: &str) -> Option<CdsSubstitution> {
    let body = hgvsc.rsplit_once(':').map_or(hgvsc, |(_, b)| b);
    let body = body.strip_prefix("c.")?;
    let (left, alt) = body.split_once('>')?;
    let alt = alt.as_bytes();
    let ref_base = *left.as_bytes().last()?;
    let number = left.get(..left.len() - 1)?;
    let position: i64 = number.parse().ok()?;
    let is_base = |b: u8| matches!(b.to_ascii_uppercase(), b'A' | b'C' | b'G' | b'T');
    if position == 0 || alt.len() != 1 || !is_base(ref_base) || !is_base(alt[0]) {
        return None;
    }
    Some(CdsSubstitution {
        position,
        reference: ref_base.to_ascii_uppercase(),
        alternate: alt[0].to_ascii_uppercase(),
    })
}

fn parse_key(key: &str) -> Option<(&str, u32, &str, &str)> {
    let mut it = key.split(':');
    let (chrom, pos, r, a) = (it.next()?, it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || r.is_empty() || a.is_empty() {
        return None;
    }
    Some((chrom, pos.parse().ok()?, r, a))
}

fn complement(b: u8) -> u8 {
    match b {
        b'A' => b'T',
        b'T' => b'A',
        b'C' => b'G',
        b'G' => b'C',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::toy;
    use crate::model::ModelData;

    fn model() -> TranscriptModel {
        let mut minus = toy(Strand::Minus);
        minus.gene = "NEG".into();
        minus.gene_id = "ENSG00000000002.1".into();
        minus.transcript = "ENST00000000002.3".into();
        minus.refseq = "NM_000002.2".into();
        TranscriptModel::from_data(ModelData {
            transcripts: vec![toy(Strand::Plus), minus],
            ..ModelData::default()
        })
    }

    #[test]
    fn anchors_agree_or_conflict() {
        let mut m = model();
        assert_eq!(m.add_anchor("TOY", 110, 1), Ok(AnchorCheck::New));
        // Exon 2 starts at transcript base 101 = c.91: same numbering.
        assert_eq!(m.check_anchor("TOY", 300, 91), Ok(AnchorCheck::Agrees));
        assert!(matches!(
            m.check_anchor("TOY", 300, 92),
            Err(AnchorError::Conflict {
                existing_cds: 1,
                ..
            })
        ));
        assert!(matches!(
            m.add_anchor("TOY", 250, 5),
            Err(AnchorError::NotExonic { .. })
        ));
        assert!(matches!(
            m.add_anchor("TOY", 110, 0),
            Err(AnchorError::ZeroCdsPosition { .. })
        ));
        assert!(matches!(
            m.add_anchor("NOPE", 110, 1),
            Err(AnchorError::UnknownGene(_))
        ));
        // c.50 at transcript base 5 would put c.1 before the transcript.
        assert!(matches!(
            m.add_anchor("NEG", 595, 50),
            Err(AnchorError::OutsideTranscript { .. })
        ));
        assert_eq!(m.cds_position("TOY", 300), Some(91));
        assert_eq!(m.codon("TOY", 300), Some(31));
        m.clear_anchor("TOY");
        assert_eq!(m.cds_position("TOY", 300), None);
    }

    #[test]
    fn variant_keys_fixture() {
        let mut m = model();
        // NEG is on the minus strand: exon 1 = 500-599, so 590 is transcript base 10.
        let table = "# fixture in the variant_keys.tsv schema\n\
gene\tprotein\thgvsc\ttranscript\tgrch38\tgrch37\tsource\n\
NEG\tX4Y\tc.10A>G\tENST00000000002\t1:590:T:C\t-\tfixture\n\
NEG\tX2Y\tc.4G>A\tNM_000002.2\t1:596:C:T\t-\tfixture (agrees)\n\
NEG\tX3Y\tc.7G>A\t-\t1:596:C:T\t-\tfixture (conflict)\n\
NEG\tX5del\tc.13_15del\t-\t1:585:TAAA:T\t-\tfixture (indel)\n\
NEG\tX6Y\tc.11A>G\t-\t1:589:A:G\t-\tfixture (strand)\n\
NEG\tX7Y\tc.11A>G\tENST00000000001\t1:589:T:C\t-\tfixture (other transcript)\n\
TOY\tM1?\tc.1A>G\t-\t-\t1:1:A:G\tfixture (no grch38)\n";
        let report = m
            .add_anchors_from_variant_keys(Path::new("variant_keys.tsv"), table)
            .unwrap();
        assert_eq!(report.anchored, vec!["NEG".to_owned()]);
        assert_eq!(report.agreed, 1);
        let rejected: Vec<usize> = report.rejected.iter().map(|r| r.line).collect();
        assert_eq!(rejected, vec![5, 7, 8], "{:?}", report.rejected);
        assert_eq!(report.skipped.len(), 2);
        assert_eq!(m.cds_position("NEG", 590), Some(10));
        assert_eq!(m.cds_position("NEG", 599), Some(1));
        assert!(m
            .add_anchors_from_variant_keys(Path::new("v.tsv"), "gene\thgvsc\n")
            .unwrap_err()
            .to_string()
            .contains("v.tsv:1:"));
    }
}
