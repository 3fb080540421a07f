//! `tailor kb`: build and inspect the compiled knowledge base.

use crate::cli::{KbAction, KbArgs, KnowledgeArgs};
use anyhow::{Context, Result};
use tailor_kb::{KnowledgeBase, SourcePaths};

fn source_paths(args: &KnowledgeArgs) -> SourcePaths {
    match &args.data {
        Some(d) => SourcePaths::from_shared_data(d).with_curated_dir_from_env(),
        None => tailor_kb::default_source_paths(),
    }
}

/// Loads the knowledge base: an explicit artifact, or the cached one (rebuilt from the
/// sources when absent or stale).
pub(crate) fn load(args: &KnowledgeArgs) -> Result<KnowledgeBase> {
    match &args.kb {
        Some(path) => KnowledgeBase::read(path)
            .with_context(|| format!("loading the knowledge base {}", path.display())),
        None => {
            let cache = tailor_kb::default_cache_path();
            let (kb, _origin) = tailor_kb::load_or_build(cache.as_deref(), &source_paths(args))
                .context("loading the knowledge base (set --data or TAILOR_SHARED_DATA to the shared data folder)")?;
            Ok(kb)
        }
    }
}

pub(crate) fn run(args: KbArgs) -> Result<()> {
    match args.action {
        KbAction::Build { out, knowledge } => {
            let paths = source_paths(&knowledge);
            let kb = tailor_kb::build(&paths).context("building the knowledge base")?;
            let target = match out {
                Some(p) => p,
                None => tailor_kb::default_cache_path()
                    .context("no cache location (HOME unset); give --out")?,
            };
            if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("{}: cannot create folder", dir.display()))?;
            }
            kb.write(&target)?;
            let p = kb.provenance();
            println!(
                "knowledge base {} written to {}",
                p.kb_version,
                target.display()
            );
            for s in &p.sources {
                println!("  {} {} ({})", s.name, s.version, s.license);
            }
            print_onco_counts(&kb);
            Ok(())
        }
        KbAction::Info { knowledge } => {
            let kb = load(&knowledge)?;
            let p = kb.provenance();
            println!("knowledge base {}", p.kb_version);
            for s in &p.sources {
                println!(
                    "  {} {} sha256:{} ({})",
                    s.name,
                    s.version,
                    &s.sha256[..s.sha256.len().min(12)],
                    s.license
                );
            }
            print_onco_counts(&kb);
            Ok(())
        }
    }
}

/// One line with the sizes of the oncology knowledge.
fn print_onco_counts(kb: &KnowledgeBase) {
    let c = kb.onco().counts();
    let h = c.hotspots;
    println!(
        "  oncology: {} evidence rows, {} genes, {} variant keys, {} CIViC rows, \
         {} OncoTree nodes, hotspots {} single residue / {} in-frame indel / {} splice / {} 3D",
        c.evidence,
        c.genes,
        c.variant_keys,
        c.civic_evidence,
        c.oncotree_nodes,
        h.single_residue,
        h.inframe_indel,
        h.splice,
        h.three_d
    );
}
