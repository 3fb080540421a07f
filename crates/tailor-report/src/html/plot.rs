//! Inline SVG plots: where a picture reads faster than a table (TMB against its
//! threshold, VAF per finding against the purity). Plain SVG elements only, sized by
//! `viewBox` so they scale with the page and print sharply.

use super::{escape, number, percent};
use std::fmt::Write as _;

/// Colour of tier I marks (the report's blue).
const TIER1: &str = "#1f4e79";
/// Colour of tier II marks (amber, as the tier II badges).
const TIER2: &str = "#b7791f";

/// A round upper bound for an axis holding `value` (1, 2, 2.5, 5 x 10^n).
fn nice_ceiling(value: f64) -> f64 {
    if !value.is_finite() || value <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= value {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// TMB as a horizontal bar on a linear axis with the TMB-high threshold marked.
pub(super) fn tmb_gauge(value: f64, threshold: f64, high: bool) -> String {
    let value = if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    };
    let max = nice_ceiling((threshold * 2.0).max(value * 1.05));
    let (left, width) = (10.0, 460.0);
    let x = |v: f64| left + width * (v / max).clamp(0.0, 1.0);
    let fill = if high { "#b42318" } else { TIER1 };
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="tmb" viewBox="0 0 480 62" width="480" height="62" role="img" aria-label="TMB {v} mutations per megabase; TMB-high threshold {t}"><title>TMB {v} mut/Mb against the TMB-high threshold of {t} mut/Mb</title>"##,
        v = number(value),
        t = number(threshold),
    );
    let _ = write!(
        s,
        r##"<rect x="{left}" y="14" width="{width}" height="16" fill="#eef1f5" stroke="#c8ccd2"/><rect x="{left}" y="14" width="{w:.1}" height="16" fill="{fill}"/>"##,
        w = x(value) - left,
    );
    let tx = x(threshold);
    let _ = write!(
        s,
        r##"<line x1="{tx:.1}" y1="8" x2="{tx:.1}" y2="36" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="3 2"/><text x="{tx:.1}" y="7" font-size="9" text-anchor="middle" fill="#1a1a1a">TMB-high &#8805; {t}</text>"##,
        t = number(threshold),
    );
    for tick in [0.0, max / 4.0, max / 2.0, max * 3.0 / 4.0, max] {
        let _ = write!(
            s,
            r##"<line x1="{p:.1}" y1="30" x2="{p:.1}" y2="34" stroke="#555"/><text x="{p:.1}" y="44" font-size="9" text-anchor="middle" fill="#555">{l}</text>"##,
            p = x(tick),
            l = number(tick),
        );
    }
    let _ = write!(
        s,
        r##"<text x="{left}" y="58" font-size="9.5" fill="#1a1a1a" font-weight="bold">{v} mut/Mb ({state})</text></svg>"##,
        v = number(value),
        state = if high {
            "TMB-high"
        } else {
            "below the TMB-high threshold"
        },
    );
    s
}

/// One bar of the VAF plot.
pub(super) struct VafBar {
    /// Label (alteration).
    pub(super) label: String,
    /// Variant allele fraction, 0-1.
    pub(super) vaf: f64,
    /// True for tier I (colour), false for tier II.
    pub(super) tier1: bool,
    /// Probably subclonal (hatched look: lighter fill).
    pub(super) subclonal: bool,
}

/// VAF per finding as horizontal bars on a 0-100% axis, with the VAF a clonal
/// heterozygous variant would have at the stated purity (purity / 2) marked, so a
/// subclonal or amplified variant stands out at a glance.
pub(super) fn vaf_bars(bars: &[VafBar], purity: Option<f64>) -> String {
    let row = 18.0;
    let top = 22.0;
    let (left, width) = (200.0, 330.0);
    let height = top + row * bars.len() as f64 + 26.0;
    let x = |v: f64| left + width * v.clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="vaf" viewBox="0 0 560 {height}" width="560" height="{height}" role="img" aria-label="Variant allele fraction per finding"><title>Variant allele fraction (VAF) per finding</title>"##,
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let p = x(tick);
        let _ = write!(
            s,
            r##"<line x1="{p:.1}" y1="{top}" x2="{p:.1}" y2="{b:.1}" stroke="#e1e4e8"/><text x="{p:.1}" y="{ty:.1}" font-size="9" text-anchor="middle" fill="#555">{l}</text>"##,
            b = top + row * bars.len() as f64,
            ty = top + row * bars.len() as f64 + 12.0,
            l = percent(tick),
        );
    }
    for (n, bar) in bars.iter().enumerate() {
        let y = top + row * n as f64;
        let colour = if bar.tier1 { TIER1 } else { TIER2 };
        let opacity = if bar.subclonal { "0.45" } else { "1" };
        let mut label = bar.label.clone();
        if label.chars().count() > 34 {
            label = label.chars().take(33).collect::<String>() + "…";
        }
        let _ = write!(
            s,
            r##"<text x="{lx}" y="{ty:.1}" font-size="9.5" text-anchor="end" fill="#1a1a1a">{label}</text><rect x="{left}" y="{ry:.1}" width="{w:.1}" height="12" fill="{colour}" fill-opacity="{opacity}"/><text x="{vx:.1}" y="{ty:.1}" font-size="9" fill="#1a1a1a">{v}{sub}</text>"##,
            lx = left - 6.0,
            ty = y + 10.5,
            label = escape(&label),
            ry = y + 1.0,
            w = (x(bar.vaf) - left).max(0.5),
            vx = x(bar.vaf) + 3.0,
            v = percent(bar.vaf),
            sub = if bar.subclonal { " (subclonal)" } else { "" },
        );
    }
    if let Some(p) = purity.filter(|p| p.is_finite() && *p > 0.0) {
        let px = x(p / 2.0);
        let _ = write!(
            s,
            r##"<line x1="{px:.1}" y1="12" x2="{px:.1}" y2="{b:.1}" stroke="#b42318" stroke-width="1.5" stroke-dasharray="4 2"/><text x="{px:.1}" y="9" font-size="9" text-anchor="middle" fill="#b42318">clonal heterozygous at purity {pp} ({h})</text>"##,
            b = top + row * bars.len() as f64,
            pp = percent(p),
            h = percent(p / 2.0),
        );
    }
    let _ = write!(
        s,
        r##"<text x="{left}" y="{y:.1}" font-size="9" fill="#555">VAF (tier I dark blue, tier II amber; pale = subclonal)</text></svg>"##,
        y = height - 2.0,
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(20.0), 20.0);
        assert_eq!(nice_ceiling(74.7), 100.0);
        assert_eq!(nice_ceiling(21.0), 25.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
    }

    #[test]
    fn tmb_gauge_marks_value_and_threshold() {
        let svg = tmb_gauge(71.15, 10.0, true);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("TMB-high &#8805; 10"));
        assert!(svg.contains("71.15 mut/Mb (TMB-high)"));
        let low = tmb_gauge(3.0, 10.0, false);
        assert!(low.contains("below the TMB-high threshold"));
    }

    #[test]
    fn vaf_bars_escape_labels_and_mark_purity() {
        let svg = vaf_bars(
            &[VafBar {
                label: "<x> & y".into(),
                vaf: 0.3,
                tier1: true,
                subclonal: false,
            }],
            Some(0.6),
        );
        assert!(svg.contains("&lt;x&gt; &amp; y"));
        assert!(svg.contains("purity 60% (30%)"));
        assert!(!vaf_bars(&[], None).contains("purity"));
    }
}
