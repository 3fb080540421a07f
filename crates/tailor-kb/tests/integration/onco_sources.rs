//! Builds the oncology knowledge from the real shared data (OncoTree, cancer hotspots)
//! and the curated `kb/onco` tables, and checks what comes out.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tailor_kb::onco::{AlterationPattern, HotspotKind, Level, TumorScope};
use tailor_kb::{ErrorKind, KnowledgeBase, SourceGroup, SourcePaths};

fn shared_data() -> Option<PathBuf> {
    let dir = match std::env::var_os("TAILOR_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    if dir.join("onco").is_dir() && dir.join("pgx").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "note: shared data not found at {}; skipping the real-data oncology tests",
            dir.display()
        );
        None
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/onco")
}

/// The knowledge base as `tailor` builds it: compiled-in curated tables (or the repo's
/// kb/onco when this build has none compiled in), real shared data.
fn kb() -> Option<&'static KnowledgeBase> {
    static KB: OnceLock<Option<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| {
        let data = shared_data()?;
        let mut paths = SourcePaths::from_shared_data(&data);
        if !tailor_kb::onco::curated_tables_embedded() {
            paths.curated_dir = Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../kb/onco"));
        }
        Some(tailor_kb::build(&paths).expect("real sources import"))
    })
    .as_ref()
}

#[test]
fn oncotree_counts_and_ancestry() {
    let Some(kb) = kb() else { return };
    let tree = kb.onco().oncotree();
    assert_eq!(tree.len(), 898, "898 OncoTree nodes (MANIFEST)");
    assert!(tree.is_within("LUAD", "NSCLC"));
    assert!(tree.is_within("NSCLC", "LUNG"));
    assert!(tree.is_within("LUAD", "LUNG"));
    assert!(tree.is_within("luad", "SOLID"));
    assert!(!tree.is_within("AML", "SOLID"));
    assert!(tree.is_within("AML", "MYELOID"));
    assert!(tree.is_within("AML", "ANY"));
    let chain: Vec<&str> = tree
        .ancestors("LUAD")
        .iter()
        .map(|n| n.code.as_str())
        .collect();
    assert_eq!(chain, ["LUAD", "NSCLC", "LUNG", "TISSUE"]);
    assert_eq!(tree.get("mel").map(|n| n.name.as_str()), Some("Melanoma"));
    let suggested: Vec<String> = tree.suggest("NSLC").into_iter().map(|(c, _)| c).collect();
    assert!(suggested.iter().any(|c| c == "NSCLC"), "{suggested:?}");
    let msg = tree.unknown_code_message("LUADD");
    assert!(
        msg.contains("did you mean LUAD (Lung Adenocarcinoma)"),
        "{msg}"
    );
}

#[test]
fn hotspots_counts_and_lookups() {
    let Some(kb) = kb() else { return };
    let h = kb.onco().hotspots();
    let c = h.counts();
    // MANIFEST: 6,910 hotspots (904 single residue, 55 in-frame indel, 86 splice, 5,865 3D)
    // in 684 genes.
    assert_eq!(
        (c.single_residue, c.inframe_indel, c.splice, c.three_d),
        (904, 55, 86, 5865)
    );
    assert_eq!(c.genes, 684);
    let v600 = h.at("BRAF", 600).expect("BRAF 600");
    assert_eq!(v600.kind, HotspotKind::SingleResidue);
    assert_eq!(v600.residue, "V600");
    assert!(v600.is_recurrent_change("V600E"));
    assert_eq!(v600.variants[0].0, "E", "V600E is the most frequent change");
    assert!(!v600.is_recurrent_change("V600W"));
    let g12 = h.at("KRAS", 12).expect("KRAS 12");
    assert!(g12.is_recurrent_change("G12C") && g12.is_recurrent_change("G12D"));
    assert!(h.at("KRAS", 13).is_some());
    let ex19: Vec<_> = h.indels_overlapping("EGFR", 746, 750).collect();
    assert!(
        ex19.iter().any(|s| s.is_recurrent_change("E746_A750del")),
        "EGFR exon 19 deletion hotspot"
    );
    assert!(
        h.splice_at("MET", 1010).is_some(),
        "MET exon 14 splice hotspot X1010"
    );
    assert!(h.at("BRAF", 1).is_none());
}

#[test]
fn curated_tables_validate_and_keep_their_origin() {
    let Some(kb) = kb() else { return };
    let onco = kb.onco();
    let counts = onco.counts();
    assert!(counts.evidence > 0 && counts.genes > 0 && counts.variant_keys > 0);
    for row in onco.evidence() {
        if tailor_kb::onco::curated_tables_embedded() {
            assert_eq!(row.origin.file, "kb/onco/evidence.tsv", "{}", row.id);
        }
        assert!(row.origin.line > 1);
        assert!(!row.citation.is_empty());
        if let Some(g) = row.gene() {
            if row.alteration.pattern.alteration_type().needs_gene() {
                assert!(onco.gene(g).is_some(), "{} gene {g}", row.id);
            }
        }
    }
    // The same knowledge the spec promises the engine: BRAF V600E in melanoma, level A.
    let braf = onco.evidence().iter().find(|r| {
        r.gene() == Some("BRAF")
            && matches!(&r.alteration.pattern, AlterationPattern::Protein { changes }
                if changes.iter().any(|c| c.as_str() == "V600E"))
            && r.tumor_type.covers(onco.oncotree(), "MEL")
            && r.level == Level::A
    });
    assert!(braf.is_some(), "a level A BRAF V600E row covering melanoma");
    let v600e = onco
        .variant_keys()
        .iter()
        .find(|k| k.gene == "BRAF" && k.protein.as_str() == "V600E")
        .expect("BRAF V600E key");
    assert_eq!(
        v600e.grch38.as_ref().map(ToString::to_string).as_deref(),
        Some("7:140753336:A:T"),
        "the PCGR T001-COAD variant"
    );
    let found = v600e
        .grch38
        .as_ref()
        .and_then(|k| onco.variant_key_grch38(k));
    assert_eq!(found.map(|k| k.protein.as_str()), Some("V600E"));
}

#[test]
fn provenance_lists_the_onco_sources() {
    let Some(kb) = kb() else { return };
    let groups: Vec<SourceGroup> = kb.sources().iter().map(|s| s.group).collect();
    for g in [
        SourceGroup::TailorCurated,
        SourceGroup::OncoTree,
        SourceGroup::CancerHotspots,
    ] {
        assert!(groups.contains(&g), "{g:?} in {groups:?}");
    }
    assert!(
        !groups.contains(&SourceGroup::Civic),
        "CIViC only when given"
    );
    let curated = kb
        .sources()
        .iter()
        .find(|s| s.group == SourceGroup::TailorCurated)
        .expect("curated");
    assert_eq!(curated.files.len(), 3);
    assert!(
        curated.version.contains("evidence.tsv"),
        "{}",
        curated.version
    );
    assert_eq!(curated.license, "Tailor curated tables (CC BY 4.0)");
    let hotspots = kb
        .sources()
        .iter()
        .find(|s| s.group == SourceGroup::CancerHotspots)
        .expect("hotspots");
    assert!(
        hotspots.version.contains("904 single residue"),
        "{}",
        hotspots.version
    );
    assert!(kb
        .provenance()
        .sources
        .iter()
        .any(|s| s.license.contains("ODbL")));
}

#[test]
fn artifact_round_trip_and_curated_edits_invalidate_it() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let curated = dir.path().join("kb");
    std::fs::create_dir(&curated).expect("mkdir");
    for name in ["genes.tsv", "evidence.tsv", "variant_keys.tsv"] {
        std::fs::copy(fixtures().join("kb").join(name), curated.join(name)).expect("copy");
    }
    let mut paths = SourcePaths::from_shared_data(&data);
    paths.curated_dir = Some(curated.clone());
    let kb = tailor_kb::build(&paths).expect("build with the fixture tables");
    assert_eq!(kb.onco().counts().evidence, 6);
    let fx1 = kb.onco().evidence_by_id("FX1").expect("FX1");
    assert_eq!(fx1.origin.line, 3);
    assert!(fx1.origin.file.ends_with("evidence.tsv"));
    assert_eq!(
        kb.onco()
            .evidence_by_id("FX6")
            .map(|r| r.tumor_type.clone()),
        Some(TumorScope::Solid)
    );

    let artifact = dir.path().join("kb.bin");
    kb.write(&artifact).expect("write");
    let t = std::time::Instant::now();
    let back = KnowledgeBase::read(&artifact).expect("read");
    eprintln!("KnowledgeBase::read (debug build): {:?}", t.elapsed());
    assert_eq!(back, kb);
    assert!(back.matches_sources(&paths).expect("stamps"));

    // Editing a curated table (same size, same second) is noticed by content.
    let evidence = curated.join("evidence.tsv");
    let text = std::fs::read_to_string(&evidence).expect("read");
    std::fs::write(&evidence, text.replace("2024-10", "2024-11")).expect("edit");
    assert!(!back.matches_sources(&paths).expect("stamps"));
    let rebuilt = tailor_kb::build(&paths).expect("rebuild");
    assert_ne!(
        rebuilt.version(),
        kb.version(),
        "curated edits change the KB version"
    );

    // A validation error names the file, line and column.
    std::fs::write(&evidence, text.replace("\tMEL\t", "\tMELL\t")).expect("edit");
    let err = tailor_kb::build(&paths).expect_err("unknown code");
    assert!(matches!(err.kind(), ErrorKind::Table { .. }));
    let msg = err.to_string();
    assert!(msg.contains("evidence.tsv:3:"), "{msg}");
    assert!(
        msg.contains("unknown OncoTree code `MELL`; did you mean MEL (Melanoma)"),
        "{msg}"
    );
}

#[test]
fn civic_is_imported_only_when_given() {
    let Some(data) = shared_data() else { return };
    let mut paths = SourcePaths::from_shared_data(&data);
    paths.curated_dir = Some(fixtures().join("kb"));
    paths.civic = Some(fixtures().join("civic_evidence.tsv"));
    paths.civic_disease_map = Some(fixtures().join("civic_disease_map.tsv"));
    let kb = tailor_kb::build(&paths).expect("build with CIViC");
    let onco = kb.onco();
    let report = onco.civic_report().expect("report");
    assert_eq!(report.items, 11);
    assert_eq!(onco.civic_evidence().len(), 6);
    // Real PCGR DOID -> UMLS -> OncoTree: melanoma (DOID:1909) -> MEL, NSCLC (DOID:3908).
    let braf = &onco.civic_evidence()[0];
    assert_eq!(braf.tumor_type, TumorScope::Code("MEL".into()));
    assert_eq!(
        onco.civic_evidence()[1].tumor_type,
        TumorScope::Code("NSCLC".into())
    );
    let civic = kb
        .sources()
        .iter()
        .find(|s| s.group == SourceGroup::Civic)
        .expect("CIViC source");
    assert_eq!(
        civic.files.len(),
        3,
        "evidence, disease map, PCGR phenotypes"
    );
    assert!(
        civic.version.contains("6 evidence rows imported"),
        "{}",
        civic.version
    );
    assert!(!kb
        .matches_sources(&SourcePaths {
            civic: None,
            civic_disease_map: None,
            ..paths
        })
        .expect("stamps"));
}
