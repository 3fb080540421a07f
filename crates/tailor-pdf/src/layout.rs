//! Flowing text and tables onto A4 pages: line wrapping with real glyph widths, page
//! breaks, tables whose rows are never split across pages unless a single row is
//! taller than a page, and table headers repeated on every page a table continues to.

use crate::font::{to_win_ansi, Font};
use crate::writer::{Canvas, Rgb, PAGE_HEIGHT, PAGE_WIDTH};

/// Left and right margin (17 mm).
pub(crate) const MARGIN_X: f64 = 48.0;
/// Top of the content area; the running header sits above it.
pub(crate) const TOP: f64 = PAGE_HEIGHT - 54.0;
/// Bottom of the content area; the footer sits below it.
pub(crate) const BOTTOM: f64 = 58.0;
/// Width available to content.
pub(crate) const CONTENT_WIDTH: f64 = PAGE_WIDTH - 2.0 * MARGIN_X;

/// Cell padding, horizontal and vertical.
const PAD_X: f64 = 3.5;
const PAD_Y: f64 = 2.5;

/// Colours shared by the layout and the report.
pub(crate) const RULE: Rgb = Rgb(0.78, 0.80, 0.83);
pub(crate) const HEADER_FILL: Rgb = Rgb(0.87, 0.90, 0.94);
pub(crate) const ZEBRA_FILL: Rgb = Rgb(0.965, 0.97, 0.975);
pub(crate) const INK: Rgb = Rgb(0.10, 0.12, 0.15);
pub(crate) const ACCENT: Rgb = Rgb(0.09, 0.25, 0.45);

/// Font, size and colour of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub(crate) font: Font,
    pub(crate) size: f64,
    pub(crate) color: Rgb,
}

impl Style {
    pub(crate) const fn new(font: Font, size: f64, color: Rgb) -> Self {
        Self { font, size, color }
    }

    /// Distance between baselines.
    pub(crate) fn leading(self) -> f64 {
        self.size * 1.3
    }

    /// The same style in another colour.
    pub(crate) const fn colored(self, color: Rgb) -> Self {
        Self { color, ..self }
    }
}

/// Breaks text into lines no wider than `width` points. `\n` starts a new line; runs of
/// spaces collapse; a word wider than the line (a long identifier) is broken between
/// characters rather than allowed to run into the next column.
pub(crate) fn wrap(text: &str, font: Font, size: f64, width: f64) -> Vec<Vec<u8>> {
    let encoded = to_win_ansi(text);
    let space = font.width(b" ", size);
    let mut lines = Vec::new();
    for paragraph in encoded.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_width = 0.0;
        for word in paragraph.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_width = font.width(word, size);
            let needed = if line.is_empty() {
                word_width
            } else {
                line_width + space + word_width
            };
            if needed <= width {
                if !line.is_empty() {
                    line.push(b' ');
                }
                line.extend_from_slice(word);
                line_width = needed;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            if word_width <= width {
                line.extend_from_slice(word);
                line_width = word_width;
            } else {
                // Too long for any line: break after a hyphen when one fits, else
                // between characters.
                for &b in word {
                    let w = font.width(&[b], size);
                    if line_width + w > width && !line.is_empty() {
                        let rest = match line.iter().rposition(|&c| c == b'-') {
                            Some(at) if at + 1 < line.len() => line.split_off(at + 1),
                            _ => Vec::new(),
                        };
                        lines.push(std::mem::replace(&mut line, rest));
                        line_width = font.width(&line, size);
                    }
                    line.push(b);
                    line_width += w;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// One laid-out line of text.
#[derive(Debug, Clone)]
struct Line {
    style: Style,
    bytes: Vec<u8>,
}

/// Lays out blocks (each starts on a new line) into lines of at most `width`.
fn lay_out(blocks: &[(Style, String)], width: f64) -> Vec<Line> {
    let mut out = Vec::new();
    for (style, text) in blocks {
        for bytes in wrap(text, style.font, style.size, width) {
            out.push(Line {
                style: *style,
                bytes,
            });
        }
    }
    out
}

fn height(lines: &[Line]) -> f64 {
    lines.iter().map(|l| l.style.leading()).sum()
}

/// Draws lines from `top` down, starting `x`; returns nothing, the caller knows the
/// height. The baseline sits 0.95 em below the top of each line box, which centres
/// Helvetica's ascenders and descenders in a 1.3 em leading.
fn draw_lines(canvas: &mut Canvas, lines: &[Line], x: f64, top: f64) {
    let mut y = top;
    for line in lines {
        let s = line.style;
        canvas.text(s.font, s.size, x, y - 0.95 * s.size, s.color, &line.bytes);
        y -= s.leading();
    }
}

/// A table cell: one or more blocks of text, each starting on its own line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    blocks: Vec<(Style, String)>,
}

impl Cell {
    pub(crate) fn new(style: Style, text: impl Into<String>) -> Self {
        Self {
            blocks: vec![(style, text.into())],
        }
    }

    /// Adds a block below the existing ones (skipped when `text` is empty).
    pub(crate) fn then(mut self, style: Style, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.is_empty() {
            self.blocks.push((style, text));
        }
        self
    }
}

/// A table row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub(crate) cells: Vec<Cell>,
    /// Background; `None` uses the table's zebra striping.
    pub(crate) fill: Option<Rgb>,
}

impl Row {
    pub(crate) fn new(cells: Vec<Cell>) -> Self {
        Self { cells, fill: None }
    }

    pub(crate) fn filled(cells: Vec<Cell>, fill: Rgb) -> Self {
        Self {
            cells,
            fill: Some(fill),
        }
    }
}

/// A table: column widths as fractions of the content width, an optional header row
/// (repeated on every page), rows.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) widths: Vec<f64>,
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Row>,
    pub(crate) zebra: bool,
    /// Outline around the table on each page it occupies.
    pub(crate) frame: Option<Rgb>,
}

impl Table {
    pub(crate) fn new(widths: &[f64], header: &[&str]) -> Self {
        Self {
            widths: widths.to_vec(),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            zebra: true,
            frame: Some(RULE),
        }
    }

    pub(crate) fn push(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row::new(cells));
    }
}

/// Header-row text style.
pub(crate) const TABLE_HEADER: Style = Style::new(Font::Bold, 7.5, INK);

/// Pages being filled top to bottom.
#[derive(Debug)]
pub(crate) struct Layout {
    done: Vec<Canvas>,
    page: Canvas,
    y: f64,
}

impl Layout {
    pub(crate) fn new() -> Self {
        Self {
            done: Vec::new(),
            page: Canvas::default(),
            y: TOP,
        }
    }

    /// Finishes the current page and starts the next.
    pub(crate) fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.y = TOP;
    }

    fn at_page_top(&self) -> bool {
        self.y >= TOP - 0.01
    }

    /// Space left on the current page.
    pub(crate) fn remaining(&self) -> f64 {
        self.y - BOTTOM
    }

    /// Vertical space; dropped at the top of a page.
    pub(crate) fn gap(&mut self, h: f64) {
        if self.at_page_top() {
            return;
        }
        if self.remaining() < h {
            self.new_page();
        } else {
            self.y -= h;
        }
    }

    /// Reserves `h` points for custom drawing (starting a new page if needed) and
    /// returns the top of the reserved area.
    pub(crate) fn reserve(&mut self, h: f64) -> f64 {
        if self.remaining() < h && !self.at_page_top() {
            self.new_page();
        }
        let top = self.y;
        self.y -= h;
        top
    }

    pub(crate) fn canvas(&mut self) -> &mut Canvas {
        &mut self.page
    }

    /// A section title with a rule under it, kept with at least `keep` points of what
    /// follows so a title never ends a page.
    pub(crate) fn section(&mut self, title: &str, keep: f64) {
        let style = Style::new(Font::Bold, 12.5, ACCENT);
        self.gap(10.0);
        let h = style.leading() + 6.0;
        if self.remaining() < h + keep {
            self.new_page();
        }
        let top = self.reserve(h);
        let bytes = to_win_ansi(title);
        let baseline = top - 0.95 * style.size;
        self.page.text(
            style.font,
            style.size,
            MARGIN_X,
            baseline,
            style.color,
            &bytes,
        );
        let rule_y = top - h + 3.0;
        self.page.line(
            MARGIN_X,
            rule_y,
            MARGIN_X + CONTENT_WIDTH,
            rule_y,
            ACCENT,
            0.8,
        );
    }

    /// A smaller heading kept with `keep` points of what follows.
    pub(crate) fn subheading(&mut self, title: &str, keep: f64) {
        let style = Style::new(Font::Bold, 9.5, INK);
        self.gap(4.0);
        self.paragraph_kept(title, style, 0.0, keep);
        self.y -= 1.5;
    }

    /// Wrapped text across the content width (page breaks between lines).
    pub(crate) fn paragraph(&mut self, text: &str, style: Style) {
        self.paragraph_kept(text, style, 0.0, 0.0);
    }

    /// A bulleted paragraph, the text indented past the bullet.
    pub(crate) fn bullet(&mut self, text: &str, style: Style) {
        let indent = 10.0;
        if self.remaining() < style.leading() {
            self.new_page();
        }
        // WinAnsi 0x95 is the bullet glyph.
        let baseline = self.y - 0.95 * style.size;
        self.page.text(
            style.font,
            style.size,
            MARGIN_X + 2.0,
            baseline,
            style.color,
            b"\x95",
        );
        self.paragraph_kept(text, style, indent, 0.0);
    }

    fn paragraph_kept(&mut self, text: &str, style: Style, indent: f64, keep: f64) {
        let lines = wrap(text, style.font, style.size, CONTENT_WIDTH - indent);
        let total = lines.len() as f64 * style.leading();
        // Keep short paragraphs (and headings) in one piece with what must follow.
        if lines.len() <= 3 && self.remaining() < total + keep && !self.at_page_top() {
            self.new_page();
        }
        for bytes in lines {
            if self.remaining() < style.leading() {
                self.new_page();
            }
            let baseline = self.y - 0.95 * style.size;
            self.page.text(
                style.font,
                style.size,
                MARGIN_X + indent,
                baseline,
                style.color,
                &bytes,
            );
            self.y -= style.leading();
        }
    }

    /// Draws a table (see [`Table`]).
    pub(crate) fn table(&mut self, table: &Table) {
        let total: f64 = table.widths.iter().sum();
        let widths: Vec<f64> = table
            .widths
            .iter()
            .map(|w| {
                if total > 0.0 {
                    w / total * CONTENT_WIDTH
                } else {
                    0.0
                }
            })
            .collect();
        let inner = |i: usize| (widths[i] - 2.0 * PAD_X).max(1.0);
        let header: Option<Vec<Vec<Line>>> = (!table.header.is_empty()).then(|| {
            table
                .header
                .iter()
                .enumerate()
                .take(widths.len())
                .map(|(i, h)| lay_out(&[(TABLE_HEADER, h.clone())], inner(i)))
                .collect()
        });
        let header_h = header.as_ref().map_or(0.0, |h| row_height(h));
        let rows: Vec<Vec<Vec<Line>>> = table
            .rows
            .iter()
            .map(|row| {
                row.cells
                    .iter()
                    .enumerate()
                    .take(widths.len())
                    .map(|(i, c)| lay_out(&c.blocks, inner(i)))
                    .collect()
            })
            .collect();

        // Keep the header with the first row.
        let first_h = rows.first().map_or(0.0, |r| row_height(r));
        if self.remaining() < header_h + first_h.min(TOP - BOTTOM - header_h) {
            self.new_page();
        }
        let mut segment_top = self.y;
        if let Some(h) = &header {
            self.draw_row(&widths, h, Some(HEADER_FILL));
        }
        for (n, (row, cells)) in table.rows.iter().zip(rows).enumerate() {
            let fill = row.fill.or(if table.zebra && n % 2 == 1 {
                Some(ZEBRA_FILL)
            } else {
                None
            });
            let h = row_height(&cells);
            let capacity = TOP - BOTTOM - header_h;
            if self.remaining() < h && h <= capacity {
                self.break_table(table.frame, &mut segment_top, header.as_deref(), &widths);
            }
            if self.remaining() >= h {
                self.draw_row(&widths, &cells, fill);
                continue;
            }
            // Taller than a page: split between lines, never inside one.
            let mut rest = cells;
            if self.remaining() < capacity / 4.0 {
                self.break_table(table.frame, &mut segment_top, header.as_deref(), &widths);
            }
            loop {
                let avail = self.remaining() - 2.0 * PAD_Y;
                let (now, later): (Vec<Vec<Line>>, Vec<Vec<Line>>) =
                    rest.into_iter().map(|c| split_lines(c, avail)).unzip();
                self.draw_row(&widths, &now, fill);
                if later.iter().all(|c| c.is_empty()) {
                    break;
                }
                self.break_table(table.frame, &mut segment_top, header.as_deref(), &widths);
                rest = later;
            }
        }
        if let Some(frame) = table.frame {
            self.page.stroke_rect(
                MARGIN_X,
                self.y,
                CONTENT_WIDTH,
                segment_top - self.y,
                frame,
                0.6,
            );
        }
        self.y -= 2.0;
    }

    /// Closes the table's frame on this page, starts a new page and repeats the header.
    fn break_table(
        &mut self,
        frame: Option<Rgb>,
        segment_top: &mut f64,
        header: Option<&[Vec<Line>]>,
        widths: &[f64],
    ) {
        if let Some(frame) = frame {
            if *segment_top > self.y {
                self.page.stroke_rect(
                    MARGIN_X,
                    self.y,
                    CONTENT_WIDTH,
                    *segment_top - self.y,
                    frame,
                    0.6,
                );
            }
        }
        self.new_page();
        *segment_top = self.y;
        if let Some(h) = header {
            self.draw_row(widths, h, Some(HEADER_FILL));
        }
    }

    fn draw_row(&mut self, widths: &[f64], cells: &[Vec<Line>], fill: Option<Rgb>) {
        let h = row_height(cells);
        let top = self.y;
        if let Some(fill) = fill {
            self.page
                .fill_rect(MARGIN_X, top - h, CONTENT_WIDTH, h, fill);
        }
        let mut x = MARGIN_X;
        for (i, lines) in cells.iter().enumerate() {
            draw_lines(&mut self.page, lines, x + PAD_X, top - PAD_Y);
            x += widths.get(i).copied().unwrap_or(0.0);
        }
        self.page.line(
            MARGIN_X,
            top - h,
            MARGIN_X + CONTENT_WIDTH,
            top - h,
            RULE,
            0.4,
        );
        self.y = top - h;
    }

    /// The finished pages.
    pub(crate) fn finish(mut self) -> Vec<Canvas> {
        self.done.push(self.page);
        self.done
    }
}

fn row_height(cells: &[Vec<Line>]) -> f64 {
    cells.iter().map(|c| height(c)).fold(0.0, f64::max) + 2.0 * PAD_Y
}

/// Splits a cell's lines into those that fit in `avail` points and the rest.
fn split_lines(lines: Vec<Line>, avail: f64) -> (Vec<Line>, Vec<Line>) {
    let mut used = 0.0;
    let mut now = Vec::new();
    let mut later = Vec::new();
    for line in lines {
        if later.is_empty() && (used + line.style.leading() <= avail || now.is_empty()) {
            used += line.style.leading();
            now.push(line);
        } else {
            later.push(line);
        }
    }
    (now, later)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style::new(Font::Regular, 10.0, Rgb(0.0, 0.0, 0.0));

    #[test]
    fn wrapping_respects_the_width() {
        let text = "encorafenib + cetuximab is approved for metastatic colorectal cancer with BRAF V600E after prior therapy";
        let lines = wrap(text, Font::Regular, 10.0, 150.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(Font::Regular.width(l, 10.0) <= 150.0);
        }
        let rejoined: Vec<String> = lines
            .iter()
            .map(|l| String::from_utf8(l.clone()).unwrap())
            .collect();
        assert_eq!(rejoined.join(" "), text);
    }

    #[test]
    fn long_words_and_newlines() {
        let lines = wrap(&"x".repeat(100), Font::Mono, 10.0, 60.0);
        assert_eq!(lines.len(), 10);
        assert!(lines.iter().all(|l| l.len() == 10));
        let lines = wrap("Pharmaco-genomics", Font::Regular, 10.0, 60.0);
        assert_eq!(lines, vec![b"Pharmaco-".to_vec(), b"genomics".to_vec()]);
        let lines = wrap("a\n\nb", Font::Regular, 10.0, 100.0);
        assert_eq!(lines, vec![b"a".to_vec(), Vec::new(), b"b".to_vec()]);
    }

    #[test]
    fn rows_move_to_the_next_page_whole() {
        let mut layout = Layout::new();
        let mut table = Table::new(&[1.0, 1.0], &["A", "B"]);
        for i in 0..200 {
            table.push(vec![
                Cell::new(BODY, format!("row {i}")),
                Cell::new(BODY, "two\nlines"),
            ]);
        }
        layout.table(&table);
        let pages = layout.finish();
        assert!(pages.len() > 3);
    }

    #[test]
    fn a_row_taller_than_a_page_is_split() {
        let mut layout = Layout::new();
        let mut table = Table::new(&[1.0], &["A"]);
        table.push(vec![Cell::new(BODY, "line\n".repeat(150))]);
        layout.table(&table);
        assert!(layout.finish().len() >= 3);
    }
}
