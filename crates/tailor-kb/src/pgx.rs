//! The pharmacogenomics part of the knowledge base: allele definitions, matching
//! exemptions, phenotype tables and CPIC/DPWG guidelines.

pub mod definition;
pub mod guideline;
pub(crate) mod import;
pub mod phenotype;

pub use definition::{
    GeneDefinition, GeneExemption, NamedAllele, UnphasedDiplotypePriority, VariantLocus,
};
pub use guideline::{Accession, Citation, GuidelinePackage, LookupValue, Recommendation};
pub use phenotype::{
    diplotype_key, DiplotypeKey, DiplotypeRecord, DiplotypeRowSource, GenePhenotype,
    GuidelineSource, HaplotypeRecord, PhenotypeOrigin, TableProblem,
};

use crate::source::{sha256_hex, Listed, SourceFile, SourceGroup};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Everything Tailor knows about pharmacogenes, compiled from PharmCAT's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PgxKnowledge {
    definitions: Vec<GeneDefinition>,
    exemptions: Vec<GeneExemption>,
    phenotype_tables: Vec<GenePhenotype>,
    /// Gene -> index into `phenotype_tables`, per guideline source, sorted by gene.
    cpic_tables: Vec<(String, u32)>,
    dpwg_tables: Vec<(String, u32)>,
    guidelines: Vec<GuidelinePackage>,
}

/// Sizes of the PGx knowledge, for reports and sanity checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PgxCounts {
    /// Genes with allele definitions.
    pub genes: usize,
    /// Definition loci over all genes.
    pub loci: usize,
    /// Named alleles over all genes (hidden core alleles not counted).
    pub named_alleles: usize,
    /// Phenotype tables over all origins.
    pub phenotype_tables: usize,
    /// CPIC guideline annotations.
    pub cpic_guidelines: usize,
    /// DPWG guideline annotations.
    pub dpwg_guidelines: usize,
    /// Recommendation rows over all guidelines.
    pub recommendations: usize,
}

impl PgxKnowledge {
    /// Assembles PGx knowledge from its parts and resolves which phenotype table serves
    /// each gene per guideline source: for CPIC the newest CPIC-style table (PharmCAT
    /// 3.1.1, then the RYR1/G6PD supplement, then 2.12.0); for DPWG the DPWG table, or
    /// the CPIC one when DPWG has none (PharmCAT does the same for genes DPWG does not
    /// tabulate separately).
    ///
    /// Public so that tests in other crates can build small fixtures.
    pub fn new(
        mut definitions: Vec<GeneDefinition>,
        mut exemptions: Vec<GeneExemption>,
        mut phenotype_tables: Vec<GenePhenotype>,
        mut guidelines: Vec<GuidelinePackage>,
    ) -> Self {
        definitions.sort_by(|a, b| a.gene.cmp(&b.gene));
        exemptions.sort_by(|a, b| a.gene.cmp(&b.gene));
        phenotype_tables.sort_by(|a, b| (&a.gene, a.origin).cmp(&(&b.gene, b.origin)));
        guidelines.sort_by(|a, b| (a.source, &a.name).cmp(&(b.source, &b.name)));

        let mut cpic: BTreeMap<String, u32> = BTreeMap::new();
        let mut dpwg: BTreeMap<String, u32> = BTreeMap::new();
        // Tables are sorted by (gene, origin) and origin order is precedence, so the
        // first table seen for a gene and source wins.
        for (i, t) in phenotype_tables.iter().enumerate() {
            let idx = u32::try_from(i).unwrap_or(u32::MAX);
            let view = match t.origin.source() {
                GuidelineSource::Cpic => &mut cpic,
                GuidelineSource::Dpwg => &mut dpwg,
            };
            view.entry(t.gene.clone()).or_insert(idx);
        }
        for (gene, idx) in &cpic {
            dpwg.entry(gene.clone()).or_insert(*idx);
        }
        Self {
            definitions,
            exemptions,
            phenotype_tables,
            cpic_tables: cpic.into_iter().collect(),
            dpwg_tables: dpwg.into_iter().collect(),
            guidelines,
        }
    }

    /// Allele definitions, sorted by gene.
    pub fn definitions(&self) -> &[GeneDefinition] {
        &self.definitions
    }

    /// The allele definition of one gene.
    pub fn definition(&self, gene: &str) -> Option<&GeneDefinition> {
        self.definitions
            .binary_search_by(|d| d.gene.as_str().cmp(gene))
            .ok()
            .and_then(|i| self.definitions.get(i))
    }

    /// Name of a gene's reference allele (`*1`, `Reference`, `B (reference)`).
    pub fn reference_allele(&self, gene: &str) -> Option<&str> {
        self.definition(gene)
            .and_then(GeneDefinition::reference_allele)
            .map(|a| a.name.as_str())
    }

    /// Matching exemptions, sorted by gene.
    pub fn exemptions(&self) -> &[GeneExemption] {
        &self.exemptions
    }

    /// The matching exemptions of one gene.
    pub fn exemption(&self, gene: &str) -> Option<&GeneExemption> {
        self.exemptions
            .binary_search_by(|e| e.gene.as_str().cmp(gene))
            .ok()
            .and_then(|i| self.exemptions.get(i))
    }

    /// Every phenotype table, including those superseded by newer ones.
    pub fn phenotype_tables(&self) -> &[GenePhenotype] {
        &self.phenotype_tables
    }

    /// The phenotype table that serves `gene` for recommendations from `source`.
    pub fn phenotype(&self, source: GuidelineSource, gene: &str) -> Option<&GenePhenotype> {
        let view = match source {
            GuidelineSource::Cpic => &self.cpic_tables,
            GuidelineSource::Dpwg => &self.dpwg_tables,
        };
        view.binary_search_by(|(g, _)| g.as_str().cmp(gene))
            .ok()
            .and_then(|i| view.get(i))
            .and_then(|(_, idx)| self.phenotype_tables.get(*idx as usize))
    }

    /// Guidelines, sorted by source then name.
    pub fn guidelines(&self) -> &[GuidelinePackage] {
        &self.guidelines
    }

    /// Sizes of the knowledge.
    pub fn counts(&self) -> PgxCounts {
        PgxCounts {
            genes: self.definitions.len(),
            loci: self.definitions.iter().map(|d| d.variants.len()).sum(),
            named_alleles: self.definitions.iter().map(|d| d.named_alleles.len()).sum(),
            phenotype_tables: self.phenotype_tables.len(),
            cpic_guidelines: self
                .guidelines
                .iter()
                .filter(|g| g.source == GuidelineSource::Cpic)
                .count(),
            dpwg_guidelines: self
                .guidelines
                .iter()
                .filter(|g| g.source == GuidelineSource::Dpwg)
                .count(),
            recommendations: self
                .guidelines
                .iter()
                .map(|g| g.recommendations.len())
                .sum(),
        }
    }
}

/// What importing the PGx sources produced besides the knowledge itself.
pub(crate) struct Imported {
    pub(crate) pgx: PgxKnowledge,
    pub(crate) files: Vec<SourceFile>,
    /// Data versions found in each group's files.
    pub(crate) versions: BTreeMap<SourceGroup, BTreeSet<String>>,
}

fn read(listed: &Listed) -> Result<Vec<u8>, Error> {
    std::fs::read(&listed.path).map_err(|e| Error::io(&listed.path, "read", e))
}

/// Reads, checks and converts every listed PGx source file.
pub(crate) fn import_all(listed: &[Listed]) -> Result<Imported, Error> {
    let mut files = Vec::with_capacity(listed.len());
    let mut versions: BTreeMap<SourceGroup, BTreeSet<String>> = BTreeMap::new();
    let mut definitions: Vec<GeneDefinition> = Vec::new();
    let mut exemption_files = Vec::new();
    let mut tables: Vec<GenePhenotype> = Vec::new();
    let mut guidelines = Vec::new();

    for l in listed {
        let bytes = read(l)?;
        files.push(SourceFile {
            group: l.group,
            path: l.rel.clone(),
            sha256: sha256_hex(&bytes),
            bytes: bytes.len() as u64,
        });
        let group_versions = versions.entry(l.group).or_default();
        match l.group {
            SourceGroup::Definitions => {
                let def = import::definition(&l.path, &bytes)?;
                if definitions.iter().any(|d| d.gene == def.gene) {
                    return Err(Error::invalid(
                        &l.path,
                        "gene",
                        format!("second definition file for {}", def.gene),
                    ));
                }
                group_versions.insert(def.version.clone());
                definitions.push(def);
            }
            SourceGroup::Exemptions => exemption_files.push((l, bytes)),
            SourceGroup::Phenotypes311
            | SourceGroup::PhenotypesSupplement
            | SourceGroup::Phenotypes2120Cpic
            | SourceGroup::Phenotypes2120Dpwg => {
                let origin = match l.group {
                    SourceGroup::Phenotypes311 => PhenotypeOrigin::PharmCat311,
                    SourceGroup::PhenotypesSupplement => PhenotypeOrigin::Supplement,
                    SourceGroup::Phenotypes2120Cpic => PhenotypeOrigin::PharmCat2120Cpic,
                    _ => PhenotypeOrigin::PharmCat2120Dpwg,
                };
                let table = import::phenotype(&l.path, &bytes, origin)?;
                if tables
                    .iter()
                    .any(|t| t.gene == table.gene && t.origin == origin)
                {
                    return Err(Error::invalid(
                        &l.path,
                        "gene",
                        format!("second {origin:?} phenotype table for {}", table.gene),
                    ));
                }
                group_versions.insert(table.version.clone());
                tables.push(table);
            }
            SourceGroup::GuidelinesCpic | SourceGroup::GuidelinesDpwg => {
                let g = import::guideline(&l.path, &bytes)?;
                let expected = if l.group == SourceGroup::GuidelinesCpic {
                    GuidelineSource::Cpic
                } else {
                    GuidelineSource::Dpwg
                };
                if g.source != expected {
                    return Err(Error::invalid(
                        &l.path,
                        "guideline.source",
                        format!(
                            "file name says {} but the guideline says {}",
                            expected.as_str(),
                            g.source.as_str()
                        ),
                    ));
                }
                group_versions.insert(g.data_version.clone());
                guidelines.push(g);
            }
            SourceGroup::TailorCurated
            | SourceGroup::OncoTree
            | SourceGroup::CancerHotspots
            | SourceGroup::Civic
            | SourceGroup::Transcripts => {
                // `list_sources` lists PGx files only; oncology inputs go through
                // `onco::import`.
                return Err(Error::invalid(
                    &l.path,
                    ".",
                    "an oncology source was listed among the pharmacogenomics sources",
                ));
            }
        }
    }

    let mut exemptions = Vec::new();
    for (l, bytes) in exemption_files {
        exemptions.extend(import::exemptions(&l.path, &bytes, &definitions)?);
    }

    Ok(Imported {
        pgx: PgxKnowledge::new(definitions, exemptions, tables, guidelines),
        files,
        versions,
    })
}

/// Reads one named-allele definition file (PharmCAT's `<GENE>_translation.json`
/// format) outside a knowledge-base build: for custom or test definitions.
pub fn read_definition_file(path: &std::path::Path) -> Result<GeneDefinition, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
    import::definition(path, &bytes)
}
