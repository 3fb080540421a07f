//! Imports the real PharmCAT sources from `shared/data` and checks what comes out.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tailor_kb::pgx::{GuidelineSource, LookupValue, PhenotypeOrigin};
use tailor_kb::{ArtifactProblem, ErrorKind, KbOrigin, KnowledgeBase, SourcePaths};

fn shared_data() -> PathBuf {
    match std::env::var_os("TAILOR_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

fn paths() -> SourcePaths {
    SourcePaths::from_shared_data(&shared_data())
}

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| tailor_kb::build(&paths()).expect("real sources import"))
}

#[test]
fn counts_match_the_manifest() {
    let c = kb().pgx().counts();
    assert_eq!(c.genes, 20, "20 genes with allele definitions");
    assert_eq!(c.loci, 1201, "1,201 loci");
    assert_eq!(c.named_alleles, 1317, "1,317 named alleles");
    assert_eq!(c.cpic_guidelines, 56);
    assert_eq!(c.dpwg_guidelines, 62);
    // 17 (3.1.1) + 2 (supplement) + 15 (2.12.0 CPIC) + 13 (2.12.0 DPWG)
    assert_eq!(c.phenotype_tables, 47);
    assert_eq!(c.recommendations, 2583);
}

#[test]
fn definitions_keep_what_the_matcher_needs() {
    let pgx = kb().pgx();
    let cyp2c19 = pgx.definition("CYP2C19").expect("CYP2C19");
    assert_eq!(cyp2c19.chromosome, "chr10");
    assert_eq!(pgx.reference_allele("CYP2C19"), Some("*38"));
    let rs12248560 = cyp2c19
        .variants
        .iter()
        .find(|v| v.rsid.as_deref() == Some("rs12248560"))
        .expect("*17 locus");
    assert_eq!(
        (rs12248560.position, rs12248560.ref_allele.as_str()),
        (94761900, "C")
    );
    assert_eq!(rs12248560.alts, vec!["T".to_string()]);

    // Indels keep both the VCF and the CPIC spelling.
    let cyp2c9 = pgx.definition("CYP2C9").expect("CYP2C9");
    let del = &cyp2c9.variants[cyp2c9.locus_index(94942205).expect("indel locus")];
    assert_eq!(del.cpic_position, 94942213);
    assert_eq!(
        del.cpic_to_vcf.get("delAGAAATGGAA").map(String::as_str),
        Some("C")
    );

    // IUPAC codes survive (CYP2D6 *1 has R and S cells).
    let cyp2d6 = pgx.definition("CYP2D6").expect("CYP2D6");
    let i = cyp2d6.locus_index(42128813).expect("locus");
    assert_eq!(
        cyp2d6
            .reference_allele()
            .and_then(|a| a.alleles[i].as_deref()),
        Some("R")
    );

    let slco1b1 = pgx.definition("SLCO1B1").expect("SLCO1B1");
    assert_eq!(slco1b1.hidden_core_alleles.len(), 1);
    assert_eq!(
        slco1b1.suballeles.get("*45.001").map(String::as_str),
        Some("*45")
    );

    let nat2 = pgx.exemption("NAT2").expect("NAT2 exemptions");
    assert_eq!(nat2.required_positions.len(), 5);
    assert_eq!(nat2.unphased_diplotype_priorities.len(), 29);
    let cyp2c9_ex = pgx.exemption("CYP2C9").expect("CYP2C9 exemptions");
    assert_eq!(
        cyp2c9_ex.extra_positions[0].rsid.as_deref(),
        Some("rs12777823")
    );
}

#[test]
fn phenotype_tables_resolve_per_source() {
    let pgx = kb().pgx();
    let origin = |s, g| pgx.phenotype(s, g).map(|t| t.origin);
    use GuidelineSource::{Cpic, Dpwg};
    use PhenotypeOrigin::*;
    assert_eq!(origin(Cpic, "CYP2C19"), Some(PharmCat311));
    assert_eq!(
        origin(Cpic, "CYP2D6"),
        Some(PharmCat2120Cpic),
        "3.1.1 has no CYP2D6 table"
    );
    assert_eq!(origin(Cpic, "RYR1"), Some(Supplement));
    assert_eq!(origin(Cpic, "G6PD"), Some(Supplement));
    assert_eq!(origin(Dpwg, "DPYD"), Some(PharmCat2120Dpwg));
    assert_eq!(origin(Dpwg, "CYP2D6"), Some(PharmCat2120Dpwg));
    assert_eq!(
        origin(Dpwg, "NAT2"),
        Some(PharmCat311),
        "no DPWG table: CPIC one serves"
    );
    assert_eq!(origin(Cpic, "HLA-B"), None);
    assert_eq!(origin(Cpic, "MT-RNR1"), Some(PharmCat311));

    let dpyd = pgx.phenotype(Cpic, "DPYD").expect("DPYD");
    assert!(dpyd.is_activity_scored());
    let rec = dpyd
        .find_diplotype("c.1905+1G>A (*2A)", Some("Reference"))
        .expect("Reference/*2A");
    assert_eq!(rec.activity_score, Some("1.0"));
    assert_eq!(rec.gene_result, Some("Intermediate Metabolizer"));
    assert_eq!(dpyd.diplotype_count(), 3570);

    let g6pd = pgx.phenotype(Cpic, "G6PD").expect("G6PD");
    let hemizygous = g6pd.find_diplotype("A", None).expect("hemizygous A");
    assert_eq!(hemizygous.gene_result, Some("Normal"));
    assert_eq!(g6pd.diplotype_count(), 17765);
}

#[test]
fn guidelines_are_typed() {
    let pgx = kb().pgx();
    let amitriptyline = pgx
        .guidelines()
        .iter()
        .find(|g| g.source == GuidelineSource::Cpic && g.name.contains("amitriptyline"))
        .expect("CPIC amitriptyline");
    assert_eq!(amitriptyline.genes, vec!["CYP2C19", "CYP2D6"]);
    assert_eq!(amitriptyline.recommendations.len(), 215);
    assert!(amitriptyline
        .recommendations
        .iter()
        .all(|r| r.lookup.len() == 2 && r.applies_to("Amitriptyline")));

    let dpwg_warfarin = pgx
        .guidelines()
        .iter()
        .find(|g| {
            g.source == GuidelineSource::Dpwg && g.file_name == "DPWG_warfarin_and_CYP2C9.json"
        })
        .expect("DPWG warfarin CYP2C9");
    let by_diplotype = dpwg_warfarin
        .recommendations
        .iter()
        .filter(|r| matches!(r.lookup[0].1, LookupValue::Diplotype(_)))
        .count();
    assert_eq!(by_diplotype, 5);
}

#[test]
fn provenance_names_every_source_group() {
    let kb = kb();
    let p = kb.provenance();
    assert_eq!(p.kb_version, kb.version());
    let (date, hash) = kb.version().split_once('+').expect("date+hash");
    assert_eq!(date, "2025-11-05");
    assert_eq!(hash.len(), 12);
    // 8 PGx groups + curated oncology tables, OncoTree, cancer hotspots, exon model (no
    // CIViC given).
    assert_eq!(p.sources.len(), 12);
    let defs = &p.sources[0];
    assert_eq!(defs.name, "PharmCAT 3.1.1 named-allele definitions");
    assert_eq!(defs.version, "PharmCAT 3.1.1; data 2025-11-05-00-25");
    assert!(defs.license.contains("CC BY-SA 4.0"));
    assert_eq!(defs.sha256.len(), 64);
    let files: usize = kb.sources().iter().map(|s| s.files.len()).sum();
    // 20 definitions + exemptions + 17 + 2 + 15 + 13 phenotype tables + 118 guidelines,
    // then 3 curated oncology tables + OncoTree + hotspots + 3 exon-model files.
    assert_eq!(files, 20 + 1 + 17 + 2 + 15 + 13 + 118 + 3 + 1 + 1 + 3);
    // Deterministic: the same sources give the same version.
    let again = tailor_kb::build(&paths()).expect("second build");
    assert_eq!(again.version(), kb.version());
}

#[test]
fn artifact_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kb.bin");
    kb().write(&path).expect("write");
    let back = KnowledgeBase::read(&path).expect("read");
    assert!(&back == kb(), "read(write(kb)) == kb");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "kb.bin")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );
}

#[test]
fn corrupt_artifact_is_reported_and_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kb.bin");
    kb().write(&path).expect("write");
    let mut bytes = std::fs::read(&path).expect("read back");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&path, &bytes).expect("corrupt it");

    let err = KnowledgeBase::read(&path).expect_err("corrupt");
    match err.kind() {
        ErrorKind::Artifact { path: p, problem } => {
            assert_eq!(p, &path);
            assert_eq!(problem, &ArtifactProblem::ChecksumMismatch);
        }
        other => panic!("unexpected error {other:?}"),
    }

    let (rebuilt, origin) = tailor_kb::load_or_build(Some(&path), &paths()).expect("rebuild");
    assert!(
        matches!(
            origin,
            KbOrigin::Rebuilt {
                cache_error: None,
                ..
            }
        ),
        "{origin:?}"
    );
    assert_eq!(rebuilt.version(), kb().version());
    let (_, origin) = tailor_kb::load_or_build(Some(&path), &paths()).expect("cached");
    assert_eq!(origin, KbOrigin::Cached);

    std::fs::write(&path, b"not a knowledge base").expect("overwrite");
    let err = KnowledgeBase::read(&path).expect_err("foreign");
    assert!(
        err.to_string().contains("not a Tailor knowledge base"),
        "{err}"
    );
}

#[test]
fn first_use_builds_and_saves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/dir/kb.bin");
    let (built, origin) = tailor_kb::load_or_build(Some(&path), &paths()).expect("build");
    assert_eq!(origin, KbOrigin::Built { cache_error: None });
    assert!(path.is_file());
    assert_eq!(built.version(), kb().version());
}

/// Copies the pgx source tree (only what the importer reads) into `dst`.
fn copy_sources(dst: &Path) {
    fn copy_dir(src: &Path, dst: &Path) {
        std::fs::create_dir_all(dst).expect("mkdir");
        for entry in std::fs::read_dir(src).expect("list") {
            let entry = entry.expect("entry");
            let to = dst.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy_dir(&entry.path(), &to);
            } else if entry.file_name().to_string_lossy().ends_with(".json") {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
    }
    let src = paths().pgx_root;
    for rel in [
        "pharmcat-3.1.1/definition",
        "pharmcat-3.1.1/phenotype",
        "pharmcat-2.12.0/phenotype",
        "pharmcat-2.12.0/guidelines",
        "pharmcat-supplement/phenotype",
    ] {
        copy_dir(&src.join(rel), &dst.join(rel));
    }
}

#[test]
fn malformed_source_is_named_with_its_json_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("pgx");
    copy_sources(&root);
    let paths = SourcePaths {
        pgx_root: root.clone(),
        ..paths()
    };
    assert!(tailor_kb::build(&paths).is_ok(), "the copy imports as is");

    // Syntax error: truncated JSON.
    let file = root.join("pharmcat-3.1.1/definition/alleles/DPYD_translation.json");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, &text[..text.len() / 2]).expect("truncate");
    let err = tailor_kb::build(&paths).expect_err("truncated JSON");
    let msg = err.to_string();
    assert!(matches!(err.kind(), ErrorKind::Json { .. }), "{msg}");
    assert!(msg.contains("DPYD_translation.json"), "{msg}");

    // Shape error: an activity score that is a number instead of a string.
    std::fs::write(&file, &text).expect("restore");
    let table = root.join("pharmcat-2.12.0/guidelines/CPIC_codeine_and_CYP2D6.json");
    let g = std::fs::read_to_string(&table).expect("read");
    std::fs::write(
        &table,
        g.replacen("\"version\": 66", "\"version\": \"sixty-six\"", 1),
    )
    .expect("edit");
    let err = tailor_kb::build(&paths).expect_err("wrong type");
    let msg = err.to_string();
    assert!(msg.contains("CPIC_codeine_and_CYP2D6.json"), "{msg}");
    assert!(msg.contains("guideline.version"), "{msg}");

    // Content error: a named allele with one allele too few.
    std::fs::write(&table, g).expect("restore");
    let mut def: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            root.join("pharmcat-3.1.1/definition/alleles/TPMT_translation.json"),
        )
        .expect("read"),
    )
    .expect("json");
    def["namedAlleles"][2]["alleles"]
        .as_array_mut()
        .expect("array")
        .pop();
    std::fs::write(
        root.join("pharmcat-3.1.1/definition/alleles/TPMT_translation.json"),
        serde_json::to_vec(&def).expect("encode"),
    )
    .expect("write");
    let err = tailor_kb::build(&paths).expect_err("short allele array");
    let msg = err.to_string();
    assert!(matches!(err.kind(), ErrorKind::Invalid { .. }), "{msg}");
    assert!(msg.contains("TPMT_translation.json"), "{msg}");
    assert!(msg.contains("namedAlleles[2].alleles"), "{msg}");
}

#[test]
fn changed_sources_trigger_a_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("pgx");
    copy_sources(&root);
    let paths = SourcePaths {
        pgx_root: root.clone(),
        ..paths()
    };
    let cache = dir.path().join("kb.bin");
    let (first, origin) = tailor_kb::load_or_build(Some(&cache), &paths).expect("build");
    assert_eq!(origin, KbOrigin::Built { cache_error: None });
    assert!(first.matches_sources(&paths).expect("stat"));

    // Same content, one guideline edited: a different KB version.
    let file = root.join("pharmcat-2.12.0/guidelines/CPIC_codeine_and_CYP2D6.json");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replacen("\"version\": 66", "\"version\": 67", 1),
    )
    .expect("edit");
    let (second, origin) = tailor_kb::load_or_build(Some(&cache), &paths).expect("rebuild");
    match origin {
        KbOrigin::Rebuilt {
            reason,
            cache_error: None,
        } => {
            assert!(reason.contains("sources changed"), "{reason}")
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert_ne!(first.version(), second.version());
}

#[test]
fn missing_sources_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let paths = SourcePaths {
        pgx_root: dir.path().join("nowhere"),
        ..paths()
    };
    let err = tailor_kb::build(&paths).expect_err("no sources");
    assert!(err.to_string().contains("nowhere"), "{err}");
}
