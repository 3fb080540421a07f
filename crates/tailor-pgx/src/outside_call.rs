//! Outside calls: gene results made by another tool, in PharmCAT's TSV format.
//!
//! Some genes cannot be called from a short-read VCF (CYP2D6 copy number, HLA typing,
//! MT-RNR1 heteroplasmy), so labs call them elsewhere and hand the result over. The
//! format is PharmCAT's, so existing pipelines need no change: one line per gene, tab
//! separated, `GENE  DIPLOTYPE  [PHENOTYPE]  [ACTIVITY_SCORE]`, with `#` comment lines.
//! A diplotype may repeat the gene in its alleles (`CYP2D6*3/CYP2D6*4`) and HLA
//! alleles may carry their locus letter (`A*02:01/*03:01`); both are stripped.

use std::io::Read;
use std::path::{Path, PathBuf};

/// One outside call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideCall {
    /// Gene symbol (`CYP2D6`, `HLA-B`, `MT-RNR1`).
    pub gene: String,
    /// Diplotype as alleles (`*1`, `*4`), when given. Single-allele calls (MT-RNR1)
    /// have one entry.
    pub alleles: Vec<String>,
    /// Phenotype, when given instead of or beside a diplotype.
    pub phenotype: Option<String>,
    /// Activity score, when given.
    pub activity_score: Option<String>,
    /// 1-based line in the file, for messages.
    pub line: usize,
}

impl OutsideCall {
    /// The diplotype as written back (`*1/*4`), or `None` for phenotype-only calls.
    pub fn diplotype_label(&self) -> Option<String> {
        (!self.alleles.is_empty()).then(|| self.alleles.join("/"))
    }
}

/// A malformed outside-call file.
#[derive(Debug, thiserror::Error)]
#[error("{path}: line {line}: {message}")]
pub struct OutsideCallError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line number (0 when the file could not be read).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The largest outside-call file accepted. One line per gene: a real file is well under
/// 4 KiB, so anything near this is the wrong file, and it is refused before it is read
/// whole.
pub const MAX_OUTSIDE_CALL_BYTES: u64 = 1 << 20;

/// Reads an outside-call file.
pub fn read_outside_calls(path: &Path) -> Result<Vec<OutsideCall>, OutsideCallError> {
    let file_error = |message: String| OutsideCallError {
        path: path.to_path_buf(),
        line: 0,
        message,
    };
    if let Some(problem) = tailor_core::input_file::FileProblem::of(&std::fs::metadata(path)) {
        return Err(file_error(problem.to_string()));
    }
    let file =
        std::fs::File::open(path).map_err(|e| file_error(format!("cannot read the file: {e}")))?;
    read_outside_calls_from(file, path)
}

/// Reads outside calls from any reader (bytes held in memory, an uploaded part);
/// `source` names the input in errors.
///
/// ```
/// use tailor_pgx::outside_call::read_outside_calls_from;
/// let text = "CYP2D6\t*1/*4\nHLA-B\t*57:01/*08:01\n";
/// let calls = read_outside_calls_from(text.as_bytes(), "calls.tsv".as_ref())?;
/// assert_eq!(calls[0].diplotype_label().as_deref(), Some("*1/*4"));
/// # Ok::<(), tailor_pgx::outside_call::OutsideCallError>(())
/// ```
pub fn read_outside_calls_from(
    reader: impl std::io::Read,
    source: &Path,
) -> Result<Vec<OutsideCall>, OutsideCallError> {
    let file_error = |message: String| OutsideCallError {
        path: source.to_path_buf(),
        line: 0,
        message,
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_OUTSIDE_CALL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| file_error(format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_OUTSIDE_CALL_BYTES {
        return Err(file_error(format!(
            "larger than {} KiB; an outside-call file has one short line per gene (is this \
             the right file?)",
            MAX_OUTSIDE_CALL_BYTES >> 10
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        file_error(format!(
            "not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    parse_outside_calls(&text).map_err(|(line, message)| OutsideCallError {
        path: source.to_path_buf(),
        line,
        message,
    })
}

/// Parses outside-call text; errors carry the 1-based line number.
pub fn parse_outside_calls(text: &str) -> Result<Vec<OutsideCall>, (usize, String)> {
    let mut calls: Vec<OutsideCall> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if fields.len() > 4 {
            return Err((
                line_no,
                format!(
                    "expected at most 4 tab-separated columns (gene, diplotype, phenotype, activity score), found {}",
                    fields.len()
                ),
            ));
        }
        let gene = fields[0];
        if gene.is_empty()
            || !gene
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err((line_no, format!("'{gene}' is not a gene symbol")));
        }
        let gene = gene.replace('_', "-");
        let diplotype = fields.get(1).copied().unwrap_or("");
        let phenotype = fields.get(2).copied().filter(|s| !s.is_empty());
        let activity = fields.get(3).copied().filter(|s| !s.is_empty());
        if diplotype.is_empty() && phenotype.is_none() && activity.is_none() {
            return Err((
                line_no,
                format!("{gene}: no diplotype, phenotype or activity score given"),
            ));
        }
        if let Some(a) = activity {
            if a.parse::<f64>().is_err()
                && !a.eq_ignore_ascii_case("n/a")
                && a != "≥3.0"
                && a != ">=3.0"
            {
                return Err((
                    line_no,
                    format!("{gene}: activity score '{a}' is not a number"),
                ));
            }
        }
        let alleles = if diplotype.is_empty() {
            Vec::new()
        } else {
            parse_diplotype(&gene, diplotype).map_err(|m| (line_no, m))?
        };
        if calls.iter().any(|c| c.gene == gene) {
            return Err((line_no, format!("{gene} is given more than once")));
        }
        calls.push(OutsideCall {
            gene,
            alleles,
            phenotype: phenotype.map(str::to_string),
            activity_score: activity.map(str::to_string),
            line: line_no,
        });
    }
    Ok(calls)
}

fn parse_diplotype(gene: &str, text: &str) -> Result<Vec<String>, String> {
    let parts: Vec<&str> = text.split('/').map(str::trim).collect();
    if parts.len() > 2 || parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "{gene}: diplotype '{text}' should be one allele or two separated by '/'"
        ));
    }
    let hla_letter = gene.strip_prefix("HLA-");
    Ok(parts
        .iter()
        .map(|p| {
            let mut a = p.strip_prefix(gene).unwrap_or(p);
            if let Some(letter) = hla_letter {
                a = a
                    .strip_prefix(letter)
                    .filter(|r| r.starts_with('*'))
                    .unwrap_or(a);
            }
            a.to_string()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pharmcat_style_lines() {
        let text = "# comment\nCYP2D6\tCYP2D6*3/CYP2D6*4\nHLA-A\tA*02:02:02/*03:02:01\nCYP2C9\t\t\t2.0\nHLA-B\t\t*57:01 positive\nMT-RNR1\t1555A>G\n";
        let calls = parse_outside_calls(text).unwrap();
        assert_eq!(calls.len(), 5);
        assert_eq!(calls[0].alleles, vec!["*3", "*4"]);
        assert_eq!(calls[1].alleles, vec!["*02:02:02", "*03:02:01"]);
        assert_eq!(calls[2].activity_score.as_deref(), Some("2.0"));
        assert!(calls[2].alleles.is_empty());
        assert_eq!(calls[3].phenotype.as_deref(), Some("*57:01 positive"));
        assert_eq!(calls[4].alleles, vec!["1555A>G"]);
        assert_eq!(calls[4].line, 6);
    }

    #[test]
    fn malformed_lines_name_the_line() {
        assert_eq!(parse_outside_calls("CYP2D6\n").unwrap_err().0, 1);
        assert_eq!(
            parse_outside_calls("\nCYP2D6\t*1/*2/*3\n").unwrap_err().0,
            2
        );
        assert_eq!(
            parse_outside_calls("CYP2D6\t*1/*2\nCYP2D6\t*1/*1\n")
                .unwrap_err()
                .0,
            2
        );
        assert_eq!(parse_outside_calls("CYP2C9\t\t\tabc\n").unwrap_err().0, 1);
        assert_eq!(parse_outside_calls("a\tb\tc\td\te\n").unwrap_err().0, 1);
        assert_eq!(parse_outside_calls("CYP 2D6\t*1/*1\n").unwrap_err().0, 1);
    }

    #[test]
    fn a_reader_and_a_file_give_the_same_calls_and_size_is_capped() {
        let text = "# from a CYP2D6 caller\nCYP2D6\tCYP2D6*1/CYP2D6*4\nHLA-B\t*57:01/*08:01\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calls.tsv");
        std::fs::write(&path, text).unwrap();
        let from_file = read_outside_calls(&path).unwrap();
        let from_reader = read_outside_calls_from(text.as_bytes(), Path::new("calls.tsv")).unwrap();
        assert_eq!(from_file, from_reader);
        assert_eq!(from_reader.len(), 2);
        let big = vec![b'#'; MAX_OUTSIDE_CALL_BYTES as usize + 1];
        let err = read_outside_calls_from(&big[..], Path::new("big.tsv")).unwrap_err();
        assert!(err.to_string().contains("larger than 1024 KiB"), "{err}");
        let err = read_outside_calls(dir.path()).unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
    }
}
