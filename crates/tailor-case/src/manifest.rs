//! The case manifest: one YAML file that ties a cancer case's inputs together.
//!
//! A pipeline writes it once per case; the CLI's flags (`--vcf`, `--maf`, ...) fill the
//! same [`CaseManifest`], so both routes are checked by the same [`CaseManifest::check`].
//! Unknown keys are refused (with the YAML line) because a misspelt key (`fusion:` for
//! `fusions:`) would otherwise silently drop an input and could hide an actionable
//! finding. Relative file paths are resolved against the manifest's folder, so a case
//! folder can be moved or archived as a whole.
//!
//! ```yaml
//! patient: PSEUDO-001
//! tumor_type: COAD
//! sample_type: tissue        # tissue | ctDNA
//! purity: 0.6                # fraction, 0 < purity <= 1
//! assembly: GRCh38           # default
//! somatic:
//!   vcf: tumor.vcf.gz
//!   maf: calls.maf
//!   cna: genes.cna.tsv
//!   segments: segments.tsv
//!   fusions: fusions.tsv
//!   biomarkers: biomarkers.tsv
//!   panel_size_mb: 1.1
//! biomarkers: {tmb: 12.0, msi: MSI-H, pdl1_tps: 60}
//! germline: {vcf: germline.vcf.gz, sample: NA12878}
//! medications: [warfarin, clopidogrel]
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use tailor_core::input_file::FileProblem;
use tailor_core::somatic::{Assembly, Biomarkers, SampleType};

use crate::biomarkers::{scalar_with, text_with, BiomarkerMap, ScalarSeed};
use crate::error::CaseError;

/// Longest accepted patient pseudonym, in characters.
pub const MAX_PATIENT_LEN: usize = 64;

/// Everything Tailor needs to know about one case. Every section except `patient` is
/// optional, but at least one input must be given (see [`CaseManifest::check`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseManifest {
    /// Patient pseudonym (never a real identifier): non-empty, at most 64 characters,
    /// one line.
    #[serde(deserialize_with = "de_patient")]
    pub patient: String,
    /// OncoTree code of the tumour (checked against the knowledge base by the engine).
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub tumor_type: Option<String>,
    /// Tissue or ctDNA.
    #[serde(default)]
    pub sample_type: SampleType,
    /// Tumour purity as a fraction (0 < purity <= 1).
    #[serde(
        default,
        deserialize_with = "de_purity",
        skip_serializing_if = "Option::is_none"
    )]
    pub purity: Option<f64>,
    /// Assembly of every coordinate in the case (default GRCh38).
    #[serde(default)]
    pub assembly: Assembly,
    /// Somatic (tumour) inputs.
    #[serde(default)]
    pub somatic: SomaticInputs,
    /// Biomarkers given inline (the same names and values as a biomarker file).
    #[serde(
        default,
        deserialize_with = "de_biomarkers",
        skip_serializing_if = "Option::is_none"
    )]
    pub biomarkers: Option<Biomarkers>,
    /// Germline (pharmacogenomic) inputs.
    #[serde(default)]
    pub germline: GermlineInputs,
    /// Current medications (generic names), for drug-gene alerts.
    #[serde(
        default,
        deserialize_with = "de_medications",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub medications: Vec<String>,
    /// The specimen tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specimen: Option<Specimen>,
    /// The test performed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<TestInfo>,
    /// The ordering clinician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinician: Option<Clinician>,
    /// The manifest file this was read from (`None` when built from flags); relative paths
    /// have already been resolved against its folder.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// Somatic inputs of a case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SomaticInputs {
    /// Somatic VCF/BCF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcf: Option<PathBuf>,
    /// Tumour sample column of the VCF (needed when it holds tumour and normal).
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub tumor_sample: Option<String>,
    /// INFO or FORMAT tag holding the variant allele fraction (e.g. `TVAF`).
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub vaf_tag: Option<String>,
    /// INFO or FORMAT tag holding the read depth (e.g. `TDP`).
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub depth_tag: Option<String>,
    /// MAF file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maf: Option<PathBuf>,
    /// Gene-level copy-number calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cna: Option<PathBuf>,
    /// Allele-specific copy-number segments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments: Option<PathBuf>,
    /// Fusion calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fusions: Option<PathBuf>,
    /// Biomarker file (TSV or YAML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biomarkers: Option<PathBuf>,
    /// Size of the sequenced territory in megabases, for TMB.
    #[serde(
        default,
        deserialize_with = "de_panel_size",
        skip_serializing_if = "Option::is_none"
    )]
    pub panel_size_mb: Option<f64>,
    /// BED of the sequenced territory, for TMB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel_bed: Option<PathBuf>,
}

/// Germline (pharmacogenomic) inputs of a case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GermlineInputs {
    /// Germline VCF/BCF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcf: Option<PathBuf>,
    /// Sample column of the germline VCF.
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub sample: Option<String>,
    /// Outside PGx calls (TSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_calls: Option<PathBuf>,
}

/// The specimen tested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Specimen {
    /// Specimen identifier.
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// Specimen type (FFPE, fresh frozen, plasma...).
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub specimen_type: Option<String>,
    /// Anatomical site.
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub site: Option<String>,
    /// Collection date, ISO `YYYY-MM-DD`.
    #[serde(
        default,
        deserialize_with = "de_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub collected: Option<String>,
    /// Date received by the lab, ISO `YYYY-MM-DD`.
    #[serde(
        default,
        deserialize_with = "de_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub received: Option<String>,
}

/// The test performed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestInfo {
    /// Test name.
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Performing laboratory.
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub lab: Option<String>,
    /// Method (e.g. hybrid capture NGS).
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub method: Option<String>,
}

/// The ordering clinician.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clinician {
    /// Name.
    #[serde(
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Organisation.
    #[serde(
        alias = "organization",
        default,
        deserialize_with = "de_opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub organisation: Option<String>,
}

impl CaseManifest {
    /// A case with only a patient pseudonym; fill the other fields (e.g. from CLI flags)
    /// and call [`CaseManifest::check`].
    ///
    /// ```
    /// use tailor_case::CaseManifest;
    /// let mut case = CaseManifest::new("PSEUDO-1");
    /// case.tumor_type = Some("LUAD".into());
    /// case.biomarkers = Some(tailor_core::somatic::Biomarkers { tmb: Some(14.0), ..Default::default() });
    /// case.check()?;
    /// # Ok::<(), tailor_case::CaseError>(())
    /// ```
    pub fn new(patient: impl Into<String>) -> CaseManifest {
        CaseManifest {
            patient: patient.into(),
            ..CaseManifest::default()
        }
    }

    /// Reads, resolves and checks a manifest file.
    ///
    /// ```no_run
    /// let case = tailor_case::CaseManifest::from_path(std::path::Path::new("case.yaml"))?;
    /// # Ok::<(), tailor_case::CaseError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<CaseManifest, CaseError> {
        let text = crate::limits::read_yaml_file(path)?;
        CaseManifest::from_yaml_str(&text, path)
    }

    /// Parses manifest text as if read from `source`: relative paths are resolved against
    /// the folder of `source`, then the case is checked (files must exist).
    pub fn from_yaml_str(text: &str, source: &Path) -> Result<CaseManifest, CaseError> {
        let mut case = CaseManifest::parse_yaml(text, source)?;
        let base = source.parent().unwrap_or_else(|| Path::new(""));
        case.resolve_paths(base);
        case.check()?;
        Ok(case)
    }

    /// Reads a manifest from any reader (an uploaded part, bytes in memory) with the
    /// size, encoding and depth limits of [`CaseManifest::from_path`], and parses it
    /// without resolving paths or checking files: the file entries stay as written, for a
    /// caller that maps them to bytes itself (a server maps them to uploaded parts and
    /// never to its own file system). `source` names the input in errors.
    ///
    /// ```
    /// use tailor_case::CaseManifest;
    /// let yaml = "patient: P1\ntumor_type: COAD\nsomatic:\n  vcf: tumour.vcf.gz\n";
    /// let case = CaseManifest::from_reader(yaml.as_bytes(), "case.yaml".as_ref())?;
    /// assert_eq!(case.somatic.vcf.as_deref(), Some("tumour.vcf.gz".as_ref()));
    /// # Ok::<(), tailor_case::CaseError>(())
    /// ```
    pub fn from_reader(
        reader: impl std::io::Read,
        source: &Path,
    ) -> Result<CaseManifest, CaseError> {
        let text = crate::limits::read_yaml(reader, source)?;
        CaseManifest::parse_yaml(&text, source)
    }

    /// Parses manifest text without resolving paths or checking files (what the YAML says).
    pub fn parse_yaml(text: &str, source: &Path) -> Result<CaseManifest, CaseError> {
        if text.trim().is_empty() {
            return Err(CaseError::file_error(
                source,
                "empty manifest: at least `patient:` and one input are needed",
            ));
        }
        // Text that did not come through `from_path` (a server's upload, a test) gets the
        // same size and depth limits before the parser sees it.
        if text.len() as u64 > crate::limits::MAX_YAML_BYTES {
            return Err(CaseError::file_error(
                source,
                format!(
                    "larger than {} KiB; a case file is a few KiB (is this the right file?)",
                    crate::limits::MAX_YAML_BYTES >> 10
                ),
            ));
        }
        crate::limits::check_depth(text, source)?;
        let mut case: CaseManifest =
            serde_norway::from_str(text).map_err(|e| yaml_error(source, &e))?;
        case.source = Some(source.to_path_buf());
        Ok(case)
    }

    /// Makes every relative input path relative to `base` instead.
    pub fn resolve_paths(&mut self, base: &Path) {
        for (_, path) in self.inputs_mut() {
            if path.is_relative() {
                *path = base.join(&*path);
            }
        }
    }

    /// Every input file named by the case, with its dotted manifest key.
    pub fn inputs(&self) -> Vec<(&'static str, &Path)> {
        let s = &self.somatic;
        let g = &self.germline;
        [
            ("somatic.vcf", &s.vcf),
            ("somatic.maf", &s.maf),
            ("somatic.cna", &s.cna),
            ("somatic.segments", &s.segments),
            ("somatic.fusions", &s.fusions),
            ("somatic.biomarkers", &s.biomarkers),
            ("somatic.panel_bed", &s.panel_bed),
            ("germline.vcf", &g.vcf),
            ("germline.outside_calls", &g.outside_calls),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.as_deref().map(|p| (k, p)))
        .collect()
    }

    fn inputs_mut(&mut self) -> Vec<(&'static str, &mut PathBuf)> {
        let s = &mut self.somatic;
        let g = &mut self.germline;
        [
            ("somatic.vcf", &mut s.vcf),
            ("somatic.maf", &mut s.maf),
            ("somatic.cna", &mut s.cna),
            ("somatic.segments", &mut s.segments),
            ("somatic.fusions", &mut s.fusions),
            ("somatic.biomarkers", &mut s.biomarkers),
            ("somatic.panel_bed", &mut s.panel_bed),
            ("germline.vcf", &mut g.vcf),
            ("germline.outside_calls", &mut g.outside_calls),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.as_mut().map(|p| (k, p)))
        .collect()
    }

    /// Whether the case has anything to interpret: a somatic or germline file, or inline
    /// biomarkers (a panel BED alone is not an input).
    pub fn has_input(&self) -> bool {
        self.inputs().iter().any(|(k, _)| *k != "somatic.panel_bed")
            || self
                .biomarkers
                .as_ref()
                .is_some_and(|b| *b != Biomarkers::default())
    }

    /// Checks what the YAML schema cannot: field values (for cases built from flags),
    /// that there is at least one input, and that every named file exists.
    pub fn check(&self) -> Result<(), CaseError> {
        let case_error = |key: &str, message: String| CaseError::Case {
            manifest: self.source.clone(),
            key: Some(key.to_owned()),
            message,
        };
        check_patient(&self.patient).map_err(|m| case_error("patient", m))?;
        if let Some(p) = self.purity {
            check_purity(p).map_err(|m| case_error("purity", m))?;
        }
        if let Some(p) = self.somatic.panel_size_mb {
            check_panel_size(p).map_err(|m| case_error("somatic.panel_size_mb", m))?;
        }
        if !self.has_input() {
            return Err(CaseError::Case {
                manifest: self.source.clone(),
                key: None,
                message:
                    "no input: give at least one of somatic vcf, maf, cna, segments, fusions, \
                          biomarkers (file or inline), germline vcf or outside_calls"
                        .to_owned(),
            });
        }
        for (key, path) in self.inputs() {
            match FileProblem::of(&std::fs::metadata(path)) {
                None => {}
                Some(FileProblem::Missing) => {
                    return Err(CaseError::MissingInput {
                        manifest: self.source.clone(),
                        key: key.to_owned(),
                        file: path.to_path_buf(),
                    })
                }
                Some(problem) => {
                    return Err(CaseError::NotAFile {
                        manifest: self.source.clone(),
                        key: Some(key.to_owned()),
                        file: path.to_path_buf(),
                        problem,
                    })
                }
            }
        }
        Ok(())
    }
}

/// Turns a YAML parser error (serde_norway, the maintained fork of the deprecated serde_yaml) into a [`CaseError::Yaml`] with its line and column.
pub(crate) fn yaml_error(path: &Path, e: &serde_norway::Error) -> CaseError {
    let mut message = e.to_string();
    // The parser appends " at line L column C"; the location goes in front instead.
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    let location = e.location();
    CaseError::Yaml {
        path: path.to_path_buf(),
        line: location.as_ref().map(|l| l.line()),
        column: location.as_ref().map(|l| l.column()),
        message,
    }
}

fn check_patient(p: &str) -> Result<(), String> {
    if p.trim().is_empty() {
        return Err("the patient pseudonym is empty".to_owned());
    }
    if p.chars().count() > MAX_PATIENT_LEN {
        return Err(format!(
            "the patient pseudonym is longer than {MAX_PATIENT_LEN} characters"
        ));
    }
    if p.chars().any(char::is_control) {
        return Err("the patient pseudonym must be one line without control characters".to_owned());
    }
    Ok(())
}

fn check_purity(p: f64) -> Result<(), String> {
    if p.is_finite() && p > 0.0 && p <= 1.0 {
        Ok(())
    } else if p.is_finite() && p > 1.0 && p <= 100.0 {
        Err(format!(
            "purity is a fraction (0 < purity <= 1), found {p}; for {p}% write {}",
            p / 100.0
        ))
    } else {
        Err(format!(
            "purity must be a fraction with 0 < purity <= 1, found {p}"
        ))
    }
}

fn check_panel_size(p: f64) -> Result<(), String> {
    if p.is_finite() && p > 0.0 && p <= 4000.0 {
        Ok(())
    } else {
        Err(format!(
            "panel size must be in megabases, 0 < size <= 4000, found {p}"
        ))
    }
}

fn de_patient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text_with(d, |text| check_patient(&text).map(|()| text))
}

fn de_opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text_with(d, |text| {
        let text = text.trim();
        if text.is_empty() {
            Err("empty value (leave the key out instead)".to_owned())
        } else if text.chars().any(char::is_control) {
            Err("value must be one line without control characters".to_owned())
        } else {
            Ok(Some(text.to_owned()))
        }
    })
}

fn number(text: &str, what: &str) -> Result<f64, String> {
    text.trim().parse::<f64>().map_err(|_| {
        format!(
            "{what} must be a number, found {}",
            crate::error::Shown(text)
        )
    })
}

fn de_purity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    scalar_with(d, |text| {
        let p = number(text.trim_end_matches('%'), "purity")?;
        check_purity(p).map(|()| Some(p))
    })
}

fn de_panel_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    scalar_with(d, |text| {
        let p = number(&text, "panel size")?;
        check_panel_size(p).map(|()| Some(p))
    })
}

fn de_biomarkers<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Biomarkers>, D::Error> {
    Ok(Some(BiomarkerMap::deserialize(d)?.0))
}

fn de_medications<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of medication names")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(name) = seq.next_element_seed(ScalarSeed(|text: String| {
                let name = text.trim().to_lowercase();
                if name.is_empty() || name.chars().any(char::is_control) {
                    Err("medication names must be non-empty single lines".to_owned())
                } else {
                    Ok(name)
                }
            }))? {
                out.push(name);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    scalar_with(d, |text| {
        if is_iso_date(&text) {
            Ok(Some(text))
        } else {
            Err(format!(
                "expected a date YYYY-MM-DD, found {}",
                crate::error::Shown(&text)
            ))
        }
    })
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (Ok(m), Ok(d)) = (m.parse::<u8>(), d.parse::<u8>()) else {
        return false;
    };
    (1..=12).contains(&m) && (1..=31).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CaseManifest, CaseError> {
        CaseManifest::parse_yaml(text, Path::new("case.yaml"))
    }

    #[test]
    fn inline_only_case_parses_and_checks() {
        let case = parse("patient: P1\ntumor_type: LUAD\nsample_type: ctDNA\npurity: 0.3\nbiomarkers: {tmb: 12.0, msi: MSI-H, pdl1_tps: 60}\nmedications: [Warfarin]\n").unwrap();
        assert_eq!(case.sample_type, SampleType::CtDna);
        assert_eq!(case.assembly, Assembly::GRCh38);
        assert_eq!(case.medications, ["warfarin"]);
        assert_eq!(
            case.biomarkers.as_ref().and_then(|b| b.pdl1_tps),
            Some(60.0)
        );
        case.check().unwrap();
    }

    #[test]
    fn schema_errors_carry_yaml_line_and_column() {
        for (text, line, want) in [
            (
                "patient: P1\nsomatic:\n  vfc: a.vcf\n",
                3,
                "unknown field `vfc`",
            ),
            ("patient: P1\npurity: 60\n", 2, "for 60% write 0.6"),
            ("patient: P1\npurity: 0\n", 2, "0 < purity <= 1"),
            ("patient: ''\n", 1, "pseudonym is empty"),
            ("tumor_type: COAD\n", 1, "missing field `patient`"),
            (
                "patient: P1\nspecimen: {collected: 2026-13-01}\n",
                2,
                "expected a date",
            ),
            (
                "patient: P1\nbiomarkers:\n  tmb: 3\n  her2_ihc: 5\n",
                4,
                "HER2 IHC must be",
            ),
            ("patient: P1\nsample_type: blood\n", 2, "sample_type"),
            ("patient: [P1]\n", 1, "invalid type: sequence"),
            ("patient: P1\n  tumor_type: x\n", 2, ""),
        ] {
            let e = parse(text).unwrap_err();
            let s = e.to_string();
            assert_eq!(e.line(), Some(line), "{s}");
            assert!(s.starts_with(&format!("case.yaml:{line}:")), "{s}");
            assert!(s.contains(want), "{s} should contain {want}");
        }
    }

    #[test]
    fn identifiers_that_look_like_numbers_keep_their_text() {
        let case = parse("patient: 007\ngermline: {sample: 0012}\nspecimen: {id: 1e3}\n").unwrap();
        assert_eq!(case.patient, "007");
        assert_eq!(case.germline.sample.as_deref(), Some("0012"));
        assert_eq!(case.specimen.and_then(|s| s.id).as_deref(), Some("1e3"));
    }

    #[test]
    fn no_input_is_refused() {
        let e = parse("patient: P1\ntumor_type: COAD\n")
            .unwrap()
            .check()
            .unwrap_err();
        assert!(e.to_string().starts_with("case.yaml: no input"), "{e}");
    }

    #[test]
    fn flags_built_case_is_checked_too() {
        let mut case = CaseManifest::new("P1");
        case.somatic.maf = Some(PathBuf::from("/nonexistent/calls.maf"));
        let e = case.check().unwrap_err().to_string();
        assert_eq!(
            e,
            "`somatic.maf` names /nonexistent/calls.maf, which does not exist"
        );
        case.purity = Some(75.0);
        let e = case.check().unwrap_err().to_string();
        assert!(e.starts_with("`purity`: purity is a fraction"), "{e}");
    }

    #[test]
    fn dates() {
        assert!(is_iso_date("2026-01-02"));
        assert!(!is_iso_date("2026-1-2"));
        assert!(!is_iso_date("02/01/2026"));
    }
}
