//! The matcher's view of one gene's allele definitions.
//!
//! The knowledge base keeps definitions as the sources spell them (strings, IUPAC codes,
//! nulls for "not defined"). Matching millions of genotypes wants something tighter:
//! each locus gets a small table of allele strings, each named allele becomes one
//! [`AlleleSpec`] per locus, and gene-specific rules (ignored alleles, required
//! positions, lowest-function calling) become plain fields. [`GeneModel`] is built once
//! per run and shared by every sample.

use std::collections::BTreeSet;

/// One variant position of a gene definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locus {
    /// Chromosome as the definition names it (`chr10`).
    pub chromosome: String,
    /// 1-based VCF position.
    pub position: u64,
    /// dbSNP identifier.
    pub rsid: Option<String>,
    /// Reference allele in VCF representation.
    pub ref_allele: String,
    /// Alternate alleles in VCF representation.
    pub alts: Vec<String>,
}

impl Locus {
    /// The locus's documented alleles: reference first, then the alternates.
    pub fn documented_alleles(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.ref_allele.as_str()).chain(self.alts.iter().map(String::as_str))
    }
}

/// What a named allele requires at one locus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlleleSpec {
    /// Not part of the definition: any sample allele is accepted.
    Any,
    /// Exactly this VCF allele.
    Exact(String),
    /// An IUPAC ambiguity code (e.g. `R` = A or G): any of these single bases.
    Wobble(Vec<String>),
}

impl AlleleSpec {
    /// Parses a definition cell (`None` = not defined).
    pub fn from_definition(cell: Option<&str>) -> Self {
        match cell {
            None => Self::Any,
            Some(s) if s.len() == 1 => match iupac_bases(s.as_bytes()[0]) {
                Some(bases) if bases.len() > 1 => {
                    Self::Wobble(bases.iter().map(|b| (*b as char).to_string()).collect())
                }
                _ => Self::Exact(s.to_string()),
            },
            Some(s) => Self::Exact(s.to_string()),
        }
    }

    /// Whether a sample allele satisfies this spec.
    pub fn accepts(&self, allele: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Exact(a) => a == allele,
            Self::Wobble(bases) => bases.iter().any(|b| b == allele),
        }
    }

    /// Whether the definition says anything at this locus.
    pub fn is_defined(&self) -> bool {
        !matches!(self, Self::Any)
    }
}

/// Bases an IUPAC nucleotide code stands for.
pub fn iupac_bases(code: u8) -> Option<&'static [u8]> {
    Some(match code.to_ascii_uppercase() {
        b'A' => b"A",
        b'C' => b"C",
        b'G' => b"G",
        b'T' => b"T",
        b'R' => b"AG",
        b'Y' => b"CT",
        b'S' => b"CG",
        b'W' => b"AT",
        b'K' => b"GT",
        b'M' => b"AC",
        b'B' => b"CGT",
        b'D' => b"AGT",
        b'H' => b"ACT",
        b'V' => b"ACG",
        b'N' => b"ACGT",
        _ => return None,
    })
}

/// A named allele (star allele, variant name or reference haplotype).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedAlleleModel {
    /// Name as published (`*17`, `c.1905+1G>A`, `Reference`).
    pub name: String,
    /// Whether this is the gene's reference haplotype.
    pub reference: bool,
    /// One spec per locus of the gene, in locus order.
    pub alleles: Vec<AlleleSpec>,
}

/// How the gene's calls are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallingMode {
    /// Diplotype matching with missing definition cells taken as reference.
    Diplotype,
    /// Genes whose named alleles are single variants and whose phenotype follows the
    /// lowest-function alleles (DPYD, RYR1): unphased samples are reported as the list
    /// of variant alleles found, phased ones as combinations per strand.
    LowestFunction,
}

/// An unphased-ambiguity resolution rule (NAT2): when the candidates are exactly
/// `candidates`, report `pick`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnphasedPriority {
    /// The ambiguous diplotype labels, as a set.
    pub candidates: BTreeSet<String>,
    /// The label to report.
    pub pick: String,
}

/// Everything the matcher needs for one gene.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneModel {
    /// HGNC symbol.
    pub gene: String,
    /// Chromosome (`chr10`).
    pub chromosome: String,
    /// Definition loci, sorted by position.
    pub loci: Vec<Locus>,
    /// Named alleles, reference first, then in the definition's natural order.
    pub alleles: Vec<NamedAlleleModel>,
    /// Positions (indices into `loci`) whose sample data must not influence calls
    /// (PharmCAT exemptions): the sample is read as reference there.
    pub ignored_loci: BTreeSet<usize>,
    /// Loci that must be present for a call (NAT2); a missing one makes the gene
    /// uncallable.
    pub required_loci: BTreeSet<usize>,
    /// Unphased tie-break rules.
    pub unphased_priorities: Vec<UnphasedPriority>,
    /// Whether an allele at a locus that no definition documents is read as the
    /// reference (with a warning) instead of blocking the call.
    pub undocumented_as_reference: bool,
    /// Calling mode.
    pub mode: CallingMode,
}

impl GeneModel {
    /// One allele table per locus holding only the definition's own alleles: what every
    /// read starts from, and what [`crate::matcher::CompiledGene`] is compiled against
    /// once per engine.
    pub fn documented_tables(&self) -> Vec<crate::genotype::AlleleTable> {
        self.loci
            .iter()
            .map(|l| crate::genotype::AlleleTable::new(l.documented_alleles()))
            .collect()
    }

    /// Index of the reference named allele.
    pub fn reference_index(&self) -> Option<usize> {
        self.alleles.iter().position(|a| a.reference)
    }
}

/// Genes whose undocumented alleles are read as reference (PharmCAT 3 semantics: the
/// definitions of these genes list only known pathogenic or deficiency variants).
pub const UNDOCUMENTED_AS_REFERENCE: &[&str] =
    &["CACNA1S", "DPYD", "G6PD", "NUDT15", "RYR1", "TPMT"];

/// Genes called by the lowest-function rule.
pub const LOWEST_FUNCTION_GENES: &[&str] = &["DPYD", "RYR1"];

/// Compares allele names the way people read them: `*2` < `*10` < `*10.002`,
/// `c.61C>T` < `c.1905+1G>A` by the digits' value.
pub fn compare_allele_names(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (&x[..nx], &y[..ny]);
                let tx = trim_zeros(dx);
                let ty = trim_zeros(dy);
                let ord = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|c| **c == b'0').count();
    if n == d.len() && n > 0 {
        &d[n - 1..]
    } else {
        &d[n..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn natural_order_of_star_alleles() {
        assert_eq!(compare_allele_names("*2", "*10"), Ordering::Less);
        assert_eq!(compare_allele_names("*10", "*9"), Ordering::Greater);
        assert_eq!(compare_allele_names("*1", "*1.001"), Ordering::Less);
        assert_eq!(
            compare_allele_names("c.61C>T", "c.1905+1G>A"),
            Ordering::Less
        );
        assert_eq!(compare_allele_names("*4", "*4"), Ordering::Equal);
    }

    #[test]
    fn wobble_specs_accept_their_bases() {
        let r = AlleleSpec::from_definition(Some("R"));
        assert!(r.accepts("A") && r.accepts("G") && !r.accepts("C"));
        assert!(AlleleSpec::from_definition(Some("A")).accepts("A"));
        assert!(AlleleSpec::from_definition(None).accepts("anything"));
        assert!(!AlleleSpec::from_definition(Some("CAT")).accepts("C"));
    }
}

/// A definition that cannot be turned into a matcher model.
#[derive(Debug, thiserror::Error)]
#[error("allele definition for {gene}: {message}")]
pub struct ModelError {
    /// The gene.
    pub gene: String,
    /// What is wrong.
    pub message: String,
}

impl GeneModel {
    /// Builds the matcher model of a gene from its knowledge-base definition and
    /// exemptions.
    pub fn from_definition(
        def: &tailor_kb::pgx::GeneDefinition,
        exemption: Option<&tailor_kb::pgx::GeneExemption>,
    ) -> Result<Self, ModelError> {
        let err = |message: String| ModelError {
            gene: def.gene.clone(),
            message,
        };
        let loci: Vec<Locus> = def
            .variants
            .iter()
            .map(|v| Locus {
                chromosome: v.chromosome.clone(),
                position: v.position,
                rsid: v.rsid.clone(),
                ref_allele: v.ref_allele.clone(),
                alts: v.alts.clone(),
            })
            .collect();
        if loci.windows(2).any(|w| w[0].position > w[1].position) {
            return Err(err("variant positions are not sorted".into()));
        }
        let ignored_names: BTreeSet<String> = exemption
            .map(|e| e.ignored_alleles.iter().map(|a| a.to_lowercase()).collect())
            .unwrap_or_default();
        let mut alleles = Vec::new();
        for a in &def.named_alleles {
            if ignored_names.contains(&a.name.to_lowercase()) {
                continue;
            }
            if a.alleles.len() != loci.len() {
                return Err(err(format!(
                    "allele {} has {} cells for {} variants",
                    a.name,
                    a.alleles.len(),
                    loci.len()
                )));
            }
            alleles.push(NamedAlleleModel {
                name: a.name.clone(),
                reference: a.reference,
                alleles: a
                    .alleles
                    .iter()
                    .map(|c| AlleleSpec::from_definition(c.as_deref()))
                    .collect(),
            });
        }
        alleles.sort_by(|x, y| {
            y.reference
                .cmp(&x.reference)
                .then_with(|| compare_allele_names(&x.name, &y.name))
        });
        if !alleles.iter().any(|a| a.reference) {
            return Err(err("no reference allele".into()));
        }
        let position_index = |p: u64| loci.iter().position(|l| l.position == p);
        let mut ignored_loci = BTreeSet::new();
        let mut required_loci = BTreeSet::new();
        let mut unphased_priorities = Vec::new();
        if let Some(e) = exemption {
            // An ignored position names a variant, not just a coordinate: another
            // variant may start at the same position (G6PD 154532990 is both a
            // deletion the exemptions ignore and the Chatham SNP).
            for v in &e.ignored_positions {
                if let Some(i) = loci
                    .iter()
                    .position(|l| l.position == v.position && l.ref_allele == v.ref_allele)
                {
                    ignored_loci.insert(i);
                }
            }
            for p in &e.required_positions {
                match position_index(*p) {
                    Some(i) => {
                        required_loci.insert(i);
                    }
                    None => return Err(err(format!("required position {p} is not a variant"))),
                }
            }
            for u in &e.unphased_diplotype_priorities {
                unphased_priorities.push(UnphasedPriority {
                    candidates: u.list.iter().cloned().collect(),
                    pick: u.pick.clone(),
                });
            }
        }
        Ok(Self {
            gene: def.gene.clone(),
            chromosome: def.chromosome.clone(),
            loci,
            alleles,
            ignored_loci,
            required_loci,
            unphased_priorities,
            undocumented_as_reference: UNDOCUMENTED_AS_REFERENCE.contains(&def.gene.as_str()),
            mode: if LOWEST_FUNCTION_GENES.contains(&def.gene.as_str()) {
                CallingMode::LowestFunction
            } else {
                CallingMode::Diplotype
            },
        })
    }
}
