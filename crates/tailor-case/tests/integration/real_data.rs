//! The readers on real public files: the vcf2maf/TCGA MAFs and PCGR example CNA and fusion
//! files in `../shared/data/onco/testdata`, plus the Arriba, STAR-Fusion, cBioPortal and
//! manifest fixtures in `tests/fixtures`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tailor_case::cna::{read_gene_cna, CnaCall};
use tailor_case::fusion::{read_fusions, FusionCaller};
use tailor_case::maf::read_maf;
use tailor_case::segments::read_segments;
use tailor_case::{biomarkers::read_biomarkers, CaseManifest};
use tailor_core::somatic::{Assembly, MmrStatus, MsiStatus, Positivity, SampleType, VariantClass};

fn shared() -> PathBuf {
    std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn testdata(rel: &str) -> PathBuf {
    shared().join("onco/testdata").join(rel)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn tcga_laml_cohort_maf() {
    let t = read_maf(&testdata("vcf2maf/tcga_legacy_grch37/tcga_laml.maf")).unwrap();
    assert_eq!(t.records.len(), 2544);
    assert_eq!(t.samples.len(), 197);
    assert!(t.records.iter().all(|r| r.build == Some(Assembly::GRCh37)));
    // The legacy `amino_acid_change` column is the protein source in this file.
    let mut idh1 = BTreeMap::new();
    for r in t.records.iter().filter(|r| r.gene == "IDH1") {
        assert_eq!(
            (r.chrom.as_str(), r.classification),
            ("2", VariantClass::Missense)
        );
        *idh1.entry(r.protein.clone().unwrap()).or_insert(0) += 1;
    }
    let want = [
        ("p.R132C", 12),
        ("p.R132G", 1),
        ("p.R132H", 5),
        ("p.R132S", 1),
    ];
    assert_eq!(
        idh1,
        want.iter()
            .map(|(p, n)| (p.to_string(), *n))
            .collect::<BTreeMap<_, _>>()
    );
    let r132h = t
        .records
        .iter()
        .find(|r| r.protein.as_deref() == Some("p.R132H"))
        .unwrap();
    assert_eq!(
        (
            r132h.start,
            r132h.ref_allele.as_str(),
            r132h.alt_allele.as_str()
        ),
        (209113112, "C", "T")
    );
    let count = |c: VariantClass| t.records.iter().filter(|r| r.classification == c).count();
    assert_eq!(count(VariantClass::Missense), 1519);
    assert_eq!(count(VariantClass::Synonymous), 501);
    assert_eq!(count(VariantClass::Frameshift), 66 + 124);
    assert_eq!(count(VariantClass::InframeDeletion), 11);
    assert_eq!(count(VariantClass::InframeInsertion), 51);
    assert_eq!(count(VariantClass::SpliceSite), 53);
    assert_eq!(count(VariantClass::NonCoding), 1 + 1 + 102);
    assert_eq!(count(VariantClass::Unknown), 0);
    let npm1 = t
        .records
        .iter()
        .filter(|r| r.gene == "NPM1" && r.classification == VariantClass::Frameshift)
        .count();
    assert_eq!(npm1, 54);
}

#[test]
fn tcga_single_sample_mafs() {
    for (file, rows) in [
        ("TCGA-AB-2968-03.laml.maf", 20),
        ("TCGA-B5-A0JV-01.ucec.maf", 294),
        ("TCGA-BH-A18P-01.brca.maf", 315),
    ] {
        let t = read_maf(&testdata(&format!("vcf2maf/tcga_legacy_grch37/{file}"))).unwrap();
        assert_eq!(t.records.len(), rows, "{file}");
        assert_eq!(t.samples.len(), 1, "{file}");
        assert!(
            t.samples[0].starts_with(&file[..12]),
            "{file}: {:?}",
            t.samples
        );
        // These legacy MAFs carry no protein or depth columns.
        assert!(
            t.records
                .iter()
                .all(|r| r.protein.is_none() && r.vaf.is_none()),
            "{file}"
        );
        assert!(t.records.iter().all(|r| r.build == Some(Assembly::GRCh37)));
    }
    let laml = read_maf(&testdata(
        "vcf2maf/tcga_legacy_grch37/TCGA-AB-2968-03.laml.maf",
    ))
    .unwrap();
    let nras = &laml.records[0];
    assert_eq!(
        (
            nras.gene.as_str(),
            nras.chrom.as_str(),
            nras.start,
            nras.alt_allele.as_str()
        ),
        ("NRAS", "1", 115256528, "A")
    );
}

#[test]
fn vcf2maf_outputs() {
    for (file, rows, build) in [
        ("test.maf", 20, Assembly::GRCh37),
        ("test_output.custom_isoforms.maf", 20, Assembly::GRCh37),
        ("test_output.vep_isoforms.maf", 20, Assembly::GRCh37),
        ("test_b38_output.maf", 25, Assembly::GRCh38),
        ("test_b38_output.more.maf", 25, Assembly::GRCh38),
    ] {
        let t = read_maf(&testdata(&format!("vcf2maf/{file}"))).unwrap();
        assert_eq!(t.records.len(), rows, "{file}");
        assert!(t.records.iter().all(|r| r.build == Some(build)), "{file}");
    }
    let t = read_maf(&testdata("vcf2maf/test.maf")).unwrap();
    let mtor = &t.records[0];
    assert_eq!(
        (
            mtor.gene.as_str(),
            mtor.ref_allele.as_str(),
            mtor.alt_allele.as_str()
        ),
        ("MTOR", "A", "-")
    );
    assert_eq!(
        (mtor.t_depth, mtor.t_ref_count, mtor.t_alt_count, mtor.vaf),
        (Some(20), Some(10), Some(10), Some(0.5))
    );
    assert_eq!(mtor.classification, VariantClass::NonCoding);
    // Tumor_Seq_Allele1 is `-` here but allele 2 is the variant.
    let pik3ca = t
        .records
        .iter()
        .find(|r| r.gene == "PIK3CA" && r.start == 178936091)
        .unwrap();
    assert_eq!(pik3ca.alt_allele, "A");
    let ins = t.records.iter().find(|r| r.gene == "INHA").unwrap();
    assert_eq!(
        (
            ins.ref_allele.as_str(),
            ins.alt_allele.as_str(),
            ins.classification
        ),
        ("-", "CT", VariantClass::Frameshift)
    );
    assert!(ins.end == ins.start + 1);

    let t = read_maf(&testdata("vcf2maf/test_b38_output.maf")).unwrap();
    let runx1 = &t.records[0];
    assert_eq!(runx1.protein.as_deref(), Some("p.L429R"));
    assert_eq!(runx1.hgvsc.as_deref(), Some("c.1286T>G"));
    assert_eq!(runx1.transcript.as_deref(), Some("ENST00000675419"));
    assert_eq!(runx1.exon, Some((9, 9)));
    assert_eq!(
        (runx1.t_depth, runx1.t_ref_count, runx1.t_alt_count),
        (Some(54), None, Some(21))
    );
    assert_eq!(runx1.vaf, Some(21.0 / 54.0));
    let splice = t
        .records
        .iter()
        .find(|r| r.classification == VariantClass::SpliceSite)
        .unwrap();
    assert_eq!(splice.protein.as_deref(), Some("p.X168_splice"));
    let start = t
        .records
        .iter()
        .find(|r| r.classification == VariantClass::StartLost)
        .unwrap();
    assert_eq!(
        (start.gene.as_str(), start.protein.as_deref()),
        ("ERG", Some("p.M1?"))
    );
    let region = t
        .records
        .iter()
        .find(|r| r.classification == VariantClass::SpliceRegion)
        .unwrap();
    assert_eq!(
        region.protein, None,
        "empty HGVSp_Short is no protein change"
    );
}

#[test]
fn pcgr_segments() {
    for (file, rows) in [
        ("T001-COAD.grch38.cna.tsv", 260),
        ("T001-BRCA.grch38.cna.tsv", 260),
        ("T001-COAD.grch37.cna.tsv", 252),
        ("T001-BRCA.grch37.cna.tsv", 252),
    ] {
        let segs = read_segments(&testdata(&format!("pcgr/{file}"))).unwrap();
        assert_eq!(segs.len(), rows, "{file}");
        assert!(segs
            .iter()
            .all(|s| s.start <= s.end && s.n_major.is_some() && s.n_minor.is_some()));
    }
    let segs = read_segments(&testdata("pcgr/T001-COAD.grch38.cna.tsv")).unwrap();
    let first = &segs[0];
    assert_eq!(
        (first.line, first.chrom.as_str(), first.start, first.end),
        (2, "1", 809641, 37651942)
    );
    assert_eq!(
        (first.n_major, first.n_minor, first.total),
        (Some(1), Some(0), 1)
    );
    // The high-level amplification on chromosome 1p (23 + 1 copies).
    assert!(segs
        .iter()
        .any(|s| s.chrom == "1" && s.start == 114430211 && s.total == 24));
    assert!(segs.iter().any(|s| s.chrom == "X"));
}

#[test]
fn pcgr_fusions() {
    let f = read_fusions(&testdata("pcgr/T001-COAD.grch38.fusions.tsv")).unwrap();
    assert_eq!(f.len(), 9);
    assert!(f.iter().all(|r| r.caller == FusionCaller::Pcgr));
    let pairs: Vec<_> = f
        .iter()
        .map(|r| {
            format!(
                "{}--{}",
                r.gene5.as_deref().unwrap_or(""),
                r.gene3.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert!(pairs.contains(&"EML4--ALK".to_string()) && pairs.contains(&"NTRK1--TPM3".to_string()));
    let eml4 = f
        .iter()
        .find(|r| r.gene5.as_deref() == Some("EML4"))
        .unwrap();
    assert_eq!(eml4.breakpoint5, Some(("2".into(), 42295554)));
    assert_eq!(eml4.breakpoint3, Some(("2".into(), 29223528)));
    assert_eq!(eml4.supporting_reads, Some(100));
    let bcr = f
        .iter()
        .find(|r| r.gene5.as_deref() == Some("BCR"))
        .unwrap();
    assert_eq!(bcr.breakpoint3, Some(("9".into(), 13358995)));
    for file in [
        "T001-BRCA.grch37.fusions.tsv",
        "T001-COAD.grch37.fusions.tsv",
        "T001-BRCA.grch38.fusions.tsv",
    ] {
        let f = read_fusions(&testdata(&format!("pcgr/{file}"))).unwrap();
        assert!(
            f.iter()
                .any(|r| r.gene5.as_deref() == Some("EML4") && r.gene3.as_deref() == Some("ALK")),
            "{file}"
        );
    }
    // The GRCh37 examples also hold rearrangements with one unknown partner (`--ALK`, `FGFR2--`).
    let f = read_fusions(&testdata("pcgr/T001-BRCA.grch37.fusions.tsv")).unwrap();
    assert_eq!(f.len(), 13);
    let unknown: Vec<_> = f
        .iter()
        .filter(|r| r.gene5.is_none() || r.gene3.is_none())
        .map(|r| (r.gene5.as_deref(), r.gene3.as_deref(), r.supporting_reads))
        .collect();
    assert_eq!(
        unknown,
        [
            (None, Some("ALK"), Some(50)),
            (Some("FGFR2"), None, Some(40)),
            (None, Some("NTRK3"), Some(90))
        ]
    );
}

#[test]
fn arriba_fixture() {
    let f = read_fusions(&fixture("arriba.fusions.tsv")).unwrap();
    assert_eq!(f.len(), 3);
    assert!(f.iter().all(|r| r.caller == FusionCaller::Arriba));
    let eml4 = &f[0];
    assert_eq!(
        (eml4.gene5.as_deref(), eml4.gene3.as_deref()),
        (Some("EML4"), Some("ALK"))
    );
    assert_eq!(eml4.supporting_reads, Some(21 + 14 + 33));
    assert_eq!(eml4.reading_frame.as_deref(), Some("in-frame"));
    assert_eq!(eml4.confidence.as_deref(), Some("high"));
    assert!(eml4.notes.is_empty());
    assert_eq!(f[1].breakpoint3, Some(("10".into(), 43114480)));
    let intergenic = &f[2];
    assert_eq!(
        (intergenic.gene5.as_deref(), intergenic.gene3.as_deref()),
        (Some("LINC01234"), Some("IGH"))
    );
    assert_eq!(intergenic.reading_frame, None);
    assert_eq!(intergenic.notes.len(), 2, "{:?}", intergenic.notes);
    assert!(intergenic
        .notes
        .iter()
        .any(|n| n.contains("kept LINC01234")));
}

#[test]
fn star_fusion_fixture() {
    let f = read_fusions(&fixture(
        "star-fusion.fusion_predictions.abridged.coding_effect.tsv",
    ))
    .unwrap();
    assert_eq!(f.len(), 3);
    assert!(f.iter().all(|r| r.caller == FusionCaller::StarFusion));
    let t = &f[0];
    assert_eq!(
        (t.gene5.as_deref(), t.gene3.as_deref()),
        (Some("TMPRSS2"), Some("ERG"))
    );
    assert_eq!(t.breakpoint5, Some(("21".into(), 41508081)));
    assert_eq!(t.supporting_reads, Some(43));
    assert_eq!(t.reading_frame.as_deref(), Some("INFRAME"));
    assert_eq!(
        (f[1].gene5.as_deref(), f[1].gene3.as_deref()),
        (Some("CD74"), Some("ROS1"))
    );
    assert_eq!(f[1].breakpoint3, Some(("6".into(), 117324415)));
    assert_eq!(
        (
            f[2].gene3.as_deref(),
            f[2].reading_frame.as_deref(),
            f[2].supporting_reads
        ),
        (Some("NTRK3"), None, Some(4))
    );
}

/// The same calls with every data row ending in a tab (as MOAlmanac's example
/// STAR-Fusion file has them) and CRLF line ends read the same.
#[test]
fn star_fusion_rows_ending_in_a_tab_read_the_same() {
    let path = fixture("star-fusion.fusion_predictions.abridged.coding_effect.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let padded: String = text
        .lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("{l}\r\n")
            } else {
                format!("{l}\t\r\n")
            }
        })
        .collect();
    let a = read_fusions(&path).unwrap();
    let b =
        tailor_case::fusion::read_fusions_from(std::io::Cursor::new(padded.into_bytes()), &path)
            .unwrap();
    assert_eq!(a, b);
}

#[test]
fn cbioportal_matrix_fixture() {
    let a = read_gene_cna(&fixture("data_CNA.txt"), Some("TUMOR_A")).unwrap();
    let calls: Vec<_> = a.iter().map(|c| (c.gene.as_str(), c.call)).collect();
    assert_eq!(
        calls,
        [
            ("ERBB2", CnaCall::Amplification),
            ("CDKN2A", CnaCall::HomozygousDeletion),
            ("MET", CnaCall::Gain),
            ("PTEN", CnaCall::Neutral)
        ]
    );
    let b = read_gene_cna(&fixture("data_CNA.txt"), Some("TUMOR_B")).unwrap();
    assert_eq!(b.len(), 3, "MET is NA for TUMOR_B");
    let e = read_gene_cna(&fixture("data_CNA.txt"), None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("data_CNA.txt:1:") && e.contains("TUMOR_A, TUMOR_B"),
        "{e}"
    );
}

#[test]
fn manifest_fixture_resolves_relative_paths() {
    let path = fixture("case.yaml");
    let case = CaseManifest::from_path(&path).unwrap();
    assert_eq!(case.patient, "PSEUDO-001");
    assert_eq!(case.tumor_type.as_deref(), Some("LUAD"));
    assert_eq!(case.sample_type, SampleType::Tissue);
    assert_eq!(case.purity, Some(0.6));
    assert_eq!(
        case.somatic.fusions.as_deref(),
        Some(fixture("arriba.fusions.tsv").as_path())
    );
    assert_eq!(case.somatic.panel_size_mb, Some(1.1));
    assert_eq!(case.germline.sample.as_deref(), Some("NA12878"));
    assert_eq!(case.medications, ["warfarin", "clopidogrel"]);
    let specimen = case.specimen.as_ref().unwrap();
    assert_eq!(
        (
            specimen.specimen_type.as_deref(),
            specimen.collected.as_deref()
        ),
        (Some("FFPE"), Some("2026-01-02"))
    );
    assert_eq!(
        case.clinician.as_ref().unwrap().organisation.as_deref(),
        Some("Example Hospital")
    );
    let inline = case.biomarkers.as_ref().unwrap();
    assert_eq!(
        (inline.tmb, inline.msi),
        (Some(12.0), Some(MsiStatus::MsiHigh))
    );
    // Every path it names reads.
    let file = read_biomarkers(case.somatic.biomarkers.as_ref().unwrap()).unwrap();
    assert_eq!(
        (file.tmb, file.msi, file.mmr),
        (
            Some(14.2),
            Some(MsiStatus::Stable),
            Some(MmrStatus::Proficient)
        )
    );
    assert_eq!(
        (file.pdl1_tps, file.her2_ihc, file.her2_ish),
        (Some(55.0), Some(1), Some(Positivity::Negative))
    );
    read_gene_cna(case.somatic.cna.as_ref().unwrap(), Some("TUMOR_A")).unwrap();
}

#[test]
fn manifest_with_a_missing_file_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.yaml");
    std::fs::write(&path, "patient: P2\nsomatic:\n  maf: calls.maf\n").unwrap();
    let e = CaseManifest::from_path(&path).unwrap_err().to_string();
    assert!(
        e.contains("`somatic.maf` names") && e.contains("calls.maf"),
        "{e}"
    );
    std::fs::write(dir.path().join("calls.maf"), "x").unwrap();
    let case = CaseManifest::from_path(&path).unwrap();
    assert_eq!(case.somatic.maf, Some(dir.path().join("calls.maf")));
}
