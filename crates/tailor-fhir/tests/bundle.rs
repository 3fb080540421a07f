//! The example case through the real pipeline into a FHIR bundle, checked against the
//! Genomics Reporting IG 3.0.0 package, for internal consistency, by snapshot, and (when
//! `TAILOR_FHIR_VALIDATOR` names a Python with `fhir.resources`) by an independent
//! parser.

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use support::profile::{luhn, Ig};
use support::{example, example_bundle, ig_codes, ig_dir};

fn entries(bundle: &Value) -> Vec<(&str, &Value)> {
    bundle["entry"]
        .as_array()
        .expect("bundle has entries")
        .iter()
        .map(|e| {
            (
                e["fullUrl"].as_str().expect("entry has fullUrl"),
                &e["resource"],
            )
        })
        .collect()
}

fn profiles(resource: &Value) -> Vec<&str> {
    resource["meta"]["profile"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn component_codes(resource: &Value) -> Vec<(&str, &str, &str)> {
    resource["component"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["code"]["coding"].as_array().into_iter().flatten())
        .map(|c| {
            (
                c["system"].as_str().unwrap_or(""),
                c["code"].as_str().unwrap_or(""),
                c["display"].as_str().unwrap_or(""),
            )
        })
        .collect()
}

/// Every resource that claims an IG profile satisfies it: cardinalities, fixed and
/// pattern values, slices; every component is one of the profile's slices; codes the
/// IG code list fixes are used with its system, code and display.
#[test]
fn every_resource_conforms_to_its_claimed_profile() {
    let ig = Ig::load(&ig_dir(), &ig_codes());
    assert!(
        ig.sds.len() >= 40,
        "IG package has its StructureDefinitions"
    );
    let bundle = example_bundle();
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for (url, r) in entries(bundle) {
        let rt = r["resourceType"].as_str().unwrap_or("");
        let claimed = profiles(r);
        if matches!(
            rt,
            "Observation" | "DiagnosticReport" | "Task" | "Procedure"
        ) {
            assert_eq!(claimed.len(), 1, "{url} ({rt}) claims one IG profile");
        }
        for p in claimed {
            let chain = ig.chain(p);
            assert!(!chain.is_empty(), "{url}: profile {p} is in the IG package");
            *checked.entry(chain[0].clone()).or_default() += 1;
            for e in ig.check(r, p) {
                errors.push(format!("{url} ({}): {e}", chain[0]));
            }
            // Components: only the profile's slices, with the code list's codes.
            let sd = &ig.sds[p];
            let slice_codes: Vec<&Value> = sd["snapshot"]["element"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| {
                    let id = e["id"].as_str().unwrap_or("");
                    id.starts_with("Observation.component:")
                        && id.ends_with(".code")
                        && id.matches('.').count() == 2
                })
                .filter_map(|e| e.get("patternCodeableConcept"))
                .collect();
            for c in r["component"].as_array().into_iter().flatten() {
                if !slice_codes
                    .iter()
                    .any(|p| support::profile::matches_pattern(&c["code"], p))
                {
                    errors.push(format!("{url}: component {} is no slice of {p}", c["code"]));
                }
            }
            let rows: Vec<_> = ig
                .codes
                .iter()
                .filter(|row| chain.contains(&row.profile))
                .collect();
            for (system, code, display) in component_codes(r) {
                match rows
                    .iter()
                    .find(|row| row.system == system && row.code == code)
                {
                    None => errors.push(format!(
                        "{url}: component code {system}|{code} not in the IG code list for {}",
                        chain[0]
                    )),
                    Some(row) if !row.display.is_empty() && row.display != display => {
                        errors.push(format!(
                            "{url}: display {display:?} for {code}, IG code list has {:?}",
                            row.display
                        ))
                    }
                    Some(_) => {}
                }
            }
            let code_rows: Vec<_> = rows
                .iter()
                .filter(|row| row.element.ends_with(".code") && !row.element.contains(':'))
                .collect();
            if let Some(row) = code_rows.first() {
                let coding = &r["code"]["coding"][0];
                assert_eq!(coding["system"], row.system.as_str(), "{url} code system");
                assert_eq!(coding["code"], row.code.as_str(), "{url} code");
                if !row.display.is_empty() {
                    assert_eq!(coding["display"], row.display.as_str(), "{url} display");
                }
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} violations:\n{}",
        errors.len(),
        errors.join("\n")
    );
    for p in [
        "genomic-report",
        "variant",
        "molecular-consequence",
        "molecular-biomarker",
        "therapeutic-implication",
        "genotype",
        "haplotype",
        "medication-recommendation",
        "genomic-study",
    ] {
        assert!(
            checked.get(p).copied().unwrap_or(0) > 0,
            "no {p} resource checked"
        );
    }
}

/// The checker itself catches what it claims to: a variant without its required
/// categories, with a wrong fixed code, and an implication with a value.
#[test]
fn profile_checker_rejects_broken_resources() {
    let ig = Ig::load(&ig_dir(), &ig_codes());
    let bundle = example_bundle();
    let variant_url = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant";
    let ti_url =
        "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/therapeutic-implication";
    let find = |p: &str| {
        entries(bundle)
            .into_iter()
            .find(|(_, r)| profiles(r).contains(&p))
            .map(|(_, r)| r.clone())
            .expect("resource with profile")
    };
    let mut v = find(variant_url);
    assert!(ig.check(&v, variant_url).is_empty());
    v["category"] = serde_json::json!([v["category"][0].clone()]);
    assert!(ig
        .check(&v, variant_url)
        .iter()
        .any(|e| e.contains("geCategory")));
    let mut v = find(variant_url);
    v["code"]["coding"][0]["code"] = "69548-7".into();
    assert!(ig
        .check(&v, variant_url)
        .iter()
        .any(|e| e.contains("pattern")));
    let mut t = find(ti_url);
    assert!(ig.check(&t, ti_url).is_empty());
    t["valueString"] = "x".into();
    assert!(ig.check(&t, ti_url).iter().any(|e| e.contains("max 0")));
    t.as_object_mut().unwrap().remove("derivedFrom");
    t.as_object_mut().unwrap().remove("valueString");
    assert!(ig
        .check(&t, ti_url)
        .iter()
        .any(|e| e.contains("derivedFrom")));
}

/// Every reference resolves to an entry; full URLs are unique `urn:uuid:`s matching
/// the resource ids; the report lists every observation.
#[test]
fn all_references_resolve_inside_the_bundle() {
    let bundle = example_bundle();
    let list = entries(bundle);
    let urls: BTreeSet<&str> = list.iter().map(|(u, _)| *u).collect();
    assert_eq!(urls.len(), list.len(), "full URLs are unique");
    for (url, r) in &list {
        let uuid = url.strip_prefix("urn:uuid:").expect("urn:uuid full URL");
        assert_eq!(
            r["id"].as_str(),
            Some(uuid),
            "{url}: id matches the full URL"
        );
    }
    let mut refs = Vec::new();
    collect_references(bundle, &mut refs);
    assert!(refs.len() > list.len(), "the bundle is linked");
    for r in &refs {
        assert!(urls.contains(r.as_str()), "dangling reference {r}");
    }
    let report = list[0].1;
    assert_eq!(report["resourceType"], "DiagnosticReport");
    let results: BTreeSet<&str> = report["result"]
        .as_array()
        .expect("report has results")
        .iter()
        .filter_map(|r| r["reference"].as_str())
        .collect();
    for (url, r) in &list {
        if r["resourceType"] == "Observation" {
            assert!(
                results.contains(url),
                "{url} is not in the report's results"
            );
        }
    }
}

fn collect_references(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("reference", Value::String(s)) => out.push(s.clone()),
                    _ => collect_references(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_references(x, out)),
        _ => {}
    }
}

/// The bundle says what the interpretation says: one variant per somatic finding that
/// is not a tumour-level biomarker, one therapeutic implication per evidence match of a
/// tier I/II finding and none from tier III, one genotype per called gene, one task per
/// medication alert; the patient is a pseudonym only.
#[test]
fn bundle_content_matches_the_interpretation() {
    let i = example();
    let bundle = example_bundle();
    let list = entries(bundle);
    let by_url: BTreeMap<&str, &Value> = list.iter().copied().collect();
    let count = |p: &str| {
        list.iter()
            .filter(|(_, r)| profiles(r).iter().any(|x| x.ends_with(&format!("/{p}"))))
            .count()
    };
    let somatic = i.somatic.as_ref().expect("example has a somatic part");
    let all: Vec<_> = somatic.findings.iter().chain(&somatic.uncertain).collect();
    let biomarkers = all
        .iter()
        .filter(|f| f.kind == tailor_core::onco::FindingKind::Biomarker)
        .count();
    assert!(biomarkers > 0);
    assert_eq!(count("variant"), all.len() - biomarkers);
    assert_eq!(count("molecular-biomarker"), biomarkers);
    let evidence: usize = somatic.findings.iter().map(|f| f.evidence.len()).sum();
    let pgx = i.pgx.as_ref().expect("example has a PGx part");
    let called: BTreeSet<&str> = pgx
        .result
        .genes
        .iter()
        .filter(|g| !g.diplotypes.is_empty())
        .map(|g| g.gene.as_str())
        .collect();
    assert_eq!(count("genotype"), called.len());
    let pgx_implications = pgx
        .result
        .recommendations
        .iter()
        .filter(|r| r.actionable && r.recommendation.is_some())
        .filter(|r| {
            r.lookup
                .keys()
                .chain(r.diplotypes.keys())
                .any(|g| called.contains(g.as_str()))
        })
        .count();
    assert!(pgx_implications > 0);
    assert_eq!(
        count("therapeutic-implication"),
        evidence + pgx_implications
    );
    assert_eq!(
        count("medication-recommendation"),
        i.medication_alerts.len()
    );

    // No therapeutic implication derives from a tier III finding.
    for (url, r) in &list {
        if !profiles(r)
            .iter()
            .any(|p| p.ends_with("/therapeutic-implication"))
        {
            continue;
        }
        for d in r["derivedFrom"].as_array().expect("derivedFrom") {
            let target = by_url[d["reference"].as_str().unwrap()];
            let text = serde_json::to_string(target).unwrap();
            assert!(
                !text.contains("tier III"),
                "{url} derives from a tier III finding"
            );
        }
    }

    // BRAF V600E: coordinates, alleles, VAF and somatic origin as in the VCF.
    let braf = somatic
        .findings
        .iter()
        .find(|f| f.alteration == "BRAF V600E")
        .and_then(|f| f.variant.as_ref())
        .expect("example has BRAF V600E");
    let variant = list
        .iter()
        .map(|(_, r)| *r)
        .find(|r| {
            r["component"].as_array().into_iter().flatten().any(|c| {
                c["valueCodeableConcept"]["coding"][0]["code"].as_str()
                    == Some(&format!("NC_000007.14:g.{}A>T", braf.pos))
            })
        })
        .expect("BRAF variant observation with genomic HGVS");
    let comp = |code: &str| {
        variant["component"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"]["coding"][0]["code"] == code)
            .unwrap_or_else(|| panic!("component {code}"))
    };
    assert_eq!(comp("81258-6")["valueQuantity"]["value"], braf.vaf.unwrap());
    assert_eq!(comp("81254-5")["valueRange"]["low"]["value"], braf.pos);
    assert_eq!(comp("69547-8")["valueString"], braf.ref_allele.as_str());
    assert_eq!(comp("69551-0")["valueString"], braf.alt_allele.as_str());
    assert_eq!(
        comp("48002-0")["valueCodeableConcept"]["coding"][0]["code"],
        "LA6684-0"
    );
    assert_eq!(comp("48018-6")["valueCodeableConcept"]["text"], "BRAF");
    assert_eq!(
        comp("48005-3")["valueCodeableConcept"]["coding"][0]["code"],
        "p.V600E"
    );

    // The patient: pseudonym, nothing else identifying.
    let patient = list
        .iter()
        .map(|(_, r)| *r)
        .find(|r| r["resourceType"] == "Patient")
        .expect("patient");
    assert_eq!(patient["identifier"][0]["value"], i.case.patient.as_str());
    for key in ["name", "birthDate", "gender", "address", "telecom"] {
        assert!(patient.get(key).is_none(), "patient has {key}");
    }
    let report = list[0].1;
    assert_eq!(report["conclusion"], i.conclusion.as_str());
    assert_eq!(report["issued"], support::GENERATED_AT);
}

/// LOINC codes carry valid check digits (answer codes checked with the offsets the
/// IG's own example answer codes show), and every GRCh38 RefSeq accession used is the
/// one MANE gives for that chromosome.
#[test]
fn loinc_check_digits_and_refseq_accessions_are_right() {
    // Learn the LA offset per digit count from the IG's examples.
    let mut offsets: BTreeMap<usize, BTreeSet<u32>> = BTreeMap::new();
    let mut plain_ok = 0;
    for entry in std::fs::read_dir(ig_dir().join("example")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for code in loinc_like(&text) {
            let (num, check) = code.split_once('-').unwrap();
            let check: u32 = check.parse().unwrap();
            match num.strip_prefix("LA") {
                Some(n) => {
                    let off = (check + 10 - luhn(n).unwrap()) % 10;
                    offsets.entry(n.len()).or_default().insert(off);
                }
                None => {
                    assert_eq!(luhn(num), Some(check), "IG example LOINC {code}");
                    plain_ok += 1;
                }
            }
        }
    }
    assert!(plain_ok > 50);
    for (len, offs) in &offsets {
        assert_eq!(
            offs.len(),
            1,
            "one LA offset for {len}-digit codes: {offs:?}"
        );
    }
    let text = serde_json::to_string(example_bundle()).unwrap();
    let mut seen = 0;
    for code in loinc_like(&text) {
        let (num, check) = code.split_once('-').unwrap();
        let check: u32 = check.parse().unwrap();
        let expected = match num.strip_prefix("LA") {
            Some(n) => {
                let off = offsets
                    .get(&n.len())
                    .and_then(|o| o.iter().next())
                    .unwrap_or_else(|| panic!("no IG example answer code with {} digits", n.len()));
                (luhn(n).unwrap() + off) % 10
            }
            None => luhn(num).unwrap(),
        };
        assert_eq!(check, expected, "check digit of {code}");
        seen += 1;
    }
    assert!(seen > 100);

    // RefSeq chromosome accessions against MANE's GRCh38_chr column.
    let mane = support::shared_data().join("onco/transcripts/MANE.GRCh38.v1.5.summary.txt.gz");
    let file = std::fs::File::open(&mane).expect("MANE summary");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(file), &mut text)
        .expect("MANE summary decompresses");
    let mane_accessions: BTreeSet<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(10))
        .filter(|a| a.starts_with("NC_"))
        .collect();
    let bundle_text = serde_json::to_string(example_bundle()).unwrap();
    let used: BTreeSet<&str> = bundle_text
        .match_indices("NC_0000")
        .map(|(i, _)| {
            let rest = &bundle_text[i..];
            let end = rest.find(['"', ':']).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect();
    assert!(used.len() > 15, "variants on many chromosomes: {used:?}");
    for acc in used {
        assert!(
            mane_accessions.contains(acc),
            "{acc} is not a GRCh38 chromosome in MANE"
        );
    }
}

/// Codes shaped like LOINC (`12345-6`, `LA12345-6`) in quoted JSON strings.
fn loinc_like(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in text.split('"') {
        let (digits, rest) = match piece.strip_prefix("LA") {
            Some(r) => ("LA", r),
            None => ("", piece),
        };
        let Some((num, check)) = rest.split_once('-') else {
            continue;
        };
        if (4..=6).contains(&num.len())
            && num.bytes().all(|b| b.is_ascii_digit())
            && check.len() == 1
            && check.bytes().all(|b| b.is_ascii_digit())
        {
            out.push(format!("{digits}{num}-{check}"));
        }
    }
    out
}

/// Same interpretation, same bytes; and snapshots of the two small example bundles (the
/// colorectal one, ~620 resources, is covered by the structural tests above instead of a
/// multi-megabyte snapshot).
#[test]
fn example_bundle_snapshots() {
    let bytes = tailor_fhir::to_json(example()).unwrap();
    assert_eq!(
        bytes,
        tailor_fhir::to_json(example()).unwrap(),
        "deterministic output"
    );
    for name in ["lung-biomarkers", "no-actionable"] {
        let i = support::interpret_example(name);
        let text = String::from_utf8(tailor_fhir::to_json(&i).unwrap()).expect("UTF-8");
        insta::assert_snapshot!(format!("{}_bundle", name.replace('-', "_")), text);
    }
}

/// The independent validator: `tests/validate_fhir.py` parses every resource with the
/// `fhir.resources` R4 models. Runs when `TAILOR_FHIR_VALIDATOR` names its Python.
#[test]
fn independent_validator_accepts_the_example_bundle() {
    let Some(python) = std::env::var_os("TAILOR_FHIR_VALIDATOR").filter(|p| !p.is_empty()) else {
        assert!(
            std::env::var_os("TAILOR_REQUIRE_EXTERNAL_TOOLS").is_none(),
            "TAILOR_FHIR_VALIDATOR must be set here (TAILOR_REQUIRE_EXTERNAL_TOOLS is set)"
        );
        eprintln!("skipped: set TAILOR_FHIR_VALIDATOR to a python with fhir.resources (see tests/requirements.txt)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    std::fs::write(&path, tailor_fhir::to_json(example()).unwrap()).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validate_fhir.py");
    let out = std::process::Command::new(&python)
        .arg(&script)
        .arg(&path)
        .output()
        .expect("validator runs");
    assert!(
        out.status.success(),
        "validator failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let n = entries(example_bundle()).len();
    assert!(
        stdout.contains(&format!("{n} resources")),
        "validator report: {stdout}"
    );
}
