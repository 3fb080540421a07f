//! End-to-end runs on public example cases nobody on the team wrote: PCGR's T001-COAD and
//! T001-BRCA (raw VCF, allele-specific segments, fusions) and the TCGA MAFs shipped with
//! vcf2maf (GRCh37, legacy columns). Expected calls come from the tumour biology the
//! examples were chosen for (BRAF V600E colorectal, PIK3CA H1047R and ERBB2-amplified
//! breast, IDH1/FLT3 AML) and the FDA labels.

use crate::common;

use std::path::PathBuf;
use tailor_case::CaseManifest;
use tailor_core::onco::{
    Effect, FindingKind, LabelStatus, MatchLevel, Oncogenicity, SomaticDocument, Tier,
};
use tailor_core::somatic::Assembly;
use tailor_onco::engine::{OncoEngine, OncoOptions};
use tailor_onco::load::{load_case, LoadOptions};

fn pcgr(name: &str) -> PathBuf {
    common::shared_data().join("onco/testdata/pcgr").join(name)
}

fn tcga(name: &str) -> PathBuf {
    common::shared_data()
        .join("onco/testdata/vcf2maf/tcga_legacy_grch37")
        .join(name)
}

fn run(m: &CaseManifest) -> SomaticDocument {
    let kb = common::kb();
    let engine = OncoEngine::new(kb.onco(), OncoOptions::default());
    let case = load_case(
        m,
        &engine,
        kb.transcripts().expect("exon model"),
        &LoadOptions::default(),
    )
    .expect("case loads");
    let doc = engine
        .interpret(&case, kb.provenance())
        .expect("interprets");
    for f in &doc.findings {
        assert!(f.tier.is_actionable());
        assert_ne!(
            f.oncogenicity,
            Oncogenicity::Uncertain,
            "VUS shown as actionable: {}",
            f.alteration
        );
        for e in &f.evidence {
            assert!(
                e.kb_row.starts_with("kb/onco/evidence.tsv:"),
                "{}",
                e.kb_row
            );
            assert!(!e.citation.is_empty());
        }
    }
    for f in &doc.uncertain {
        assert_eq!(f.tier, Tier::III);
    }
    doc
}

fn finding<'a>(
    doc: &'a SomaticDocument,
    alteration: &str,
) -> &'a tailor_core::onco::SomaticFinding {
    doc.findings
        .iter()
        .chain(&doc.uncertain)
        .find(|f| f.alteration == alteration)
        .unwrap_or_else(|| {
            let all: Vec<&str> = doc.findings.iter().map(|f| f.alteration.as_str()).collect();
            panic!("no finding {alteration}; actionable: {all:?}")
        })
}

fn offers(
    f: &tailor_core::onco::SomaticFinding,
    drug: &str,
    effect: Effect,
    label: LabelStatus,
) -> bool {
    f.evidence.iter().any(|e| {
        e.effect == effect
            && e.label == label
            && tailor_onco::rank::drugs(&e.therapy).any(|d| d == drug)
    })
}

fn pcgr_case(tumour: &str, sample: &str) -> CaseManifest {
    let mut m = CaseManifest::new(format!("PCGR-{sample}"));
    m.tumor_type = Some(tumour.into());
    m.purity = Some(0.6);
    m.somatic.vcf = Some(pcgr(&format!("{sample}.grch38.vcf.gz")));
    m.somatic.segments = Some(pcgr(&format!("{sample}.grch38.cna.tsv")));
    m.somatic.fusions = Some(pcgr(&format!("{sample}.grch38.fusions.tsv")));
    m
}

#[test]
fn pcgr_t001_coad() {
    let doc = run(&pcgr_case("COAD", "T001-COAD"));
    // BRAF V600E from the raw VCF, by its genomic key: encorafenib + cetuximab on-label.
    let braf = finding(&doc, "BRAF V600E");
    assert_eq!(braf.tier, Tier::IA);
    assert_eq!(braf.evidence[0].match_level, MatchLevel::Genomic);
    assert!(offers(
        braf,
        "encorafenib",
        Effect::Sensitivity,
        LabelStatus::OnLabel
    ));
    // The tumour-agnostic dabrafenib + trametinib approval excludes colorectal cancer.
    assert!(!braf
        .evidence
        .iter()
        .any(|e| e.therapy == "dabrafenib + trametinib"
            && e.effect == Effect::Sensitivity
            && e.label == LabelStatus::OnLabel));
    assert!(
        braf.caveats
            .iter()
            .any(|c| c.starts_with("Not offered") && c.contains("(SOLID)")),
        "{:?}",
        braf.caveats
    );
    let v = braf.variant.as_ref().expect("variant details");
    assert_eq!(
        (v.chrom.as_str(), v.pos, v.exon, v.codon),
        ("7", 140753336, Some(15), Some(600))
    );
    assert!((v.vaf.unwrap() - 0.3148).abs() < 1e-3, "VAF from INFO TVAF");
    assert_eq!(v.depth, Some(54));
    // Fusions: EML4--ALK (off-label here), NTRK1 (tumour-agnostic, on-label).
    let alk = finding(&doc, "EML4--ALK");
    assert_eq!(alk.tier, Tier::IIC);
    assert!(offers(
        alk,
        "alectinib",
        Effect::Sensitivity,
        LabelStatus::OffLabel
    ));
    let ntrk = finding(&doc, "NTRK1--TPM3");
    assert_eq!(ntrk.tier, Tier::IA);
    assert!(offers(
        ntrk,
        "larotrectinib",
        Effect::Sensitivity,
        LabelStatus::OnLabel
    ));
    assert!(
        ntrk.caveats.iter().any(|c| c.contains("orientation")),
        "{:?}",
        ntrk.caveats
    );
    // ERBB2 amplification from the segments (total 9 copies): tier I in colorectal cancer.
    let erbb2 = finding(&doc, "ERBB2 amplification");
    assert_eq!(erbb2.kind, FindingKind::CopyNumber);
    assert_eq!(erbb2.copies, Some(9.0));
    assert_eq!(erbb2.tier, Tier::IA);
    assert!(offers(
        erbb2,
        "tucatinib",
        Effect::Sensitivity,
        LabelStatus::OnLabel
    ));
    // The top-ranked option comes from a tier I finding.
    assert_eq!(doc.therapies[0].tier, Tier::IA);
    assert!(doc.actionable && doc.summary.contains("BRAF V600E"));
    // Every raw variant had a gene or was counted; none silently lost.
    assert_eq!(doc.inputs[0].records, 3313);
}

#[test]
fn pcgr_t001_brca() {
    let doc = run(&pcgr_case("BRCA", "T001-BRCA"));
    let pik3ca = finding(&doc, "PIK3CA H1047R");
    assert_eq!(pik3ca.tier, Tier::IA);
    assert!(offers(
        pik3ca,
        "alpelisib",
        Effect::Sensitivity,
        LabelStatus::OnLabel
    ));
    let erbb2 = finding(&doc, "ERBB2 amplification");
    assert_eq!(erbb2.tier, Tier::IA);
    assert!(offers(
        erbb2,
        "trastuzumab",
        Effect::Sensitivity,
        LabelStatus::OnLabel
    ));
    assert!(finding(&doc, "EML4--ALK").tier == Tier::IIC);
    assert!(finding(&doc, "NTRK1--TPM3").tier == Tier::IA);
}

#[test]
fn grch37_vcf_is_refused_without_the_flag() {
    let kb = common::kb();
    let engine = OncoEngine::new(kb.onco(), OncoOptions::default());
    let mut m = CaseManifest::new("PCGR-37");
    m.tumor_type = Some("COAD".into());
    m.somatic.vcf = Some(pcgr("T001-COAD.grch37.vcf.gz"));
    let Err(err) = load_case(
        &m,
        &engine,
        kb.transcripts().unwrap(),
        &LoadOptions::default(),
    ) else {
        panic!("a GRCh37 VCF was read as GRCh38");
    };
    let msg = err.to_string();
    assert!(
        msg.contains("GRCh37") && msg.contains("T001-COAD.grch37.vcf.gz"),
        "{msg}"
    );
    // With the flag, BRAF V600E is still found, by its GRCh37 key.
    m.assembly = Assembly::GRCh37;
    let doc = run(&m);
    assert_eq!(finding(&doc, "BRAF V600E").tier, Tier::IA);
}

#[test]
fn tcga_laml_drivers() {
    let maf = tcga("tcga_laml.maf");
    let case = |sample: &str| {
        let mut m = CaseManifest::new(sample);
        m.tumor_type = Some("AML".into());
        m.assembly = Assembly::GRCh37;
        m.somatic.maf = Some(maf.clone());
        m.somatic.tumor_sample = Some(sample.into());
        m
    };
    // IDH1 R132H: ivosidenib / olutasidenib.
    let doc = run(&case("TCGA-AB-2802-03B-01W-0728-08"));
    let idh1 = finding(&doc, "IDH1 R132H");
    assert_eq!(idh1.tier, Tier::IA);
    assert!(offers(
        idh1,
        "ivosidenib",
        Effect::Sensitivity,
        LabelStatus::OnLabel
    ));
    // FLT3 internal tandem duplication written in the legacy TCGA notation, exon found
    // from the codon: gilteritinib and midostaurin.
    let doc = run(&case("TCGA-AB-2812-03B-01W-0728-08"));
    let flt3 = doc
        .findings
        .iter()
        .find(|f| f.gene.as_deref() == Some("FLT3"))
        .expect("FLT3 ITD actionable");
    assert_eq!(flt3.tier, Tier::IA);
    assert_eq!(flt3.evidence[0].match_level, MatchLevel::Exon);
    assert!(offers(
        flt3,
        "gilteritinib",
        Effect::Sensitivity,
        LabelStatus::OnLabel
    ));
    // NPM1 frameshift in the same tumour: a menin inhibitor.
    let npm1 = finding(&doc, "NPM1 W287fs");
    assert_eq!(npm1.tier, Tier::IA);
    assert!(offers(
        npm1,
        "revumenib",
        Effect::Sensitivity,
        LabelStatus::OnLabel
    ));
    // A cohort MAF without a sample is refused: one case is one tumour.
    let mut m = case("x");
    m.somatic.tumor_sample = None;
    let kb = common::kb();
    let engine = OncoEngine::new(kb.onco(), OncoOptions::default());
    let Err(err) = load_case(
        &m,
        &engine,
        kb.transcripts().unwrap(),
        &LoadOptions::default(),
    ) else {
        panic!("a cohort MAF was read without a sample");
    };
    assert!(err.to_string().contains("197"), "{err}");
}

#[test]
fn tcga_single_sample_mafs() {
    let case = |file: &str, tumour: &str| {
        let mut m = CaseManifest::new(file);
        m.tumor_type = Some(tumour.into());
        m.assembly = Assembly::GRCh37;
        m.somatic.maf = Some(tcga(file));
        run(&m)
    };
    // UCEC: KRAS G12D and PIK3CA E542K have no endometrial indication: off-label only,
    // and the colorectal anti-EGFR resistance of KRAS is not carried over.
    let doc = case("TCGA-B5-A0JV-01.ucec.maf", "UCEC");
    let kras = finding(&doc, "KRAS G12D");
    assert_eq!(kras.tier, Tier::IIC);
    assert!(kras
        .evidence
        .iter()
        .all(|e| e.effect == Effect::Sensitivity));
    assert_eq!(finding(&doc, "PIK3CA E542K").tier, Tier::IIC);
    assert!(doc.findings.iter().all(|f| f.tier >= Tier::IIC));
    // BRCA: ERBB2 L755S, an activating HER2 kinase mutation (off-label HER2-mutant drugs).
    let doc = case("TCGA-BH-A18P-01.brca.maf", "BRCA");
    let erbb2 = finding(&doc, "ERBB2 L755S");
    assert!(erbb2.tier.is_actionable());
    // The sample's variants are all read.
    assert_eq!(doc.inputs[0].records, 315);
}

#[test]
fn exon_from_codon_uses_the_anchored_numbering() {
    let model = common::kb().transcripts().unwrap();
    let exon = |gene: &str, codon: u32| model.gene(gene).and_then(|t| t.exon_of_codon(codon));
    assert_eq!(exon("BRAF", 600), Some(15));
    assert_eq!(exon("PIK3CA", 1047), Some(21));
    assert_eq!(exon("PIK3CA", 545), Some(10));
    assert_eq!(exon("EGFR", 858), Some(21));
    assert_eq!(exon("EGFR", 790), Some(20));
    assert_eq!(exon("EGFR", 746), Some(19));
    assert_eq!(exon("KRAS", 12), Some(2));
    assert_eq!(exon("KRAS", 61), Some(3));
    assert_eq!(exon("FLT3", 835), Some(20));
}
