//! Drives the real `tailor somatic` binary on PCGR's and TCGA's public examples: tier I
//! findings and therapies on good input (by flags and by case manifest), and on bad input
//! exit code 2, a message naming the file, line and fault, and no output left behind.

use crate::common::{assert_clean_failure, kb, shared_data, stderr, tailor};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pcgr(name: &str) -> PathBuf {
    shared_data().join("onco/testdata/pcgr").join(name)
}

fn tcga_grch37(name: &str) -> PathBuf {
    shared_data()
        .join("onco/testdata/vcf2maf/tcga_legacy_grch37")
        .join(name)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/somatic")
        .join(name)
}

/// Runs `tailor somatic ARGS --out OUT --kb KB --quiet`.
fn tailor_somatic(args: &[&OsStr], out: &Path) -> Output {
    tailor("somatic", args, out)
}

fn assert_success(o: &Output) {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
}

/// The two outputs of a successful run.
struct Report {
    json: Value,
    tsv: Vec<Vec<String>>,
}

fn report(out: &Path) -> Report {
    let json = serde_json::from_slice(&std::fs::read(out.join("somatic.json")).unwrap())
        .expect("somatic.json is JSON");
    let tsv = std::fs::read_to_string(out.join("somatic.tsv"))
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    Report { json, tsv }
}

impl Report {
    /// The actionable (tier I/II) finding with this alteration label.
    fn finding(&self, alteration: &str) -> &Value {
        self.json["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .find(|f| f["alteration"] == alteration)
            .unwrap_or_else(|| {
                panic!(
                    "no actionable finding {alteration:?}; findings: {:?}",
                    self.alterations()
                )
            })
    }

    fn alterations(&self) -> Vec<String> {
        self.json["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| format!("{} ({})", f["alteration"], f["tier"]))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The TSV row of a finding, by alteration label.
    fn tsv_row(&self, alteration: &str) -> &[String] {
        self.tsv
            .iter()
            .skip(1)
            .find(|r| r.get(1).map(String::as_str) == Some(alteration))
            .unwrap_or_else(|| panic!("no TSV row for {alteration:?}"))
    }
}

/// Regimens a finding's evidence lists with the given effect and label, e.g.
/// (`sensitivity`, `on_label`).
fn therapies(finding: &Value, effect: &str, label: &str) -> Vec<String> {
    finding["evidence"]
        .as_array()
        .expect("evidence array")
        .iter()
        .filter(|e| e["effect"] == effect && e["label"] == label)
        .map(|e| e["therapy"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// True when one of the regimens names `drug` (regimens join drugs with ` + `).
fn names_drug(regimens: &[String], drug: &str) -> bool {
    regimens
        .iter()
        .any(|r| r.split(" + ").any(|d| d.trim() == drug))
}

/// Every evidence item cites a KB row and a source: the evidence trail of the issue.
fn assert_evidence_trail(finding: &Value) {
    let evidence = finding["evidence"].as_array().expect("evidence array");
    assert!(!evidence.is_empty(), "no evidence: {finding}");
    for e in evidence {
        let kb_row = e["kb_row"].as_str().unwrap_or_default();
        assert!(kb_row.starts_with("kb/onco/"), "kb_row {kb_row:?} in {e}");
        assert!(
            !e["citation"].as_str().unwrap_or_default().is_empty(),
            "{e}"
        );
        assert!(!e["rule_id"].as_str().unwrap_or_default().is_empty(), "{e}");
    }
    assert!(
        !finding["tier_reason"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "no tier reason: {finding}"
    );
}

/// Borrows owned arguments for [`tailor_somatic`].
fn os(args: &[PathBuf]) -> Vec<&OsStr> {
    args.iter().map(|a| a.as_os_str()).collect()
}

fn coad_flags() -> Vec<PathBuf> {
    vec![
        "--vcf".into(),
        pcgr("T001-COAD.grch38.vcf.gz"),
        "--segments".into(),
        pcgr("T001-COAD.grch38.cna.tsv"),
        "--fusions".into(),
        pcgr("T001-COAD.grch38.fusions.tsv"),
        "--tumor-type".into(),
        "COAD".into(),
    ]
}

// ---------------------------------------------------------------------------------------
// Good input
// ---------------------------------------------------------------------------------------

#[test]
fn pcgr_coad_gives_braf_v600e_tier_ia_and_matches_the_fusions() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = tailor_somatic(&os(&coad_flags()), &out);
    assert_success(&o);
    let r = report(&out);

    assert_eq!(&r.tsv[0][..4], ["gene", "alteration", "tier", "therapies"]);
    assert_eq!(r.json["schema_version"], "1.1.0");
    assert!(r.json["knowledge"]["kb_version"].as_str().unwrap().len() > 8);
    assert_eq!(r.json["case"]["tumor_type"]["code"], "COAD");
    assert_eq!(r.json["case"]["assembly"], "GRCh38");
    assert_eq!(r.json["actionable"], true);

    // BRAF V600E from the raw (unannotated) VCF: matched, tier I-A, encorafenib on label.
    let braf = r.finding("BRAF V600E");
    assert_eq!(braf["gene"], "BRAF");
    assert_eq!(braf["tier"], "IA");
    assert_eq!(braf["variant"]["chrom"], "7");
    assert_eq!(braf["variant"]["pos"], 140753336);
    assert_eq!(braf["variant"]["protein"], "V600E");
    let on_label = therapies(braf, "sensitivity", "on_label");
    assert!(names_drug(&on_label, "encorafenib"), "{on_label:?}");
    assert!(names_drug(&on_label, "cetuximab"), "{on_label:?}");
    // In colorectal cancer BRAF V600E predicts resistance to anti-EGFR antibodies alone.
    let resistance = therapies(braf, "resistance", "on_label");
    assert!(
        resistance
            .iter()
            .any(|t| t == "cetuximab" || t == "panitumumab"),
        "{resistance:?}"
    );
    assert_evidence_trail(braf);
    let row = r.tsv_row("BRAF V600E");
    assert_eq!(row[0], "BRAF");
    assert_eq!(row[2], "IA", "the JSON's spelling");
    assert!(row[3].contains("encorafenib"), "{row:?}");

    // The fusions of the PCGR example are findings, with their own evidence.
    for fusion in ["EML4--ALK", "NTRK1--TPM3"] {
        let f = r.finding(fusion);
        assert_eq!(f["kind"], "fusion", "{f}");
        assert_evidence_trail(f);
    }
    // NTRK fusions are tumour-agnostic FDA approvals: on label in colon cancer.
    let ntrk = therapies(r.finding("NTRK1--TPM3"), "sensitivity", "on_label");
    assert_eq!(r.finding("NTRK1--TPM3")["tier"], "IA");
    assert!(names_drug(&ntrk, "larotrectinib"), "{ntrk:?}");
    assert!(names_drug(&ntrk, "entrectinib"), "{ntrk:?}");
    // ALK fusions are approved in NSCLC only: off label here, so not tier I.
    let alk = r.finding("EML4--ALK");
    assert!(
        therapies(alk, "sensitivity", "on_label").is_empty(),
        "{alk}"
    );
    assert!(names_drug(
        &therapies(alk, "sensitivity", "off_label"),
        "alectinib"
    ));
    assert_ne!(alk["tier"], "IA");

    // Every TSV row has the full header width, and each actionable finding has a row.
    let width = r.tsv[0].len();
    assert!(r.tsv.iter().all(|row| row.len() == width));
    for f in r.json["findings"].as_array().unwrap() {
        let row = r.tsv_row(f["alteration"].as_str().unwrap());
        assert_eq!(row[4], f["id"].as_str().unwrap(), "finding_id column");
    }
}

#[test]
fn a_regimen_is_never_offered_where_this_tumour_type_predicts_resistance() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_success(&tailor_somatic(&os(&coad_flags()), &out));
    let r = report(&out);
    let ranked = r.json["therapies"].as_array().unwrap();
    let resisted: Vec<&str> = ranked
        .iter()
        .filter(|t| t["effect"] == "resistance" && t["label"] == "on_label")
        .filter_map(|t| t["therapy"].as_str())
        .collect();
    assert!(
        resisted.contains(&"dabrafenib + trametinib"),
        "{resisted:?}"
    );
    let offered: Vec<&str> = ranked
        .iter()
        .filter(|t| t["effect"] == "sensitivity")
        .filter_map(|t| t["therapy"].as_str())
        .filter(|t| resisted.contains(t))
        .collect();
    assert!(
        offered.is_empty(),
        "offered despite on-label resistance in COAD: {offered:?}"
    );
}

#[test]
fn case_manifest_with_relative_paths_gives_the_same_findings_as_flags() {
    let tmp = tempfile::tempdir().unwrap();
    // A case folder that can be moved as a whole: inputs beside the manifest, named
    // relatively, and the binary run from another working directory.
    let case_dir = tmp.path().join("case");
    std::fs::create_dir(&case_dir).unwrap();
    for name in [
        "T001-COAD.grch38.vcf.gz",
        "T001-COAD.grch38.cna.tsv",
        "T001-COAD.grch38.fusions.tsv",
    ] {
        std::fs::copy(pcgr(name), case_dir.join(name)).unwrap();
    }
    let manifest = case_dir.join("case.yaml");
    std::fs::write(
        &manifest,
        "patient: PSEUDO-T001\n\
         tumor_type: COAD\n\
         sample_type: tissue\n\
         somatic:\n\
         \x20 vcf: T001-COAD.grch38.vcf.gz\n\
         \x20 segments: T001-COAD.grch38.cna.tsv\n\
         \x20 fusions: T001-COAD.grch38.fusions.tsv\n",
    )
    .unwrap();
    let by_case = tmp.path().join("by_case");
    let o = Command::new(env!("CARGO_BIN_EXE_tailor"))
        .current_dir(tmp.path())
        .arg("somatic")
        .arg("--case")
        .arg(&manifest)
        .arg("--out")
        .arg(&by_case)
        .arg("--kb")
        .arg(kb())
        .arg("--quiet")
        .output()
        .unwrap();
    assert_success(&o);
    let by_flags = tmp.path().join("by_flags");
    assert_success(&tailor_somatic(&os(&coad_flags()), &by_flags));

    let a = report(&by_case);
    let b = report(&by_flags);
    assert_eq!(a.json["case"]["patient"], "PSEUDO-T001");
    assert_eq!(b.json["case"]["patient"], "anonymous");
    // Findings may differ only in where the input files lie (each record names its file).
    let normalise = |v: &Value, dir: &Path| {
        let prefix = format!("{}/", dir.display());
        serde_json::to_string(v).unwrap().replace(&prefix, "")
    };
    let data_dir = pcgr("T001-COAD.grch38.vcf.gz")
        .parent()
        .unwrap()
        .to_path_buf();
    for key in ["findings", "uncertain", "therapies", "counts", "actionable"] {
        assert_eq!(
            normalise(&a.json[key], &case_dir),
            normalise(&b.json[key], &data_dir),
            "{key} differs between --case and flags"
        );
    }
    assert_eq!(a.tsv.len(), b.tsv.len());
    for (x, y) in a.tsv.iter().zip(&b.tsv) {
        assert_eq!(x[..4], y[..4]);
    }
    a.finding("BRAF V600E");
}

fn run_brca(tumor_type: &str, out: &Path) -> Report {
    let o = tailor_somatic(
        &os(&[
            "--vcf".into(),
            pcgr("T001-BRCA.grch38.vcf.gz"),
            "--segments".into(),
            pcgr("T001-BRCA.grch38.cna.tsv"),
            "--fusions".into(),
            pcgr("T001-BRCA.grch38.fusions.tsv"),
            "--tumor-type".into(),
            PathBuf::from(tumor_type),
        ]),
        out,
    );
    assert_success(&o);
    report(out)
}

#[test]
fn pcgr_brca_gives_pik3ca_h1047r_and_erbb2_amplification_tier_ia() {
    let tmp = tempfile::tempdir().unwrap();
    // BRCA and its descendant IDC (invasive ductal) must both reach breast evidence.
    for tumor_type in ["BRCA", "IDC"] {
        let out = tmp.path().join(tumor_type);
        let r = run_brca(tumor_type, &out);
        assert_eq!(r.json["case"]["tumor_type"]["code"], tumor_type);

        let pik3ca = r.finding("PIK3CA H1047R");
        assert_eq!(pik3ca["tier"], "IA", "{tumor_type}");
        assert_eq!(pik3ca["variant"]["protein"], "H1047R");
        let on_label = therapies(pik3ca, "sensitivity", "on_label");
        assert!(names_drug(&on_label, "alpelisib"), "{on_label:?}");
        assert_evidence_trail(pik3ca);

        let erbb2 = r.finding("ERBB2 amplification");
        assert_eq!(erbb2["tier"], "IA", "{tumor_type}");
        assert_eq!(erbb2["kind"], "copy_number");
        // Amplification from allele-specific segments: at least the default 6 copies.
        assert!(erbb2["copies"].as_f64().unwrap() >= 6.0, "{erbb2}");
        let on_label = therapies(erbb2, "sensitivity", "on_label");
        assert!(names_drug(&on_label, "trastuzumab"), "{on_label:?}");
        assert_evidence_trail(erbb2);

        let row = r.tsv_row("PIK3CA H1047R");
        assert_eq!(row[2], "IA");
        assert!(row[3].contains("alpelisib"), "{row:?}");
    }
}

#[test]
fn grch37_tcga_maf_with_assembly_flag_gives_idh1_r132h_tier_ia_in_aml() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // TCGA-AB-2802 carries IDH1 R132H (2:209113112 C>T on GRCh37, amino_acid_change p.R132H).
    let o = tailor_somatic(
        &[
            "--maf".as_ref(),
            tcga_grch37("tcga_laml.maf").as_os_str(),
            "--assembly".as_ref(),
            "GRCh37".as_ref(),
            "--tumor-sample".as_ref(),
            "TCGA-AB-2802-03B-01W-0728-08".as_ref(),
            "--tumor-type".as_ref(),
            "AML".as_ref(),
        ],
        &out,
    );
    assert_success(&o);
    let r = report(&out);
    assert_eq!(r.json["case"]["assembly"], "GRCh37");
    let idh1 = r.finding("IDH1 R132H");
    assert_eq!(idh1["tier"], "IA");
    let on_label = therapies(idh1, "sensitivity", "on_label");
    assert!(names_drug(&on_label, "ivosidenib"), "{on_label:?}");
    assert_evidence_trail(idh1);
    // Only this sample's variants were read: no FLT3 finding (2802 has none).
    assert!(
        !r.alterations().iter().any(|a| a.contains("FLT3")),
        "{:?}",
        r.alterations()
    );
    // The GRCh37 limitation is stated.
    let warnings = r.json["warnings"].to_string();
    assert!(warnings.contains("GRCh37"), "{warnings}");
}

#[test]
fn grch37_tcga_maf_flt3_d835y_is_tier_ia_for_gilteritinib_in_aml() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // TCGA-AB-2811 carries FLT3 D835Y (13:28592642 C>A on GRCh37), a tyrosine-kinase-domain
    // mutation covered by the gilteritinib label (relapsed/refractory FLT3-mutated AML).
    let o = tailor_somatic(
        &[
            "--maf".as_ref(),
            tcga_grch37("tcga_laml.maf").as_os_str(),
            "--assembly".as_ref(),
            "GRCh37".as_ref(),
            "--tumor-sample".as_ref(),
            "TCGA-AB-2811-03B-01W-0728-08".as_ref(),
            "--tumor-type".as_ref(),
            "AML".as_ref(),
        ],
        &out,
    );
    assert_success(&o);
    let r = report(&out);
    let flt3 = r.finding("FLT3 D835Y");
    assert_eq!(flt3["tier"], "IA");
    let on_label = therapies(flt3, "sensitivity", "on_label");
    assert!(names_drug(&on_label, "gilteritinib"), "{on_label:?}");
}

#[test]
fn case_without_actionable_finding_says_so_plainly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = tailor_somatic(
        &[
            "--maf".as_ref(),
            fixture("no_actionable_coad.maf").as_os_str(),
            "--biomarkers".as_ref(),
            fixture("low_tmb_mss.tsv").as_os_str(),
            "--tumor-type".as_ref(),
            "COAD".as_ref(),
        ],
        &out,
    );
    assert_success(&o);
    let r = report(&out);
    assert_eq!(r.json["actionable"], false);
    let summary = r.json["summary"].as_str().unwrap();
    assert!(summary.contains("No actionable finding"), "{summary}");
    assert_eq!(r.json["findings"].as_array().unwrap().len(), 0);
    assert_eq!(r.json["therapies"].as_array().unwrap().len(), 0);
    // The biomarkers were read, and neither is actionable.
    assert_eq!(r.json["case"]["biomarkers"]["tmb"], 3.0);
    assert_eq!(r.json["case"]["biomarkers"]["msi"], "MSS");
    assert_eq!(r.json["tmb"]["high"], false);
    // TP53 R175H is kept apart as tier III, never with a therapy.
    let uncertain = r.json["uncertain"].as_array().unwrap();
    let tp53 = uncertain
        .iter()
        .find(|f| f["alteration"] == "TP53 R175H")
        .unwrap_or_else(|| panic!("TP53 R175H not reported: {uncertain:?}"));
    assert_eq!(tp53["tier"], "III");
    let row = r.tsv_row("TP53 R175H");
    assert_eq!(row[2], "III");
    assert_eq!(row[3], "", "a tier III row lists no therapy: {row:?}");
    assert!(r.tsv[1..].iter().all(|row| row[2] == "III"));
}

// ---------------------------------------------------------------------------------------
// Bad input: exit 2, the file (and line) named, nothing written
// ---------------------------------------------------------------------------------------

/// Writes `text` to `dir/name` and returns the path.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const MAF_HEADER: &str = "Hugo_Symbol\tNCBI_Build\tChromosome\tStart_Position\tEnd_Position\t\
Variant_Classification\tVariant_Type\tReference_Allele\tTumor_Seq_Allele1\tTumor_Seq_Allele2\t\
Tumor_Sample_Barcode\tHGVSp_Short\n";

#[test]
fn maf_without_a_required_column_names_the_column() {
    let tmp = tempfile::tempdir().unwrap();
    let header_without_start = MAF_HEADER.replace("Start_Position\t", "");
    let bad = write(
        tmp.path(),
        "nostart.maf",
        &format!(
            "{header_without_start}KRAS\tGRCh38\t12\t25245350\tMissense_Mutation\tSNP\tC\tC\tA\tS1\tp.G12V\n"
        ),
    );
    let out = tmp.path().join("out");
    let o = tailor_somatic(
        &[
            "--maf".as_ref(),
            bad.as_os_str(),
            "--tumor-type".as_ref(),
            "COAD".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["nostart.maf", "Start_Position", "missing"]);
}

#[test]
fn maf_with_a_non_numeric_start_names_the_line_and_value() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(
        tmp.path(),
        "badstart.maf",
        &format!(
            "{MAF_HEADER}\
             KRAS\tGRCh38\t12\t25245350\t25245350\tMissense_Mutation\tSNP\tC\tC\tA\tS1\tp.G12V\n\
             TP53\tGRCh38\t17\tabc\t7675088\tMissense_Mutation\tSNP\tC\tC\tT\tS1\tp.R175H\n"
        ),
    );
    let out = tmp.path().join("out");
    let o = tailor_somatic(
        &[
            "--maf".as_ref(),
            bad.as_os_str(),
            "--tumor-type".as_ref(),
            "COAD".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["badstart.maf:3", "Start_Position", "`abc`"]);
}

#[test]
fn malformed_gene_cna_names_the_line_and_value() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(
        tmp.path(),
        "genes.cna.tsv",
        "Hugo_Symbol\tS1\nERBB2\t2\nKRAS\tseven\n",
    );
    let out = tmp.path().join("out");
    let o = tailor_somatic(
        &[
            "--cna".as_ref(),
            bad.as_os_str(),
            "--tumor-type".as_ref(),
            "BRCA".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["genes.cna.tsv:3", "`seven`"]);
}

#[test]
fn malformed_fusion_file_names_the_line_and_value() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(
        tmp.path(),
        "fusions.tsv",
        "FusionGene\tLeftBreakpoint\tRightBreakpoint\tSplitReads\n\
         EML4--ALK\t2:42295554\t2:29223528\t100\n\
         NTRK1TPM3\t1:156875154\t1:154169959\t55\n",
    );
    let out = tmp.path().join("out");
    let o = tailor_somatic(
        &[
            "--fusions".as_ref(),
            bad.as_os_str(),
            "--tumor-type".as_ref(),
            "LUAD".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["fusions.tsv:3", "`NTRK1TPM3`", "GENE5--GENE3"]);
}

#[test]
fn malformed_segments_name_the_line_and_fault() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // End before start.
    let bad = write(
        tmp.path(),
        "segments.tsv",
        "Chromosome\tStart\tEnd\tnMajor\tnMinor\n1\t809641\t37651942\t1\t0\n17\t39700000\t39600000\t8\t1\n",
    );
    let o = tailor_somatic(
        &[
            "--segments".as_ref(),
            bad.as_os_str(),
            "--tumor-type".as_ref(),
            "BRCA".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["segments.tsv:3", "End", "before start"]);
    // No copy-number column at all.
    let bad = write(
        tmp.path(),
        "nocopies.tsv",
        "Chromosome\tStart\tEnd\tnMajor\n1\t809641\t37651942\t1\n",
    );
    let o = tailor_somatic(
        &[
            "--segments".as_ref(),
            bad.as_os_str(),
            "--tumor-type".as_ref(),
            "BRCA".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["nocopies.tsv:1", "nMinor"]);
}

#[test]
fn malformed_biomarker_value_names_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    // A TPS above 100% is a typo that would change a checkpoint-inhibitor decision.
    let bad = write(
        tmp.path(),
        "biomarkers.tsv",
        "name\tvalue\nTMB\t4\nPD-L1 TPS\t150\n",
    );
    let out = tmp.path().join("out");
    let o = tailor_somatic(
        &[
            "--biomarkers".as_ref(),
            bad.as_os_str(),
            "--tumor-type".as_ref(),
            "LUAD".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["biomarkers.tsv:3", "PD-L1 TPS", "150"]);
}

fn run_manifest(manifest: &Path, out: &Path) -> Output {
    tailor_somatic(&["--case".as_ref(), manifest.as_os_str()], out)
}

#[test]
fn manifest_with_an_unknown_key_names_the_line_and_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(pcgr("T001-COAD.grch38.vcf.gz"), tmp.path().join("t.vcf.gz")).unwrap();
    // `fusion:` for `fusions:` would otherwise drop an input silently.
    let m = write(
        tmp.path(),
        "case.yaml",
        "patient: P1\ntumor_type: COAD\nsomatic:\n  vcf: t.vcf.gz\n  fusion: fusions.tsv\n",
    );
    let out = tmp.path().join("out");
    assert_clean_failure(
        &run_manifest(&m, &out),
        &out,
        &["case.yaml:5", "unknown field `fusion`", "fusions"],
    );
}

#[test]
fn manifest_with_purity_as_a_percentage_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(pcgr("T001-COAD.grch38.vcf.gz"), tmp.path().join("t.vcf.gz")).unwrap();
    let m = write(
        tmp.path(),
        "case.yaml",
        "patient: P1\ntumor_type: COAD\npurity: 60\nsomatic:\n  vcf: t.vcf.gz\n",
    );
    let out = tmp.path().join("out");
    assert_clean_failure(
        &run_manifest(&m, &out),
        &out,
        &["case.yaml:3", "purity", "60", "0.6"],
    );
}

#[test]
fn manifest_naming_a_missing_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let m = write(
        tmp.path(),
        "case.yaml",
        "patient: P1\ntumor_type: COAD\nsomatic:\n  maf: calls.maf\n",
    );
    let out = tmp.path().join("out");
    assert_clean_failure(
        &run_manifest(&m, &out),
        &out,
        &["case.yaml", "calls.maf", "does not exist"],
    );
}

#[test]
fn purity_flag_as_a_percentage_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut args = coad_flags();
    args.extend(["--purity".into(), "60".into()]);
    assert_clean_failure(
        &tailor_somatic(&os(&args), &out),
        &out,
        &["--purity", "0.6"],
    );
}

#[test]
fn unknown_oncotree_code_suggests_the_nearest_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for (typo, nearest) in [("LUADX", "LUAD"), ("NSLC", "NSCLC")] {
        let o = tailor_somatic(
            &[
                "--vcf".as_ref(),
                pcgr("T001-COAD.grch38.vcf.gz").as_os_str(),
                "--tumor-type".as_ref(),
                typo.as_ref(),
            ],
            &out,
        );
        assert_clean_failure(
            &o,
            &out,
            &[
                &format!("`{typo}`"),
                "OncoTree",
                &format!("did you mean {nearest}"),
            ],
        );
    }
}

#[test]
fn unknown_oncotree_code_in_a_manifest_names_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(pcgr("T001-COAD.grch38.vcf.gz"), tmp.path().join("t.vcf.gz")).unwrap();
    let m = write(
        tmp.path(),
        "case.yaml",
        "patient: P1\ntumor_type: NSLC\nsomatic:\n  vcf: t.vcf.gz\n",
    );
    let out = tmp.path().join("out");
    assert_clean_failure(
        &run_manifest(&m, &out),
        &out,
        &["case.yaml", "NSLC", "NSCLC"],
    );
}

#[test]
fn grch37_maf_without_the_assembly_flag_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // NCBI_Build is GRCh37 on every record of this TCGA MAF.
    let o = tailor_somatic(
        &[
            "--maf".as_ref(),
            tcga_grch37("TCGA-AB-2968-03.laml.maf").as_os_str(),
            "--tumor-type".as_ref(),
            "AML".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(
        &o,
        &out,
        &[
            "TCGA-AB-2968-03.laml.maf",
            "line 3",
            "GRCh37",
            "--assembly GRCh37",
        ],
    );
    // The same with a sample chosen from the multi-sample MAF.
    let o = tailor_somatic(
        &[
            "--maf".as_ref(),
            tcga_grch37("tcga_laml.maf").as_os_str(),
            "--tumor-sample".as_ref(),
            "TCGA-AB-2802-03B-01W-0728-08".as_ref(),
            "--tumor-type".as_ref(),
            "AML".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["tcga_laml.maf", "GRCh37", "--assembly GRCh37"]);
}

#[test]
fn multi_sample_maf_needs_a_tumor_sample_and_a_known_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let maf = tcga_grch37("tcga_laml.maf");
    let base = [
        "--maf".as_ref(),
        maf.as_os_str(),
        "--assembly".as_ref(),
        "GRCh37".as_ref(),
        "--tumor-type".as_ref(),
        "AML".as_ref(),
    ];
    let o = tailor_somatic(&base, &out);
    assert_clean_failure(&o, &out, &["tcga_laml.maf", "--tumor-sample"]);
    let mut args = base.to_vec();
    args.extend([OsStr::new("--tumor-sample"), OsStr::new("NOBODY")]);
    let o = tailor_somatic(&args, &out);
    assert_clean_failure(&o, &out, &["tcga_laml.maf", "`NOBODY`"]);
}

#[test]
fn grch37_vcf_without_the_assembly_flag_is_refused_and_with_it_matches_by_key() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // The PCGR GRCh37 file has no contig lines; only its liftover header
    // (`##new_reference_genome=.../hg19/ucsc.hg19.fa`, `##liftOverFile=...hg38ToHg19...`)
    // says GRCh37. Read as GRCh38 it would miss BRAF V600E (7:140453136 on GRCh37).
    let vcf = pcgr("T001-COAD.grch37.vcf.gz");
    let o = tailor_somatic(
        &[
            "--vcf".as_ref(),
            vcf.as_os_str(),
            "--tumor-type".as_ref(),
            "COAD".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(
        &o,
        &out,
        &["T001-COAD.grch37.vcf.gz", "GRCh37", "--assembly GRCh37"],
    );
    let o = tailor_somatic(
        &[
            "--vcf".as_ref(),
            vcf.as_os_str(),
            "--assembly".as_ref(),
            "GRCh37".as_ref(),
            "--tumor-type".as_ref(),
            "COAD".as_ref(),
        ],
        &out,
    );
    assert_success(&o);
    let r = report(&out);
    let braf = r.finding("BRAF V600E");
    assert_eq!(braf["tier"], "IA");
    assert_eq!(braf["variant"]["pos"], 140453136);
}

#[test]
fn missing_input_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = tailor_somatic(
        &[
            "--fusions".as_ref(),
            tmp.path().join("nope.tsv").as_os_str(),
            "--tumor-type".as_ref(),
            "COAD".as_ref(),
        ],
        &out,
    );
    assert_clean_failure(&o, &out, &["nope.tsv", "no such file"]);
}

#[test]
fn failed_run_leaves_an_earlier_good_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_success(&tailor_somatic(&os(&coad_flags()), &out));
    let json_before = std::fs::read(out.join("somatic.json")).unwrap();
    let tsv_before = std::fs::read(out.join("somatic.tsv")).unwrap();

    // Same case, but the fusion file is broken on its last line: the whole run fails.
    let text = std::fs::read_to_string(pcgr("T001-COAD.grch38.fusions.tsv")).unwrap();
    let bad = write(
        tmp.path(),
        "fusions.tsv",
        &format!("{text}BCR-ABL1\t22:1\t9:1\t5\n"),
    );
    let mut args = coad_flags();
    let i = args
        .iter()
        .position(|a| a == Path::new("--fusions"))
        .unwrap();
    args[i + 1] = bad;
    let o = tailor_somatic(&os(&args), &out);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("fusions.tsv:"), "{}", stderr(&o));

    assert_eq!(
        std::fs::read(out.join("somatic.json")).unwrap(),
        json_before
    );
    assert_eq!(std::fs::read(out.join("somatic.tsv")).unwrap(), tsv_before);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["somatic.json", "somatic.tsv"], "stray files left");
}
