//! PharmCAT reporter rules on real knowledge: lowest-function genes, hemizygous G6PD,
//! HLA allele status, CYP2D6 copy numbers and outside phenotypes, DPWG diplotype rows,
//! ambiguous calls and uncalled genes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tailor_core::pgx::{CallSource, DiplotypeCall, GeneCall, HaplotypeCall};
use tailor_kb::pgx::PgxKnowledge;
use tailor_kb::KnowledgeBase;
use tailor_pgx::phenotype::{
    annotate, annotate_diplotype, AnnotatedDiplotype, DiplotypeInput, GuidelineSource, NA,
    NO_RESULT,
};
use tailor_pgx::recommendation::{recommend, recommend_inputs, GeneInput};

use GuidelineSource::{Cpic, Dpwg};

fn kb() -> &'static PgxKnowledge {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let shared = match std::env::var_os("TAILOR_SHARED_DATA") {
            Some(p) => PathBuf::from(p),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        };
        tailor_kb::build(&tailor_kb::SourcePaths::from_shared_data(&shared))
            .expect("knowledge base builds")
    })
    .pgx()
}

fn called(a1: &str, a2: Option<&str>) -> DiplotypeInput {
    DiplotypeInput::Called {
        allele1: a1.to_string(),
        allele2: a2.map(str::to_string),
    }
}

fn outside(alleles: &[&str], phenotype: Option<&str>, score: Option<&str>) -> DiplotypeInput {
    DiplotypeInput::Outside {
        alleles: alleles.iter().map(|a| a.to_string()).collect(),
        phenotype: phenotype.map(str::to_string),
        activity_score: score.map(str::to_string),
    }
}

fn ann(gene: &str, input: &DiplotypeInput, source: GuidelineSource) -> AnnotatedDiplotype {
    annotate(kb(), gene, input, source)
}

const HAPB3: &str = "c.1129-5923C>G, c.1236G>A (HapB3)";
const STAR2A: &str = "c.1905+1G>A (*2A)";

#[test]
fn dpyd_unphased_uses_the_two_lowest_function_alleles() {
    let input =
        DiplotypeInput::UnphasedAlleles(vec!["c.2846A>T".into(), STAR2A.into(), HAPB3.into()]);
    let cpic = ann("DPYD", &input, Cpic);
    // *2A (0.0) first; c.2846A>T and HapB3 tie at 0.5 and are ordered by name.
    assert_eq!(cpic.label, format!("{HAPB3}/{STAR2A}"));
    assert_eq!(cpic.activity_score.as_deref(), Some("0.5"));
    assert_eq!(cpic.phenotypes, vec!["Poor Metabolizer"]);
    assert_eq!(cpic.lookup_keys, vec!["0.5"]);
    assert!(cpic.inferred, "three alleles reduced to two");

    let dpwg = ann("DPYD", &input, Dpwg);
    assert_eq!(dpwg.phenotypes, vec!["0.5 (Phenotyping)"]);
    assert_eq!(dpwg.lookup_keys, vec!["0.5 (Phenotyping)"]);
    assert_eq!(
        dpwg.activity_score, None,
        "DPWG's DPYD table is keyed by phenotype"
    );
}

#[test]
fn dpyd_single_variant_pairs_with_reference() {
    let d = ann(
        "DPYD",
        &DiplotypeInput::UnphasedAlleles(vec!["c.2846A>T".into()]),
        Cpic,
    );
    assert_eq!(d.label, "Reference/c.2846A>T");
    assert_eq!(d.activity_score.as_deref(), Some("1.5"));
    assert_eq!(d.phenotypes, vec!["Intermediate Metabolizer"]);
    assert!(!d.inferred);
}

#[test]
fn dpyd_phased_combination_uses_lowest_allele_per_strand() {
    let d = ann(
        "DPYD",
        &called(&format!("[c.2846A>T + {STAR2A}]"), Some("Reference")),
        Cpic,
    );
    assert_eq!(d.label, format!("Reference/{STAR2A}"));
    assert_eq!(d.lookup_keys, vec!["1.0"]);
    assert!(d.inferred);
}

#[test]
fn dpyd_dpwg_reads_normal_function_alleles_as_reference() {
    let input = called("c.85T>C (*9A)", Some("c.2846A>T"));
    let cpic = ann("DPYD", &input, Cpic);
    assert_eq!(cpic.label, "c.85T>C (*9A)/c.2846A>T");
    assert_eq!(cpic.lookup_keys, vec!["1.5"]);
    assert!(!cpic.inferred);
    let dpwg = ann("DPYD", &input, Dpwg);
    assert_eq!(dpwg.label, "Reference/c.2846A>T");
    assert_eq!(dpwg.lookup_keys, vec!["1.5 (Intermediate Metabolizer)"]);
    assert!(dpwg.inferred);
}

#[test]
fn g6pd_hemizygous_and_heterozygous() {
    let male = ann("G6PD", &called("A- 202A_376G", None), Cpic);
    assert_eq!(male.label, "A- 202A_376G");
    assert!(male.allele2.is_none());
    assert_eq!(male.phenotypes, vec!["Deficient"]);
    assert_eq!(
        male.allele1.as_ref().and_then(|h| h.function.as_deref()),
        Some("III/Deficient")
    );
    let female = ann("G6PD", &called("B (reference)", Some("A- 202A_376G")), Cpic);
    assert_eq!(female.phenotypes, vec!["Variable"]);
    assert_eq!(female.lookup_keys, vec!["Variable"]);
    let uncalled = ann("G6PD", &DiplotypeInput::Unknown, Cpic);
    assert_eq!(uncalled.lookup_keys, vec![NO_RESULT]);
    assert!(uncalled.allele2.is_none(), "single-ploidy unknown");
}

#[test]
fn ryr1_labels_and_susceptibility() {
    let d = ann("RYR1", &called("Reference", Some("c.103T>C")), Cpic);
    assert_eq!(d.label, "c.103T>C (heterozygous)");
    assert_eq!(d.phenotypes, vec!["Malignant Hyperthermia Susceptibility"]);
    let unphased = ann(
        "RYR1",
        &DiplotypeInput::UnphasedAlleles(vec![
            "c.103T>C".into(),
            "c.130C>T".into(),
            "Reference".into(),
        ]),
        Cpic,
    );
    assert_eq!(
        unphased.label, "c.103T>C/c.130C>T",
        "malignant alleles first"
    );
    let reference = ann("RYR1", &called("Reference", Some("Reference")), Cpic);
    assert_eq!(reference.label, "Reference/Reference");
    assert_eq!(reference.phenotypes, vec!["Uncertain Susceptibility"]);
}

#[test]
fn hla_allele_status_keys() {
    let b = ann(
        "HLA-B",
        &outside(&["*57:01:01", "*44:02"], None, None),
        Cpic,
    );
    assert_eq!(
        b.lookup_keys,
        vec!["*15:02 negative", "*57:01 positive", "*58:01 negative"]
    );
    assert_eq!(b.label, "*44:02/*57:01:01");
    let a = ann("HLA-A", &outside(&["*31:01", "*02:01"], None, None), Cpic);
    assert_eq!(a.lookup_keys, vec!["*31:01 positive"]);
    let phenotype_only = ann("HLA-B", &outside(&[], Some("*58:01 positive"), None), Cpic);
    assert_eq!(phenotype_only.lookup_keys, vec!["*58:01 positive"]);
    assert_eq!(phenotype_only.label, "*58:01 positive");
    let uncalled = ann("HLA-B", &DiplotypeInput::Unknown, Cpic);
    assert_eq!(uncalled.lookup_keys, vec![NO_RESULT]);
    assert!(uncalled.phenotypes.is_empty());
}

#[test]
fn cyp2d6_outside_calls() {
    let d = ann("CYP2D6", &outside(&["*1", "*2x3"], None, None), Cpic);
    assert_eq!(
        d.label, "*1/*2x\u{2265}3",
        "copy number read as the table's \u{2265}3 allele"
    );
    assert_eq!(d.lookup_keys, vec!["\u{2265}4.0"]);
    assert_eq!(d.phenotypes, vec!["Ultrarapid Metabolizer"]);
    assert!(d.inferred);

    let im = ann(
        "CYP2D6",
        &outside(&[], Some("Intermediate Metabolizer"), None),
        Cpic,
    );
    assert_eq!(im.label, "Intermediate Metabolizer");
    assert_eq!(im.activity_score.as_deref(), Some(NA));
    assert_eq!(im.lookup_keys, vec!["0.25", "0.5", "0.75", "1.0"]);

    let score = ann("CYP2D6", &outside(&[], None, Some("1")), Cpic);
    assert_eq!(score.activity_score.as_deref(), Some("1.0"));
    assert_eq!(score.phenotypes, vec!["Intermediate Metabolizer"]);
    assert_eq!(score.lookup_keys, vec!["1.0"]);
    assert_eq!(score.label, "Intermediate Metabolizer (1.0)");

    let mismatch = ann(
        "CYP2D6",
        &outside(&["*1", "*4"], Some("Normal Metabolizer"), None),
        Cpic,
    );
    assert_eq!(
        mismatch.outside_phenotype_mismatch.as_deref(),
        Some("Intermediate Metabolizer")
    );
    assert_eq!(
        mismatch.phenotypes,
        vec!["Normal Metabolizer"],
        "the outside phenotype is kept"
    );
}

#[test]
fn brief_api_returns_core_diplotype_call() {
    let call = annotate_diplotype(kb(), "CYP2C19", "*2", Some("*17"), Cpic);
    assert_eq!(call.label, "*2/*17");
    assert_eq!(call.phenotype.as_deref(), Some("Intermediate Metabolizer"));
    assert_eq!(call.lookup_key.as_deref(), Some("Intermediate Metabolizer"));
    assert_eq!(call.allele1.function.as_deref(), Some("No function"));
    assert_eq!(call.allele1.activity_value, None, "n/a is not reported");
    let cyp2c9 = annotate_diplotype(kb(), "CYP2C9", "*1", Some("*3"), Cpic);
    assert_eq!(cyp2c9.activity_score.as_deref(), Some("1.0"));
    assert_eq!(cyp2c9.lookup_key.as_deref(), Some("1.0"));
    assert_eq!(
        cyp2c9.allele2.and_then(|h| h.activity_value).as_deref(),
        Some("0.0")
    );
}

fn gene_call(gene: &str, diplotypes: &[(&str, Option<&str>)]) -> GeneCall {
    let hap = |n: &str| HaplotypeCall {
        name: n.to_string(),
        function: None,
        activity_value: None,
    };
    GeneCall {
        diplotypes: diplotypes
            .iter()
            .map(|(a, b)| DiplotypeCall {
                label: String::new(),
                allele1: hap(a),
                allele2: b.map(hap),
                score: 0,
                phenotype: None,
                activity_score: None,
                lookup_key: None,
            })
            .collect(),
        ..GeneCall::new(gene, CallSource::Vcf)
    }
}

#[test]
fn dpwg_diplotype_rows_take_precedence() {
    let recs = recommend(kb(), &[gene_call("CYP2C9", &[("*1", Some("*3"))])]);
    let warfarin: Vec<_> = recs
        .iter()
        .filter(|r| r.source == "DPWG" && r.drug == "warfarin")
        .collect();
    assert_eq!(warfarin.len(), 1, "{warfarin:#?}");
    assert_eq!(
        warfarin[0].lookup.get("CYP2C9").map(String::as_str),
        Some("*1/*3")
    );
    assert!(warfarin[0]
        .recommendation
        .as_deref()
        .is_some_and(|t| t.contains("65% of the standard initial dose")));
    assert!(warfarin[0].actionable);
}

#[test]
fn multi_gene_guidelines_use_every_gene() {
    let recs = recommend(
        kb(),
        &[
            gene_call("NUDT15", &[("*1", Some("*3"))]),
            gene_call("TPMT", &[("*1", Some("*3A"))]),
        ],
    );
    let aza: Vec<_> = recs
        .iter()
        .filter(|r| r.source == "CPIC" && r.drug == "azathioprine")
        .collect();
    assert_eq!(aza.len(), 1, "{aza:#?}");
    assert_eq!(
        aza[0].lookup.get("NUDT15").map(String::as_str),
        Some("Intermediate Metabolizer")
    );
    assert_eq!(
        aza[0].lookup.get("TPMT").map(String::as_str),
        Some("Intermediate Metabolizer")
    );
    assert!(aza[0].actionable);
    assert!(!aza[0].implications.is_empty());
    assert!(aza[0]
        .recommendation
        .as_deref()
        .is_some_and(|t| !t.contains('<')));
}

#[test]
fn ambiguous_calls_get_one_entry_per_lookup() {
    let recs = recommend(
        kb(),
        &[gene_call(
            "CYP2C19",
            &[("*38", Some("*17")), ("*2", Some("*17"))],
        )],
    );
    let citalopram: Vec<_> = recs
        .iter()
        .filter(|r| r.source == "CPIC" && r.drug == "citalopram")
        .collect();
    let mut lookups: Vec<&str> = citalopram
        .iter()
        .filter_map(|r| r.lookup.get("CYP2C19").map(String::as_str))
        .collect();
    lookups.sort_unstable();
    assert_eq!(
        lookups,
        vec!["Intermediate Metabolizer", "Rapid Metabolizer"]
    );
    assert!(citalopram.iter().all(|r| r
        .note
        .as_deref()
        .is_some_and(|n| n.contains("ambiguous call: applies to 1 of 2"))));
    let im = citalopram
        .iter()
        .find(|r| r.lookup.get("CYP2C19").map(String::as_str) == Some("Intermediate Metabolizer"))
        .expect("IM entry");
    assert_eq!(
        im.diplotypes.get("CYP2C19").map(String::as_str),
        Some("*2/*17")
    );
    assert_eq!(
        im.phenotypes.get("CYP2C19").map(String::as_str),
        Some("Intermediate Metabolizer")
    );
}

#[test]
fn uncalled_and_unmatched_are_explicit() {
    let recs = recommend_inputs(
        kb(),
        &[
            GeneInput {
                gene: "HLA-B".into(),
                diplotypes: Vec::new(),
            },
            GeneInput {
                gene: "MT-RNR1".into(),
                diplotypes: vec![outside(&["1555A>G"], None, None)],
            },
        ],
    );
    let abacavir: Vec<_> = recs
        .iter()
        .filter(|r| r.source == "CPIC" && r.drug == "abacavir")
        .collect();
    assert_eq!(abacavir.len(), 1);
    assert!(!abacavir[0].actionable);
    assert_eq!(
        abacavir[0].note.as_deref(),
        Some("No result: not called: HLA-B")
    );

    let amikacin: Vec<_> = recs
        .iter()
        .filter(|r| r.source == "CPIC" && r.drug == "amikacin")
        .collect();
    assert_eq!(amikacin.len(), 1);
    assert!(!amikacin[0].actionable);
    assert_eq!(
        amikacin[0].note.as_deref(),
        Some("No recommendation for this genotype")
    );
    assert_eq!(
        amikacin[0].lookup.get("MT-RNR1").map(String::as_str),
        Some(NA)
    );

    // Guidelines none of whose genes were given are not evaluated.
    assert!(recs.iter().all(|r| r.drug != "codeine"));
}

#[test]
fn mt_rnr1_single_allele() {
    let d = ann("MT-RNR1", &outside(&["m.1555A>G"], None, None), Cpic);
    assert_eq!(d.label, "m.1555A>G");
    assert_eq!(
        d.phenotypes,
        vec!["increased risk of aminoglycoside-induced hearing loss"]
    );
    let recs = recommend_inputs(
        kb(),
        &[GeneInput {
            gene: "MT-RNR1".into(),
            diplotypes: vec![outside(&["m.1555A>G"], None, None)],
        }],
    );
    let amikacin: Vec<_> = recs
        .iter()
        .filter(|r| r.source == "CPIC" && r.drug == "amikacin")
        .collect();
    assert_eq!(amikacin.len(), 1);
    assert!(amikacin[0].actionable);
    assert_eq!(amikacin[0].classification.as_deref(), Some("Strong"));
}

/// Every row of every phenotype table in use: annotating the row's diplotype must give
/// the row's own lookup key and phenotype (the tables' `lookupkey` column is what the
/// guidelines are keyed by).
#[test]
fn every_table_row_annotates_to_its_lookup_key() {
    let mut checked = 0usize;
    let mut wrong = Vec::new();
    for source in [Cpic, Dpwg] {
        for table in kb().phenotype_tables() {
            let in_use = kb()
                .phenotype(source, &table.gene)
                .is_some_and(|t| std::ptr::eq(t, table));
            if !in_use {
                continue;
            }
            for row in table.diplotypes() {
                let input = called(row.allele1, row.allele2);
                let d = ann(&table.gene, &input, source);
                checked += 1;
                let expected_key: Vec<String> =
                    row.lookup_key.map(str::to_string).into_iter().collect();
                let expected_phenotype = row.phenotype.or(row.gene_result);
                if d.lookup_keys != expected_key
                    || d.phenotypes.first().map(String::as_str) != expected_phenotype
                {
                    wrong.push(format!(
                        "{source:?} {} {}: keys {:?} (table {:?}), phenotypes {:?} (table {:?})",
                        table.gene,
                        row.diplotype,
                        d.lookup_keys,
                        expected_key,
                        d.phenotypes,
                        expected_phenotype
                    ));
                }
            }
        }
    }
    assert!(checked > 50_000, "checked {checked} rows");
    assert!(
        wrong.is_empty(),
        "{} of {checked} rows differ, e.g. {:#?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
}
