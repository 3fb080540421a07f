//! The engines of one knowledge base, built once and shared.
//!
//! Building an engine is per-knowledge-base work: the PGx engine compiles every gene
//! definition into a matching model, the somatic engine indexes the evidence rows by
//! gene and the curated variant keys by genomic position, and the exon model is decoded
//! and checksum-verified. A server, a cohort run or a CDS service would repeat that on
//! every request; [`Engines`] does it once and is then only read, from any number of
//! threads (`Send + Sync`).
//!
//! It owns its knowledge base (behind an `Arc`, so the caller may keep a handle) and the
//! engines that borrow from it; `self_cell` ties the two together so that no lifetime
//! leaks into the caller's state, as an axum `State` or a worker pool needs.

use std::sync::Arc;

use tailor_kb::KnowledgeBase;
use tailor_onco::engine::{OncoEngine, OncoOptions};
use tailor_pgx::engine::PgxEngine;

use crate::InterpretError;

/// The two engines over one knowledge base.
struct EngineSet<'kb> {
    pgx: PgxEngine<'kb>,
    onco: OncoEngine<'kb>,
}

self_cell::self_cell!(
    /// A knowledge base and the engines that borrow from it.
    struct EngineCell {
        owner: Arc<KnowledgeBase>,
        #[covariant]
        dependent: EngineSet,
    }
);

/// The PGx and somatic engines of one knowledge base, built once, shared read-only.
///
/// ```no_run
/// use std::sync::Arc;
/// use tailor_interpret::{interpret_manifest, Engines, InterpretOptions};
///
/// let kb = tailor_kb::KnowledgeBase::read(std::path::Path::new("kb.bin"))?;
/// let engines = Engines::new(Arc::new(kb))?;
/// let case = tailor_case::CaseManifest::from_path(std::path::Path::new("case.yaml"))?;
/// // Every call reuses the compiled models and indexes.
/// let first = interpret_manifest(&case, &engines, &InterpretOptions::default())?;
/// let again = interpret_manifest(&case, &engines, &InterpretOptions::default())?;
/// assert_eq!(first.summary.len(), again.summary.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Engines {
    cell: EngineCell,
}

impl Engines {
    /// Builds both engines and decodes the exon model. Fails when the knowledge base
    /// holds a gene definition that does not compile or an exon model that does not
    /// verify: faults of the knowledge base, not of any case.
    pub fn new(kb: Arc<KnowledgeBase>) -> Result<Self, InterpretError> {
        // Decoded here, once, rather than inside the first somatic request.
        kb.transcripts()?;
        let cell = EngineCell::try_new(kb, |kb| {
            let pgx = PgxEngine::new(kb.pgx()).map_err(InterpretError::PgxModels)?;
            // Likewise the gene models compiled against their documented alleles, and
            // where their positions are.
            pgx.documented();
            pgx.positions();
            Ok::<_, InterpretError>(EngineSet {
                pgx,
                onco: OncoEngine::new(kb.onco(), OncoOptions::default()),
            })
        })?;
        Ok(Self { cell })
    }

    /// The knowledge base the engines were built from.
    pub fn kb(&self) -> &KnowledgeBase {
        self.cell.borrow_owner()
    }

    /// A handle on the knowledge base, for a caller that outlives these engines.
    pub fn kb_handle(&self) -> Arc<KnowledgeBase> {
        Arc::clone(self.cell.borrow_owner())
    }

    /// The pharmacogenomics engine (compiled gene models).
    pub fn pgx(&self) -> &PgxEngine<'_> {
        &self.cell.borrow_dependent().pgx
    }

    /// The somatic engine (evidence and variant-key indexes), with default options.
    pub fn onco(&self) -> &OncoEngine<'_> {
        &self.cell.borrow_dependent().onco
    }
}

impl std::fmt::Debug for Engines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engines")
            .field("kb_version", &self.kb().version())
            .field("pgx_genes", &self.pgx().models().len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_can_be_shared_across_threads() {
        fn shared<T: Send + Sync + 'static>() {}
        shared::<Engines>();
    }
}
