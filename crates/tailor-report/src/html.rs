//! HTML renderers: the clinician report and the plain-language patient summary.
//!
//! Both are single self-contained documents: CSS and SVG plots are inline, no fonts,
//! scripts or images are fetched, so a report opens the same way from an e-mail
//! attachment, an air-gapped hospital network or an archive in ten years. Both are
//! rendered from the [`Interpretation`] alone, like every other format, so the HTML can
//! never disagree with `interpretation.json` or the FHIR bundle.
//!
//! The HTML is written with plain `write!` into a `String` rather than a template
//! engine: the structure is fixed, escaping is done in one place ([`escape`]), and no
//! dependency is added to a crate every front end links.

mod clinician;
mod patient;
mod plot;
mod style;

use tailor_core::interpretation::Interpretation;
use tailor_core::labels::percent;

/// The clinician report (`report.html`): header, summary box, tiered somatic findings,
/// ranked therapies, VUS kept apart, biomarkers, VAF plot, trials, pharmacogenomics
/// with current medications first, limitations, methods, knowledge versions and
/// attributions, and an empty sign-off block. Prints on A4 and Letter.
pub fn clinician_report(i: &Interpretation) -> String {
    clinician::render(i)
}

/// The plain-language patient summary (`patient-summary.html`), written for about an
/// 8th-grade reading level: what was found, what the test could not tell, how genes
/// may affect medicines, and questions to ask the care team.
pub fn patient_summary(i: &Interpretation) -> String {
    patient::render(i)
}

/// Escapes text for HTML element content and quoted attribute values.
///
/// Every string that comes from an input, the knowledge base or the engine goes
/// through here: case manifests are user input, and a pseudonym or a curator's note
/// must never be able to inject markup into a signed clinical report.
///
/// ```
/// assert_eq!(
///     tailor_report::html::escape("<b>\"A&B\"</b> 'x'"),
///     "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; &#39;x&#39;"
/// );
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` escaped (see [`escape`]) to `out` without an intermediate String.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than whitespace are not allowed in HTML text;
            // they can only come from a corrupt input, so drop them.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
}

/// Escaped text with line breaks kept (guideline recommendations come with `\n`
/// between the recommendation and "Other Considerations").
fn escape_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.trim().lines().enumerate() {
        if n > 0 {
            out.push_str("<br>");
        }
        push_escaped(&mut out, line.trim_end());
    }
    out
}

/// The date part (`YYYY-MM-DD`) of an RFC 3339 timestamp; the whole string when it
/// has no `T`.
fn date_of(timestamp: &str) -> &str {
    timestamp.split('T').next().unwrap_or(timestamp)
}

/// Formats a number without trailing `.0` noise (`2` rather than `2.0`, `71.15`).
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let s = format!("{value:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape("bell\u{7}"), "bell");
        assert_eq!(escape("é ü —"), "é ü —");
    }

    #[test]
    fn escape_lines_keeps_breaks_and_escapes_each_line() {
        assert_eq!(escape_lines("a<1\nOther\n"), "a&lt;1<br>Other");
    }

    #[test]
    fn numbers_read_cleanly() {
        assert_eq!(number(2.0), "2");
        assert_eq!(number(71.15), "71.15");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(percent(0.314814), "31%");
        assert_eq!(date_of("2026-11-22T00:00:00Z"), "2026-11-22");
        assert_eq!(date_of("2026-11-22"), "2026-11-22");
    }
}
