//! A small tab-separated table reader that remembers where every value came from.
//!
//! The curated tables are edited by hand, so every problem is reported as
//! `file:line:column: field: message` — the form editors and terminals turn into a jump
//! to the offending cell.

use crate::Error;
use std::collections::HashMap;
use std::path::Path;

/// A parsed table: the header's column positions and the data rows.
pub(crate) struct Table<'a> {
    path: &'a Path,
    columns: HashMap<&'a str, usize>,
    pub(crate) rows: Vec<Row<'a>>,
}

/// One data line.
pub(crate) struct Row<'a> {
    /// 1-based line number in the file.
    pub(crate) line: usize,
    /// Each field with the 1-based character column where it starts.
    fields: Vec<(usize, &'a str)>,
    /// 1-based column just past the end of the line (for "missing field" errors).
    end_column: usize,
}

/// Splits a line into fields, each with its 1-based character column.
fn split_fields(line: &str) -> (Vec<(usize, &str)>, usize) {
    let mut out = Vec::new();
    let mut column = 1;
    for field in line.split('\t') {
        out.push((column, field));
        column += field.chars().count() + 1;
    }
    (out, column - 1)
}

impl<'a> Table<'a> {
    /// Parses `text`: `#` comment lines and blank lines are skipped, the first other line
    /// is the header. `required` columns must all be present; with `strict`, no other
    /// column may be (a misspelt column name in a curated table is an error, not a
    /// silently ignored column).
    pub(crate) fn parse(
        path: &'a Path,
        text: &'a str,
        required: &[&str],
        strict: bool,
    ) -> Result<Self, Error> {
        let mut lines = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let Some((header_line, header)) = lines.next() else {
            return Err(Error::table(
                path,
                1,
                1,
                "header",
                format!("empty table; expected a header with {}", required.join(" ")),
            ));
        };
        let (header_fields, _) = split_fields(header);
        let mut columns = HashMap::new();
        for (i, (column, name)) in header_fields.iter().enumerate() {
            if strict && !required.contains(name) {
                return Err(Error::table(
                    path,
                    header_line,
                    *column,
                    "header",
                    format!(
                        "unknown column `{name}`; the columns are: {}",
                        required.join(" ")
                    ),
                ));
            }
            if columns.insert(*name, i).is_some() {
                return Err(Error::table(
                    path,
                    header_line,
                    *column,
                    "header",
                    format!("column `{name}` appears twice"),
                ));
            }
        }
        if let Some(missing) = required.iter().find(|c| !columns.contains_key(*c)) {
            return Err(Error::table(
                path,
                header_line,
                1,
                "header",
                format!(
                    "missing column `{missing}`; the columns are: {}",
                    required.join(" ")
                ),
            ));
        }
        let width = header_fields.len();
        let mut rows = Vec::new();
        for (line, text) in lines {
            let (fields, end_column) = split_fields(text);
            if fields.len() != width {
                return Err(Error::table(
                    path,
                    line,
                    end_column.max(1),
                    "row",
                    format!(
                        "{} tab-separated fields, the header has {width}",
                        fields.len()
                    ),
                ));
            }
            rows.push(Row {
                line,
                fields,
                end_column,
            });
        }
        Ok(Self {
            path,
            columns,
            rows,
        })
    }

    /// The value of `column` in `row`, with its position.
    pub(crate) fn cell(&self, row: &Row<'a>, column: &'static str) -> Cell<'a> {
        let (col, value) = self
            .columns
            .get(column)
            .and_then(|&i| row.fields.get(i))
            .copied()
            .unwrap_or((row.end_column, ""));
        Cell {
            path: self.path,
            line: row.line,
            column: col,
            field: column,
            value,
        }
    }

    /// Whether the header has `column` (for optional columns of upstream tables).
    pub(crate) fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
}

/// One value with the position it came from.
#[derive(Clone, Copy)]
pub(crate) struct Cell<'a> {
    path: &'a Path,
    pub(crate) line: usize,
    column: usize,
    field: &'static str,
    /// The raw text.
    pub(crate) value: &'a str,
}

impl Cell<'_> {
    /// An error pointing at this cell; the message should quote the value.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::table(self.path, self.line, self.column, self.field, message)
    }

    /// The trimmed value, or an error when it is empty.
    pub(crate) fn required(&self) -> Result<&str, Error> {
        let v = self.value.trim();
        if v.is_empty() {
            Err(self.error("empty; a value is required"))
        } else {
            Ok(v)
        }
    }

    /// The trimmed value, `None` when empty or `-`.
    pub(crate) fn optional(&self) -> Option<&str> {
        let v = self.value.trim();
        (!v.is_empty() && v != "-").then_some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: &Error) -> String {
        e.to_string()
    }

    #[test]
    fn skips_comments_and_tracks_columns() {
        let text = "# comment\na\tbb\tc\n\n1\t22\t333\r\n";
        let t = Table::parse(Path::new("t.tsv"), text, &["a", "bb", "c"], true).expect("ok");
        assert_eq!(t.rows.len(), 1);
        let row = &t.rows[0];
        assert_eq!(row.line, 4);
        let c = t.cell(row, "c");
        assert_eq!(c.value, "333");
        assert_eq!(message(&c.error("bad")), "t.tsv:4:6: c: bad");
    }

    #[test]
    fn rejects_bad_headers_and_rows() {
        let p = Path::new("t.tsv");
        let e = Table::parse(p, "a\tx\n", &["a", "b"], true)
            .err()
            .expect("unknown column");
        assert!(
            message(&e).contains("t.tsv:1:3: header: unknown column `x`"),
            "{e}"
        );
        let e = Table::parse(p, "a\n", &["a", "b"], false)
            .err()
            .expect("missing");
        assert!(message(&e).contains("missing column `b`"), "{e}");
        let e = Table::parse(p, "a\ta\n", &["a"], false)
            .err()
            .expect("twice");
        assert!(message(&e).contains("appears twice"), "{e}");
        let e = Table::parse(p, "a\tb\n1\n", &["a", "b"], true)
            .err()
            .expect("short row");
        assert!(message(&e).contains("t.tsv:2:"), "{e}");
        let e = Table::parse(p, "# only\n", &["a"], true)
            .err()
            .expect("empty");
        assert!(message(&e).contains("empty table"), "{e}");
    }

    #[test]
    fn required_and_optional_values() {
        let t = Table::parse(Path::new("t.tsv"), "a\tb\n \t-\n", &["a", "b"], true).expect("ok");
        let row = &t.rows[0];
        assert!(t.cell(row, "a").required().is_err());
        assert_eq!(t.cell(row, "b").optional(), None);
        assert!(t.has("a") && !t.has("z"));
    }
}
