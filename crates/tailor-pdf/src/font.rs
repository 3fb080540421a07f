//! The standard 14 fonts Tailor uses, their WinAnsiEncoding glyph widths, and the
//! mapping from Unicode text to WinAnsi bytes.
//!
//! Every PDF reader must provide the standard 14 fonts, so nothing is embedded and the
//! file stays small. The price is that Tailor has to know the glyph widths itself to
//! wrap lines and right-align text: they are the advance widths from Adobe's published
//! AFM metrics (units of 1/1000 em), laid out here by WinAnsi code.

/// A standard-14 font, as referenced from the page resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Font {
    /// Helvetica: body text.
    Regular,
    /// Helvetica-Bold: headings, labels, table headers.
    Bold,
    /// Helvetica-Oblique: explanations (same widths as Helvetica).
    Italic,
    /// Courier: identifiers and checksums (every glyph 600 units).
    Mono,
}

impl Font {
    /// Every font, in resource order (`/F1` .. `/F4`).
    pub(crate) const ALL: [Font; 4] = [Font::Regular, Font::Bold, Font::Italic, Font::Mono];

    /// Resource name used in content streams.
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
            Font::Italic => "F3",
            Font::Mono => "F4",
        }
    }

    /// PostScript name of the standard-14 font.
    pub(crate) fn base_font(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
            Font::Italic => "Helvetica-Oblique",
            Font::Mono => "Courier",
        }
    }

    /// Advance width of one WinAnsi byte, in 1/1000 em.
    pub(crate) fn glyph_width(self, byte: u8) -> u16 {
        if byte < 32 {
            return 0;
        }
        let i = usize::from(byte - 32);
        match self {
            Font::Regular | Font::Italic => HELVETICA[i],
            Font::Bold => HELVETICA_BOLD[i],
            Font::Mono => 600,
        }
    }

    /// Width of WinAnsi-encoded text at `size` points.
    pub(crate) fn width(self, text: &[u8], size: f64) -> f64 {
        let units: u32 = text.iter().map(|&b| u32::from(self.glyph_width(b))).sum();
        f64::from(units) * size / 1000.0
    }
}

/// Helvetica (and Helvetica-Oblique) widths for WinAnsi codes 32..=255. Codes WinAnsi
/// leaves undefined (127, 129, 141, 143, 144, 157) are 0: [`to_win_ansi`] never
/// produces them.
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 32
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 48
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 64
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 80
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 96
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,   // 112
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,    // 128
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,   // 144
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 224
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 240
];

/// Helvetica-Bold widths for WinAnsi codes 32..=255 (undefined codes are 0).
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 32
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 48
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 64
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 80
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 96
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,   // 112
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,    // 128
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,   // 144
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 160
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 176
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 192
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 208
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 224
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 240
];

/// WinAnsi code of the characters WinAnsiEncoding places in 128..=159 (the rest of
/// 160..=255 is Latin-1 and maps one to one).
fn win_ansi_special(c: char) -> Option<u8> {
    Some(match c {
        '\u{20AC}' => 0x80,
        '\u{201A}' => 0x82,
        '\u{0192}' => 0x83,
        '\u{201E}' => 0x84,
        '\u{2026}' => 0x85,
        '\u{2020}' => 0x86,
        '\u{2021}' => 0x87,
        '\u{02C6}' => 0x88,
        '\u{2030}' => 0x89,
        '\u{0160}' => 0x8A,
        '\u{2039}' => 0x8B,
        '\u{0152}' => 0x8C,
        '\u{017D}' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '\u{2022}' => 0x95,
        '\u{2013}' => 0x96,
        '\u{2014}' => 0x97,
        '\u{02DC}' => 0x98,
        '\u{2122}' => 0x99,
        '\u{0161}' => 0x9A,
        '\u{203A}' => 0x9B,
        '\u{0153}' => 0x9C,
        '\u{017E}' => 0x9E,
        '\u{0178}' => 0x9F,
        _ => return None,
    })
}

/// ASCII stand-ins for characters outside WinAnsi that occur in clinical text, so a
/// threshold reads `>= 10` rather than `? 10`.
fn ascii_equivalent(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2265}' => ">=",
        '\u{2264}' => "<=",
        '\u{2260}' => "!=",
        '\u{2248}' => "~",
        '\u{2192}' | '\u{27F6}' => "->",
        '\u{2190}' => "<-",
        '\u{2194}' => "<->",
        '\u{2212}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2043}' => "-",
        '\u{2032}' => "'",
        '\u{2033}' => "\"",
        '\u{03B1}' => "alpha",
        '\u{03B2}' => "beta",
        '\u{03B3}' => "gamma",
        '\u{03B4}' => "delta",
        '\u{0394}' => "Delta",
        '\u{03BA}' => "kappa",
        '\u{03BB}' => "lambda",
        '\u{03BC}' => "\u{00B5}",
        '\u{2009}' | '\u{200A}' | '\u{2002}' | '\u{2003}' | '\u{202F}' | '\u{2007}' => " ",
        '\u{2713}' | '\u{2714}' => "yes",
        '\u{2717}' | '\u{2718}' => "no",
        _ => return None,
    })
}

/// Encodes text as WinAnsi bytes. Tabs and other control characters become spaces
/// (`\n` is kept: callers split paragraphs on it), zero-width and combining marks are
/// dropped, a few mathematical and Greek characters get ASCII equivalents, and anything
/// else outside WinAnsi becomes `?` so a missing glyph is visible, not silent.
pub(crate) fn to_win_ansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let code = u32::from(c);
        if c == '\n' {
            out.push(b'\n');
        } else if code < 32 || code == 127 || (0x80..0xA0).contains(&code) {
            out.push(b' ');
        } else if code < 127 || (0xA0..=0xFF).contains(&code) {
            // Lossless: the range check above keeps the value within one byte.
            out.push(u8::try_from(code).unwrap_or(b'?'));
        } else if let Some(b) = win_ansi_special(c) {
            out.push(b);
        } else if (0x300..0x370).contains(&code) || matches!(code, 0x200B..=0x200D | 0xFEFF) {
            // combining marks and zero-width characters: nothing to draw
        } else if let Some(s) = ascii_equivalent(c) {
            out.extend(
                s.chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')),
            );
        } else {
            out.push(b'?');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_latin1_pass_through() {
        assert_eq!(to_win_ansi("BRAF V600E"), b"BRAF V600E");
        assert_eq!(to_win_ansi("caf\u{e9} \u{b5}g"), b"caf\xe9 \xb5g");
    }

    #[test]
    fn typographic_characters_use_win_ansi_codes() {
        assert_eq!(to_win_ansi("a\u{2013}b\u{2014}c"), b"a\x96b\x97c");
        assert_eq!(to_win_ansi("\u{201c}x\u{201d}"), b"\x93x\x94");
    }

    #[test]
    fn characters_outside_win_ansi_get_ascii_or_question_mark() {
        assert_eq!(to_win_ansi("VAF \u{2265} 5%"), b"VAF >= 5%");
        assert_eq!(to_win_ansi("A \u{2192} B"), b"A -> B");
        assert_eq!(to_win_ansi("\u{4e2d}"), b"?");
        assert_eq!(to_win_ansi("e\u{301}"), b"e");
        assert_eq!(to_win_ansi("a\tb\rc\nd"), b"a b c\nd");
    }

    #[test]
    fn widths_follow_the_afm_metrics() {
        // "Hello" in Helvetica: H 722 + e 556 + l 222 + l 222 + o 556 = 2278 units.
        assert!((Font::Regular.width(b"Hello", 10.0) - 22.78).abs() < 1e-9);
        // Bold is wider: H 722 + e 556 + l 278 + l 278 + o 611 = 2445 units.
        assert!((Font::Bold.width(b"Hello", 10.0) - 24.45).abs() < 1e-9);
        assert!((Font::Mono.width(b"abc", 10.0) - 18.0).abs() < 1e-9);
        // Every byte to_win_ansi can produce from printable text has a width.
        for b in 32u8..=255 {
            let undefined = matches!(b, 127 | 129 | 141 | 143 | 144 | 157);
            assert_eq!(Font::Regular.glyph_width(b) == 0, undefined, "byte {b}");
            assert_eq!(Font::Bold.glyph_width(b) == 0, undefined, "byte {b}");
        }
    }
}
