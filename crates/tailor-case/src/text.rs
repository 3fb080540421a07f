//! Line-by-line reading of the tabular text inputs, shared by every reader.
//!
//! Pipelines hand over files plain or gzip-compressed (`.maf.gz`, `.tsv.gz`); the magic
//! bytes, not the file name, decide, so a renamed file still reads. Lines are checked for
//! UTF-8 one at a time so that the error names the line, and `\r\n` endings (files edited
//! on Windows) are accepted.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;

use crate::error::CaseError;
use crate::limits::MAX_LINE_BYTES;

/// A reader of text lines that knows the file name and the current line number.
pub(crate) struct Lines {
    inner: Box<dyn BufRead>,
    path: PathBuf,
    line: usize,
    bytes: Vec<u8>,
    text: String,
}

impl Lines {
    /// Opens a file (plain or gzip).
    pub(crate) fn open(path: &Path) -> Result<Lines, CaseError> {
        Lines::from_reader(crate::limits::open_regular(path)?, path)
    }

    /// Wraps any reader (plain or gzip bytes); `path` is only used in error messages.
    pub(crate) fn from_reader<R: Read + 'static>(
        reader: R,
        path: &Path,
    ) -> Result<Lines, CaseError> {
        let mut buffered = BufReader::new(reader);
        let head = buffered.fill_buf().map_err(|source| CaseError::Io {
            path: path.to_path_buf(),
            line: None,
            source,
        })?;
        let inner: Box<dyn BufRead> = if head.starts_with(&[0x1f, 0x8b]) {
            Box::new(BufReader::new(MultiGzDecoder::new(buffered)))
        } else {
            Box::new(buffered)
        };
        Ok(Lines {
            inner,
            path: path.to_path_buf(),
            line: 0,
            bytes: Vec::new(),
            text: String::new(),
        })
    }

    /// The file name used in errors.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The next line without its line ending, with its 1-based number; `None` at the end.
    pub(crate) fn next_line(&mut self) -> Result<Option<(usize, &str)>, CaseError> {
        self.bytes.clear();
        // At most one byte past the cap is read, so a file without newlines (binary
        // data, a corrupt stream) costs the cap, not its whole size.
        let cap = MAX_LINE_BYTES as u64 + 1;
        let n = self
            .inner
            .by_ref()
            .take(cap)
            .read_until(b'\n', &mut self.bytes)
            .map_err(|source| CaseError::Io {
                path: self.path.clone(),
                line: Some(self.line + 1),
                source,
            })?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        if self.bytes.len() > MAX_LINE_BYTES && self.bytes.last() != Some(&b'\n') {
            return Err(CaseError::line_error(
                &self.path,
                self.line,
                None,
                format!(
                    "the line is longer than {} KiB; is this a binary file or a table \
                     without line breaks?",
                    MAX_LINE_BYTES >> 10
                ),
            ));
        }
        if self.bytes.last() == Some(&b'\n') {
            self.bytes.pop();
        }
        if self.bytes.last() == Some(&b'\r') {
            self.bytes.pop();
        }
        match std::str::from_utf8(&self.bytes) {
            Ok(s) => {
                self.text.clear();
                self.text.push_str(s);
            }
            Err(e) => {
                return Err(CaseError::line_error(
                    &self.path,
                    self.line,
                    None,
                    format!(
                        "not UTF-8 text (invalid byte at position {}); is this a binary file?",
                        e.valid_up_to() + 1
                    ),
                ))
            }
        }
        if self.text.contains('\0') {
            return Err(CaseError::line_error(
                &self.path,
                self.line,
                None,
                "contains a NUL byte; is this a binary file?",
            ));
        }
        Ok(Some((self.line, &self.text)))
    }

    /// The next line that is neither blank nor a `#` comment.
    pub(crate) fn next_content_line(&mut self) -> Result<Option<(usize, &str)>, CaseError> {
        loop {
            // Two-step borrow: decide on the line, then return a fresh borrow of it.
            let keep = match self.next_line()? {
                None => return Ok(None),
                Some((_, l)) => !(l.trim().is_empty() || l.starts_with('#')),
            };
            if keep {
                return Ok(Some((self.line, &self.text)));
            }
        }
    }
}

/// How the fields of a line are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    /// Tabs only: fields may contain spaces.
    Tab,
    /// Runs of spaces or tabs: for hand-written files whose fields never contain spaces.
    Whitespace,
}

impl Separator {
    /// Tab when the header has a tab, whitespace otherwise.
    pub(crate) fn sniff(header: &str) -> Separator {
        if header.contains('\t') {
            Separator::Tab
        } else {
            Separator::Whitespace
        }
    }

    /// Splits a line into trimmed fields.
    pub(crate) fn split(self, line: &str) -> Vec<&str> {
        match self {
            Separator::Tab => line.split('\t').map(str::trim).collect(),
            Separator::Whitespace => line.split_whitespace().collect(),
        }
    }
}

/// A header row: column names and where they are, looked up case-insensitively.
pub(crate) struct Header {
    pub(crate) names: Vec<String>,
    pub(crate) line: usize,
}

impl Header {
    pub(crate) fn new(fields: &[&str], line: usize) -> Header {
        Header {
            names: fields.iter().map(|s| (*s).to_owned()).collect(),
            line,
        }
    }

    /// Index of the first column whose name equals one of `names` (ASCII case-insensitive).
    pub(crate) fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|want| {
            self.names
                .iter()
                .position(|have| have.eq_ignore_ascii_case(want))
        })
    }

    /// Index of a required column, or an error naming it and the header line.
    pub(crate) fn require(&self, path: &Path, names: &[&str]) -> Result<usize, CaseError> {
        self.find(names).ok_or_else(|| {
            let first = names.first().copied().unwrap_or("?");
            let also = if names.len() > 1 {
                format!(" (or {})", names[1..].join(", "))
            } else {
                String::new()
            };
            CaseError::line_error(
                path,
                self.line,
                Some(first),
                format!("required column `{first}`{also} is missing from the header"),
            )
        })
    }
}

/// A field value that means "no value": empty, `.`, `NA`, `NaN`, `-`-less variants.
pub(crate) fn is_missing(value: &str) -> bool {
    matches!(
        value,
        "" | "." | "NA" | "na" | "N/A" | "NaN" | "nan" | "null" | "None"
    )
}

/// Checks that a record has as many fields as the header, trailing empty fields aside.
pub(crate) fn check_width(
    path: &Path,
    line: usize,
    fields: &[&str],
    header: &Header,
) -> Result<(), CaseError> {
    let n = header.names.len();
    // Trailing empty fields are what spreadsheets and some callers (STAR-Fusion rows
    // ending in a tab) write: they carry nothing, so they do not count. A row shorter
    // than the header is fine only where the header's remaining names are empty too.
    let trailing_empty = |cells: &[&str]| cells.iter().all(|c| c.trim().is_empty());
    let fits = match fields.len().cmp(&n) {
        std::cmp::Ordering::Equal => true,
        std::cmp::Ordering::Greater => trailing_empty(&fields[n..]),
        std::cmp::Ordering::Less => header.names[fields.len()..]
            .iter()
            .all(|h| h.trim().is_empty()),
    };
    if fits {
        Ok(())
    } else {
        Err(CaseError::line_error(
            path,
            line,
            None,
            format!(
                "expected {} fields as in the header on line {}, found {}",
                header.names.len(),
                header.line,
                fields.len()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn trailing_empty_fields_do_not_count() {
        let header = Header::new(&["a", "b"], 1);
        let p = Path::new("t.tsv");
        assert!(check_width(p, 2, &["1", "2"], &header).is_ok());
        assert!(check_width(p, 2, &["1", "2", ""], &header).is_ok());
        assert!(check_width(p, 2, &["1", "2", " ", ""], &header).is_ok());
        let e = check_width(p, 2, &["1", "2", "3"], &header).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.tsv:2: expected 2 fields as in the header on line 1, found 3"
        );
        assert!(check_width(p, 2, &["1"], &header).is_err());
        // A header that itself ends in a tab.
        let header = Header::new(&["a", "b", ""], 1);
        assert!(check_width(p, 2, &["1", "2"], &header).is_ok());
        assert!(check_width(p, 2, &["1", "2", ""], &header).is_ok());
    }

    #[test]
    fn reads_plain_and_gzip_with_line_numbers() {
        let text = b"# c\n\na\tb\r\nc\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text).unwrap();
        let gz = gz.finish().unwrap();
        for bytes in [text.to_vec(), gz] {
            let mut lines =
                Lines::from_reader(std::io::Cursor::new(bytes), Path::new("t")).unwrap();
            assert_eq!(lines.next_content_line().unwrap(), Some((3, "a\tb")));
            assert_eq!(lines.next_content_line().unwrap(), Some((4, "c")));
            assert_eq!(lines.next_content_line().unwrap(), None);
        }
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut lines = Lines::from_reader(
            std::io::Cursor::new(b"ok\n\xff\xfe\n".to_vec()),
            Path::new("x.tsv"),
        )
        .unwrap();
        lines.next_line().unwrap();
        let e = lines.next_line().unwrap_err().to_string();
        assert!(e.starts_with("x.tsv:2: not UTF-8"), "{e}");
    }

    #[test]
    fn truncated_gzip_is_an_io_error_not_a_panic() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&b"line\n".repeat(1000)).unwrap();
        let mut gz = gz.finish().unwrap();
        gz.truncate(gz.len() / 2);
        let mut lines = Lines::from_reader(std::io::Cursor::new(gz), Path::new("c.gz")).unwrap();
        let mut result = Ok(None);
        for _ in 0..2000 {
            result = lines.next_line().map(|l| l.map(|(n, _)| n));
            if !matches!(result, Ok(Some(_))) {
                break;
            }
        }
        assert!(result.is_err());
    }
}
