//! Tumour-level biomarkers reported by the lab (TMB, MSI, MMR, PD-L1, HER2, ER/PR, HRD).
//!
//! Labs write these by hand or export them from a LIMS, with their own spelling
//! (`PD-L1 TPS`, `pdl1_tps`, `HER2 IHC 2+`), so names are matched loosely but values are
//! checked strictly: a TPS of 150 or an IHC score of 4 is a typo that would change a
//! therapy decision, and is refused with the line that holds it. A biomarker that is not
//! given stays `None` ("not tested"), never "negative".
//!
//! Two file forms: a TSV of `name<TAB>value` lines (optional `name value` header, `#`
//! comments), or, when the file name ends in `.yaml`/`.yml`, a YAML mapping
//! (`{tmb: 12.0, msi: MSI-H, pdl1_tps: 60}`) with the same names and values as the TSV.
//! The manifest's inline `biomarkers:` mapping is read by the same code.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use tailor_core::somatic::{Biomarkers, MmrStatus, MsiStatus, Positivity};

use crate::error::{CaseError, Shown, Unquoted};
use crate::text::Lines;

/// The two file forms of a biomarker file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BiomarkerFormat {
    /// `name<TAB>value` lines.
    Tsv,
    /// A YAML mapping of name to value.
    Yaml,
}

impl BiomarkerFormat {
    /// YAML for `.yaml`/`.yml` file names (any case), TSV otherwise.
    pub fn from_path(path: &Path) -> BiomarkerFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
                BiomarkerFormat::Yaml
            }
            _ => BiomarkerFormat::Tsv,
        }
    }
}

/// Reads a biomarker file; the form follows the file name (see [`BiomarkerFormat::from_path`]).
///
/// ```no_run
/// let b = tailor_case::biomarkers::read_biomarkers(std::path::Path::new("biomarkers.tsv"))?;
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_biomarkers(path: &Path) -> Result<Biomarkers, CaseError> {
    let format = BiomarkerFormat::from_path(path);
    read_biomarkers_from(crate::limits::open_regular(path)?, path, format)
}

/// Reads biomarkers in the given form from any reader; `source` names it in errors.
///
/// ```
/// use std::path::Path;
/// use tailor_case::biomarkers::{read_biomarkers_from, BiomarkerFormat};
/// use tailor_core::somatic::MsiStatus;
/// let text = "name\tvalue\nTMB\t12.5\nMSI\tMSI-H\nPD-L1 TPS\t60%\nHER2 IHC\t2+\n";
/// let b = read_biomarkers_from(text.as_bytes(), Path::new("mem"), BiomarkerFormat::Tsv)?;
/// assert_eq!((b.tmb, b.msi, b.pdl1_tps, b.her2_ihc), (Some(12.5), Some(MsiStatus::MsiHigh), Some(60.0), Some(2)));
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_biomarkers_from<R: Read + 'static>(
    reader: R,
    source: &Path,
    format: BiomarkerFormat,
) -> Result<Biomarkers, CaseError> {
    match format {
        BiomarkerFormat::Tsv => parse_tsv(Lines::from_reader(reader, source)?),
        BiomarkerFormat::Yaml => {
            let text = crate::limits::read_yaml(reader, source)?;
            let parsed: BiomarkerMap = serde_norway::from_str(&text)
                .map_err(|e| crate::manifest::yaml_error(source, &e))?;
            if parsed.0 == Biomarkers::default() {
                return Err(CaseError::file_error(source, "no biomarkers in the file"));
            }
            Ok(parsed.0)
        }
    }
}

fn parse_tsv(mut lines: Lines) -> Result<Biomarkers, CaseError> {
    let path = lines.path().to_path_buf();
    let mut set = BiomarkerSet::default();
    let mut first = true;
    while let Some((n, line)) = lines.next_content_line()? {
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let is_header = first
            && fields.len() == 2
            && matches!(
                fields[0].to_ascii_lowercase().as_str(),
                "name" | "biomarker" | "marker"
            )
            && matches!(fields[1].to_ascii_lowercase().as_str(), "value" | "result");
        first = false;
        if is_header {
            continue;
        }
        if fields.len() != 2 {
            return Err(CaseError::line_error(
                &path,
                n,
                None,
                format!(
                    "expected `name<TAB>value` (2 tab-separated fields), found {}",
                    Unquoted(fields.len())
                ),
            ));
        }
        set.set(fields[0], fields[1], Some(n))
            .map_err(|message| CaseError::line_error(&path, n, Some(fields[0]), message))?;
    }
    if set.values == Biomarkers::default() {
        return Err(CaseError::file_error(&path, "no biomarkers in the file"));
    }
    Ok(set.values)
}

/// Which biomarker a name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Marker {
    Tmb,
    Msi,
    Mmr,
    Tps,
    Cps,
    Her2Ihc,
    Her2Ish,
    Er,
    Pr,
    Hrd,
}

impl Marker {
    fn from_name(name: &str) -> Option<Marker> {
        let key: String = name
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "tmb" | "tumormutationalburden" | "tumourmutationalburden" => Marker::Tmb,
            "msi" | "msistatus" => Marker::Msi,
            "mmr" | "mmrstatus" | "mmrihc" => Marker::Mmr,
            "pdl1tps" | "tps" => Marker::Tps,
            "pdl1cps" | "cps" => Marker::Cps,
            "her2ihc" => Marker::Her2Ihc,
            "her2ish" | "her2fish" | "her2sish" => Marker::Her2Ish,
            "er" | "erstatus" | "estrogenreceptor" | "oestrogenreceptor" => Marker::Er,
            "pr" | "prstatus" | "pgr" | "progesteronereceptor" => Marker::Pr,
            "hrd" | "hrdstatus" => Marker::Hrd,
            _ => return None,
        })
    }
}

fn unknown_name(name: &str) -> String {
    let hint =
        if name.trim().eq_ignore_ascii_case("pd-l1") || name.trim().eq_ignore_ascii_case("pdl1") {
            " (say which score: `PD-L1 TPS` or `PD-L1 CPS`)"
        } else {
            ""
        };
    format!(
        "unknown biomarker {}{hint}; known: {KNOWN_NAMES}",
        Shown(name)
    )
}

const KNOWN_NAMES: &str = "TMB, MSI, MMR, PD-L1 TPS, PD-L1 CPS, HER2 IHC, HER2 ISH, ER, PR, HRD";

/// Biomarkers being collected, remembering where each was set to refuse duplicates.
#[derive(Default)]
pub(crate) struct BiomarkerSet {
    pub(crate) values: Biomarkers,
    seen: HashMap<Marker, Option<usize>>,
}

impl BiomarkerSet {
    /// Sets one biomarker from its name and value text; the error says what is wrong.
    pub(crate) fn set(
        &mut self,
        name: &str,
        value: &str,
        line: Option<usize>,
    ) -> Result<(), String> {
        let marker = Marker::from_name(name).ok_or_else(|| unknown_name(name))?;
        if let Some(previous) = self.seen.get(&marker) {
            return Err(match previous {
                Some(l) => format!(
                    "biomarker {} is given twice (first on line {l})",
                    Shown(name)
                ),
                None => format!("biomarker {} is given twice", Shown(name)),
            });
        }
        let v = value.trim();
        if v.is_empty() {
            return Err(format!("biomarker {} has no value", Shown(name)));
        }
        let b = &mut self.values;
        match marker {
            Marker::Tmb => {
                let number = strip_suffix_ci(v, "mut/mb").trim();
                b.tmb = Some(number_in(
                    number,
                    0.0,
                    f64::MAX,
                    "TMB (mutations per megabase)",
                )?);
            }
            Marker::Msi => b.msi = Some(msi(v)?),
            Marker::Mmr => b.mmr = Some(mmr(v)?),
            Marker::Tps => {
                if v.starts_with('<') || v.starts_with('>') {
                    return Err(format!(
                        "PD-L1 TPS must be a number 0-100, found {} (write 0 for <1%)",
                        Shown(v)
                    ));
                }
                b.pdl1_tps = Some(number_in(
                    v.trim_end_matches('%').trim(),
                    0.0,
                    100.0,
                    "PD-L1 TPS (percent)",
                )?);
            }
            Marker::Cps => {
                let cps = number_in(v.trim_end_matches('%').trim(), 0.0, f64::MAX, "PD-L1 CPS")?;
                // CPS can exceed 100 arithmetically; guidelines cap it at 100.
                b.pdl1_cps = Some(cps.min(100.0));
            }
            Marker::Her2Ihc => b.her2_ihc = Some(ihc(v)?),
            Marker::Her2Ish => b.her2_ish = Some(positivity(v)?),
            Marker::Er => b.er = Some(positivity(v)?),
            Marker::Pr => b.pr = Some(positivity(v)?),
            Marker::Hrd => b.hrd = Some(positivity(v)?),
        }
        self.seen.insert(marker, line);
        Ok(())
    }
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> &'a str {
    let n = text.len();
    if n >= suffix.len()
        && text.is_char_boundary(n - suffix.len())
        && text[n - suffix.len()..].eq_ignore_ascii_case(suffix)
    {
        &text[..n - suffix.len()]
    } else {
        text
    }
}

fn number_in(text: &str, min: f64, max: f64, what: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= min && x <= max => Ok(x),
        Ok(x) if x.is_finite() => Err(format!("{what} must be between {min} and {max}, found {x}")),
        _ => Err(format!("{what} must be a number, found {}", Shown(text))),
    }
}

fn msi(text: &str) -> Result<MsiStatus, String> {
    match text.to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
        "msi-h" | "msih" | "msi-high" | "high" | "unstable" => Ok(MsiStatus::MsiHigh),
        "msi-l" | "msil" | "msi-low" | "low" => Ok(MsiStatus::MsiLow),
        "mss" | "stable" | "ms-stable" | "microsatellite-stable" => Ok(MsiStatus::Stable),
        _ => Err(format!(
            "MSI must be MSI-H, MSI-L or MSS, found {}",
            Shown(text)
        )),
    }
}

fn mmr(text: &str) -> Result<MmrStatus, String> {
    match text.to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
        "dmmr" | "deficient" | "mmr-d" | "mmrd" | "loss" => Ok(MmrStatus::Deficient),
        "pmmr" | "proficient" | "mmr-p" | "mmrp" | "intact" | "retained" => {
            Ok(MmrStatus::Proficient)
        }
        _ => Err(format!("MMR must be dMMR or pMMR, found {}", Shown(text))),
    }
}

fn ihc(text: &str) -> Result<u8, String> {
    let t = text.trim();
    let t = strip_prefix_ci(t, "ihc").trim();
    let digits = t.strip_suffix('+').unwrap_or(t).trim();
    match digits {
        "0" => Ok(0),
        "1" => Ok(1),
        "2" => Ok(2),
        "3" => Ok(3),
        _ => Err(format!(
            "HER2 IHC must be 0, 1+, 2+ or 3+, found {}",
            Shown(text)
        )),
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> &'a str {
    if text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        &text[prefix.len()..]
    } else {
        text
    }
}

fn positivity(text: &str) -> Result<Positivity, String> {
    match text.trim() {
        "+" => return Ok(Positivity::Positive),
        "-" => return Ok(Positivity::Negative),
        _ => {}
    }
    match text
        .trim()
        .to_ascii_lowercase()
        .replace(['_', '-'], " ")
        .as_str()
    {
        "positive" | "pos" | "amplified" | "yes" | "true" | "detected" => Ok(Positivity::Positive),
        "negative" | "neg" | "not amplified" | "non amplified" | "no" | "false"
        | "not detected" => Ok(Positivity::Negative),
        "equivocal" => Ok(Positivity::Equivocal),
        _ => Err(format!(
            "expected positive, negative or equivocal, found {}",
            Shown(text)
        )),
    }
}

/// A YAML mapping of biomarker names to values, validated entry by entry so that
/// The YAML parser (serde_norway) can attach the line of a bad entry to the error.
pub(crate) struct BiomarkerMap(pub(crate) Biomarkers);

impl<'de> Deserialize<'de> for BiomarkerMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor)
    }
}

struct MapVisitor;

impl<'de> Visitor<'de> for MapVisitor {
    type Value = BiomarkerMap;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of biomarker names to values, e.g. {tmb: 12.0, msi: MSI-H}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BiomarkerMap, A::Error> {
        let mut set = BiomarkerSet::default();
        while let Some(name) = map.next_key_seed(ScalarSeed(|name: String| {
            Marker::from_name(&name)
                .map(|_| name.clone())
                .ok_or_else(|| unknown_name(&name))
        }))? {
            map.next_value_seed(ScalarSeed(|value: String| set.set(&name, &value, None)))?;
        }
        Ok(BiomarkerMap(set.values))
    }
}

/// Deserialises one YAML scalar (text, number or boolean) as text and checks it with `F`.
///
/// The check runs inside the scalar's own deserialisation, which is what makes
/// serde_norway report the scalar's line and column with the error; a check made after
/// deserialising would be reported at the start of the enclosing mapping.
pub(crate) struct ScalarSeed<F>(pub(crate) F);

impl<'de, T, F: FnOnce(String) -> Result<T, String>> de::DeserializeSeed<'de> for ScalarSeed<F> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(ScalarVisitor(self.0))
    }
}

struct ScalarVisitor<F>(F);

impl<T, F: FnOnce(String) -> Result<T, String>> Visitor<'_> for ScalarVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a single value (text or number)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v.to_owned()).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.0)(v.to_string()).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        (self.0)(v.to_string()).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        (self.0)(v.to_string()).map_err(E::custom)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        (self.0)(v.to_string()).map_err(E::custom)
    }
}

/// Deserialises a YAML scalar as its text exactly as written, checked by `check`:
/// asking for a string keeps an unquoted identifier such as `007` as `007` (read as a
/// number it would become 7). The check runs inside the scalar's deserialisation for the
/// same reason as in [`ScalarSeed`].
pub(crate) fn text_with<'de, D, T, F>(deserializer: D, check: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(String) -> Result<T, String>,
{
    struct TextVisitor<F>(F);
    impl<T, F: FnOnce(String) -> Result<T, String>> Visitor<'_> for TextVisitor<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a single text value")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.0)(v.to_owned()).map_err(E::custom)
        }
    }
    deserializer.deserialize_str(TextVisitor(check))
}

/// Deserialises one YAML scalar as text checked by `check` (see [`ScalarSeed`]).
pub(crate) fn scalar_with<'de, D, T, F>(deserializer: D, check: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(String) -> Result<T, String>,
{
    de::DeserializeSeed::deserialize(ScalarSeed(check), deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tsv(text: &str) -> Result<Biomarkers, CaseError> {
        read_biomarkers_from(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            Path::new("b.tsv"),
            BiomarkerFormat::Tsv,
        )
    }

    fn yaml(text: &str) -> Result<Biomarkers, CaseError> {
        read_biomarkers_from(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            Path::new("b.yaml"),
            BiomarkerFormat::Yaml,
        )
    }

    #[test]
    fn every_name_and_value_form() {
        let b =
            tsv("# lab export\nTMB\t12.0 mut/Mb\nmsi_status\tstable\nMMR\tdMMR\npdl1_tps\t<1\n")
                .unwrap_err();
        assert!(
            b.to_string()
                .starts_with("b.tsv:5: column `pdl1_tps`: PD-L1 TPS must be a number"),
            "{b}"
        );
        let b = tsv("TMB\t12.0 mut/Mb\nmsi_status\tstable\nMMR\tdMMR\nPD-L1 CPS\t120\nher2_ihc\t3+\nHER2 ISH\tnot amplified\nER\tpos\nPR\tnegative\nHRD\tpositive\n").unwrap();
        assert_eq!(b.tmb, Some(12.0));
        assert_eq!(b.msi, Some(MsiStatus::Stable));
        assert_eq!(b.mmr, Some(MmrStatus::Deficient));
        assert_eq!(b.pdl1_cps, Some(100.0));
        assert_eq!(b.her2_ihc, Some(3));
        assert_eq!(b.her2_ish, Some(Positivity::Negative));
        assert_eq!(
            (b.er, b.pr, b.hrd),
            (
                Some(Positivity::Positive),
                Some(Positivity::Negative),
                Some(Positivity::Positive)
            )
        );
        assert_eq!(b.pdl1_tps, None, "not given stays not tested");
    }

    #[test]
    fn ranges_duplicates_and_unknown_names_are_refused_with_lines() {
        for (text, want) in [
            (
                "TPS\t150\n",
                "b.tsv:1: column `TPS`: PD-L1 TPS (percent) must be between 0 and 100, found 150",
            ),
            (
                "HER2 IHC\t4+\n",
                "b.tsv:1: column `HER2 IHC`: HER2 IHC must be 0, 1+, 2+ or 3+",
            ),
            (
                "TMB\t5\ntmb\t6\n",
                "b.tsv:2: column `tmb`: biomarker `tmb` is given twice (first on line 1)",
            ),
            (
                "KRAS\tG12C\n",
                "b.tsv:1: column `KRAS`: unknown biomarker `KRAS`",
            ),
            ("PD-L1\t50\n", "say which score"),
            ("TMB 12\n", "b.tsv:1: expected `name<TAB>value`"),
            (
                "TMB\tlots\n",
                "b.tsv:1: column `TMB`: TMB (mutations per megabase) must be a number",
            ),
            ("name\tvalue\n", "b.tsv: no biomarkers"),
        ] {
            let e = tsv(text).unwrap_err().to_string();
            assert!(e.contains(want), "{e} should contain {want}");
        }
    }

    #[test]
    fn yaml_mapping_with_line_numbers() {
        let b = yaml("tmb: 12.0\nmsi: MSI-H\npdl1_tps: 60\nher2_ihc: 2+\n").unwrap();
        assert_eq!(
            (b.tmb, b.pdl1_tps, b.her2_ihc),
            (Some(12.0), Some(60.0), Some(2))
        );
        let e = yaml("tmb: 12.0\npdl1_tps: 101\n").unwrap_err();
        assert_eq!(e.line(), Some(2), "{e}");
        assert!(e.to_string().starts_with("b.yaml:2:"), "{e}");
        let e = yaml("tmb: 12\nTMB: 13\n").unwrap_err().to_string();
        assert!(e.contains("given twice"), "{e}");
        let e = yaml("- tmb\n").unwrap_err().to_string();
        assert!(e.contains("b.yaml:1:"), "{e}");
    }
}
