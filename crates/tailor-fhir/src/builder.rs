//! Assembles the bundle: shared resources (patient, specimen, lab, study), the report,
//! and the entry list with deterministic `urn:uuid:` full URLs.

use crate::codes::{self, answer, coding, concept, profile, text_concept, FixedCode};
use crate::ids::resource_uuid;
use serde_json::{json, Map, Value};
use tailor_core::interpretation::Interpretation;

/// Collects resources while the somatic and PGx parts are rendered, then wraps them
/// with the report.
pub(crate) struct Builder<'a> {
    pub(crate) interpretation: &'a Interpretation,
    /// `(fullUrl, resource)` in bundle order (the report is put first at the end).
    entries: Vec<(String, Value)>,
    /// Observations the report lists in `result`.
    results: Vec<String>,
    /// `Task`s the report lists as recommended actions.
    actions: Vec<String>,
    /// Reference to the patient.
    pub(crate) patient: String,
    /// Reference to the (tumour) specimen, when the case names one.
    pub(crate) specimen: Option<String>,
    /// Issue time of every resource (`generated_at`), when it is a valid FHIR instant.
    pub(crate) issued: Option<String>,
    /// Test method as free text, used as `Observation.method` of findings.
    pub(crate) method: Option<String>,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(interpretation: &'a Interpretation) -> Self {
        let issued = Some(interpretation.generated_at.clone()).filter(|s| is_instant(s));
        let method = interpretation
            .case
            .test
            .as_ref()
            .and_then(|t| t.method.clone())
            .filter(|m| !m.trim().is_empty());
        let mut b = Builder {
            interpretation,
            entries: Vec::new(),
            results: Vec::new(),
            actions: Vec::new(),
            patient: String::new(),
            specimen: None,
            issued,
            method,
        };
        b.patient = b.add_patient();
        b.specimen = b.add_specimen();
        b
    }

    /// The full URL of the resource named `key` in this report.
    pub(crate) fn full_url(&self, key: &str) -> String {
        format!(
            "urn:uuid:{}",
            resource_uuid(&self.interpretation.report_id, key)
        )
    }

    /// Adds a resource under `key` (its id is the key's UUID) and returns its reference.
    pub(crate) fn add(&mut self, key: &str, mut resource: Map<String, Value>) -> String {
        let url = self.full_url(key);
        let id = url.trim_start_matches("urn:uuid:").to_string();
        // `id` goes right after `resourceType` for readability.
        let mut ordered = Map::new();
        if let Some(rt) = resource.remove("resourceType") {
            ordered.insert("resourceType".into(), rt);
        }
        ordered.insert("id".into(), Value::String(id));
        ordered.extend(resource);
        self.entries.push((url.clone(), Value::Object(ordered)));
        url
    }

    /// Adds an observation and lists it in the report's results.
    pub(crate) fn add_result(&mut self, key: &str, resource: Map<String, Value>) -> String {
        let url = self.add(key, resource);
        self.results.push(url.clone());
        url
    }

    /// Adds a task and lists it in the report's recommended actions.
    pub(crate) fn add_action(&mut self, key: &str, resource: Map<String, Value>) -> String {
        let url = self.add(key, resource);
        self.actions.push(url.clone());
        url
    }

    /// The common part of every observation: profile, status, the categories the
    /// `genomic-base` profile requires (laboratory + genetics), code, subject, issued.
    pub(crate) fn observation(&self, profile_id: &str, code: Value) -> Map<String, Value> {
        self.observation_with_categories(
            profile_id,
            code,
            vec![
                concept(codes::OBS_CATEGORY, "laboratory", "Laboratory"),
                concept(codes::V2_0074, "GE", "Genetics"),
            ],
        )
    }

    /// [`Builder::observation`] with explicit categories (molecular biomarkers add
    /// their own).
    pub(crate) fn observation_with_categories(
        &self,
        profile_id: &str,
        code: Value,
        categories: Vec<Value>,
    ) -> Map<String, Value> {
        let mut o = Map::new();
        o.insert("resourceType".into(), json!("Observation"));
        o.insert("meta".into(), json!({ "profile": [profile(profile_id)] }));
        o.insert("status".into(), json!("final"));
        o.insert("category".into(), Value::Array(categories));
        o.insert("code".into(), code);
        o.insert("subject".into(), reference(&self.patient));
        if let Some(issued) = &self.issued {
            o.insert("issued".into(), json!(issued));
        }
        o
    }

    fn add_patient(&mut self) -> String {
        // Pseudonym only: the case never carries a real identifier, and the bundle must
        // not invent name, birth date or sex.
        let mut p = Map::new();
        p.insert("resourceType".into(), json!("Patient"));
        p.insert(
            "meta".into(),
            json!({ "security": [coding(codes::V3_OBSERVATION_VALUE, "PSEUDED", "pseudonymized")] }),
        );
        p.insert(
            "identifier".into(),
            json!([{
                "use": "secondary",
                "type": text_concept("Pseudonym"),
                "value": self.interpretation.case.patient,
            }]),
        );
        self.add("patient", p)
    }

    fn add_specimen(&mut self) -> Option<String> {
        let s = self.interpretation.case.specimen.as_ref()?;
        let mut r = Map::new();
        r.insert("resourceType".into(), json!("Specimen"));
        let mut notes = Vec::new();
        if let Some(id) = nonempty(&s.id) {
            r.insert("identifier".into(), json!([{ "value": id }]));
        }
        if let Some(t) = nonempty(&s.specimen_type) {
            r.insert("type".into(), text_concept(t));
        }
        r.insert("subject".into(), reference(&self.patient));
        match nonempty(&s.received) {
            Some(d) if is_date(d) => {
                r.insert("receivedTime".into(), json!(d));
            }
            Some(d) => notes.push(json!({ "text": format!("Received: {d}") })),
            None => {}
        }
        let mut collection = Map::new();
        match nonempty(&s.collected) {
            Some(d) if is_date(d) => {
                collection.insert("collectedDateTime".into(), json!(d));
            }
            Some(d) => notes.push(json!({ "text": format!("Collected: {d}") })),
            None => {}
        }
        if let Some(site) = nonempty(&s.site) {
            collection.insert("bodySite".into(), text_concept(site));
        }
        if !collection.is_empty() {
            r.insert("collection".into(), Value::Object(collection));
        }
        if !notes.is_empty() {
            r.insert("note".into(), Value::Array(notes));
        }
        Some(self.add("specimen", r))
    }

    fn add_organization(&mut self) -> Option<String> {
        let lab = self.interpretation.case.test.as_ref()?.lab.as_deref()?;
        if lab.trim().is_empty() {
            return None;
        }
        let mut r = Map::new();
        r.insert("resourceType".into(), json!("Organization"));
        r.insert("name".into(), json!(lab));
        Some(self.add("organization", r))
    }

    /// The `genomic-study` procedure: what test was run, by whom, on which tumour.
    fn add_study(&mut self, organization: Option<&str>) -> Option<String> {
        let i = self.interpretation;
        let test = i.case.test.as_ref()?;
        let mut r = Map::new();
        r.insert("resourceType".into(), json!("Procedure"));
        r.insert(
            "meta".into(),
            json!({ "profile": [profile("genomic-study")] }),
        );
        r.insert("status".into(), json!("completed"));
        r.insert(
            "category".into(),
            concept(codes::OBS_CATEGORY, "laboratory", "Laboratory"),
        );
        if let Some(name) = nonempty(&test.name) {
            r.insert("code".into(), text_concept(name));
        }
        r.insert("subject".into(), reference(&self.patient));
        if let Some(org) = organization {
            r.insert("performer".into(), json!([{ "actor": reference(org) }]));
        }
        if let Some(tumor) = &i.case.tumor_type {
            r.insert(
                "reasonCode".into(),
                json!([text_concept(&format!(
                    "{} (OncoTree {})",
                    tumor.name, tumor.code
                ))]),
            );
        }
        if let Some(method) = nonempty(&test.method) {
            r.insert(
                "note".into(),
                json!([{ "text": format!("Method: {method}") }]),
            );
        }
        Some(self.add("study", r))
    }

    /// Renders everything and returns the bundle.
    pub(crate) fn build(mut self) -> Value {
        let i = self.interpretation;
        let organization = self.add_organization();
        let study = self.add_study(organization.as_deref());
        if let Some(doc) = &i.somatic {
            crate::somatic::add(&mut self, doc);
        }
        if let Some(pgx) = &i.pgx {
            crate::pgx::add(&mut self, pgx);
        }
        let report = self.report(organization.as_deref(), study.as_deref());
        let report_url = self.full_url("report");
        let id = report_url.trim_start_matches("urn:uuid:").to_string();
        let mut ordered = Map::new();
        ordered.insert("resourceType".into(), json!("DiagnosticReport"));
        ordered.insert("id".into(), json!(id));
        ordered.extend(report);
        // The report first: a reader opening the bundle sees what it is about.
        self.entries.insert(0, (report_url, Value::Object(ordered)));

        let mut bundle = Map::new();
        bundle.insert("resourceType".into(), json!("Bundle"));
        bundle.insert("id".into(), json!(resource_uuid(&i.report_id, "bundle")));
        bundle.insert(
            "identifier".into(),
            json!({ "system": "urn:ietf:rfc:3986", "value": self.full_url("bundle") }),
        );
        bundle.insert("type".into(), json!("collection"));
        if let Some(ts) = &self.issued {
            bundle.insert("timestamp".into(), json!(ts));
        }
        let entries: Vec<Value> = self
            .entries
            .into_iter()
            .map(|(url, resource)| json!({ "fullUrl": url, "resource": resource }))
            .collect();
        bundle.insert("entry".into(), Value::Array(entries));
        Value::Object(bundle)
    }

    fn report(&self, organization: Option<&str>, study: Option<&str>) -> Map<String, Value> {
        let i = self.interpretation;
        let mut r = Map::new();
        r.insert(
            "meta".into(),
            json!({ "profile": [profile("genomic-report")] }),
        );
        let mut extensions: Vec<Value> = self
            .actions
            .iter()
            .map(|t| {
                json!({
                    "url": profile("recommended-action"),
                    "valueReference": reference(t),
                })
            })
            .collect();
        if let Some(study) = study {
            extensions.push(json!({
                "url": profile("genomic-study-reference"),
                "valueReference": reference(study),
            }));
        }
        extensions.extend(self.coded_notes());
        if !extensions.is_empty() {
            r.insert("extension".into(), Value::Array(extensions));
        }
        r.insert(
            "identifier".into(),
            json!([{ "type": text_concept("Tailor report id"), "value": i.report_id }]),
        );
        r.insert("status".into(), json!("final"));
        r.insert(
            "category".into(),
            json!([concept(codes::V2_0074, "GE", "Genetics")]),
        );
        r.insert("code".into(), fixed(codes::code::GENOMIC_REPORT));
        r.insert("subject".into(), reference(&self.patient));
        if let Some(issued) = &self.issued {
            r.insert("effectiveDateTime".into(), json!(issued));
            r.insert("issued".into(), json!(issued));
        }
        if let Some(org) = organization {
            r.insert("performer".into(), json!([reference(org)]));
        }
        if let Some(s) = &self.specimen {
            r.insert("specimen".into(), json!([reference(s)]));
        }
        let results: Vec<Value> = self.results.iter().map(|u| reference(u)).collect();
        if !results.is_empty() {
            r.insert("result".into(), Value::Array(results));
        }
        r.insert("conclusion".into(), json!(i.conclusion));
        r
    }

    /// Limitations and the trial-search note as test disclaimers, methods as test
    /// methodology, and the licence attributions, as `genomic-report-note` extensions:
    /// they are part of what the report says and must travel with it.
    fn coded_notes(&self) -> Vec<Value> {
        let i = self.interpretation;
        let note = |text: String, kind: Option<(&str, &str)>| {
            let mut annotation = Map::new();
            if let Some((code, display)) = kind {
                annotation.insert(
                    "extension".into(),
                    json!([{
                        "url": profile("annotation-code"),
                        "valueCodeableConcept": concept(codes::ANNOTATION_TYPES, code, display),
                    }]),
                );
            }
            annotation.insert("text".into(), json!(text));
            json!({ "url": profile("genomic-report-note"), "valueAnnotation": annotation })
        };
        let disclaimer = Some(("test-disclaimer", "Test Disclaimer"));
        let methodology = Some(("test-methodology", "Test Methodology"));
        let mut notes = Vec::new();
        for l in &i.limitations {
            notes.push(note(
                format!("Limitation ({}): {}. {}", l.area, l.what, l.why),
                disclaimer,
            ));
        }
        notes.push(note(i.trials.note.clone(), disclaimer));
        for m in &i.methods {
            notes.push(note(m.clone(), methodology));
        }
        notes.push(note(
            format!(
                "Knowledge base {} (Tailor {}).",
                i.knowledge.kb_version, i.tailor_version
            ),
            methodology,
        ));
        for a in &i.attributions {
            notes.push(note(format!("Attribution: {a}"), None));
        }
        notes
    }
}

/// A `Reference` to a bundle entry.
pub(crate) fn reference(url: &str) -> Value {
    json!({ "reference": url })
}

/// A CodeableConcept for a code fixed by a profile.
pub(crate) fn fixed(c: FixedCode) -> Value {
    concept(c.0, c.1, c.2)
}

/// An `Observation.component` with the slice's fixed code and a value.
pub(crate) fn component(code: FixedCode, value_key: &str, value: Value) -> Value {
    let mut c = Map::new();
    c.insert("code".into(), fixed(code));
    c.insert(value_key.into(), value);
    Value::Object(c)
}

/// `conclusion-string` component (profile `genomic-base`).
pub(crate) fn conclusion(text: String) -> Value {
    component(codes::component::CONCLUSION, "valueString", json!(text))
}

/// `gene-studied` component with the symbol as text: the interpretation carries HGNC
/// symbols, not HGNC ids, and the IG's `hgnc-vs` binding is extensible, so text is
/// allowed where no code is known.
pub(crate) fn gene_studied(symbol: &str) -> Value {
    component(
        codes::component::GENE_STUDIED,
        "valueCodeableConcept",
        text_concept(symbol),
    )
}

/// `genomic-source-class` = somatic.
pub(crate) fn somatic_source() -> Value {
    component(
        codes::component::SOURCE_CLASS,
        "valueCodeableConcept",
        fixed(answer::SOMATIC),
    )
}

/// `Some(s)` when the option holds non-blank text.
pub(crate) fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// FHIR `date`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// FHIR `instant`: `YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm)`.
pub(crate) fn is_instant(s: &str) -> bool {
    if !s.is_ascii() {
        return false;
    }
    let b = s.as_bytes();
    if b.len() < 20 || !is_date(&s[..10]) || b[10] != b'T' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(11..13) && b[13] == b':' && digits(14..16) && b[16] == b':' && digits(17..19)) {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] => {
            matches!(sign, b'+' | b'-') && [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_instants() {
        assert!(is_date("2026-10-02"));
        assert!(is_date("2026-10"));
        assert!(!is_date("02/10/2026"));
        assert!(!is_date("2026-1-2"));
        assert!(is_instant("2026-11-22T00:00:00Z"));
        assert!(is_instant("2026-11-22T03:56:10.123+01:00"));
        assert!(!is_instant("2026-11-22"));
        assert!(!is_instant("2026-11-22T00:00:00"));
        assert!(!is_instant("2026-11-22T00:00:00.Z"));
        assert!(!is_instant("2026-11-22T00:00:00Zjunk"));
        // Multi-byte text must not panic on the byte slicing.
        assert!(!is_instant("2026-11-22T00:00:00ééé"));
        assert!(!is_instant("éééééééééééééééééééééé"));
    }
}
