//! PDF 1.4 file structure: page content streams, the object table, the cross-reference
//! table with exact byte offsets, and the trailer.
//!
//! Only what a text-and-rules report needs is here: the standard-14 fonts with
//! WinAnsiEncoding, uncompressed content streams, one shared resource dictionary. The
//! streams stay uncompressed on purpose: the report is a few hundred kilobytes, and a
//! reader (or a test) can see the text in the file.

use crate::font::Font;
use std::fmt::Write as _;

/// An RGB colour, components 0-1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub(crate) f64, pub(crate) f64, pub(crate) f64);

impl Rgb {
    pub(crate) const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);
}

/// The drawing operators of one page, in PDF user space (points, origin bottom left).
#[derive(Debug, Default, Clone)]
pub(crate) struct Canvas {
    ops: Vec<u8>,
}

/// Formats a coordinate with two decimals and no trailing zeros (`12.5`, `40`), the
/// compact form PDF readers accept.
fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Writes `bytes` as a PDF literal string: backslash, parentheses and anything outside
/// printable ASCII are escaped, so the content stream stays 7-bit clean and a stray
/// `)` in a drug name can never end the string early.
pub(crate) fn literal_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &b in bytes {
        match b {
            b'\\' | b'(' | b')' => {
                out.push(b'\\');
                out.push(b);
            }
            32..=126 => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out.push(b')');
}

impl Canvas {
    fn op(&mut self, s: &str) {
        self.ops.extend_from_slice(s.as_bytes());
        self.ops.push(b'\n');
    }

    /// Draws WinAnsi text with its baseline starting at (`x`, `y`).
    pub(crate) fn text(&mut self, font: Font, size: f64, x: f64, y: f64, color: Rgb, text: &[u8]) {
        if text.is_empty() {
            return;
        }
        let Rgb(r, g, b) = color;
        let mut line = format!(
            "BT /{} {} Tf {} {} {} rg {} {} Td ",
            font.resource(),
            num(size),
            num(r),
            num(g),
            num(b),
            num(x),
            num(y)
        )
        .into_bytes();
        literal_string(&mut line, text);
        line.extend_from_slice(b" Tj ET\n");
        self.ops.extend_from_slice(&line);
    }

    /// Fills a rectangle whose lower-left corner is (`x`, `y`).
    pub(crate) fn fill_rect(&mut self, x: f64, y: f64, w: f64, h: f64, color: Rgb) {
        let Rgb(r, g, b) = color;
        self.op(&format!(
            "{} {} {} rg {} {} {} {} re f",
            num(r),
            num(g),
            num(b),
            num(x),
            num(y),
            num(w),
            num(h)
        ));
    }

    /// Strokes a rectangle outline.
    pub(crate) fn stroke_rect(&mut self, x: f64, y: f64, w: f64, h: f64, color: Rgb, width: f64) {
        let Rgb(r, g, b) = color;
        self.op(&format!(
            "{} w {} {} {} RG {} {} {} {} re S",
            num(width),
            num(r),
            num(g),
            num(b),
            num(x),
            num(y),
            num(w),
            num(h)
        ));
    }

    /// Strokes a straight line.
    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, color: Rgb, width: f64) {
        let Rgb(r, g, b) = color;
        self.op(&format!(
            "{} w {} {} {} RG {} {} m {} {} l S",
            num(width),
            num(r),
            num(g),
            num(b),
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        ));
    }
}

/// Document information dictionary entries (ASCII after encoding).
#[derive(Debug, Clone, Default)]
pub(crate) struct DocInfo {
    pub(crate) title: String,
    pub(crate) subject: String,
    pub(crate) producer: String,
    /// PDF date string (`D:20261122000000Z`), empty to leave it out.
    pub(crate) creation_date: String,
}

/// Page size in points (A4).
pub(crate) const PAGE_WIDTH: f64 = 595.28;
/// Page height in points (A4).
pub(crate) const PAGE_HEIGHT: f64 = 841.89;

/// Object numbers: 1 catalog, 2 page tree, 3 info, 4 resources, 5.. fonts, then one
/// page object and one content stream per page.
const CATALOG: usize = 1;
const PAGES: usize = 2;
const INFO: usize = 3;
const RESOURCES: usize = 4;
const FIRST_FONT: usize = 5;

fn first_page_object() -> usize {
    FIRST_FONT + Font::ALL.len()
}

/// Serialises pages into a complete PDF file.
pub(crate) fn write_document(pages: &[Canvas], info: &DocInfo) -> Vec<u8> {
    let first_page = first_page_object();
    let object_count = first_page + 2 * pages.len(); // objects 1..object_count-1
    let mut out: Vec<u8> = Vec::new();
    // The binary comment marks the file as binary for transfer tools (PDF 7.5.2).
    out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    let mut offsets = vec![0usize; object_count];

    let mut object = |out: &mut Vec<u8>, id: usize, body: &[u8]| {
        offsets[id] = out.len();
        out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };

    object(
        &mut out,
        CATALOG,
        format!("<< /Type /Catalog /Pages {PAGES} 0 R >>").as_bytes(),
    );
    let mut kids = String::new();
    for i in 0..pages.len() {
        let _ = write!(kids, "{} 0 R ", first_page + 2 * i);
    }
    object(
        &mut out,
        PAGES,
        format!(
            "<< /Type /Pages /Kids [ {kids}] /Count {} /MediaBox [0 0 {} {}] >>",
            pages.len(),
            num(PAGE_WIDTH),
            num(PAGE_HEIGHT)
        )
        .as_bytes(),
    );
    let mut info_dict = b"<< ".to_vec();
    for (key, value) in [
        ("Title", &info.title),
        ("Subject", &info.subject),
        ("Producer", &info.producer),
        ("CreationDate", &info.creation_date),
    ] {
        if value.is_empty() {
            continue;
        }
        info_dict.extend_from_slice(format!("/{key} ").as_bytes());
        // Info strings use PDFDocEncoding, which agrees with WinAnsi on ASCII and
        // Latin-1 but not on 128-159: keep those out.
        let encoded: Vec<u8> = crate::font::to_win_ansi(value)
            .into_iter()
            .map(|b| if (128..160).contains(&b) { b'-' } else { b })
            .collect();
        literal_string(&mut info_dict, &encoded);
        info_dict.push(b' ');
    }
    info_dict.extend_from_slice(b">>");
    object(&mut out, INFO, &info_dict);
    let mut fonts = String::new();
    for (i, font) in Font::ALL.iter().enumerate() {
        let _ = write!(fonts, "/{} {} 0 R ", font.resource(), FIRST_FONT + i);
    }
    object(
        &mut out,
        RESOURCES,
        format!("<< /Font << {fonts}>> /ProcSet [/PDF /Text] >>").as_bytes(),
    );
    for (i, font) in Font::ALL.iter().enumerate() {
        object(
            &mut out,
            FIRST_FONT + i,
            format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
                font.base_font()
            )
            .as_bytes(),
        );
    }
    for (i, page) in pages.iter().enumerate() {
        let page_id = first_page + 2 * i;
        object(
            &mut out,
            page_id,
            format!(
                "<< /Type /Page /Parent {PAGES} 0 R /Resources {RESOURCES} 0 R /Contents {} 0 R >>",
                page_id + 1
            )
            .as_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", page.ops.len()).into_bytes();
        stream.extend_from_slice(&page.ops);
        stream.extend_from_slice(b"\nendstream");
        object(&mut out, page_id + 1, &stream);
    }

    let xref_at = out.len();
    let mut xref = format!("xref\n0 {object_count}\n0000000000 65535 f \n");
    for offset in offsets.iter().skip(1) {
        let _ = writeln!(xref, "{offset:010} 00000 n ");
    }
    let _ = write!(
        xref,
        "trailer\n<< /Size {object_count} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
    );
    out.extend_from_slice(xref.as_bytes());
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks the structure a reader relies on and returns the number of page objects:
    /// `startxref` points at the `xref` keyword, every xref entry points at the start
    /// of its `N 0 obj`, and the page tree's `/Count` equals the page objects.
    pub(crate) fn check_structure(pdf: &[u8]) -> usize {
        // Same length as the bytes, so offsets into `text` are byte offsets.
        let ascii: Vec<u8> = pdf
            .iter()
            .map(|&b| if b < 128 { b } else { b'?' })
            .collect();
        let text = String::from_utf8(ascii).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let sx = text.rfind("startxref\n").expect("startxref");
        let xref_at: usize = text[sx + 10..]
            .lines()
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(&pdf[xref_at..xref_at + 5], b"xref\n", "startxref offset");
        let mut lines = text[xref_at..].lines().skip(1);
        let header = lines.next().unwrap();
        let count: usize = header.split(' ').nth(1).unwrap().parse().unwrap();
        let free = lines.next().unwrap();
        assert_eq!(free, "0000000000 65535 f ");
        for id in 1..count {
            let entry = lines.next().unwrap();
            assert_eq!(
                entry.len(),
                19,
                "xref entry {id} is 20 bytes with its newline"
            );
            let offset: usize = entry[..10].parse().unwrap();
            let expected = format!("{id} 0 obj\n");
            assert_eq!(
                &pdf[offset..offset + expected.len()],
                expected.as_bytes(),
                "object {id} offset"
            );
        }
        assert!(lines.next().unwrap().starts_with("trailer"));
        assert!(text.contains(&format!("/Size {count} ")));
        // Stream lengths are exact: `endstream` follows the declared length.
        let mut rest = &text[..];
        while let Some(at) = rest.find("<< /Length ") {
            let after = &rest[at + 11..];
            let len: usize = after.split(' ').next().unwrap().parse().unwrap();
            let data = after.find("stream\n").unwrap() + 7;
            assert!(after[data + len..].starts_with("\nendstream"));
            rest = &after[data + len..];
        }
        let pages = text.matches("/Type /Page ").count();
        assert!(text.contains(&format!("/Count {pages} ")));
        pages
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = Vec::new();
        literal_string(&mut out, b"a(b)c\\d\xe9\n");
        assert_eq!(out, b"(a\\(b\\)c\\\\d\\351\\012)");
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(40.0), "40");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(595.28), "595.28");
    }

    #[test]
    fn xref_offsets_are_exact() {
        let mut pages = vec![Canvas::default(), Canvas::default(), Canvas::default()];
        pages[0].text(
            Font::Regular,
            10.0,
            50.0,
            700.0,
            Rgb(0.0, 0.0, 0.0),
            b"x (y) \\ z",
        );
        pages[1].fill_rect(10.0, 10.0, 50.0, 20.0, Rgb(0.5, 0.5, 0.5));
        pages[2].line(0.0, 0.0, 10.0, 10.0, Rgb(0.0, 0.0, 0.0), 0.5);
        let info = DocInfo {
            title: "T\u{e9}st (1)".into(),
            creation_date: "D:20261122000000Z".into(),
            ..DocInfo::default()
        };
        let pdf = write_document(&pages, &info);
        assert_eq!(check_structure(&pdf), 3);
    }
}
