//! Limits on what a case input may cost to read, checked before the content is parsed.
//!
//! A case file or biomarker YAML is a few KiB written by a person or a pipeline. The YAML
//! parser's time grows with nesting depth faster than linearly (a 200 KB file nested
//! 100,000 levels deep took 42 s to refuse), and a server that accepts uploads would turn
//! that into a denial of service. So the file is read with a size cap and scanned for
//! nesting depth in one linear pass before the parser sees it; tabular lines have a
//! length cap for the same reason.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use tailor_core::input_file::FileProblem;

use crate::error::CaseError;

/// The largest case manifest or biomarker YAML accepted. A real manifest is under 4 KiB.
pub const MAX_YAML_BYTES: u64 = 1 << 20;

/// The deepest nesting accepted in a case YAML. The manifest schema itself needs 3
/// levels (`somatic:` → `medications:` list → item); 64 leaves room for any layout.
pub const MAX_YAML_DEPTH: usize = 64;

/// The longest line accepted in a tabular input (MAF, CNA, segments, fusions, biomarker
/// TSV). A vcf2maf line with every annotation column is about 10 KiB.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Opens a path that must be a regular file, saying what it is when it is not.
pub(crate) fn open_regular(path: &Path) -> Result<File, CaseError> {
    if let Some(problem) = FileProblem::of(&std::fs::metadata(path)) {
        return Err(CaseError::NotAFile {
            manifest: None,
            key: None,
            file: path.to_path_buf(),
            problem,
        });
    }
    File::open(path).map_err(|source| CaseError::Io {
        path: path.to_path_buf(),
        line: None,
        source,
    })
}

/// Reads a YAML file whole, refusing it past [`MAX_YAML_BYTES`] without reading further.
pub(crate) fn read_yaml_file(path: &Path) -> Result<String, CaseError> {
    read_yaml(open_regular(path)?, path)
}

/// Reads YAML text from any reader with the same cap, then checks encoding and depth.
pub(crate) fn read_yaml(reader: impl Read, source: &Path) -> Result<String, CaseError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_YAML_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CaseError::Io {
            path: source.to_path_buf(),
            line: None,
            source: e,
        })?;
    if bytes.len() as u64 > MAX_YAML_BYTES {
        return Err(CaseError::file_error(
            source,
            format!(
                "larger than {} KiB; a case file is a few KiB (is this the right file?)",
                MAX_YAML_BYTES >> 10
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        CaseError::line_error(source, line, None, "not UTF-8 text; is this a binary file?")
    })?;
    check_depth(&text, source)?;
    Ok(text)
}

/// Refuses YAML nested deeper than [`MAX_YAML_DEPTH`], in one pass over the text.
///
/// The count is an upper bound on what the parser would build: flow brackets (`[`, `{`)
/// outside quoted scalars and comments, plus, on each line, the block indentation levels
/// open above it and the chain of `- ` / `? ` indicators that opens more on the same
/// line (`- - - x`). Block scalars (`|`, `>`) are skipped as text. Over-counting can
/// only refuse a file nested close to the limit, which no case file is.
pub(crate) fn check_depth(text: &str, source: &Path) -> Result<(), CaseError> {
    let mut scan = DepthScan::default();
    for (i, line) in text.lines().enumerate() {
        if let Some(column) = scan.line(line) {
            return Err(CaseError::Yaml {
                path: source.to_path_buf(),
                line: Some(i + 1),
                column: Some(column),
                message: format!(
                    "nested deeper than {MAX_YAML_DEPTH} levels; a case file needs fewer \
                     than 10"
                ),
            });
        }
    }
    Ok(())
}

#[derive(Default)]
struct DepthScan {
    /// Indentation of each open block level.
    indents: Vec<usize>,
    /// Open `[` and `{`.
    flow: usize,
    /// Inside a quoted scalar that continues past a line end: the quote character.
    quote: Option<u8>,
    /// Inside a block scalar: lines indented more than this belong to it.
    block_scalar: Option<usize>,
}

impl DepthScan {
    /// Scans one line; the 1-based column where the limit is crossed, if it is.
    fn line(&mut self, line: &str) -> Option<usize> {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let blank = indent == bytes.len() || bytes[indent] == b'#';
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                return None;
            }
            self.block_scalar = None;
        }
        let mut i = 0;
        let mut depth_here = 0;
        if self.flow == 0 && self.quote.is_none() && !blank {
            while self.indents.last().is_some_and(|&top| top >= indent) {
                self.indents.pop();
            }
            self.indents.push(indent);
            if self.indents.len() > MAX_YAML_DEPTH {
                return Some(indent + 1);
            }
            i = indent;
            // `- - - x` and `? ? x` open one level per indicator on this very line.
            while i + 1 < bytes.len() && matches!(bytes[i], b'-' | b'?') && bytes[i + 1] == b' ' {
                depth_here += 1;
                i += 2;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
                if self.indents.len() + depth_here > MAX_YAML_DEPTH {
                    return Some(i);
                }
            }
        }
        // The last non-blank byte before `i` on this line (an indicator, when the chain
        // above ran). A quote opens a scalar, and `|`/`>` a block scalar, only where a
        // token starts: after `: `, `- `, `[`, `,` and the like, never inside plain text
        // (`patient's`, `a 'b`), or quotes could hide brackets the parser does see.
        let mut prev: Option<u8> = if depth_here > 0 { Some(b'-') } else { None };
        let mut after_blank = true;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(q) = self.quote {
                if b == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if b == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    self.quote = None;
                }
                i += 1;
                continue;
            }
            let token_start = (after_blank || matches!(prev, Some(b'[' | b'{' | b',')))
                && matches!(prev, None | Some(b':' | b'-' | b'?' | b'[' | b'{' | b','));
            match b {
                b'\'' | b'"' if token_start => self.quote = Some(b),
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => break,
                b'[' | b'{' => {
                    self.flow += 1;
                    if self.indents.len() + depth_here + self.flow > MAX_YAML_DEPTH {
                        return Some(i + 1);
                    }
                }
                b']' | b'}' => self.flow = self.flow.saturating_sub(1),
                b'|' | b'>' if token_start && self.flow == 0 && prev != Some(b',') => {
                    let rest = line[i + 1..].split(" #").next().unwrap_or("").trim();
                    if rest.bytes().all(|c| matches!(c, b'+' | b'-' | b'1'..=b'9')) {
                        self.block_scalar = Some(indent);
                        return None;
                    }
                }
                _ => {}
            }
            after_blank = matches!(b, b' ' | b'\t');
            if !after_blank {
                prev = Some(b);
            }
            i += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(text: &str) -> Option<String> {
        check_depth(text, Path::new("c.yaml"))
            .err()
            .map(|e| e.to_string())
    }

    #[test]
    fn real_manifests_pass() {
        let text = "patient: P1\nsomatic:\n  vcf: a.vcf  # the caller's output\n  \
                    biomarkers: {tmb: 12, msi: MSI-H}\nmedications: [warfarin, 'clopidogrel']\n\
                    notes: |\n  The patient's [history: {x\n  - - - - - - -\n\
                    specimen:\n  - id: S1\n    note: \"a [ quoted { bracket\"\n";
        assert_eq!(depth_error(text), None);
        let deep_ok = format!("x: {}1{}\n", "[".repeat(60), "]".repeat(60));
        assert_eq!(depth_error(&deep_ok), None);
    }

    #[test]
    fn deep_flow_block_and_indicator_nesting_are_refused_with_the_place() {
        let flow = format!(
            "patient: P1\nx: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let e = depth_error(&flow).unwrap();
        assert!(e.starts_with("c.yaml:2:"), "{e}");
        assert!(e.contains("nested deeper than 64 levels"), "{e}");
        let maps = format!("x: {}1\n", "{a: ".repeat(1000));
        assert!(depth_error(&maps).is_some());
        let dashes = format!("x:\n{}a\n", "- ".repeat(1000));
        assert!(depth_error(&dashes).unwrap().starts_with("c.yaml:2:"));
        let mut indented = String::new();
        for level in 0..100 {
            indented.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        assert!(depth_error(&indented).unwrap().starts_with("c.yaml:65:"));
        // Brackets inside quotes and comments do not count; the same brackets bare do.
        let quoted = format!("x: '{}'\ny: 1 # {}\n", "[".repeat(500), "{".repeat(500));
        assert_eq!(depth_error(&quoted), None);
        // An apostrophe inside plain text does not open a quote that would hide them.
        let hidden = format!("x: [a 'b, {}]\n", "[".repeat(500));
        assert!(depth_error(&hidden).is_some());
        // A `|` after plain text does not start a block scalar: the next line is scanned.
        let hidden = format!("x: b |\n  {}\n", "[".repeat(500));
        assert!(depth_error(&hidden).is_some());
    }

    #[test]
    fn size_cap_stops_reading() {
        let big = vec![b'#'; MAX_YAML_BYTES as usize + 10];
        let e = read_yaml(&big[..], Path::new("big.yaml")).unwrap_err();
        assert!(e.to_string().contains("larger than 1024 KiB"), "{e}");
        let text = read_yaml(&b"patient: P1\n"[..], Path::new("ok.yaml")).unwrap();
        assert_eq!(text, "patient: P1\n");
    }
}
