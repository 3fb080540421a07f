//! Real whole-genome data: three GeT-RM reference samples (NYGC 30x, GRCh38), one
//! unphased, unnormalised VCF per chromosome, read end to end without preprocessing.
//!
//! PharmCAT's tutorial also ships the same samples after PharmCAT's own preprocessor
//! (`<sample>.preprocessed.vcf`: normalised, one file, positions filled in). Calling both
//! must give the same diplotypes, except where the preprocessed file lacks a
//! definition position at which the raw data carries a variant (that file was made with
//! an older position list): the test checks each difference is of that kind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tailor_pgx::collect::CollectOptions;
use tailor_pgx::engine::{EngineOptions, PgxEngine};

fn shared_data() -> PathBuf {
    std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn calls(run: &tailor_pgx::engine::PgxRun, sample: &str) -> BTreeMap<String, String> {
    let s = run
        .samples
        .iter()
        .find(|s| s.sample == sample)
        .expect("sample");
    s.genes
        .iter()
        .filter(|g| !g.diplotypes.is_empty())
        .map(|g| {
            let labels: Vec<&str> = g.diplotypes.iter().map(|d| d.label.as_str()).collect();
            (g.gene.clone(), labels.join(" OR "))
        })
        .collect()
}

#[test]
fn raw_wgs_files_match_preprocessed_calls() {
    let data = shared_data();
    let dir = data.join("pgx/getrm-wgs");
    let kb = tailor_kb::build(&tailor_kb::SourcePaths::from_shared_data(&data)).expect("kb");
    let engine = PgxEngine::new(kb.pgx()).expect("models");
    let mut raw_files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".vcf.bgz"))
        .collect();
    raw_files.sort();
    assert!(raw_files.len() >= 10, "expected the per-chromosome files");
    let options = EngineOptions {
        collect: CollectOptions {
            absent_is_reference: true,
            use_index: true,
            ..CollectOptions::default()
        },
        ..EngineOptions::default()
    };
    let raw = engine
        .run(&raw_files, &[], &options, |_| {})
        .expect("raw WGS run");
    assert_eq!(raw.samples.len(), 3);
    for sample in ["NA18526", "NA18565", "NA18861"] {
        let pre_file = dir.join(format!("{sample}.preprocessed.vcf"));
        let pre = engine
            .run(std::slice::from_ref(&pre_file), &[], &options, |_| {})
            .expect("preprocessed run");
        let (a, b) = (calls(&raw, sample), calls(&pre, sample));
        // Genes on chromosomes present in the raw files are called.
        for gene in [
            "CYP2C19", "CYP2C9", "SLCO1B1", "TPMT", "UGT1A1", "VKORC1", "DPYD", "CYP3A5",
        ] {
            assert!(
                a.contains_key(gene),
                "{sample}: {gene} not called from raw WGS"
            );
        }
        let pre_text = std::fs::read_to_string(&pre_file).unwrap();
        let pre_positions: std::collections::BTreeSet<(String, u64)> = pre_text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((f.next()?.to_string(), f.next()?.parse().ok()?))
            })
            .collect();
        for (gene, call) in &b {
            let Some(raw_call) = a.get(gene) else {
                continue;
            };
            if raw_call == call {
                continue;
            }
            // Explained only if the raw data has a variant, in this sample, at a
            // definition position the preprocessed file does not contain.
            let def = kb.pgx().definition(gene).unwrap();
            let mut targets = tailor_genome::Targets::new();
            for v in def
                .variants
                .iter()
                .filter(|v| !pre_positions.contains(&(v.chromosome.clone(), v.position)))
            {
                targets.add(
                    tailor_genome::normalize_chrom(&v.chromosome),
                    v.position,
                    v.position,
                );
            }
            let mut raw_only_variant = false;
            for file in &raw_files {
                let mut reader = tailor_genome::VariantReader::open(
                    file,
                    &tailor_genome::ReaderOptions::default(),
                )
                .unwrap();
                let ix = reader.samples().iter().position(|s| s == sample).unwrap();
                reader
                    .read_targets(&targets, |site| {
                        if site.genotypes[ix]
                            .alleles
                            .iter()
                            .any(|a| matches!(a, Some(x) if *x > 0))
                        {
                            raw_only_variant = true;
                        }
                    })
                    .unwrap();
            }
            assert!(
                raw_only_variant,
                "{sample} {gene}: raw {raw_call} vs preprocessed {call}, not explained by positions missing from the preprocessed file"
            );
            eprintln!("{sample} {gene}: raw {raw_call} vs preprocessed {call} (preprocessed file lacks positions)");
        }
    }
}
