//! The bundled example cases (`examples/*/case.yaml`) end to end: `interpretation.json`
//! snapshots (insta), and the "no actionable finding" statement in every format.

use std::path::PathBuf;
use std::sync::OnceLock;
use tailor_case::CaseManifest;
use tailor_core::interpretation::Interpretation;
use tailor_interpret::{interpret_case, InterpretOptions};
use tailor_kb::KnowledgeBase;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let data = std::env::var_os("TAILOR_SHARED_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
            });
        tailor_kb::build(&tailor_kb::SourcePaths::from_shared_data(&data)).expect("KB builds")
    })
}

/// Runs an example; the manifest path is relative to this crate so that the paths
/// recorded in the output (and the report id) do not depend on the checkout location.
fn example(name: &str) -> Interpretation {
    let manifest =
        CaseManifest::from_path(&PathBuf::from(format!("../../examples/{name}/case.yaml")))
            .expect("example manifest");
    interpret_case(
        &manifest,
        kb(),
        &InterpretOptions {
            generated_at: Some("2026-11-22T00:00:00Z".into()),
            ..InterpretOptions::default()
        },
    )
    .expect("example interprets")
}

#[test]
fn colorectal_interpretation_snapshot() {
    let i = example("colorectal");
    assert!(i.somatic.as_ref().is_some_and(|s| s.actionable));
    assert!(i.pgx.is_some());
    // Current medications with a normal phenotype are listed but not raised.
    assert!(i
        .medication_alerts
        .iter()
        .any(|a| a.medication == "capecitabine" && !a.actionable));
    insta::assert_json_snapshot!("colorectal", i);
}

#[test]
fn lung_biomarkers_interpretation_snapshot() {
    let i = example("lung-biomarkers");
    let s = i.somatic.as_ref().expect("somatic part");
    assert!(s.findings.iter().any(|f| f.alteration == "PD-L1 TPS 60%"
        && f.evidence.iter().any(|e| e.therapy == "pembrolizumab")));
    assert!(i.pgx.is_none());
    insta::assert_json_snapshot!("lung_biomarkers", i);
}

#[test]
fn no_actionable_case_says_so_in_every_format() {
    let i = example("no-actionable");
    let s = i.somatic.as_ref().expect("somatic part");
    assert!(!s.actionable && s.findings.is_empty());
    assert!(
        i.conclusion.starts_with("No actionable finding"),
        "{}",
        i.conclusion
    );
    insta::assert_json_snapshot!("no_actionable", i);
    let files = tailor_report::render_all(&i).expect("renders");
    for (name, bytes) in &files {
        if name.ends_with(".pdf") {
            continue; // checked through pdftotext in crates/tailor-pdf
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.contains("No actionable finding"),
            "{name} does not say it"
        );
    }
}

/// Engines built once and shared by threads give, for every example, exactly the
/// interpretation of the one-shot path (the snapshots above), however often they are
/// reused.
#[test]
fn shared_engines_give_the_one_shot_interpretation_from_every_thread() {
    let engines =
        tailor_interpret::Engines::new(std::sync::Arc::new(kb().clone())).expect("engines build");
    let options = InterpretOptions {
        generated_at: Some("2026-11-22T00:00:00Z".into()),
        ..InterpretOptions::default()
    };
    let names = ["colorectal", "lung-biomarkers", "no-actionable"];
    let expected: Vec<String> = names
        .iter()
        .map(|n| serde_json::to_string(&example(n)).unwrap())
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for (name, want) in names.iter().zip(&expected) {
                    let manifest = CaseManifest::from_path(&PathBuf::from(format!(
                        "../../examples/{name}/case.yaml"
                    )))
                    .unwrap();
                    for _ in 0..2 {
                        let got =
                            tailor_interpret::interpret_manifest(&manifest, &engines, &options)
                                .expect("interprets");
                        assert_eq!(&serde_json::to_string(&got).unwrap(), want, "{name}");
                    }
                }
            });
        }
    });
}

/// The bundled colorectal case from bytes held in memory: the manifest and every file it
/// names are byte buffers, read through a resolver that refuses anything it was not
/// given (so nothing can come from disk). The interpretation equals the one read from
/// disk, the report id included: it hashes the files' content, not their paths.
#[test]
fn colorectal_case_from_memory_equals_the_case_from_disk() {
    use tailor_case::resolve::MemoryResolver;
    let folder = PathBuf::from("../../examples/colorectal");
    let yaml = std::fs::read(folder.join("case.yaml")).unwrap();
    let manifest = CaseManifest::from_reader(&yaml[..], "case.yaml".as_ref()).unwrap();
    let mut parts = MemoryResolver::new();
    let entries = [
        manifest.somatic.vcf.clone(),
        manifest.somatic.segments.clone(),
        manifest.somatic.fusions.clone(),
        manifest.germline.vcf.clone(),
        manifest.germline.outside_calls.clone(),
    ];
    for entry in entries.into_iter().flatten() {
        let bytes = std::fs::read(folder.join(&entry)).unwrap();
        parts.insert(entry, bytes);
    }
    let engines = tailor_interpret::Engines::new(std::sync::Arc::new(kb().clone())).unwrap();
    let options = InterpretOptions {
        generated_at: Some("2026-11-22T00:00:00Z".into()),
        ..InterpretOptions::default()
    };
    let from_memory =
        tailor_interpret::interpret_manifest_with(&manifest, &parts, &engines, &options)
            .expect("interprets from memory");
    let from_disk = example("colorectal");
    // The report id hashes the files' bytes, not where they lie.
    assert_ne!(from_memory.report_id, "");
    assert_eq!(from_memory.report_id, from_disk.report_id);
    assert_eq!(
        serde_json::to_value(&from_memory).unwrap(),
        serde_json::to_value(&from_disk).unwrap()
    );
    assert!(from_memory.somatic.as_ref().is_some_and(|s| s.actionable));

    // An entry without an uploaded part is refused by name, and nothing is read from disk.
    let mut partial = MemoryResolver::new();
    partial.insert(
        manifest.somatic.vcf.clone().unwrap(),
        std::fs::read(folder.join(manifest.somatic.vcf.as_ref().unwrap())).unwrap(),
    );
    let err = tailor_interpret::interpret_manifest_with(&manifest, &partial, &engines, &options)
        .unwrap_err()
        .to_string();
    assert!(err.contains("T001-COAD.grch38.cna.tsv"), "{err}");
    assert!(err.contains("no uploaded file"), "{err}");
}

/// Each kind of failure through `interpret_manifest_with`, with whose fault it is: the
/// server turns `BadInput` into 4xx and the rest into 5xx, the CLI exits 2 for all.
#[test]
fn every_error_kind_says_whose_fault_it_is() {
    use tailor_case::resolve::MemoryResolver;
    use tailor_interpret::{interpret_manifest_with, ErrorClass, InterpretError};
    let engines = tailor_interpret::Engines::new(std::sync::Arc::new(kb().clone())).unwrap();
    let options = InterpretOptions::default();
    let run = |yaml: &str, parts: &[(&str, Vec<u8>)]| {
        let manifest = CaseManifest::from_reader(yaml.as_bytes(), "case.yaml".as_ref()).unwrap();
        let mut resolver = MemoryResolver::new();
        for (name, bytes) in parts {
            resolver.insert(*name, bytes.clone());
        }
        let e = interpret_manifest_with(&manifest, &resolver, &engines, &options).unwrap_err();
        // Every one of these is found by the reader stage, before any engine runs.
        let read = tailor_interpret::CaseInputs::read(&manifest, &resolver, &engines, &options)
            .unwrap_err();
        assert_eq!(read.to_string(), e.to_string());
        e
    };
    let germline = |file: &str| format!("patient: P1\ngermline:\n  {file}\n");
    let shared = std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));

    // An entry with no uploaded part.
    let e = run(&germline("vcf: g.vcf"), &[]);
    assert!(matches!(e, InterpretError::Input(_)), "{e:?}");
    assert_eq!(e.class(), ErrorClass::BadInput);
    // A germline VCF that is not one.
    let e = run(&germline("vcf: g.vcf"), &[("g.vcf", b"hello\n".to_vec())]);
    assert!(matches!(e, InterpretError::Germline(_)), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("germline pharmacogenomics: g.vcf: "),
        "{e}"
    );
    assert_eq!(e.class(), ErrorClass::BadInput);
    // Several people in the germline VCF and none named.
    let multi = std::fs::read(shared.join("pgx/pharmcat-3.1.1/examples/multisample.vcf")).unwrap();
    let e = run(&germline("vcf: m.vcf"), &[("m.vcf", multi)]);
    assert!(matches!(e, InterpretError::GermlineSamples { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("name the patient's with germline.sample"),
        "{e}"
    );
    assert_eq!(e.class(), ErrorClass::BadInput);
    // A malformed outside-call file.
    let e = run(
        &germline("outside_calls: o.tsv"),
        &[("o.tsv", b"CYP2D6\t*1/*4\tPM\tx\textra\n".to_vec())],
    );
    assert!(matches!(e, InterpretError::OutsideCalls(_)), "{e:?}");
    assert!(e.to_string().contains("o.tsv: line 1"), "{e}");
    assert_eq!(e.class(), ErrorClass::BadInput);
    // A somatic file that does not parse.
    let e = run(
        "patient: P1\ntumor_type: COAD\nsomatic:\n  segments: s.tsv\n",
        &[(
            "s.tsv",
            b"Chromosome\tStart\tEnd\tnMajor\tnMinor\n7\t0\t10\t2\t1\n".to_vec(),
        )],
    );
    assert!(matches!(e, InterpretError::SomaticInput(_)), "{e:?}");
    assert!(e.to_string().contains("s.tsv:2"), "{e}");
    assert_eq!(e.class(), ErrorClass::BadInput);
    // An unknown tumour type.
    let e = run(
        "patient: P1\ntumor_type: NOTACODE\nsomatic:\n  fusions: f.tsv\n",
        &[("f.tsv", b"gene5\tgene3\nEML4\tALK\n".to_vec())],
    );
    assert!(matches!(e, InterpretError::Somatic(_)), "{e:?}");
    assert_eq!(e.class(), ErrorClass::BadInput);

    // A knowledge base that cannot be read is the operator's problem, and an operating
    // system that refuses a read is nobody's input error.
    let kb_fault = tailor_kb::KnowledgeBase::read("/nonexistent/kb.bin".as_ref()).unwrap_err();
    assert_eq!(
        InterpretError::from(kb_fault).class(),
        ErrorClass::Knowledge
    );
    let io = tailor_case::CaseError::Io {
        path: "x.tsv".into(),
        line: None,
        source: std::io::Error::other("device error"),
    };
    assert_eq!(InterpretError::from(io).class(), ErrorClass::Internal);
}

/// The reader stage and the interpretation apart: a case read once into `CaseInputs`
/// (from uploaded parts) and interpreted twice gives what reading and interpreting in
/// one call gives, and the parsed values are the case's own.
#[test]
fn a_case_read_once_and_interpreted_later_equals_the_one_call() {
    use tailor_case::resolve::MemoryResolver;
    use tailor_interpret::{interpret, interpret_manifest_with, CaseInputs, Engines};
    let folder = PathBuf::from("../../examples/colorectal");
    let manifest = CaseManifest::from_path(&folder.join("case.yaml")).unwrap();
    let mut parts = MemoryResolver::new();
    for entry in [
        manifest.somatic.vcf.clone(),
        manifest.somatic.segments.clone(),
        manifest.somatic.fusions.clone(),
        manifest.germline.vcf.clone(),
        manifest.germline.outside_calls.clone(),
    ]
    .into_iter()
    .flatten()
    {
        let bytes = std::fs::read(folder.join(&entry)).unwrap();
        parts.insert(entry, bytes);
    }
    let engines = Engines::new(std::sync::Arc::new(kb().clone())).unwrap();
    let options = InterpretOptions {
        generated_at: Some("2026-11-22T00:00:00Z".into()),
        ..InterpretOptions::default()
    };
    let inputs = CaseInputs::read(&manifest, &parts, &engines, &options).unwrap();

    let somatic = inputs.somatic.as_ref().expect("somatic part");
    assert!(somatic.variants.len() > 3000, "{}", somatic.variants.len());
    assert!(somatic
        .variants
        .iter()
        .any(|v| v.gene.as_deref() == Some("BRAF") && v.protein.as_deref() == Some("V600E")));
    assert!(!somatic.copy_numbers.is_empty() && !somatic.fusions.is_empty());
    let germline = inputs.germline.as_ref().expect("germline part");
    assert_eq!(germline.inputs, ["pharmcat.example.vcf"]);
    assert_eq!(germline.genotypes.as_ref().unwrap().samples.len(), 1);
    assert!(!germline.outside_calls.is_empty());

    let once = interpret_manifest_with(&manifest, &parts, &engines, &options).unwrap();
    for _ in 0..2 {
        let later = interpret(&inputs, &engines, &options).unwrap();
        assert_eq!(
            serde_json::to_value(&later).unwrap(),
            serde_json::to_value(&once).unwrap()
        );
    }
}

/// A tumour-only MAF with a BRCA2 frameshift (the c.5946del founder variant) at a VAF
/// that an inherited heterozygote gives, and a TP53 hotspot: the BRCA2 finding is flagged
/// as possibly germline, TP53 is not (ESMO: tumour TP53 variants are rarely germline);
/// the same rows called against a matched normal are not flagged; and withholding the
/// secondary germline findings removes the flag, keeps the finding and its tier, and
/// says so among the limitations.
#[test]
fn tumour_only_brca2_is_flagged_as_possibly_germline_and_can_be_withheld() {
    use tailor_case::resolve::MemoryResolver;
    let engines = tailor_interpret::Engines::new(std::sync::Arc::new(kb().clone())).unwrap();
    let options = InterpretOptions {
        generated_at: Some("2026-11-22T00:00:00Z".into()),
        ..InterpretOptions::default()
    };
    let run = |normal: &str| {
        let maf = format!(
            "Hugo_Symbol\tNCBI_Build\tChromosome\tStart_Position\tEnd_Position\tVariant_Classification\tReference_Allele\tTumor_Seq_Allele2\tHGVSp_Short\tt_depth\tt_alt_count\tTumor_Sample_Barcode\tMatched_Norm_Sample_Barcode\n\
             BRCA2\tGRCh38\t13\t32339421\t32339421\tFrame_Shift_Del\tT\t-\tp.S1982Rfs*22\t200\t94\tT1\t{normal}\n\
             TP53\tGRCh38\t17\t7675088\t7675088\tMissense_Mutation\tC\tT\tp.R175H\t200\t120\tT1\t{normal}\n"
        );
        let manifest = CaseManifest::from_reader(
            &b"patient: P-GERMLINE\ntumor_type: PAAD\nassembly: GRCh38\nsomatic:\n  maf: calls.maf\n"[..],
            "case.yaml".as_ref(),
        )
        .unwrap();
        let mut parts = MemoryResolver::new();
        parts.insert("calls.maf", maf.into_bytes());
        tailor_interpret::interpret_manifest_with(&manifest, &parts, &engines, &options).unwrap()
    };
    let finding = |i: &Interpretation, gene: &str| {
        let s = i.somatic.as_ref().unwrap();
        s.findings
            .iter()
            .chain(&s.uncertain)
            .find(|f| f.gene.as_deref() == Some(gene))
            .cloned()
            .unwrap_or_else(|| panic!("{gene} finding"))
    };
    let mut tumour_only = run("");
    let brca2 = finding(&tumour_only, "BRCA2");
    let flag = brca2.possible_germline.as_ref().expect("BRCA2 flagged");
    assert!(flag.reason.contains("47%"), "{}", flag.reason);
    assert!(flag.guideline.contains("ESMO"));
    assert!(finding(&tumour_only, "TP53").possible_germline.is_none());
    let paired = run("N1");
    assert!(finding(&paired, "BRCA2").possible_germline.is_none());

    tumour_only.withhold_secondary_germline();
    let withheld = finding(&tumour_only, "BRCA2");
    assert!(withheld.possible_germline.is_none());
    assert_eq!(withheld.tier, brca2.tier);
    assert_eq!(withheld.evidence, brca2.evidence);
    assert!(tumour_only
        .limitations
        .iter()
        .any(|l| l.what.contains("germline") && l.why.contains("not consented")));
    // A case without a tumour part has nothing to withhold, and says nothing about it.
    let mut germline_only = example("colorectal");
    germline_only.somatic = None;
    let before = germline_only.limitations.clone();
    germline_only.withhold_secondary_germline();
    assert_eq!(germline_only.limitations, before);
    // Nothing of the flag is left in any rendering.
    let html = tailor_report::html::clinician_report(&tumour_only);
    assert!(!html.contains("Possible germline origin."));
    let with_flag = tailor_report::html::clinician_report(&run(""));
    assert!(with_flag.contains("Possible germline origin."));
}

/// Identifiers from content (issue 23, step 1): the example's tumour VCF with its
/// records in reverse order, and again without one unrelated record, gives the same
/// finding ids (BRAF V600E pinned to the documented recipe) and the same report order;
/// one changed byte in the fusion file changes the report id, and so does nothing else.
#[test]
fn finding_and_report_ids_come_from_content() {
    use sha2::{Digest, Sha256};
    use tailor_case::resolve::MemoryResolver;
    let folder = PathBuf::from("../../examples/colorectal");
    let yaml = std::fs::read(folder.join("case.yaml")).unwrap();
    let manifest = CaseManifest::from_reader(&yaml[..], "case.yaml".as_ref()).unwrap();
    let engines = tailor_interpret::Engines::new(std::sync::Arc::new(kb().clone())).unwrap();
    let options = InterpretOptions {
        generated_at: Some("2026-11-22T00:00:00Z".into()),
        ..InterpretOptions::default()
    };
    let vcf_entry = manifest.somatic.vcf.clone().unwrap();
    let fusions_entry = manifest.somatic.fusions.clone().unwrap();
    let original: Vec<u8> = {
        use std::io::Read;
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(folder.join(&vcf_entry)).unwrap())
            .read_to_end(&mut text)
            .unwrap();
        text
    };
    let text = String::from_utf8(original).unwrap();
    let (header, records): (Vec<&str>, Vec<&str>) = text.lines().partition(|l| l.starts_with('#'));
    let run = |vcf: String, fusions: Vec<u8>| {
        let mut parts = MemoryResolver::new();
        parts.insert(vcf_entry.clone(), vcf.into_bytes());
        parts.insert(fusions_entry.clone(), fusions);
        for entry in [
            manifest.somatic.segments.clone(),
            manifest.germline.vcf.clone(),
            manifest.germline.outside_calls.clone(),
        ]
        .into_iter()
        .flatten()
        {
            parts.insert(entry.clone(), std::fs::read(folder.join(&entry)).unwrap());
        }
        tailor_interpret::interpret_manifest_with(&manifest, &parts, &engines, &options).unwrap()
    };
    let join = |records: &[&str]| {
        let mut out = header.join("\n");
        out.push('\n');
        for r in records {
            out.push_str(r);
            out.push('\n');
        }
        out
    };
    let fusions = std::fs::read(folder.join(&fusions_entry)).unwrap();
    let ids = |i: &Interpretation| -> Vec<(String, String)> {
        let s = i.somatic.as_ref().unwrap();
        s.findings
            .iter()
            .chain(&s.uncertain)
            .map(|f| (f.id.clone(), f.alteration.clone()))
            .collect()
    };
    let forward = run(join(&records), fusions.clone());
    let mut reversed_records = records.clone();
    reversed_records.reverse();
    let reversed = run(join(&reversed_records), fusions.clone());
    assert_eq!(ids(&forward), ids(&reversed), "same ids in the same order");
    assert_ne!(
        forward.report_id, reversed.report_id,
        "other bytes, another report id"
    );

    // BRAF V600E (chr7:140753336 A>T) by the documented recipe.
    let key = "v1|small|GRCh38|7|140753336|A|T";
    let digest = Sha256::digest(key.as_bytes());
    let pinned = format!(
        "F{}",
        digest
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let braf = ids(&forward)
        .into_iter()
        .find(|(_, alteration)| alteration == "BRAF V600E")
        .expect("BRAF V600E");
    assert_eq!(braf.0, pinned);

    // Without one record of another finding, every other finding keeps its id.
    let dropped = records
        .iter()
        .position(|r| r.contains("\t157207156\t"))
        .expect("a record to drop");
    let mut fewer = records.clone();
    fewer.remove(dropped);
    let without = run(join(&fewer), fusions.clone());
    // (The TMB finding's value moves with one variant less; its id does not.)
    let all: std::collections::HashSet<String> =
        ids(&forward).into_iter().map(|(id, _)| id).collect();
    let kept: std::collections::HashSet<String> =
        ids(&without).into_iter().map(|(id, _)| id).collect();
    assert!(kept.is_subset(&all), "no id changed");
    assert_eq!(
        all.len() - kept.len(),
        1,
        "exactly the dropped finding is gone"
    );

    // One byte of the fusion file: a new report id; the order of records: the same.
    let mut changed = fusions.clone();
    let at = changed.iter().rposition(|b| b.is_ascii_digit()).unwrap();
    changed[at] = if changed[at] == b'9' {
        b'8'
    } else {
        changed[at] + 1
    };
    let other = run(join(&records), changed);
    assert_ne!(other.report_id, forward.report_id);
}

/// The TCGA LAML MAF in `../shared/data` (public, GRCh37): one patient's findings keep
/// their ids when another row of the same patient is removed (only the removed row's
/// finding, if it made one, is gone).
#[test]
fn removing_a_row_of_the_tcga_laml_maf_keeps_the_other_ids() {
    use tailor_case::resolve::MemoryResolver;
    let data = std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let maf = std::fs::read_to_string(
        data.join("onco/testdata/vcf2maf/tcga_legacy_grch37/tcga_laml.maf"),
    )
    .unwrap();
    let sample = "TCGA-AB-3009-03A-01D-0739-09";
    let manifest = CaseManifest::from_reader(
        format!(
            "patient: LAML-3009\ntumor_type: AML\nassembly: GRCh37\nsomatic:\n  maf: laml.maf\n  tumor_sample: {sample}\n"
        )
        .as_bytes(),
        "case.yaml".as_ref(),
    )
    .unwrap();
    let engines = tailor_interpret::Engines::new(std::sync::Arc::new(kb().clone())).unwrap();
    let run = |text: String| {
        let mut parts = MemoryResolver::new();
        parts.insert("laml.maf", text.into_bytes());
        let i = tailor_interpret::interpret_manifest_with(
            &manifest,
            &parts,
            &engines,
            &InterpretOptions::default(),
        )
        .unwrap();
        let s = i.somatic.unwrap();
        s.findings
            .iter()
            .chain(&s.uncertain)
            .map(|f| f.id.clone())
            .collect::<std::collections::HashSet<String>>()
    };
    let all = run(maf.clone());
    assert!(all.len() >= 5, "the patient has findings: {all:?}");
    let lines: Vec<&str> = maf.lines().collect();
    let rows: Vec<usize> = (0..lines.len())
        .filter(|&n| lines[n].contains(sample))
        .collect();
    for &drop in [rows[0], rows[rows.len() / 2], rows[rows.len() - 1]].iter() {
        let text: String = lines
            .iter()
            .enumerate()
            .filter(|(n, _)| *n != drop)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let kept = run(text);
        assert!(
            kept.is_subset(&all),
            "ids changed when line {} went",
            drop + 1
        );
        assert!(all.len() - kept.len() <= 1);
    }
}
