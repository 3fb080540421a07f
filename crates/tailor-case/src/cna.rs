//! Gene-level copy-number calls.
//!
//! Two shapes are common: cBioPortal's discrete matrix (`data_CNA.txt`: one row per gene,
//! one column per sample, GISTIC-style values -2..2) and a hand-made or pipeline-made
//! `gene call [copies]` list. Both end up as [`GeneCopyNumber`] so the engine matches
//! amplifications and deletions the same way whatever produced them. Neutral rows are
//! kept: "tested and neutral" is information the report can state.

use std::io::Read;
use std::path::Path;

use crate::error::{CaseError, Shown, Unquoted};
use crate::text::{check_width, is_missing, Header, Lines, Separator};

/// A gene-level copy-number state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CnaCall {
    /// High-level amplification (GISTIC 2).
    Amplification,
    /// Low-level gain (GISTIC 1).
    Gain,
    /// No change (GISTIC 0).
    Neutral,
    /// Shallow / heterozygous loss (GISTIC -1).
    HeterozygousLoss,
    /// Deep / homozygous deletion (GISTIC -2).
    HomozygousDeletion,
}

impl CnaCall {
    /// Parses a call: GISTIC integers `-2..2` or the names `AMP`/`amplification`,
    /// `GAIN`, `NEUTRAL`/`diploid`/`wild type` (MOAlmanac's word), `HETLOSS`/`loss`,
    /// `HOMDEL`/`deletion` (any case).
    ///
    /// ```
    /// use tailor_case::cna::CnaCall;
    /// assert_eq!(CnaCall::parse("-2"), Some(CnaCall::HomozygousDeletion));
    /// assert_eq!(CnaCall::parse("amp"), Some(CnaCall::Amplification));
    /// assert_eq!(CnaCall::parse("Wild type"), Some(CnaCall::Neutral));
    /// assert_eq!(CnaCall::parse("3"), None);
    /// ```
    pub fn parse(text: &str) -> Option<CnaCall> {
        let t = text.trim().to_ascii_lowercase();
        Some(match t.as_str() {
            "2" | "+2" | "amp" | "amplification" | "amplified" => CnaCall::Amplification,
            "1" | "+1" | "gain" => CnaCall::Gain,
            "0" | "-0" | "neutral" | "diploid" | "wild type" | "wildtype" | "wild-type" | "wt"
            | "no change" => CnaCall::Neutral,
            "-1" | "hetloss" | "loss" | "shallowdel" | "shallow_deletion" => {
                CnaCall::HeterozygousLoss
            }
            "-2" | "homdel" | "deletion" | "deepdel" | "deep_deletion" => {
                CnaCall::HomozygousDeletion
            }
            _ => return None,
        })
    }

    /// The GISTIC-style value (-2..2).
    pub fn gistic(self) -> i8 {
        match self {
            CnaCall::Amplification => 2,
            CnaCall::Gain => 1,
            CnaCall::Neutral => 0,
            CnaCall::HeterozygousLoss => -1,
            CnaCall::HomozygousDeletion => -2,
        }
    }
}

/// One gene's copy-number call.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneCopyNumber {
    /// 1-based line in the file.
    pub line: usize,
    /// Gene symbol as written.
    pub gene: String,
    /// The call.
    pub call: CnaCall,
    /// Absolute copy number, when the file gives one (third column of the simple form).
    pub copies: Option<f64>,
}

/// Reads gene-level copy number (plain or gzip).
///
/// `sample` picks the column of a cBioPortal matrix; with one sample column it may be
/// `None`. The simple `gene call [copies]` form has no sample column and ignores it.
/// Matrix cells that are `NA` or empty (gene not profiled) give no record.
///
/// ```no_run
/// let calls = tailor_case::cna::read_gene_cna(std::path::Path::new("data_CNA.txt"), Some("TUMOR"))?;
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_gene_cna(path: &Path, sample: Option<&str>) -> Result<Vec<GeneCopyNumber>, CaseError> {
    parse(Lines::open(path)?, sample)
}

/// Like [`read_gene_cna`], from any reader; `source` names it in errors.
///
/// ```
/// use std::path::Path;
/// use tailor_case::cna::{read_gene_cna_from, CnaCall};
/// let text = "Hugo_Symbol\tEntrez_Gene_Id\tS1\nERBB2\t2064\t2\nCDKN2A\t1029\t-2\n";
/// let calls = read_gene_cna_from(text.as_bytes(), Path::new("mem"), None)?;
/// assert_eq!(calls[1].call, CnaCall::HomozygousDeletion);
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_gene_cna_from<R: Read + 'static>(
    reader: R,
    source: &Path,
    sample: Option<&str>,
) -> Result<Vec<GeneCopyNumber>, CaseError> {
    parse(Lines::from_reader(reader, source)?, sample)
}

/// Columns of a cBioPortal or GISTIC matrix that describe the gene rather than a sample
/// (GISTIC's `all_thresholded.by_genes.txt` starts `Gene Symbol`, `Locus ID`, `Cytoband`).
const ANNOTATION_COLUMNS: &[&str] = &[
    "Hugo_Symbol",
    "Entrez_Gene_Id",
    "Cytoband",
    "Locus ID",
    "Gene Symbol",
];

/// First header names of a matrix: the gene column.
const MATRIX_GENE_COLUMNS: &[&str] = &["Hugo_Symbol", "Gene Symbol"];

/// Header names accepted for the columns of the simple form.
const GENE_NAMES: &[&str] = &["gene", "symbol", "gene_symbol", "hugo_symbol"];
const CALL_NAMES: &[&str] = &[
    "call",
    "cna",
    "cnv",
    "status",
    "alteration",
    "cna_call",
    "copy_number_alteration",
];
/// Header names of the sample column of a long table (one row per sample and gene).
const SAMPLE_NAMES: &[&str] = &["Tumor_Sample_Barcode", "sample", "sample_id"];
const COPIES_NAMES: &[&str] = &["copies", "copy_number", "cn", "total_cn"];

fn parse(mut lines: Lines, sample: Option<&str>) -> Result<Vec<GeneCopyNumber>, CaseError> {
    let path = lines.path().to_path_buf();
    let Some((n, first)) = lines.next_content_line()? else {
        return Err(CaseError::file_error(&path, "empty copy-number file"));
    };
    let first = first.to_owned();
    let first = first.as_str();
    let sep = Separator::sniff(first);
    let fields = Separator::split(sep, first);
    let names_simple_column = |names: &[&str]| {
        fields
            .iter()
            .any(|f| names.iter().any(|n| f.eq_ignore_ascii_case(n)))
    };
    let calls = if fields.len() >= 2 && fields.len() <= 3 && CnaCall::parse(fields[1]).is_some() {
        // Simple form without a header: the first line is already data.
        let mut out = Vec::new();
        out.push(simple_row(&path, n, &fields, None)?);
        simple_rows(&mut lines, sep, None, &mut out)?;
        out
    } else if fields.first().is_some_and(|f| {
        MATRIX_GENE_COLUMNS
            .iter()
            .any(|g| f.trim().eq_ignore_ascii_case(g))
    }) && !names_simple_column(CALL_NAMES)
    {
        matrix(&mut lines, Header::new(&fields, n), sample)?
    } else if names_simple_column(GENE_NAMES) && names_simple_column(CALL_NAMES) {
        let header = Header::new(&fields, n);
        match header.find(SAMPLE_NAMES) {
            Some(column) => long_table(&mut lines, sep, &header, column, sample)?,
            None => {
                let mut out = Vec::new();
                simple_rows(&mut lines, sep, Some(&header), &mut out)?;
                out
            }
        }
    } else {
        return Err(CaseError::line_error(
            &path,
            n,
            None,
            format!(
                "not a copy-number table: expected a cBioPortal header (`Hugo_Symbol`, samples...), \
                 a `gene call [copies]` header, or a `GENE<TAB>CALL` row; found {}",
                Unquoted(fields.len())
            ),
        ));
    };
    if calls.is_empty() {
        return Err(CaseError::file_error(
            &path,
            "no copy-number rows after the header",
        ));
    }
    Ok(calls)
}

fn matrix(
    lines: &mut Lines,
    header: Header,
    sample: Option<&str>,
) -> Result<Vec<GeneCopyNumber>, CaseError> {
    let path = lines.path().to_path_buf();
    let samples: Vec<(usize, &str)> = header
        .names
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            !ANNOTATION_COLUMNS
                .iter()
                .any(|a| a.eq_ignore_ascii_case(name))
        })
        .map(|(i, name)| (i, name.as_str()))
        .collect();
    let listed = || {
        samples
            .iter()
            .map(|(_, s)| *s)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let column = match (sample, samples.as_slice()) {
        (Some(want), _) => match samples.iter().find(|(_, s)| *s == want) {
            Some((i, _)) => *i,
            None => {
                return Err(CaseError::line_error(
                    &path,
                    header.line,
                    None,
                    format!(
                        "sample `{want}` is not a column of the matrix; samples: {}",
                        listed()
                    ),
                ))
            }
        },
        (None, [(i, _)]) => *i,
        (None, []) => {
            return Err(CaseError::line_error(
                &path,
                header.line,
                None,
                "the cBioPortal matrix header names no sample column",
            ))
        }
        (None, _) => {
            return Err(CaseError::line_error(
                &path,
                header.line,
                None,
                format!(
                    "the matrix holds {} samples; choose one ({})",
                    samples.len(),
                    listed()
                ),
            ))
        }
    };
    let column_name = header.names.get(column).cloned().unwrap_or_default();
    let mut out = Vec::new();
    while let Some((n, line)) = lines.next_content_line()? {
        let fields = Separator::Tab.split(line);
        check_width(&path, n, &fields, &header)?;
        let gene = fields.first().copied().unwrap_or("");
        if is_missing(gene) {
            return Err(CaseError::line_error(
                &path,
                n,
                Some("Hugo_Symbol"),
                "empty gene symbol",
            ));
        }
        let value = fields.get(column).copied().unwrap_or("");
        if is_missing(value) {
            continue;
        }
        let call = CnaCall::parse(value).ok_or_else(|| {
            CaseError::line_error(
                &path,
                n,
                Some(&column_name),
                format!(
                    "expected a discrete copy-number value -2, -1, 0, 1 or 2, found {}",
                    Shown(value)
                ),
            )
        })?;
        out.push(GeneCopyNumber {
            line: n,
            gene: gene.to_owned(),
            call,
            copies: None,
        });
    }
    Ok(out)
}

/// A long table (`Tumor_Sample_Barcode Hugo_Symbol Copy_Number_Alteration`, one row per
/// sample and gene): the rows of the sample the case names, or of the only sample; a
/// table of several samples with none named is refused rather than mixing patients.
fn long_table(
    lines: &mut Lines,
    sep: Separator,
    header: &Header,
    column: usize,
    sample: Option<&str>,
) -> Result<Vec<GeneCopyNumber>, CaseError> {
    let path = lines.path().to_path_buf();
    let mut rows: Vec<(String, GeneCopyNumber)> = Vec::new();
    let mut samples: Vec<String> = Vec::new();
    while let Some((n, line)) = lines.next_content_line()? {
        let fields = sep.split(line);
        let row = simple_row(&path, n, &fields, Some(header))?;
        let name = fields.get(column).copied().unwrap_or("").trim().to_owned();
        if !samples.contains(&name) {
            samples.push(name.clone());
        }
        rows.push((name, row));
    }
    let shown = || {
        let mut list: Vec<&str> = samples.iter().take(5).map(String::as_str).collect();
        if samples.len() > 5 {
            list.push("...");
        }
        list.join(", ")
    };
    let keep = match (sample, samples.len()) {
        (Some(want), _) if samples.iter().any(|s| s == want) => want.to_owned(),
        (Some(want), _) => {
            return Err(CaseError::file_error(
                &path,
                format!(
                    "sample `{want}` is not in the table's {} column (samples: {})",
                    header.names[column],
                    shown()
                ),
            ))
        }
        (None, 0 | 1) => return Ok(rows.into_iter().map(|(_, r)| r).collect()),
        (None, n) => {
            return Err(CaseError::file_error(
                &path,
                format!(
                    "the table holds {n} samples ({}); name the case's tumour sample",
                    shown()
                ),
            ))
        }
    };
    Ok(rows
        .into_iter()
        .filter(|(s, _)| *s == keep)
        .map(|(_, r)| r)
        .collect())
}

fn simple_rows(
    lines: &mut Lines,
    sep: Separator,
    header: Option<&Header>,
    out: &mut Vec<GeneCopyNumber>,
) -> Result<(), CaseError> {
    let path = lines.path().to_path_buf();
    while let Some((n, line)) = lines.next_content_line()? {
        let fields = sep.split(line);
        out.push(simple_row(&path, n, &fields, header)?);
    }
    Ok(())
}

fn simple_row(
    path: &Path,
    n: usize,
    fields: &[&str],
    header: Option<&Header>,
) -> Result<GeneCopyNumber, CaseError> {
    let (gene_col, call_col, copies_col) = match header {
        Some(h) => {
            check_width(path, n, fields, h)?;
            (
                h.require(path, GENE_NAMES)?,
                h.require(path, CALL_NAMES)?,
                h.find(COPIES_NAMES),
            )
        }
        None => {
            if !(2..=3).contains(&fields.len()) {
                return Err(CaseError::line_error(
                    path,
                    n,
                    None,
                    format!(
                        "expected `gene call [copies]` (2 or 3 fields), found {} fields",
                        fields.len()
                    ),
                ));
            }
            (0, 1, (fields.len() == 3).then_some(2))
        }
    };
    let name = |col: usize, default: &'static str| -> String {
        header
            .and_then(|h| h.names.get(col).cloned())
            .unwrap_or_else(|| default.to_owned())
    };
    let gene = fields.get(gene_col).copied().unwrap_or("");
    if is_missing(gene) {
        return Err(CaseError::line_error(
            path,
            n,
            Some(&name(gene_col, "gene")),
            "empty gene symbol",
        ));
    }
    let call_text = fields.get(call_col).copied().unwrap_or("");
    let call = CnaCall::parse(call_text).ok_or_else(|| {
        CaseError::line_error(
            path,
            n,
            Some(&name(call_col, "call")),
            format!(
                "expected AMP, GAIN, NEUTRAL, HETLOSS, HOMDEL (or -2..2), found {}",
                Shown(call_text)
            ),
        )
    })?;
    let copies = match copies_col.map(|c| (c, fields.get(c).copied().unwrap_or(""))) {
        Some((c, v)) if !is_missing(v) => match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                return Err(CaseError::line_error(
                    path,
                    n,
                    Some(&name(c, "copies")),
                    format!("expected a non-negative copy number, found {}", Shown(v)),
                ))
            }
        },
        _ => None,
    };
    Ok(GeneCopyNumber {
        line: n,
        gene: gene.to_owned(),
        call,
        copies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, sample: Option<&str>) -> Result<Vec<GeneCopyNumber>, CaseError> {
        read_gene_cna_from(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            Path::new("c.tsv"),
            sample,
        )
    }

    #[test]
    fn matrix_picks_the_named_sample_and_skips_na() {
        let text = "Hugo_Symbol\tEntrez_Gene_Id\tA\tB\nERBB2\t2064\t0\t2\nPTEN\t5728\t-2\tNA\nMYC\t4609\t1\t-1\n";
        let calls = read(text, Some("B")).unwrap();
        let got: Vec<_> = calls
            .iter()
            .map(|c| (c.gene.as_str(), c.call, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("ERBB2", CnaCall::Amplification, 2),
                ("MYC", CnaCall::HeterozygousLoss, 4)
            ]
        );
        let e = read(text, None).unwrap_err().to_string();
        assert!(e.contains("c.tsv:1:") && e.contains("A, B"), "{e}");
        let e = read(text, Some("C")).unwrap_err().to_string();
        assert!(e.contains("sample `C`"), "{e}");
    }

    #[test]
    fn simple_form_with_and_without_header() {
        let calls = read("ERBB2\tAMP\t24\nCDKN2A\thomdel\n", None).unwrap();
        assert_eq!(calls[0].copies, Some(24.0));
        assert_eq!(calls[1].call, CnaCall::HomozygousDeletion);
        let calls = read(
            "# made by hand\ngene\tcall\tcopies\nMET\tgain\t5\nRB1\t-1\t.\n",
            None,
        )
        .unwrap();
        assert_eq!(calls.len(), 2);
        assert_eq!((calls[0].line, calls[0].call), (3, CnaCall::Gain));
        assert_eq!(calls[1].copies, None);
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let e = read("Hugo_Symbol\tS\nERBB2\t3\n", None)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "c.tsv:2: column `S`: expected a discrete copy-number value -2, -1, 0, 1 or 2, found `3`");
        let e = read("gene\tcall\nERBB2\tbig\n", None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("c.tsv:2: column `call`"), "{e}");
        let e = read("ERBB2\tAMP\nMET\tAMP\tlots\n", None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("c.tsv:2: column `copies`"), "{e}");
    }

    /// GISTIC's gene table (`Gene Symbol`, `Locus ID`, `Cytoband`, samples) and
    /// MOAlmanac's word calls read like the cBioPortal matrix and GISTIC values.
    #[test]
    fn gistic_tables_and_word_calls() {
        let gistic = "Gene Symbol\tLocus ID\tCytoband\tTCGA-01\nERBB2\t2064\t17q12\t2\nCDKN2A\t1029\t9p21.3\t-2\r\n";
        let calls = read(gistic, None).unwrap();
        let got: Vec<_> = calls.iter().map(|c| (c.gene.as_str(), c.call)).collect();
        assert_eq!(
            got,
            [
                ("ERBB2", CnaCall::Amplification),
                ("CDKN2A", CnaCall::HomozygousDeletion)
            ]
        );
        let words = "gene\tcall\nERBB2\tAmplification\nCDKN2A\tDeletion\nTP53\tWild type\n";
        let calls = read(words, None).unwrap();
        let got: Vec<_> = calls.iter().map(|c| (c.gene.as_str(), c.call)).collect();
        assert_eq!(
            got,
            [
                ("ERBB2", CnaCall::Amplification),
                ("CDKN2A", CnaCall::HomozygousDeletion),
                ("TP53", CnaCall::Neutral)
            ]
        );
    }

    /// A long table keeps one sample's rows, and refuses to mix several.
    #[test]
    fn long_tables_keep_one_sample() {
        let text = "Tumor_Sample_Barcode\tHugo_Symbol\tCopy_Number_Alteration\n\
                    T1\tERBB2\t2\nT2\tCDKN2A\t-2\nT1\tPTEN\t-2\n";
        let calls = read(text, Some("T1")).unwrap();
        let got: Vec<_> = calls
            .iter()
            .map(|c| (c.gene.as_str(), c.call, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("ERBB2", CnaCall::Amplification, 2),
                ("PTEN", CnaCall::HomozygousDeletion, 4)
            ]
        );
        let e = read(text, None).unwrap_err().to_string();
        assert!(e.contains("holds 2 samples (T1, T2)"), "{e}");
        let e = read(text, Some("T9")).unwrap_err().to_string();
        assert!(
            e.contains("sample `T9` is not in the table's Tumor_Sample_Barcode column"),
            "{e}"
        );
        let one = "sample\tgene\tcall\nT1\tERBB2\tAMP\n";
        assert_eq!(read(one, None).unwrap().len(), 1);
    }
}
