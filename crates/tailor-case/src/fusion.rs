//! Gene fusions from RNA (or DNA) fusion callers.
//!
//! The format is sniffed from the header so a pipeline can pass whatever its caller
//! wrote: PCGR's `FusionGene LeftBreakpoint RightBreakpoint SplitReads` TSV, Arriba's
//! `fusions.tsv`, STAR-Fusion's `star-fusion.fusion_predictions(.abridged).tsv`, or a
//! minimal `gene5 gene3` list. Every form becomes a [`FusionRecord`] with the 5' partner
//! first, because kinase fusions (EML4--ALK, ...) are matched by partner orientation.
//!
//! Supporting reads are summed per caller: PCGR `SplitReads`; Arriba `split_reads1 +
//! split_reads2 + discordant_mates`; STAR-Fusion `JunctionReadCount + SpanningFragCount`.

use std::io::Read;
use std::path::Path;

use tailor_core::normalize_chrom;
use tailor_core::position::parse_position;

use crate::error::{CaseError, Shown};
use crate::text::{check_width, is_missing, Header, Lines, Separator};

/// Which tool (file layout) a fusion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FusionCaller {
    /// PCGR input TSV: `FusionGene LeftBreakpoint RightBreakpoint SplitReads`.
    Pcgr,
    /// Arriba `fusions.tsv`.
    Arriba,
    /// STAR-Fusion `fusion_predictions.tsv` (abridged or full, with or without coding effect).
    StarFusion,
    /// A two-column `gene5 gene3` list (header required).
    Minimal,
}

/// One fusion call.
#[derive(Debug, Clone, PartialEq)]
pub struct FusionRecord {
    /// 1-based line in the file.
    pub line: usize,
    /// 5' partner gene symbol; `None` when the caller reports a rearrangement of the
    /// other gene with an unknown partner (PCGR `--ALK`). At least one partner is known.
    pub gene5: Option<String>,
    /// 3' partner gene symbol; `None` for an unknown partner (PCGR `FGFR2--`).
    pub gene3: Option<String>,
    /// 5' breakpoint (normalised chromosome, position).
    pub breakpoint5: Option<(String, u64)>,
    /// 3' breakpoint (normalised chromosome, position).
    pub breakpoint3: Option<(String, u64)>,
    /// Reads supporting the fusion (see the module documentation for what is summed).
    pub supporting_reads: Option<u32>,
    /// Reading frame as the caller reported it (Arriba `in-frame`/`out-of-frame`,
    /// STAR-Fusion `INFRAME`/`FRAMESHIFT`).
    pub reading_frame: Option<String>,
    /// Caller confidence (Arriba `high`/`medium`/`low`).
    pub confidence: Option<String>,
    /// The file layout the record was read from.
    pub caller: FusionCaller,
    /// What the reader had to decide (e.g. which of several intergenic neighbour genes it
    /// kept), so the report can show it.
    pub notes: Vec<String>,
}

/// Reads a fusion file (plain or gzip), sniffing the layout from its header.
///
/// ```no_run
/// let fusions = tailor_case::fusion::read_fusions(std::path::Path::new("fusions.tsv"))?;
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_fusions(path: &Path) -> Result<Vec<FusionRecord>, CaseError> {
    parse(Lines::open(path)?)
}

/// Like [`read_fusions`], from any reader; `source` names it in errors.
///
/// ```
/// let text = "FusionGene\tLeftBreakpoint\tRightBreakpoint\tSplitReads\nEML4--ALK\t2:42295554\t2:29223528\t100\n";
/// let f = tailor_case::fusion::read_fusions_from(text.as_bytes(), std::path::Path::new("mem"))?;
/// assert_eq!((f[0].gene5.as_deref(), f[0].gene3.as_deref()), (Some("EML4"), Some("ALK")));
/// assert_eq!(f[0].breakpoint3, Some(("2".to_string(), 29223528)));
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_fusions_from<R: Read + 'static>(
    reader: R,
    source: &Path,
) -> Result<Vec<FusionRecord>, CaseError> {
    parse(Lines::from_reader(reader, source)?)
}

/// Column positions for one layout.
struct Layout {
    caller: FusionCaller,
    /// `A--B` name column (PCGR, STAR-Fusion).
    name: Option<usize>,
    gene5: Option<usize>,
    gene3: Option<usize>,
    bp5: Option<usize>,
    bp3: Option<usize>,
    /// Columns whose integer values are summed into `supporting_reads`.
    reads: Vec<usize>,
    frame: Option<usize>,
    confidence: Option<usize>,
    /// Arriba `strand1(gene/fusion)`: a `.` after the slash means the orientation is unknown.
    strand5: Option<usize>,
}

impl Layout {
    fn sniff(header: &Header, path: &Path) -> Result<Layout, CaseError> {
        let has = |n: &str| header.find(&[n]).is_some();
        if has("FusionGene") {
            Ok(Layout {
                caller: FusionCaller::Pcgr,
                name: header.find(&["FusionGene"]),
                gene5: None,
                gene3: None,
                bp5: Some(header.require(path, &["LeftBreakpoint"])?),
                bp3: Some(header.require(path, &["RightBreakpoint"])?),
                reads: header.find(&["SplitReads"]).into_iter().collect(),
                frame: None,
                confidence: None,
                strand5: None,
            })
        } else if has("gene1") && has("gene2") && has("breakpoint1") {
            Ok(Layout {
                caller: FusionCaller::Arriba,
                name: None,
                gene5: header.find(&["gene1"]),
                gene3: header.find(&["gene2"]),
                bp5: header.find(&["breakpoint1"]),
                bp3: Some(header.require(path, &["breakpoint2"])?),
                reads: ["split_reads1", "split_reads2", "discordant_mates"]
                    .iter()
                    .filter_map(|n| header.find(&[n]))
                    .collect(),
                frame: header.find(&["reading_frame"]),
                confidence: header.find(&["confidence"]),
                strand5: header.find(&["strand1(gene/fusion)"]),
            })
        } else if has("FusionName") {
            Ok(Layout {
                caller: FusionCaller::StarFusion,
                name: header.find(&["FusionName"]),
                gene5: header.find(&["LeftGene"]),
                gene3: header.find(&["RightGene"]),
                bp5: header.find(&["LeftBreakpoint"]),
                bp3: header.find(&["RightBreakpoint"]),
                reads: ["JunctionReadCount", "SpanningFragCount"]
                    .iter()
                    .filter_map(|n| header.find(&[n]))
                    .collect(),
                frame: header.find(&["PROT_FUSION_TYPE"]),
                confidence: None,
                strand5: None,
            })
        } else if let (Some(g5), Some(g3)) = (
            header.find(&["gene5", "gene_5", "5'gene", "five_prime_gene", "gene5p"]),
            header.find(&["gene3", "gene_3", "3'gene", "three_prime_gene", "gene3p"]),
        ) {
            Ok(Layout {
                caller: FusionCaller::Minimal,
                name: None,
                gene5: Some(g5),
                gene3: Some(g3),
                bp5: None,
                bp3: None,
                reads: Vec::new(),
                frame: None,
                confidence: None,
                strand5: None,
            })
        } else {
            Err(CaseError::line_error(
                path,
                header.line,
                None,
                "unknown fusion file layout: expected a PCGR (`FusionGene LeftBreakpoint RightBreakpoint SplitReads`), \
                 Arriba (`#gene1 gene2 ... breakpoint1 breakpoint2`), STAR-Fusion (`#FusionName ... LeftBreakpoint`) \
                 or `gene5 gene3` header",
            ))
        }
    }
}

fn parse(mut lines: Lines) -> Result<Vec<FusionRecord>, CaseError> {
    let path = lines.path().to_path_buf();
    // The header of Arriba and STAR-Fusion starts with `#`; `##` lines are comments.
    let (header, sep) = loop {
        match lines.next_line()? {
            None => return Err(CaseError::file_error(&path, "empty fusion file")),
            Some((_, l)) if l.trim().is_empty() || l.starts_with("##") => continue,
            Some((n, l)) => {
                let l = l.strip_prefix('#').unwrap_or(l);
                let sep = Separator::sniff(l);
                break (Header::new(&sep.split(l), n), sep);
            }
        }
    };
    let layout = Layout::sniff(&header, &path)?;
    let mut out = Vec::new();
    while let Some((n, line)) = lines.next_content_line()? {
        let fields = sep.split(line);
        check_width(&path, n, &fields, &header)?;
        out.push(
            Row {
                path: &path,
                line: n,
                fields: &fields,
                header: &header,
            }
            .record(&layout)?,
        );
    }
    if out.is_empty() {
        return Err(CaseError::line_error(
            &path,
            header.line,
            None,
            "the fusion file has a header but no fusions",
        ));
    }
    Ok(out)
}

struct Row<'a> {
    path: &'a Path,
    line: usize,
    fields: &'a [&'a str],
    header: &'a Header,
}

impl Row<'_> {
    fn error(&self, col: usize, message: impl Into<String>) -> CaseError {
        CaseError::line_error(
            self.path,
            self.line,
            self.header.names.get(col).map(String::as_str),
            message,
        )
    }

    fn opt(&self, col: Option<usize>) -> Option<&str> {
        col.and_then(|c| self.fields.get(c).copied())
            .filter(|v| !is_missing(v))
    }

    fn record(&self, layout: &Layout) -> Result<FusionRecord, CaseError> {
        let mut notes = Vec::new();
        let (gene5, gene3) = match (layout.caller, layout.name) {
            (FusionCaller::Pcgr | FusionCaller::StarFusion, Some(c)) => {
                let name = self
                    .opt(Some(c))
                    .ok_or_else(|| self.error(c, "empty fusion name"))?;
                // An empty side is an unknown partner; a side that is not a symbol is an error.
                let partner = |g: &str| (!g.is_empty()).then(|| g.to_owned());
                let (a, b) = name
                    .split_once("--")
                    .filter(|(a, b)| {
                        (a.is_empty() || valid_gene(a)) && (b.is_empty() || valid_gene(b)) && !(a.is_empty() && b.is_empty())
                    })
                    .ok_or_else(|| self.error(c, format!("expected `GENE5--GENE3` (one side may be empty for an unknown partner), found {}", Shown(name))))?;
                (partner(a), partner(b))
            }
            _ => {
                let g5 = self.gene(layout.gene5, &mut notes)?;
                let g3 = self.gene(layout.gene3, &mut notes)?;
                if g5.is_none() && g3.is_none() {
                    return Err(CaseError::line_error(
                        self.path,
                        self.line,
                        None,
                        "neither fusion partner is named",
                    ));
                }
                (g5, g3)
            }
        };
        if gene5.is_none() || gene3.is_none() {
            notes.push("one fusion partner is unknown".to_owned());
        }
        if let Some(c) = layout.strand5 {
            if let Some(s) = self.opt(Some(c)) {
                if s.split_once('/').is_some_and(|(_, fusion)| fusion == ".") {
                    notes.push(
                        "the caller could not tell the transcribed strand: 5'/3' order as reported"
                            .to_owned(),
                    );
                }
            }
        }
        let mut supporting = None;
        for &c in &layout.reads {
            if let Some(v) = self.opt(Some(c)) {
                let count = v.parse::<u32>().map_err(|_| {
                    self.error(c, format!("expected a read count, found {}", Shown(v)))
                })?;
                supporting = Some(supporting.unwrap_or(0u32).saturating_add(count));
            }
        }
        Ok(FusionRecord {
            line: self.line,
            gene5,
            gene3,
            breakpoint5: self.breakpoint(layout.bp5)?,
            breakpoint3: self.breakpoint(layout.bp3)?,
            supporting_reads: supporting,
            reading_frame: self.opt(layout.frame).map(str::to_owned),
            confidence: self.opt(layout.confidence).map(str::to_owned),
            caller: layout.caller,
            notes,
        })
    }

    /// A gene column: STAR-Fusion `GENE^ENSG...`, Arriba `GENE1(123),GENE2(456)` for
    /// intergenic breakpoints (the first neighbour is kept, with a note).
    /// An empty or `.` field is an unknown partner.
    fn gene(
        &self,
        col: Option<usize>,
        notes: &mut Vec<String>,
    ) -> Result<Option<String>, CaseError> {
        let Some(c) = col else {
            return Ok(None);
        };
        let Some(raw) = self.opt(Some(c)) else {
            return Ok(None);
        };
        let mut parts = raw.split(',');
        let first = parts.next().unwrap_or(raw);
        let symbol = first.split(['^', '(']).next().unwrap_or(first).trim();
        if !valid_gene(symbol) {
            return Err(self.error(c, format!("expected a gene symbol, found {}", Shown(raw))));
        }
        if parts.next().is_some() {
            let column = self
                .header
                .names
                .get(c)
                .map(String::as_str)
                .unwrap_or("gene");
            notes.push(format!(
                "{column} lists several genes ({raw}); kept {symbol}"
            ));
        }
        Ok(Some(symbol.to_owned()))
    }

    /// `2:42295554`, `chr12:6537936:+` -> ("12", 6537936); `.` -> None.
    fn breakpoint(&self, col: Option<usize>) -> Result<Option<(String, u64)>, CaseError> {
        let Some(c) = col else { return Ok(None) };
        let Some(v) = self.opt(Some(c)) else {
            return Ok(None);
        };
        let mut parts = v.split(':');
        let chrom = parts.next().unwrap_or("");
        let pos = parts.next().and_then(|p| parse_position(p).ok());
        let strand_ok = parts.next().is_none_or(|s| matches!(s, "+" | "-" | "."));
        match pos {
            Some(p) if !chrom.is_empty() && strand_ok && parts.next().is_none() => {
                Ok(Some((normalize_chrom(chrom).to_owned(), p)))
            }
            _ => Err(self.error(
                c,
                format!(
                    "expected a breakpoint `chrom:position[:strand]` (position 1 to {}), found {}",
                    tailor_core::position::MAX_POSITION,
                    Shown(v)
                ),
            )),
        }
    }
}

/// A plausible gene symbol: non-empty, no spaces or separators used by the fusion formats.
fn valid_gene(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && !s.contains(|c: char| c.is_whitespace() || matches!(c, ',' | '^' | '(' | ')' | ':'))
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<FusionRecord>, CaseError> {
        read_fusions_from(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            Path::new("f.tsv"),
        )
    }

    #[test]
    fn minimal_layout() {
        let f = read("gene5\tgene3\nTMPRSS2\tERG\n").unwrap();
        assert_eq!(
            (f[0].gene5.as_deref(), f[0].gene3.as_deref(), f[0].caller),
            (Some("TMPRSS2"), Some("ERG"), FusionCaller::Minimal)
        );
        let f = read("gene5\tgene3\n.\tALK\n").unwrap();
        assert_eq!(
            (f[0].gene5.as_deref(), f[0].gene3.as_deref()),
            (None, Some("ALK"))
        );
        let e = read("gene5\tgene3\n.\t.\n").unwrap_err().to_string();
        assert_eq!(e, "f.tsv:2: neither fusion partner is named");
        assert_eq!(f[0].supporting_reads, None);
    }

    #[test]
    fn bad_rows_name_line_and_column() {
        let h = "FusionGene\tLeftBreakpoint\tRightBreakpoint\tSplitReads\n";
        for (row, want) in [
            (
                "EML4-ALK\t2:1\t2:2\t5",
                "f.tsv:2: column `FusionGene`: expected `GENE5--GENE3`",
            ),
            (
                "--\t2:1\t2:2\t5",
                "f.tsv:2: column `FusionGene`: expected `GENE5--GENE3`",
            ),
            ("EML4--ALK\t2:x\t2:2\t5", "f.tsv:2: column `LeftBreakpoint`"),
            ("EML4--ALK\t2:1\t2:2\tmany", "f.tsv:2: column `SplitReads`"),
            ("EML4--ALK\t2:1\t2:2", "f.tsv:2: expected 4 fields"),
        ] {
            let e = read(&format!("{h}{row}\n")).unwrap_err().to_string();
            assert!(e.starts_with(want), "{e} should start with {want}");
        }
        let e = read("foo\tbar\nA\tB\n").unwrap_err().to_string();
        assert!(e.starts_with("f.tsv:1: unknown fusion file layout"), "{e}");
    }
}
