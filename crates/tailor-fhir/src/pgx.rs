//! Pharmacogenomics as `haplotype` and `genotype` observations, guideline
//! recommendations as `therapeutic-implication` observations, and alerts for the
//! patient's current medications as `medication-recommendation` tasks.

use crate::builder::{component, conclusion, fixed, gene_studied, nonempty, reference, Builder};
use crate::codes::{self, component as slice, concept, text_concept};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use tailor_core::interpretation::{MedicationAlert, PgxPart};
use tailor_core::pgx::{CallSource, DrugRecommendation, GeneCall, HaplotypeCall};

/// Adds the germline part: one genotype per called gene (with its haplotypes when the
/// call is unambiguous), one therapeutic implication per guideline recommendation, and
/// one task per current medication with an alert.
pub(crate) fn add(b: &mut Builder<'_>, pgx: &PgxPart) {
    let mut genotypes: BTreeMap<&str, String> = BTreeMap::new();
    for gc in &pgx.result.genes {
        if let Some(url) = genotype(b, gc) {
            genotypes.insert(gc.gene.as_str(), url);
        }
    }
    let mut implications = Vec::new();
    for (n, r) in pgx.result.recommendations.iter().enumerate() {
        if let Some(url) = implication(b, r, n, &genotypes) {
            implications.push((r, url));
        }
    }
    let medications = medication_statements(b);
    let alerts = &b.interpretation.medication_alerts;
    for (n, alert) in alerts.iter().enumerate() {
        task(b, alert, n, &medications, &implications);
    }
}

fn genotype(b: &mut Builder<'_>, gc: &GeneCall) -> Option<String> {
    let first = gc.diplotypes.first()?;
    // Haplotypes only for an unambiguous call: with tied candidates the haplotypes of
    // the patient are not known.
    let mut haplotypes = Vec::new();
    if gc.diplotypes.len() == 1 {
        let alleles = std::iter::once(&first.allele1).chain(first.allele2.as_ref());
        for (k, h) in alleles.enumerate() {
            haplotypes.push(haplotype(b, gc, h, k + 1));
        }
    }
    let labels: Vec<&str> = gc.diplotypes.iter().map(|d| d.label.as_str()).collect();
    let mut o = b.observation("genotype", fixed(codes::code::GENOTYPE));
    o.insert(
        "method".into(),
        text_concept(match gc.source {
            CallSource::Vcf => "Named-allele matching on the germline VCF (Tailor)",
            CallSource::OutsideCall => "Outside call supplied with the case",
        }),
    );
    o.insert(
        "valueCodeableConcept".into(),
        text_concept(&format!("{} {}", gc.gene, labels.join(" or "))),
    );
    if !haplotypes.is_empty() {
        let refs: Vec<Value> = haplotypes.iter().map(|u| reference(u)).collect();
        o.insert("derivedFrom".into(), Value::Array(refs));
    }
    let mut summary = if gc.phenotypes.is_empty() {
        format!(
            "{} {}: no phenotype assigned.",
            gc.gene,
            labels.join(" or ")
        )
    } else {
        format!(
            "{} {}: {}.",
            gc.gene,
            labels.join(" or "),
            gc.phenotypes.join("; ")
        )
    };
    if labels.len() > 1 {
        summary.push_str(" Several diplotypes fit the data equally well.");
    }
    if let Some(score) = gc.diplotypes.iter().find_map(|d| d.activity_score.as_ref()) {
        summary.push_str(&format!(" Activity score {score}."));
    }
    o.insert(
        "component".into(),
        json!([gene_studied(&gc.gene), conclusion(summary)]),
    );
    let notes: Vec<Value> = gc.warnings.iter().map(|w| json!({ "text": w })).collect();
    if !notes.is_empty() {
        o.insert("note".into(), Value::Array(notes));
    }
    Some(b.add_result(&format!("genotype/{}", gc.gene), o))
}

fn haplotype(b: &mut Builder<'_>, gc: &GeneCall, h: &HaplotypeCall, k: usize) -> String {
    let mut o = b.observation("haplotype", fixed(codes::code::HAPLOTYPE));
    o.insert(
        "valueCodeableConcept".into(),
        text_concept(&format!("{} {}", gc.gene, h.name)),
    );
    let mut components = vec![gene_studied(&gc.gene)];
    let mut facts = Vec::new();
    if let Some(f) = &h.function {
        facts.push(format!("function: {f}"));
    }
    if let Some(a) = &h.activity_value {
        facts.push(format!("activity value: {a}"));
    }
    if !facts.is_empty() {
        components.push(conclusion(format!(
            "{} {}: {}.",
            gc.gene,
            h.name,
            facts.join("; ")
        )));
    }
    o.insert("component".into(), Value::Array(components));
    b.add_result(&format!("haplotype/{}/{k}", gc.gene), o)
}

/// A guideline recommendation for this patient. Recommendations without one for
/// this genotype ("no recommendation") are not implications and are left out; so are
/// those whose genes have no genotype here (the IG requires `derivedFrom`).
fn implication(
    b: &mut Builder<'_>,
    r: &DrugRecommendation,
    n: usize,
    genotypes: &BTreeMap<&str, String>,
) -> Option<String> {
    let text = nonempty(&r.recommendation).filter(|_| r.actionable)?;
    let mut genes: Vec<&str> = r.lookup.keys().map(String::as_str).collect();
    for g in r.diplotypes.keys() {
        if !genes.contains(&g.as_str()) {
            genes.push(g);
        }
    }
    let derived: Vec<Value> = genes
        .iter()
        .filter_map(|g| genotypes.get(g))
        .map(|u| reference(u))
        .collect();
    if derived.is_empty() {
        return None;
    }
    let mut o = b.observation(
        "therapeutic-implication",
        fixed(codes::code::THERAPEUTIC_IMPLICATION),
    );
    let mut artifact = Map::new();
    artifact.insert("type".into(), json!("citation"));
    artifact.insert("label".into(), json!(r.source));
    artifact.insert("citation".into(), json!(r.guideline));
    if let Some(url) = nonempty(&r.url) {
        artifact.insert("url".into(), json!(url));
    }
    o.insert(
        "extension".into(),
        json!([{
            "url": "http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact",
            "valueRelatedArtifact": artifact,
        }]),
    );
    o.insert("derivedFrom".into(), Value::Array(derived));
    let mut components = Vec::new();
    for g in &genes {
        let Some(phenotype) = r.phenotypes.get(*g).or_else(|| r.lookup.get(*g)) else {
            continue;
        };
        let label = format!("{g} {phenotype}");
        let value = match codes::pgx_phenotype_answer(phenotype) {
            Some(c) => {
                let mut v = concept(c.0, c.1, c.2);
                if let Value::Object(m) = &mut v {
                    m.insert("text".into(), json!(label));
                }
                v
            }
            None => text_concept(&label),
        };
        components.push(component(
            slice::THERAPEUTIC_IMPLICATION,
            "valueCodeableConcept",
            value,
        ));
    }
    components.push(component(
        slice::MEDICATION_ASSESSED,
        "valueCodeableConcept",
        text_concept(&r.drug),
    ));
    if let Some(c) = nonempty(&r.classification) {
        components.push(component(
            slice::EVIDENCE_LEVEL,
            "valueCodeableConcept",
            text_concept(&format!("{} classification: {c}", r.source)),
        ));
    }
    components.push(conclusion(text.to_string()));
    o.insert("component".into(), Value::Array(components));
    let mut notes: Vec<Value> = r
        .implications
        .iter()
        .map(|t| json!({ "text": t }))
        .collect();
    if let Some(p) = nonempty(&r.population) {
        notes.push(json!({ "text": format!("Population: {p}") }));
    }
    if let Some(t) = nonempty(&r.note) {
        notes.push(json!({ "text": t }));
    }
    if !notes.is_empty() {
        o.insert("note".into(), Value::Array(notes));
    }
    Some(b.add_result(&format!("pgx-implication/{n}"), o))
}

/// One `MedicationStatement` per current medication given with the case, so that the
/// alerts can point at what the patient takes.
fn medication_statements(b: &mut Builder<'_>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let meds = b.interpretation.case.medications.clone();
    for (n, m) in meds.iter().enumerate() {
        if m.trim().is_empty() || out.contains_key(m) {
            continue;
        }
        let mut r = Map::new();
        r.insert("resourceType".into(), json!("MedicationStatement"));
        r.insert("status".into(), json!("active"));
        r.insert("medicationCodeableConcept".into(), text_concept(m));
        r.insert("subject".into(), reference(&b.patient));
        let url = b.add(&format!("medication/{n}"), r);
        out.insert(m.clone(), url);
    }
    out
}

fn task(
    b: &mut Builder<'_>,
    alert: &MedicationAlert,
    n: usize,
    medications: &BTreeMap<String, String>,
    implications: &[(&DrugRecommendation, String)],
) {
    let mut t = Map::new();
    t.insert("resourceType".into(), json!("Task"));
    t.insert(
        "meta".into(),
        json!({ "profile": [codes::profile("medication-recommendation")] }),
    );
    t.insert("status".into(), json!("requested"));
    t.insert("intent".into(), json!("proposal"));
    // `Task.code` is left out: its required value set (LOINC LL4049-4) would need the
    // recommendation text classified, which the guideline rows do not do.
    t.insert(
        "description".into(),
        json!(format!("{}: {}", alert.medication, alert.recommendation)),
    );
    if let Some(m) = medications.get(&alert.medication) {
        t.insert("focus".into(), reference(m));
    }
    t.insert("for".into(), reference(&b.patient));
    if let Some(issued) = &b.issued {
        t.insert("authoredOn".into(), json!(issued));
    }
    let same_drug = |r: &&(&DrugRecommendation, String)| {
        r.0.drug == alert.medication && r.0.source == alert.source
    };
    let reason = implications
        .iter()
        .filter(same_drug)
        .find(|r| r.0.recommendation.as_deref() == Some(alert.recommendation.as_str()))
        .or_else(|| implications.iter().find(same_drug));
    if let Some((_, url)) = reason {
        t.insert("reasonReference".into(), reference(url));
    }
    let mut note = format!(
        "{} ({}), {}",
        alert.phenotypes.join("; "),
        alert.genes.join(", "),
        alert.source
    );
    if let Some(c) = &alert.classification {
        note.push_str(&format!(", classification {c}"));
    }
    if !alert.actionable {
        note.push_str("; no change to prescribing indicated");
    }
    t.insert("note".into(), json!([{ "text": note }]));
    b.add_action(&format!("task/{n}"), t);
}
