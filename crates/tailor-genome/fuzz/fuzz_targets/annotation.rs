//! Any bytes as a VEP/snpEff header description plus an INFO value: building the schema
//! and parsing entries returns values or nothing, never panics, and every consequence
//! points at an existing ALT. Input layout: description, a NUL, the INFO value, a NUL,
//! then REF and ALTs separated by commas.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tailor_genome::annotation::{pick_best, so_term_class, AnnotationSchema};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let description = parts.next().unwrap_or_default();
    let value = parts.next().unwrap_or_default();
    let alleles = parts.next().unwrap_or("A,T");
    let mut alleles = alleles.split(',');
    let reference = alleles.next().unwrap_or("A");
    let alts: Vec<String> = alleles.map(str::to_string).collect();
    for tag in ["CSQ", "ANN"] {
        let described = if description.contains("Format:") || description.contains("Functional") {
            description.to_string()
        } else if tag == "CSQ" {
            format!("Consequence annotations from Ensembl VEP. Format: {description}")
        } else {
            format!("Functional annotations: '{description}'")
        };
        let Some(schema) = AnnotationSchema::from_description(tag, &described) else {
            continue;
        };
        let consequences = schema.parse_value(value, reference, &alts);
        for c in &consequences {
            assert!(c.alt_index < alts.len());
            let terms: Vec<&str> = c.consequence_terms.iter().map(String::as_str).collect();
            let _ = so_term_class(&terms);
        }
        for alt in 0..alts.len() {
            let _ = pick_best(&consequences, alt, |t| t.len() % 2 == 0);
        }
    }
});
