//! HGVS protein changes, read from whatever form an annotator or a MAF wrote them in.
//!
//! VEP writes `ENSP00000493543.1:p.Val600Glu`, vcf2maf `p.V600E`, old TCGA MAFs
//! `p.R132H`, `p.A123fs`, `p.E746in_frame_del` or `e12+1`, and curated tables plain
//! `V600E`. The knowledge base keys everything on one short one-letter form without
//! `p.` (`V600E`, `E746_A750del`, `L747_P753delinsS`, `Q61*`, `L189Cfs*2`,
//! `X165_splice`), so every input is parsed into a [`ProteinChange`] whose
//! [`short`](ProteinChange::short) form is canonical: equivalent inputs give identical
//! strings.

use std::fmt::Write;

use tailor_core::somatic::VariantClass;

/// What a protein change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProteinChangeKind {
    /// One residue replaced by another (`V600E`).
    Missense,
    /// A residue replaced by a stop (`R1114*`).
    Nonsense,
    /// No amino-acid change (`T125=`).
    Synonymous,
    /// Frameshift (`L189Cfs*2`, `L189fs`).
    Frameshift,
    /// In-frame deletion of one or more residues (`E746_A750del`).
    InframeDeletion,
    /// In-frame insertion or duplication (`D770_N771insSVD`, `A767_V769dup`).
    InframeInsertion,
    /// Deletion-insertion (`L747_P753delinsS`).
    Delins,
    /// Loss of the start codon (`M1?`).
    StartLost,
    /// Loss of the stop codon, usually extending the protein (`*757Lext*?`).
    StopLost,
    /// A splice-site change named at protein level (`X165_splice`, legacy `e12+1`).
    Splice,
    /// The effect on the protein is unknown (`?`).
    Unknown,
}

/// A protein change, parsed from HGVS (three- or one-letter) or legacy TCGA notation.
///
/// ```
/// use tailor_genome::protein::{parse_protein, ProteinChangeKind};
/// let braf = parse_protein("p.Val600Glu").unwrap();
/// assert_eq!(braf.short(), "V600E");
/// assert_eq!(braf.kind, ProteinChangeKind::Missense);
/// assert_eq!(braf.codon(), Some(('V', 600)));
/// assert_eq!(parse_protein("V600E").unwrap(), braf);
/// assert_eq!(parse_protein("p.Leu189CysfsTer2").unwrap().short(), "L189Cfs*2");
/// assert!(parse_protein("p.V600").is_ok(), "legacy TCGA silent form");
/// assert!(parse_protein("BRAF mutation").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProteinChange {
    /// What the change does.
    pub kind: ProteinChangeKind,
    /// The first affected residue, one letter (`*` for a stop, `X` when not stated as in
    /// `X165_splice`).
    pub start_aa: char,
    /// Its position (codon number); 0 only for legacy exon-boundary splice notation.
    pub start: u32,
    /// The last affected residue and its position for ranges (`E746_A750del`).
    pub end: Option<(char, u32)>,
    /// One-letter residues that come in: the new residue of a missense or frameshift
    /// (may be empty for `fs`), the inserted residues of `ins`/`delins`, `*` for a
    /// nonsense change, the new residue of a stop loss; empty otherwise.
    pub alt: String,
    /// For frameshifts and extensions: where the new stop falls, as written after
    /// `*`/`Ter`/`X` (`"2"`, `"?"`), or `"-5"` for an N-terminal extension; `None` when
    /// not given (`L189fs`).
    pub tail: Option<String>,
    /// True for a duplication (`A767_V769dup`), whose kind is
    /// [`InframeInsertion`](ProteinChangeKind::InframeInsertion).
    pub duplication: bool,
    /// Legacy TCGA splice notation `e12+1`: exon number and intronic offset.
    pub exon_boundary: Option<(u32, i32)>,
}

/// Why a protein change could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read protein change {text:?}: {reason}")]
pub struct ProteinError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Parses a protein change in any of the accepted notations (see [`ProteinChange`]).
/// An optional protein accession prefix (`ENSP00000493543.1:`) and `p.` are dropped,
/// and predicted changes in parentheses (`p.(Val600Glu)`) read like observed ones.
pub fn parse_protein(text: &str) -> Result<ProteinChange, ProteinError> {
    let fail = |reason: &str| ProteinError {
        text: text.to_string(),
        reason: reason.to_string(),
    };
    let mut s = text.trim();
    if let Some((prefix, rest)) = s.split_once(':') {
        if rest.starts_with("p.") && !prefix.is_empty() {
            s = rest;
        }
    }
    s = s.strip_prefix("p.").unwrap_or(s);
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        s = inner;
    }
    if s.is_empty() {
        return Err(fail("it is empty"));
    }
    if s == "?" {
        return Ok(ProteinChange::new(ProteinChangeKind::Unknown, 'X', 0));
    }
    if let Some(change) = legacy_exon_splice(s) {
        return Ok(change);
    }
    Parser { rest: s }.change().map_err(|reason| fail(&reason))
}

impl ProteinChange {
    fn new(kind: ProteinChangeKind, start_aa: char, start: u32) -> Self {
        Self {
            kind,
            start_aa,
            start,
            end: None,
            alt: String::new(),
            tail: None,
            duplication: false,
            exon_boundary: None,
        }
    }

    /// The canonical one-letter form without `p.` (`V600E`, `E746_A750del`,
    /// `L747_P753delinsS`, `A767_V769dup`, `R1114*`, `L189Cfs*2`, `X165_splice`, `M1?`,
    /// `*757Lext*?`, `T125=`).
    pub fn short(&self) -> String {
        let mut out = String::new();
        if let Some((exon, offset)) = self.exon_boundary {
            let _ = write!(out, "e{exon}{offset:+}");
            return out;
        }
        if self.kind == ProteinChangeKind::Unknown && self.start == 0 {
            return "?".to_string();
        }
        let _ = write!(out, "{}{}", self.start_aa, self.start);
        if let Some((aa, pos)) = self.end {
            let _ = write!(out, "_{aa}{pos}");
        }
        match self.kind {
            ProteinChangeKind::Missense | ProteinChangeKind::Nonsense => out.push_str(&self.alt),
            ProteinChangeKind::Synonymous => out.push('='),
            ProteinChangeKind::Frameshift => {
                out.push_str(&self.alt);
                out.push_str("fs");
                if let Some(tail) = &self.tail {
                    let _ = write!(out, "*{tail}");
                }
            }
            ProteinChangeKind::InframeDeletion => out.push_str("del"),
            ProteinChangeKind::InframeInsertion if self.duplication => out.push_str("dup"),
            ProteinChangeKind::InframeInsertion => {
                let _ = write!(out, "ins{}", self.alt);
            }
            ProteinChangeKind::Delins => {
                let _ = write!(out, "delins{}", self.alt);
            }
            ProteinChangeKind::StartLost | ProteinChangeKind::StopLost => {
                out.push_str(&self.alt);
                match &self.tail {
                    Some(tail) if tail.starts_with('-') => {
                        let _ = write!(out, "ext{tail}");
                    }
                    Some(tail) => {
                        let _ = write!(out, "ext*{tail}");
                    }
                    None if self.alt.is_empty() => out.push('?'),
                    None => {}
                }
            }
            ProteinChangeKind::Splice => out.push_str("_splice"),
            ProteinChangeKind::Unknown => out.push('?'),
        }
        out
    }

    /// The first affected residue and its codon number (`('G', 12)` for `G12C`), the key
    /// of codon-level rules; `None` for legacy exon-boundary splice notation and `?`.
    pub fn codon(&self) -> Option<(char, u32)> {
        (self.start > 0).then_some((self.start_aa, self.start))
    }

    /// The span of affected codons, first to last (both equal for single residues).
    pub fn residues(&self) -> (u32, u32) {
        (self.start, self.end.map_or(self.start, |(_, pos)| pos))
    }

    /// The effect class in Tailor's one vocabulary. A delins is classed by what it does
    /// to the length, as VEP and MAF do: `L747_P753delinsS` shortens the protein, so it
    /// is an in-frame deletion (and matches "EGFR exon 19 deletion" rules); a
    /// same-length delins of several residues is [`VariantClass::InframeDelins`], of one
    /// residue a missense.
    pub fn class(&self) -> VariantClass {
        match self.kind {
            ProteinChangeKind::Missense => VariantClass::Missense,
            ProteinChangeKind::Nonsense => VariantClass::Nonsense,
            ProteinChangeKind::Synonymous => VariantClass::Synonymous,
            ProteinChangeKind::Frameshift => VariantClass::Frameshift,
            ProteinChangeKind::InframeDeletion => VariantClass::InframeDeletion,
            ProteinChangeKind::InframeInsertion => VariantClass::InframeInsertion,
            ProteinChangeKind::Delins => {
                let (first, last) = self.residues();
                let deleted = (last.saturating_sub(first) + 1) as usize;
                let inserted = self.alt.chars().count();
                if self.alt.contains('*') {
                    VariantClass::Nonsense
                } else if inserted < deleted {
                    VariantClass::InframeDeletion
                } else if inserted > deleted {
                    VariantClass::InframeInsertion
                } else if deleted == 1 {
                    VariantClass::Missense
                } else {
                    VariantClass::InframeDelins
                }
            }
            ProteinChangeKind::StartLost => VariantClass::StartLost,
            ProteinChangeKind::StopLost => VariantClass::StopLost,
            ProteinChangeKind::Splice => VariantClass::SpliceSite,
            ProteinChangeKind::Unknown => VariantClass::Unknown,
        }
    }
}

impl std::fmt::Display for ProteinChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.short())
    }
}

impl std::str::FromStr for ProteinChange {
    type Err = ProteinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_protein(s)
    }
}

const THREE_LETTER: [(&str, char); 26] = [
    ("Ala", 'A'),
    ("Arg", 'R'),
    ("Asn", 'N'),
    ("Asp", 'D'),
    ("Cys", 'C'),
    ("Gln", 'Q'),
    ("Glu", 'E'),
    ("Gly", 'G'),
    ("His", 'H'),
    ("Ile", 'I'),
    ("Leu", 'L'),
    ("Lys", 'K'),
    ("Met", 'M'),
    ("Phe", 'F'),
    ("Pro", 'P'),
    ("Ser", 'S'),
    ("Thr", 'T'),
    ("Trp", 'W'),
    ("Tyr", 'Y'),
    ("Val", 'V'),
    ("Sec", 'U'),
    ("Pyl", 'O'),
    ("Ter", '*'),
    ("Xaa", 'X'),
    ("Asx", 'B'),
    ("Glx", 'Z'),
];

const ONE_LETTER: &str = "ACDEFGHIKLMNPQRSTVWYUOBZX*";

/// `e12+1` / `e3-2`: old TCGA MAFs name splice-site changes by exon boundary.
fn legacy_exon_splice(s: &str) -> Option<ProteinChange> {
    let rest = s.strip_prefix('e')?;
    let sign_at = rest.find(['+', '-'])?;
    let exon: u32 = rest[..sign_at].parse().ok()?;
    let offset: i32 = rest[sign_at..].parse().ok()?;
    if !rest[..sign_at].bytes().all(|b| b.is_ascii_digit()) || offset == 0 {
        return None;
    }
    let mut change = ProteinChange::new(ProteinChangeKind::Splice, 'X', 0);
    change.exon_boundary = Some((exon, offset));
    Some(change)
}

/// A cursor over the text after `p.`.
struct Parser<'a> {
    rest: &'a str,
}

impl Parser<'_> {
    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// One residue, three-letter (`Val`, `Ter`) or one-letter (`V`, `*`, `X`).
    fn residue(&mut self) -> Option<char> {
        if let Some(code) = self.rest.get(..3) {
            if let Some(&(_, aa)) = THREE_LETTER.iter().find(|(t, _)| *t == code) {
                self.rest = &self.rest[3..];
                return Some(aa);
            }
        }
        let c = self.rest.chars().next()?;
        if ONE_LETTER.contains(c) {
            self.rest = &self.rest[c.len_utf8()..];
            Some(c)
        } else {
            None
        }
    }

    /// A run of residues (inserted sequence); `X` in a new sequence means stop in the
    /// old one-letter convention, so it is written `*`.
    fn residues(&mut self) -> String {
        let mut out = String::new();
        while let Some(aa) = self.residue() {
            out.push(if aa == 'X' { '*' } else { aa });
        }
        out
    }

    fn number(&mut self) -> Option<u32> {
        let end = self
            .rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.rest.len());
        let value = self.rest[..end].parse().ok()?;
        self.rest = &self.rest[end..];
        Some(value)
    }

    /// `*2`, `Ter2`, `X2`, `*?` after `fs`/`ext`, or, where `upstream` allows it (an
    /// extension), `-5` for an N-terminal extension. A frameshift's new stop always lies
    /// downstream, so `fs-5` is refused rather than kept in a form `short` cannot write
    /// back.
    fn tail(&mut self, upstream: bool) -> Result<Option<String>, String> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        if !upstream && self.rest.starts_with('-') {
            return Err(format!(
                "a frameshift's new stop is written `*N` or `*?`, found {:?}",
                self.rest
            ));
        }
        if let Some(rest) = self.rest.strip_prefix('-') {
            self.rest = rest;
            let n = self.number().ok_or("expected a number after '-'")?;
            return Ok(Some(format!("-{n}")));
        }
        if !(self.eat("*") || self.eat("Ter") || self.eat("X")) {
            return Err(format!("unexpected {:?} after the change", self.rest));
        }
        if self.eat("?") {
            return Ok(Some("?".to_string()));
        }
        let n = self
            .number()
            .ok_or("expected the new stop's position or '?'")?;
        Ok(Some(n.to_string()))
    }

    fn done(&self) -> Result<(), String> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(format!("unexpected {:?} at the end", self.rest))
        }
    }

    fn change(mut self) -> Result<ProteinChange, String> {
        use ProteinChangeKind as K;
        // Legacy TCGA writes in-frame changes as `p.TPVSHQSV123in_frame_del`,
        // `p.598in_frame_insL`: several residues (or none) before the position.
        let lead: String = self
            .rest
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || *c == '*')
            .collect();
        let after_lead = &self.rest[lead.len()..];
        if after_lead.starts_with(|c: char| c.is_ascii_digit()) && after_lead.contains("in_frame_")
        {
            return self.legacy_in_frame(&lead);
        }
        let start_aa = self
            .residue()
            .ok_or("expected an amino acid (Val or V) at the start")?;
        let start = self
            .number()
            .ok_or("expected a position after the first amino acid")?;
        if start == 0 {
            return Err("position 0 does not exist".to_string());
        }
        let mut change = ProteinChange::new(K::Unknown, start_aa, start);
        if self.eat("_splice") {
            change.kind = K::Splice;
            return self.done().map(|()| change);
        }
        if self.eat("_") {
            let end_aa = self.residue().ok_or("expected an amino acid after '_'")?;
            let end = self.number().ok_or("expected a position after '_'")?;
            if end <= start {
                return Err(format!("range end {end} is not after its start {start}"));
            }
            change.end = Some((end_aa, end));
            if self.eat("delins") {
                change.kind = K::Delins;
                change.alt = self.residues();
                if change.alt.is_empty() {
                    return Err("delins names no inserted amino acids".to_string());
                }
            } else if self.eat("del") {
                change.kind = K::InframeDeletion;
            } else if self.eat("dup") {
                change.kind = K::InframeInsertion;
                change.duplication = true;
            } else if self.eat("ins") {
                // HGVS puts insertions between adjacent residues; legacy TCGA ITDs
                // (`p.YDL591in_frame_insIR*` -> `Y591_L593insIR*`) span more, so the
                // span is not checked.
                change.kind = K::InframeInsertion;
                change.alt = self.residues();
                if change.alt.is_empty() {
                    return Err("ins names no inserted amino acids".to_string());
                }
            } else {
                return Err(format!(
                    "expected del, dup, ins or delins after the range, found {:?}",
                    self.rest
                ));
            }
            return self.done().map(|()| change);
        }
        if self.rest.is_empty() || self.eat("=") {
            // `p.T123` (legacy TCGA silent) and `p.Thr123=`.
            change.kind = K::Synonymous;
            return self.done().map(|()| change);
        }
        if self.eat("?") {
            change.kind = if start == 1 && start_aa == 'M' {
                K::StartLost
            } else {
                K::Unknown
            };
            return self.done().map(|()| change);
        }
        if self.eat("delins") {
            change.kind = K::Delins;
            change.alt = self.residues();
            if change.alt.is_empty() {
                return Err("delins names no inserted amino acids".to_string());
            }
            return self.done().map(|()| change);
        }
        if self.eat("del") {
            change.kind = K::InframeDeletion;
            return self.done().map(|()| change);
        }
        if self.eat("dup") {
            change.kind = K::InframeInsertion;
            change.duplication = true;
            return self.done().map(|()| change);
        }
        if self.eat("ins") {
            // Legacy insertions name one flanking residue or none (`p.R595in_frame_insSRI`
            // -> `R595insSRI`, `p.598in_frame_insL` -> `X598insL`).
            change.kind = K::InframeInsertion;
            change.alt = self.residues();
            if change.alt.is_empty() {
                return Err("ins names no inserted amino acids".to_string());
            }
            return self.done().map(|()| change);
        }
        if self.eat("fs") {
            change.kind = K::Frameshift;
            change.tail = self.tail(false)?;
            return self.done().map(|()| change);
        }
        if self.eat("ext") {
            return self.extension(change);
        }
        let alt = match self.residue() {
            Some('X') => '*',
            Some(aa) => aa,
            None => return Err(format!("unexpected {:?} after the position", self.rest)),
        };
        if self.eat("fs") {
            change.kind = K::Frameshift;
            change.alt.push(alt);
            change.tail = self.tail(false)?;
            return self.done().map(|()| change);
        }
        if self.eat("ext") {
            change.alt.push(alt);
            return self.extension(change);
        }
        self.done()?;
        let from = if start_aa == 'X' { '*' } else { start_aa };
        change.start_aa = from;
        change.kind = match (from, alt) {
            (a, b) if a == b => K::Synonymous,
            ('*', _) => K::StopLost,
            (_, '*') => K::Nonsense,
            _ => K::Missense,
        };
        if change.kind != K::Synonymous {
            change.alt.push(alt);
        }
        Ok(change)
    }

    fn extension(mut self, mut change: ProteinChange) -> Result<ProteinChange, String> {
        change.kind = if change.start_aa == '*' || change.start_aa == 'X' {
            change.start_aa = '*';
            ProteinChangeKind::StopLost
        } else if change.start == 1 && change.start_aa == 'M' {
            ProteinChangeKind::StartLost
        } else {
            return Err("only a stop codon or Met1 can be extended".to_string());
        };
        change.tail = self.tail(true)?;
        if change.tail.is_none() {
            change.tail = Some("?".to_string());
        }
        self.done().map(|()| change)
    }

    /// `TPVSHQSV123in_frame_del`, `NVE123in_frame_delK`, `E746in_frame_del`,
    /// `YDL123in_frame_insIR*`, `598in_frame_insL` (one-letter residues before the
    /// position are the affected reference residues).
    fn legacy_in_frame(mut self, lead: &str) -> Result<ProteinChange, String> {
        use ProteinChangeKind as K;
        self.rest = &self.rest[lead.len()..];
        let start = self.number().ok_or("expected a position")?;
        if start == 0 {
            return Err("position 0 does not exist".to_string());
        }
        let residues: Vec<char> = lead.chars().collect();
        for &aa in &residues {
            if !ONE_LETTER.contains(aa) {
                return Err(format!("{aa:?} is not an amino acid"));
            }
        }
        let first = residues.first().copied().unwrap_or('X');
        let mut change = ProteinChange::new(K::Unknown, first, start);
        if residues.len() > 1 {
            let last = residues[residues.len() - 1];
            change.end = Some((last, start + residues.len() as u32 - 1));
        }
        if self.eat("in_frame_del") {
            let inserted = self.residues();
            if inserted.is_empty() {
                change.kind = K::InframeDeletion;
            } else {
                change.kind = K::Delins;
                change.alt = inserted;
            }
        } else if self.eat("in_frame_ins") {
            change.kind = K::InframeInsertion;
            change.alt = self.residues();
            if change.alt.is_empty() {
                return Err("in_frame_ins names no inserted amino acids".to_string());
            }
        } else {
            return Err(format!(
                "expected in_frame_del or in_frame_ins, found {:?}",
                self.rest
            ));
        }
        self.done().map(|()| change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProteinChangeKind as K;

    fn short(text: &str) -> String {
        parse_protein(text)
            .unwrap_or_else(|e| panic!("{e}"))
            .short()
    }

    #[test]
    fn equivalent_notations_give_one_short_form() {
        let groups: [(&[&str], &str); 16] = [
            (
                &[
                    "p.Val600Glu",
                    "p.V600E",
                    "V600E",
                    "p.(Val600Glu)",
                    "ENSP00000493543.1:p.Val600Glu",
                ],
                "V600E",
            ),
            (&["p.Gly12Cys", "G12C", "p.(G12C)"], "G12C"),
            (
                &["p.Glu746_Ala750del", "p.E746_A750del", "E746_A750del"],
                "E746_A750del",
            ),
            (
                &["p.Leu747_Pro753delinsSer", "p.L747_P753delinsS"],
                "L747_P753delinsS",
            ),
            (&["p.Ala767_Val769dup", "p.A767_V769dup"], "A767_V769dup"),
            (
                &["p.Asp770_Asn771insSerValAsp", "p.D770_N771insSVD"],
                "D770_N771insSVD",
            ),
            (
                &["p.Arg1114Ter", "p.R1114*", "p.R1114X", "R1114*"],
                "R1114*",
            ),
            (
                &[
                    "p.Leu189CysfsTer2",
                    "p.L189Cfs*2",
                    "p.L189CfsX2",
                    "p.(Leu189CysfsTer2)",
                ],
                "L189Cfs*2",
            ),
            (&["p.L189fs", "p.Leu189fs"], "L189fs"),
            (&["p.X165_splice", "X165_splice"], "X165_splice"),
            (&["p.Met1?", "p.M1?"], "M1?"),
            (
                &[
                    "p.*757Leuext*?",
                    "p.Ter757LeuextTer?",
                    "p.*757Lext*?",
                    "p.X757Lext*?",
                ],
                "*757Lext*?",
            ),
            (&["p.T125=", "p.Thr125=", "p.T125", "p.T125T"], "T125="),
            (&["p.R132H", "p.Arg132His"], "R132H"),
            (&["p.Glu123delinsAspLys", "p.E123delinsDK"], "E123delinsDK"),
            (&["p.Ter757Leu", "p.*757L"], "*757L"),
        ];
        for (inputs, expected) in groups {
            for input in inputs {
                assert_eq!(short(input), expected, "{input}");
            }
        }
    }

    #[test]
    fn kinds_positions_and_classes() {
        let c = parse_protein("p.Glu746_Ala750del").unwrap();
        assert_eq!(c.kind, K::InframeDeletion);
        assert_eq!(c.codon(), Some(('E', 746)));
        assert_eq!(c.end, Some(('A', 750)));
        assert_eq!(c.residues(), (746, 750));
        assert_eq!(c.class(), VariantClass::InframeDeletion);
        let cases = [
            ("p.V600E", K::Missense, VariantClass::Missense),
            ("p.R1114*", K::Nonsense, VariantClass::Nonsense),
            ("p.T125=", K::Synonymous, VariantClass::Synonymous),
            ("p.L189fs", K::Frameshift, VariantClass::Frameshift),
            (
                "p.A767_V769dup",
                K::InframeInsertion,
                VariantClass::InframeInsertion,
            ),
            (
                "p.D770_N771insSVD",
                K::InframeInsertion,
                VariantClass::InframeInsertion,
            ),
            (
                "p.L747_P753delinsS",
                K::Delins,
                VariantClass::InframeDeletion,
            ),
            (
                "p.E746_T751delinsVP",
                K::Delins,
                VariantClass::InframeDeletion,
            ),
            ("p.V600delinsEK", K::Delins, VariantClass::InframeInsertion),
            (
                "p.V600_K601delinsEI",
                K::Delins,
                VariantClass::InframeDelins,
            ),
            ("p.V600delinsE", K::Delins, VariantClass::Missense),
            ("p.M1?", K::StartLost, VariantClass::StartLost),
            ("p.*757Lext*?", K::StopLost, VariantClass::StopLost),
            ("p.X165_splice", K::Splice, VariantClass::SpliceSite),
            ("e12+1", K::Splice, VariantClass::SpliceSite),
            ("p.?", K::Unknown, VariantClass::Unknown),
        ];
        for (text, kind, class) in cases {
            let c = parse_protein(text).unwrap();
            assert_eq!((c.kind, c.class()), (kind, class), "{text}");
        }
        let fs = parse_protein("p.Leu189CysfsTer2").unwrap();
        assert_eq!((fs.alt.as_str(), fs.tail.as_deref()), ("C", Some("2")));
        let dup = parse_protein("p.A767_V769dup").unwrap();
        assert!(dup.duplication);
        assert_eq!(parse_protein("p.Q61*").unwrap().alt, "*");
    }

    #[test]
    fn legacy_tcga_forms() {
        assert_eq!(short("p.E746in_frame_del"), "E746del");
        assert_eq!(short("p.TPVSHQSV123in_frame_del"), "T123_V130del");
        assert_eq!(short("p.NVE10in_frame_delK"), "N10_E12delinsK");
        assert_eq!(short("p.YDL591in_frame_insIR*"), "Y591_L593insIR*");
        assert_eq!(short("p.598in_frame_insL"), "X598insL");
        assert_eq!(short("p.A123fs"), "A123fs");
        assert_eq!(short("e12+1"), "e12+1");
        assert_eq!(short("e2-1"), "e2-1");
        let splice = parse_protein("e12+1").unwrap();
        assert_eq!(splice.codon(), None);
        assert_eq!(splice.exon_boundary, Some((12, 1)));
        assert_eq!(short("p.Met1ext-5"), "M1ext-5");
    }

    #[test]
    fn malformed_changes_are_errors_not_panics() {
        for bad in [
            "",
            "p.",
            "p.V",
            "p.600E",
            "p.Val600",
            "p.V0E",
            "p.V600E1",
            "p.V600Glx1",
            "BRAF",
            "p.E746_A740del",
            "p.E746_A750",
            "p.X5ins",
            "p.D770_N771ins",
            "p.E746_A750delins",
            "p.L189fs*",
            "p.L189fsTer",
            "p.L189fs2",
            "p.V600ext*2",
            "p.Val600Glu)",
            "e12",
            "e+1",
            "p.(",
            "p.Vál600Glu",
            "c.1799T>A",
            "p.V600E fs",
            "p.99999999999V",
            "p.in_frame_del",
        ] {
            match parse_protein(bad) {
                Err(e) => assert!(
                    e.to_string().contains("cannot read protein change"),
                    "{bad}"
                ),
                Ok(c) if bad == "p.Val600" => assert_eq!(c.kind, K::Synonymous),
                Ok(c) => panic!("{bad:?} parsed as {c:?}"),
            }
        }
    }

    /// Found by the `protein` fuzz target: `A61Lfs-2772` parsed as a frameshift whose
    /// short form `A61Lfs*-2772` did not parse back. Only an extension reaches upstream.
    #[test]
    fn a_frameshift_stop_is_never_upstream() {
        for bad in ["A61Lfs-2772", "p.L189Cfs-2", "p.Leu189fs-5"] {
            let e = parse_protein(bad).unwrap_err().to_string();
            assert!(e.contains("new stop"), "{bad}: {e}");
        }
        assert_eq!(short("p.Met1ext-5"), "M1ext-5");
        assert_eq!(short("p.L189Cfs*2"), "L189Cfs*2");
        for text in ["p.Met1ext-5", "p.L189Cfs*2", "p.*757Lext*?"] {
            let once = short(text);
            assert_eq!(short(&once), once, "{text}");
        }
    }
}
