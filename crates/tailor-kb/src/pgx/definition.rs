//! Named-allele definitions: the loci of a gene and the alleles defined over them.
//!
//! These mirror PharmCAT's `<GENE>_translation.json` files field for field (minus the
//! lookup tables PharmCAT derives from them, which we validate instead of storing), so
//! a matcher can reproduce PharmCAT's calls from them alone.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One gene's allele definition table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneDefinition {
    /// HGNC symbol (`CYP2C19`).
    pub gene: String,
    /// Chromosome as the definition names it (`chr10`).
    pub chromosome: String,
    /// Definition data version (`2025-11-05-00-25`).
    pub version: String,
    /// Who curated the definitions (`CLINPGX`).
    pub source: String,
    /// PharmCAT definition format version (`2`).
    pub format_version: String,
    /// When the definitions last changed upstream.
    pub modification_date: Option<String>,
    /// Genome build (`GRCh38.p14`).
    pub genome_build: String,
    /// RefSeq accession of the chromosome (`NC_000010.11`).
    pub ref_seq_chromosome_id: Option<String>,
    /// Gene orientation on the chromosome, when the source states it.
    pub orientation: Option<String>,
    /// Definition loci, strictly sorted by position.
    pub variants: Vec<VariantLocus>,
    /// Named alleles; exactly one has `reference == true`.
    pub named_alleles: Vec<NamedAllele>,
    /// Alleles defined only by their core positions (e.g. SLCO1B1 `*45`), which PharmCAT
    /// reports through their sub-alleles.
    pub hidden_core_alleles: Vec<NamedAllele>,
    /// Sub-allele name to the core allele it is reported as (`*45.001` -> `*45`).
    pub suballeles: BTreeMap<String, String>,
    /// Positions that only one named allele uses.
    pub singular_variants: Vec<u64>,
}

impl GeneDefinition {
    /// The reference named allele (validated to exist at import).
    pub fn reference_allele(&self) -> Option<&NamedAllele> {
        self.named_alleles.iter().find(|a| a.reference)
    }

    /// Index of the locus at `position`, if the definition has one there.
    pub fn locus_index(&self, position: u64) -> Option<usize> {
        self.variants
            .binary_search_by_key(&position, |v| v.position)
            .ok()
    }
}

/// One definition position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantLocus {
    /// Chromosome (`chr10`).
    pub chromosome: String,
    /// 1-based VCF position (left-aligned, with the padding base for indels).
    pub position: u64,
    /// Position in CPIC's (HGVS-style) coordinates, which differs for indels.
    pub cpic_position: u64,
    /// dbSNP identifier.
    pub rsid: Option<String>,
    /// Genomic HGVS name(s), `;`-separated for multi-allelic loci.
    pub hgvs: String,
    /// Reference allele in VCF representation.
    pub ref_allele: String,
    /// Alternate alleles in VCF representation.
    pub alts: Vec<String>,
    /// Alleles as CPIC writes them (`delTCT`, `TCAG(2)`, IUPAC codes).
    pub cpic_alleles: Vec<String>,
    /// CPIC allele spelling to VCF allele.
    pub cpic_to_vcf: BTreeMap<String, String>,
}

/// One named allele (star allele, variant name or reference haplotype).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedAllele {
    /// Name as published (`*17`, `c.1905+1G>A (*2A)`, `Reference`).
    pub name: String,
    /// ClinPGx/PharmGKB identifier.
    pub id: String,
    /// Allele per locus in VCF space; `None` = not part of the definition. May be an
    /// IUPAC ambiguity code (`R`, `S`) for single-base loci.
    pub alleles: Vec<Option<String>>,
    /// Allele per locus as CPIC writes it.
    pub cpic_alleles: Vec<Option<String>>,
    /// Whether this is the gene's reference haplotype.
    pub reference: bool,
    /// Whether the allele is a structural variant (not matchable from SNVs alone).
    pub structural_variant: bool,
    /// Positions that define the allele's core (used for hidden core alleles).
    pub core_positions: Vec<u64>,
    /// PharmCAT's match score (number of defined positions).
    pub score: u32,
    /// Number of combinations PharmCAT recorded (definition metadata).
    pub num_combinations: u32,
    /// Number of partials PharmCAT recorded (definition metadata).
    pub num_partials: u32,
}

/// Gene-specific matching rules from `exemptions.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneExemption {
    /// HGNC symbol.
    pub gene: String,
    /// Positions that must be present for the gene to be called at all (NAT2).
    pub required_positions: Vec<u64>,
    /// Loci to leave out of matching (G6PD, RYR1).
    pub ignored_positions: Vec<VariantLocus>,
    /// Extra positions to report but not match (CYP2C9 rs12777823).
    pub extra_positions: Vec<VariantLocus>,
    /// Named alleles to leave out of matching.
    pub ignored_alleles: Vec<String>,
    /// How to pick among known-ambiguous unphased diplotypes (NAT2).
    pub unphased_diplotype_priorities: Vec<UnphasedDiplotypePriority>,
    /// Alleles in the AMP tier-1 minimum testing panel.
    pub amp1_alleles: Vec<String>,
    /// Positions of the AMP tier-1 alleles.
    pub amp1_positions: Vec<u64>,
}

/// A rule for an unphased call that cannot be told apart from another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnphasedDiplotypePriority {
    /// Identifier (`*1/*6|*4/*34`).
    pub id: String,
    /// The indistinguishable diplotypes.
    pub list: Vec<String>,
    /// The diplotype to report.
    pub pick: String,
}
