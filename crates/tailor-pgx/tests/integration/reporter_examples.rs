//! Reproduces PharmCAT 3.1.1's own example outputs (`docs/examples/pharmcat.example*`)
//! from the diplotypes PharmCAT called: the phenotype step (`.phenotype.json`) and the
//! recommendations (`.report.json`).
//!
//! Tailor's guidelines are PharmCAT 2.12.0's files (the newest split files available),
//! while the examples were produced by PharmCAT 3.1.1 with newer data. Every difference
//! between the two is listed below with its reason; the tests fail if any other
//! difference appears, or if a listed one disappears (so the list stays true).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tailor_kb::pgx::PgxKnowledge;
use tailor_kb::KnowledgeBase;
use tailor_pgx::phenotype::{annotate, DiplotypeInput, GuidelineSource, NA};
use tailor_pgx::recommendation::{recommend_inputs, GeneInput};

fn shared_data() -> PathBuf {
    match std::env::var_os("TAILOR_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

fn kb() -> &'static PgxKnowledge {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        tailor_kb::build(&tailor_kb::SourcePaths::from_shared_data(&shared_data()))
            .expect("knowledge base builds from shared data")
    })
    .pgx()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn example_file(name: &str) -> PathBuf {
    shared_data().join("pgx/pharmcat-3.1.1/examples").join(name)
}

/// The gene inputs PharmCAT's reporter saw: the matcher's diplotypes, the outside calls,
/// and "not called" for genes with neither.
fn inputs(example: &str) -> Vec<GeneInput> {
    let phenotype = read_json(&example_file(&format!("{example}.phenotype.json")));
    let matched = read_json(&example_file(&format!("{example}.match.json")));
    let outside_file = example_file(&format!("{example}.outsideCall.tsv"));
    let mut outside: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if outside_file.is_file() {
        let text = std::fs::read_to_string(&outside_file).expect("outside calls");
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let mut fields = line.split('\t');
            let gene = fields.next().expect("gene").trim().to_string();
            let alleles = fields
                .next()
                .map(|d| d.split('/').map(|a| a.trim().to_string()).collect())
                .unwrap_or_default();
            outside.insert(gene, alleles);
        }
    }
    let reports = phenotype["geneReports"].as_object().expect("geneReports");
    let mut out = Vec::new();
    for (gene, report) in reports {
        let diplotypes = match report["callSource"].as_str() {
            Some("MATCHER") => {
                let result = matched["results"]
                    .as_array()
                    .expect("results")
                    .iter()
                    .find(|r| r["gene"] == gene.as_str())
                    .unwrap_or_else(|| panic!("{gene} in match.json"));
                result["diplotypes"]
                    .as_array()
                    .expect("diplotypes")
                    .iter()
                    .map(|d| DiplotypeInput::Called {
                        allele1: d["haplotype1"]["name"].as_str().expect("hap1").to_string(),
                        allele2: d["haplotype2"]["name"].as_str().map(str::to_string),
                    })
                    .collect()
            }
            Some("OUTSIDE") => vec![DiplotypeInput::Outside {
                alleles: outside.get(gene).cloned().unwrap_or_default(),
                phenotype: None,
                activity_score: None,
            }],
            _ => Vec::new(),
        };
        out.push(GeneInput {
            gene: gene.clone(),
            diplotypes,
        });
    }
    out
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Compares Tailor's CPIC annotation of each gene with PharmCAT's recommendation
/// diplotype; returns one line per disagreement.
fn phenotype_differences(example: &str) -> Vec<String> {
    let phenotype = read_json(&example_file(&format!("{example}.phenotype.json")));
    let mut diffs = Vec::new();
    for input in inputs(example) {
        let gene = input.gene.as_str();
        let expected = &phenotype["geneReports"][gene]["recommendationDiplotypes"];
        let expected = expected.as_array().expect("recommendationDiplotypes");
        let ours: Vec<_> = if input.diplotypes.is_empty() {
            vec![annotate(
                kb(),
                gene,
                &DiplotypeInput::Unknown,
                GuidelineSource::Cpic,
            )]
        } else {
            input
                .diplotypes
                .iter()
                .map(|d| annotate(kb(), gene, d, GuidelineSource::Cpic))
                .collect()
        };
        if ours.len() != expected.len() {
            diffs.push(format!(
                "{gene}: {} diplotypes, PharmCAT {}",
                ours.len(),
                expected.len()
            ));
            continue;
        }
        for (o, e) in ours.iter().zip(expected) {
            let mut check = |what: &str, mine: String, theirs: String| {
                if mine != theirs {
                    diffs.push(format!("{gene} {what}: ours {mine:?}, PharmCAT {theirs:?}"));
                }
            };
            check(
                "label",
                o.label.clone(),
                e["label"].as_str().unwrap_or_default().to_string(),
            );
            check(
                "phenotypes",
                format!("{:?}", o.phenotypes),
                format!("{:?}", strings(&e["phenotypes"])),
            );
            check(
                "activity score",
                format!("{:?}", o.activity_score),
                format!("{:?}", e["activityScore"].as_str()),
            );
            check(
                "lookup keys",
                format!("{:?}", o.lookup_keys),
                format!("{:?}", strings(&e["lookupKey"])),
            );
            for (n, (mine, theirs)) in [
                (o.allele1.as_ref(), &e["allele1"]),
                (o.allele2.as_ref(), &e["allele2"]),
            ]
            .into_iter()
            .enumerate()
            {
                let what = format!("allele{}", n + 1);
                check(
                    &format!("{what} name"),
                    format!("{:?}", mine.map(|h| h.name.as_str())),
                    format!("{:?}", theirs["name"].as_str()),
                );
                check(
                    &format!("{what} function"),
                    format!("{:?}", mine.and_then(|h| h.function.as_deref())),
                    format!("{:?}", theirs["function"].as_str()),
                );
                check(
                    &format!("{what} activity value"),
                    format!("{:?}", mine.and_then(|h| h.activity_value.as_deref())),
                    format!("{:?}", theirs["activityValue"].as_str()),
                );
            }
        }
    }
    diffs
}

#[test]
fn example1_phenotypes_match_pharmcat() {
    assert_eq!(
        phenotype_differences("pharmcat.example"),
        Vec::<String>::new()
    );
}

#[test]
fn example2_phenotypes_match_pharmcat() {
    assert_eq!(
        phenotype_differences("pharmcat.example2"),
        Vec::<String>::new()
    );
}

/// (source, drug) -> sorted list of "classification | population" of matched rows.
type Annotated = BTreeMap<(String, String), Vec<String>>;

fn normalize_classification(source: &str, c: Option<&str>) -> String {
    match (source, c) {
        // PharmCAT 3.x labels DPWG rows that carry advice "Unspecified"; the 2.12.0
        // files call the same rows "N/A" or leave them unclassified.
        ("DPWG", None | Some("N/A")) => "Unspecified".to_string(),
        (_, Some(c)) => c.to_string(),
        (_, None) => "-".to_string(),
    }
}

/// `classification | population | lookup keys` of one matched row. Lookup keys are
/// compared for CPIC only: DPWG's 2.12.0 rows are keyed differently from 3.1.1's for DPYD
/// (`2.0 (Normal Metabolizer)` vs `2.0`) and CYP2C9 (phenotype vs activity score), so for
/// DPWG the classification and population carry the comparison.
fn annotation_line(
    source: &str,
    classification: Option<&str>,
    population: &str,
    lookup: &BTreeMap<String, String>,
) -> String {
    let keys = if source == "CPIC" {
        lookup
            .iter()
            .map(|(g, k)| format!("{g}={k}"))
            .collect::<Vec<_>>()
            .join(",")
    } else {
        String::new()
    };
    format!(
        "{} | {population} | {keys}",
        normalize_classification(source, classification)
    )
}

fn expected_annotations(example: &str) -> (Annotated, BTreeSet<(String, String)>) {
    let report = read_json(&example_file(&format!("{example}.report.json")));
    let mut annotated = Annotated::new();
    let mut drugs = BTreeSet::new();
    for (section, source) in [
        ("CPIC Guideline Annotation", "CPIC"),
        ("DPWG Guideline Annotation", "DPWG"),
    ] {
        for (drug, d) in report["drugs"][section].as_object().expect("drug section") {
            drugs.insert((source.to_string(), drug.clone()));
            for g in d["guidelines"].as_array().expect("guidelines") {
                for a in g["annotations"].as_array().expect("annotations") {
                    let population = a["population"].as_str().unwrap_or("-");
                    let population = if population == NA { "-" } else { population };
                    let lookup: BTreeMap<String, String> = a["lookupKey"]
                        .as_array()
                        .and_then(|l| l.first())
                        .and_then(Value::as_object)
                        .map(|m| {
                            m.iter()
                                .map(|(g, k)| {
                                    (g.clone(), k.as_str().unwrap_or_default().to_string())
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    annotated
                        .entry((source.to_string(), drug.clone()))
                        .or_default()
                        .push(annotation_line(
                            source,
                            a["classification"].as_str(),
                            population,
                            &lookup,
                        ));
                }
            }
        }
    }
    for v in annotated.values_mut() {
        v.sort();
    }
    (annotated, drugs)
}

fn our_annotations(example: &str) -> (Annotated, BTreeSet<(String, String)>) {
    let recs = recommend_inputs(kb(), &inputs(example));
    annotations_of(recs.iter())
}

/// Tailor's recommendations in the comparison form: the drugs, and per drug the matched
/// rows (classification, population, lookup).
fn annotations_of<'a>(
    recs: impl Iterator<Item = &'a tailor_core::pgx::DrugRecommendation>,
) -> (Annotated, BTreeSet<(String, String)>) {
    let mut annotated = Annotated::new();
    let mut drugs = BTreeSet::new();
    for r in recs {
        drugs.insert((r.source.clone(), r.drug.clone()));
        let matched_row = r.classification.is_some() || r.recommendation.is_some() || r.actionable;
        if matched_row {
            annotated
                .entry((r.source.clone(), r.drug.clone()))
                .or_default()
                .push(annotation_line(
                    &r.source,
                    r.classification.as_deref(),
                    r.population.as_deref().unwrap_or("-"),
                    &r.lookup,
                ));
        }
    }
    for v in annotated.values_mut() {
        v.sort();
    }
    (annotated, drugs)
}

/// Differences between PharmCAT's report and ours, one line each.
fn recommendation_differences(example: &str) -> BTreeSet<String> {
    let (theirs, their_drugs) = expected_annotations(example);
    let (ours, our_drugs) = our_annotations(example);
    compare_annotations(&theirs, &their_drugs, &ours, &our_drugs)
}

fn compare_annotations(
    theirs: &Annotated,
    their_drugs: &BTreeSet<(String, String)>,
    ours: &Annotated,
    our_drugs: &BTreeSet<(String, String)>,
) -> BTreeSet<String> {
    let mut diffs = BTreeSet::new();
    for (source, drug) in their_drugs.difference(our_drugs) {
        diffs.insert(format!("{source} {drug}: drug only in PharmCAT 3.1.1"));
    }
    for (source, drug) in our_drugs.difference(their_drugs) {
        diffs.insert(format!("{source} {drug}: drug only in Tailor"));
    }
    for key in their_drugs.intersection(our_drugs) {
        let t = theirs.get(key).cloned().unwrap_or_default();
        let o = ours.get(key).cloned().unwrap_or_default();
        if t != o {
            diffs.insert(format!("{} {}: PharmCAT {t:?}, Tailor {o:?}", key.0, key.1));
        }
    }
    diffs
}

/// Drugs whose guideline is newer than PharmCAT 2.12.0's guideline files (or that were
/// added to an existing guideline after it), so Tailor's knowledge base cannot have them:
/// CPIC hydralazine/NAT2 and metoprolol/CYP2D6; the four aminoglycosides added to the
/// MT-RNR1 guideline; DPWG atazanavir/UGT1A1, mavacamten/CYP2C19, rosuvastatin/SLCO1B1.
const NEWER_GUIDELINE_DRUGS: &[(&str, &str)] = &[
    ("CPIC", "dibekacin"),
    ("CPIC", "hydralazine"),
    ("CPIC", "metoprolol"),
    ("CPIC", "neomycin"),
    ("CPIC", "netilmicin"),
    ("CPIC", "ribostamycin"),
    ("DPWG", "atazanavir"),
    ("DPWG", "mavacamten"),
    ("DPWG", "rosuvastatin"),
];

fn newer_drug_lines() -> BTreeSet<String> {
    NEWER_GUIDELINE_DRUGS
        .iter()
        .map(|(s, d)| format!("{s} {d}: drug only in PharmCAT 3.1.1"))
        .collect()
}

#[test]
fn example1_recommendations_match_pharmcat() {
    let diffs = recommendation_differences("pharmcat.example");
    assert_eq!(diffs, newer_drug_lines());
}

#[test]
fn example2_recommendations_match_pharmcat() {
    let diffs = recommendation_differences("pharmcat.example2");
    assert_eq!(diffs, newer_drug_lines());
}

/// The whole pipeline, VCF (and outside calls) in: Tailor's own calls feed the
/// phenotype and recommendation steps, and the result must differ from PharmCAT's
/// report only by the drugs whose guidelines are newer than the files available here.
fn end_to_end_differences(example: &str) -> BTreeSet<String> {
    let engine = tailor_pgx::engine::PgxEngine::new(kb()).expect("models");
    let vcf = example_file(&format!("{example}.vcf"));
    let outside_file = example_file(&format!("{example}.outsideCall.tsv"));
    let outside = if outside_file.is_file() {
        tailor_pgx::outside_call::read_outside_calls(&outside_file).expect("outside calls")
    } else {
        Vec::new()
    };
    let run = engine
        .run(&[vcf], &outside, &Default::default(), |_| {})
        .expect("pipeline");
    // The sample's entries plus those listed once for the run (guidelines none of
    // whose genes was called).
    let (ours, our_drugs) = annotations_of(
        run.samples[0]
            .recommendations
            .iter()
            .chain(&run.recommendations_not_assessed),
    );
    let (theirs, their_drugs) = expected_annotations(example);
    compare_annotations(&theirs, &their_drugs, &ours, &our_drugs)
}

#[test]
fn example1_end_to_end_matches_pharmcat_report() {
    assert_eq!(
        end_to_end_differences("pharmcat.example"),
        newer_drug_lines()
    );
}

#[test]
fn example2_end_to_end_matches_pharmcat_report() {
    assert_eq!(
        end_to_end_differences("pharmcat.example2"),
        newer_drug_lines()
    );
}
