//! Importers for PharmCAT's JSON files: parse into private raw shapes (so a bad file is
//! reported with its JSON path), then validate and convert into the typed model.

use super::definition::{
    GeneDefinition, GeneExemption, NamedAllele, UnphasedDiplotypePriority, VariantLocus,
};
use super::guideline::{Accession, Citation, GuidelinePackage, LookupValue, Recommendation};
use super::phenotype::{
    DiplotypeKey, DiplotypeRowSource, GenePhenotype, GuidelineSource, HaplotypeRecord,
    PhenotypeOrigin, TableProblem,
};
use crate::Error;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Parses JSON, reporting the JSON path of the first value that does not fit.
pub(crate) fn parse_json<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let json_path = e.path().to_string();
        Error::json(path, json_path, e.into_inner().to_string())
    })?;
    de.end()
        .map_err(|e| Error::json(path, ".", format!("trailing content: {e}")))?;
    Ok(value)
}

/// Reads `null` as the empty value: upstream files write `null` for an empty list in a
/// few places (e.g. one CYP2D6 `corePositions`), which means the same as `[]`.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

// ---------------------------------------------------------------------------------------
// Allele definitions

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDefinition {
    format_version: String,
    source: String,
    version: String,
    #[serde(default)]
    modification_date: Option<String>,
    gene: String,
    #[serde(default)]
    orientation: Option<String>,
    chromosome: String,
    genome_build: String,
    #[serde(default)]
    ref_seq_chromosome_id: Option<String>,
    variants: Vec<RawLocus>,
    named_alleles: Vec<RawNamedAllele>,
    #[serde(default, deserialize_with = "null_as_default")]
    singular_variants: Vec<u64>,
    #[serde(default)]
    position_to_locus: Option<BTreeMap<String, usize>>,
    #[serde(default, deserialize_with = "null_as_default")]
    hidden_core_alleles: Vec<RawNamedAllele>,
    #[serde(default, deserialize_with = "null_as_default")]
    suballeles_map: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLocus {
    chromosome: String,
    position: u64,
    cpic_position: u64,
    #[serde(default)]
    rsid: Option<String>,
    chromosome_hgvs_name: String,
    cpic_alleles: Vec<String>,
    cpic_to_vcf_allele_map: BTreeMap<String, String>,
    #[serde(rename = "ref")]
    ref_allele: String,
    alts: Vec<String>,
}

impl From<RawLocus> for VariantLocus {
    fn from(r: RawLocus) -> Self {
        Self {
            chromosome: r.chromosome,
            position: r.position,
            cpic_position: r.cpic_position,
            rsid: r.rsid,
            hgvs: r.chromosome_hgvs_name,
            ref_allele: r.ref_allele,
            alts: r.alts,
            cpic_alleles: r.cpic_alleles,
            cpic_to_vcf: r.cpic_to_vcf_allele_map,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNamedAllele {
    name: String,
    id: String,
    alleles: Vec<Option<String>>,
    cpic_alleles: Vec<Option<String>>,
    reference: bool,
    #[serde(default)]
    structural_variant: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    core_positions: Vec<u64>,
    #[serde(default)]
    score: u32,
    #[serde(default)]
    num_combinations: u32,
    #[serde(default)]
    num_partials: u32,
}

impl From<RawNamedAllele> for NamedAllele {
    fn from(r: RawNamedAllele) -> Self {
        Self {
            name: r.name,
            id: r.id,
            alleles: r.alleles,
            cpic_alleles: r.cpic_alleles,
            reference: r.reference,
            structural_variant: r.structural_variant,
            core_positions: r.core_positions,
            score: r.score,
            num_combinations: r.num_combinations,
            num_partials: r.num_partials,
        }
    }
}

/// Bases an IUPAC nucleotide code stands for (upper case only, as definitions write them).
fn iupac_bases(code: &str) -> Option<&'static str> {
    Some(match code {
        "A" => "A",
        "C" => "C",
        "G" => "G",
        "T" => "T",
        "R" => "AG",
        "Y" => "CT",
        "S" => "CG",
        "W" => "AT",
        "K" => "GT",
        "M" => "AC",
        "B" => "CGT",
        "D" => "AGT",
        "H" => "ACT",
        "V" => "ACG",
        "N" => "ACGT",
        _ => return None,
    })
}

/// Whether a definition cell may stand for `allele` (exactly, or as an IUPAC code).
fn cell_covers(cell: &str, allele: &str) -> bool {
    cell == allele
        || (allele.len() == 1 && iupac_bases(cell).is_some_and(|bases| bases.contains(allele)))
}

/// Imports one `<GENE>_translation.json`.
pub(crate) fn definition(path: &Path, bytes: &[u8]) -> Result<GeneDefinition, Error> {
    let raw: RawDefinition = parse_json(path, bytes)?;
    let n = raw.variants.len();

    if let Some(stem) = path
        .file_name()
        .and_then(|f| f.to_str())
        .and_then(|f| f.strip_suffix("_translation.json"))
    {
        if stem.replace('_', "-") != raw.gene {
            return Err(Error::invalid(
                path,
                "gene",
                format!("file is named for {stem} but defines gene {}", raw.gene),
            ));
        }
    }
    if n == 0 {
        return Err(Error::invalid(path, "variants", "no variant loci defined"));
    }
    for (i, w) in raw.variants.windows(2).enumerate() {
        if w[0].position >= w[1].position {
            return Err(Error::invalid(
                path,
                format!("variants[{}].position", i + 1),
                format!(
                    "positions must be strictly increasing, found {} after {}",
                    w[1].position, w[0].position
                ),
            ));
        }
    }
    for (i, v) in raw.variants.iter().enumerate() {
        if v.chromosome != raw.chromosome {
            return Err(Error::invalid(
                path,
                format!("variants[{i}].chromosome"),
                format!(
                    "expected {} (the gene's chromosome), found {}",
                    raw.chromosome, v.chromosome
                ),
            ));
        }
        if v.ref_allele.is_empty() {
            return Err(Error::invalid(
                path,
                format!("variants[{i}].ref"),
                "empty reference allele",
            ));
        }
        for (cpic, vcf) in &v.cpic_to_vcf_allele_map {
            if vcf != &v.ref_allele && !v.alts.contains(vcf) {
                return Err(Error::invalid(
                    path,
                    format!("variants[{i}].cpicToVcfAlleleMap[\"{cpic}\"]"),
                    format!(
                        "maps to {vcf}, which is neither the reference {} nor an alt {:?}",
                        v.ref_allele, v.alts
                    ),
                ));
            }
        }
    }
    if let Some(p2l) = &raw.position_to_locus {
        for (pos, idx) in p2l {
            let ok = raw
                .variants
                .get(*idx)
                .is_some_and(|v| v.position.to_string() == *pos);
            if !ok {
                return Err(Error::invalid(
                    path,
                    format!("positionToLocus[\"{pos}\"]"),
                    format!("points to locus {idx}, which is not at position {pos}"),
                ));
            }
        }
    }

    let check_allele = |field: &str, i: usize, a: &RawNamedAllele| -> Result<(), Error> {
        if a.alleles.len() != n {
            return Err(Error::invalid(
                path,
                format!("{field}[{i}].alleles"),
                format!(
                    "{} has {} alleles, expected one per locus ({n})",
                    a.name,
                    a.alleles.len()
                ),
            ));
        }
        if a.cpic_alleles.len() != n {
            return Err(Error::invalid(
                path,
                format!("{field}[{i}].cpicAlleles"),
                format!(
                    "{} has {} CPIC alleles, expected one per locus ({n})",
                    a.name,
                    a.cpic_alleles.len()
                ),
            ));
        }
        for (j, cell) in a.alleles.iter().enumerate() {
            let Some(cell) = cell else { continue };
            let v = &raw.variants[j];
            let documented = cell == &v.ref_allele
                || v.alts.contains(cell)
                || (cell.len() == 1 && iupac_bases(cell).is_some());
            if !documented {
                return Err(Error::invalid(
                    path,
                    format!("{field}[{i}].alleles[{j}]"),
                    format!(
                        "{} has allele {cell} at {}:{}, which is neither the reference {}, \
                         an alt {:?} nor an IUPAC code",
                        a.name, v.chromosome, v.position, v.ref_allele, v.alts
                    ),
                ));
            }
        }
        Ok(())
    };

    let mut names = BTreeSet::new();
    for (i, a) in raw.named_alleles.iter().enumerate() {
        check_allele("namedAlleles", i, a)?;
        if !names.insert(a.name.as_str()) {
            return Err(Error::invalid(
                path,
                format!("namedAlleles[{i}].name"),
                format!("duplicate allele name {}", a.name),
            ));
        }
    }
    for (i, a) in raw.hidden_core_alleles.iter().enumerate() {
        check_allele("hiddenCoreAlleles", i, a)?;
    }
    let refs: Vec<usize> = raw
        .named_alleles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.reference)
        .map(|(i, _)| i)
        .collect();
    let [ref_index] = refs.as_slice() else {
        return Err(Error::invalid(
            path,
            "namedAlleles",
            format!(
                "expected exactly one reference allele, found {}",
                refs.len()
            ),
        ));
    };
    let reference = &raw.named_alleles[*ref_index];
    for (j, cell) in reference.alleles.iter().enumerate() {
        let v = &raw.variants[j];
        let ok = cell
            .as_deref()
            .is_some_and(|c| cell_covers(c, &v.ref_allele));
        if !ok {
            return Err(Error::invalid(
                path,
                format!("namedAlleles[{ref_index}].alleles[{j}]"),
                format!(
                    "reference allele {} has {:?} at {}:{}, which does not cover the locus \
                     reference {}",
                    reference.name, cell, v.chromosome, v.position, v.ref_allele
                ),
            ));
        }
    }
    let hidden: BTreeSet<&str> = raw
        .hidden_core_alleles
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    for (sub, core) in &raw.suballeles_map {
        if !names.contains(sub.as_str()) {
            return Err(Error::invalid(
                path,
                format!("suballelesMap[\"{sub}\"]"),
                format!("sub-allele {sub} is not a named allele"),
            ));
        }
        if !hidden.contains(core.as_str()) && !names.contains(core.as_str()) {
            return Err(Error::invalid(
                path,
                format!("suballelesMap[\"{sub}\"]"),
                format!("core allele {core} is neither a named nor a hidden core allele"),
            ));
        }
    }

    Ok(GeneDefinition {
        gene: raw.gene,
        chromosome: raw.chromosome,
        version: raw.version,
        source: raw.source,
        format_version: raw.format_version,
        modification_date: raw.modification_date,
        genome_build: raw.genome_build,
        ref_seq_chromosome_id: raw.ref_seq_chromosome_id,
        orientation: raw.orientation,
        variants: raw.variants.into_iter().map(Into::into).collect(),
        named_alleles: raw.named_alleles.into_iter().map(Into::into).collect(),
        hidden_core_alleles: raw
            .hidden_core_alleles
            .into_iter()
            .map(Into::into)
            .collect(),
        suballeles: raw.suballeles_map,
        singular_variants: raw.singular_variants,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExemption {
    gene: String,
    #[serde(default, deserialize_with = "null_as_default")]
    required_positions: Vec<u64>,
    #[serde(default, deserialize_with = "null_as_default")]
    ignored_positions: Vec<RawLocus>,
    #[serde(default, deserialize_with = "null_as_default")]
    extra_positions: Vec<RawLocus>,
    #[serde(default, deserialize_with = "null_as_default")]
    ignored_alleles: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    unphased_diplotype_priorities: Vec<RawPriority>,
    #[serde(default, deserialize_with = "null_as_default")]
    amp1_alleles: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    amp1_positions: Vec<u64>,
}

#[derive(Deserialize)]
struct RawPriority {
    id: String,
    list: Vec<String>,
    pick: String,
}

/// Imports `exemptions.json`, cross-checked against the definitions it refers to.
pub(crate) fn exemptions(
    path: &Path,
    bytes: &[u8],
    definitions: &[GeneDefinition],
) -> Result<Vec<GeneExemption>, Error> {
    let raw: BTreeMap<String, RawExemption> = parse_json(path, bytes)?;
    let mut out = Vec::with_capacity(raw.len());
    for (key, e) in raw {
        if key != e.gene {
            return Err(Error::invalid(
                path,
                format!("{key}.gene"),
                format!("entry {key} names gene {}", e.gene),
            ));
        }
        let Some(def) = definitions.iter().find(|d| d.gene == e.gene) else {
            return Err(Error::invalid(
                path,
                key.as_str(),
                format!("exemption for {}, which has no allele definition", e.gene),
            ));
        };
        for (i, p) in e.required_positions.iter().enumerate() {
            if def.locus_index(*p).is_none() {
                return Err(Error::invalid(
                    path,
                    format!("{key}.requiredPositions[{i}]"),
                    format!("{p} is not a {} definition position", e.gene),
                ));
            }
        }
        for (i, p) in e.unphased_diplotype_priorities.iter().enumerate() {
            if !p.list.contains(&p.pick) {
                return Err(Error::invalid(
                    path,
                    format!("{key}.unphasedDiplotypePriorities[{i}].pick"),
                    format!("pick {} is not one of {:?}", p.pick, p.list),
                ));
            }
        }
        out.push(GeneExemption {
            gene: e.gene,
            required_positions: e.required_positions,
            ignored_positions: e.ignored_positions.into_iter().map(Into::into).collect(),
            extra_positions: e.extra_positions.into_iter().map(Into::into).collect(),
            ignored_alleles: e.ignored_alleles,
            unphased_diplotype_priorities: e
                .unphased_diplotype_priorities
                .into_iter()
                .map(|p| UnphasedDiplotypePriority {
                    id: p.id,
                    list: p.list,
                    pick: p.pick,
                })
                .collect(),
            amp1_alleles: e.amp1_alleles,
            amp1_positions: e.amp1_positions,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Phenotype tables

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawGenePhenotype {
    gene: String,
    haplotypes: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "null_as_default")]
    activity_values: BTreeMap<String, String>,
    diplotypes: Vec<RawDiplotype>,
    #[serde(default)]
    named_alleles: Option<Vec<RawHaplotype>>,
    #[serde(alias = "cpicVersion")]
    version: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHaplotype {
    name: String,
    #[serde(default)]
    activity_value: Option<String>,
    #[serde(default)]
    function_value: Option<String>,
    #[serde(default)]
    lookup_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDiplotype {
    #[serde(rename = "generesult")]
    gene_result: Option<String>,
    diplotype: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "lookupkey", default)]
    lookup_key: Option<String>,
    #[serde(rename = "diplotypekey")]
    diplotype_key: BTreeMap<String, u32>,
    #[serde(default)]
    activity_score: Option<String>,
    #[serde(default)]
    phenotype: Option<String>,
}

/// Imports one phenotype table.
pub(crate) fn phenotype(
    path: &Path,
    bytes: &[u8],
    origin: PhenotypeOrigin,
) -> Result<GenePhenotype, Error> {
    let raw: RawGenePhenotype = parse_json(path, bytes)?;
    if raw.gene.trim().is_empty() {
        return Err(Error::invalid(path, "gene", "empty gene symbol"));
    }
    let mut rows = Vec::with_capacity(raw.diplotypes.len());
    for (i, d) in raw.diplotypes.into_iter().enumerate() {
        let copies: u32 = d.diplotype_key.values().sum();
        if !(1..=2).contains(&copies) || d.diplotype_key.values().any(|c| *c == 0) {
            return Err(Error::invalid(
                path,
                format!("diplotypes[{i}].diplotypekey"),
                format!(
                    "{} has {copies} allele copies, expected 1 (hemizygous) or 2",
                    d.diplotype
                ),
            ));
        }
        if let Some(h) = d
            .diplotype_key
            .keys()
            .find(|h| !raw.haplotypes.contains_key(*h))
        {
            return Err(Error::invalid(
                path,
                format!("diplotypes[{i}].diplotypekey"),
                format!(
                    "{} uses haplotype {h}, which the table does not list",
                    d.diplotype
                ),
            ));
        }
        rows.push(DiplotypeRowSource {
            gene_result: d.gene_result,
            diplotype: d.diplotype,
            description: d.description,
            lookup_key: d.lookup_key,
            // BTreeMap iteration is name-sorted, which is the canonical key order.
            key: d.diplotype_key.into_iter().collect(),
            activity_score: d.activity_score,
            phenotype: d.phenotype,
        });
    }
    let names: Vec<String> = rows.iter().map(|r| r.diplotype.clone()).collect();
    let named_alleles = raw.named_alleles.map(|v| {
        v.into_iter()
            .map(|h| HaplotypeRecord {
                name: h.name,
                activity_value: h.activity_value,
                function_value: h.function_value,
                lookup_key: h.lookup_key,
            })
            .collect()
    });
    GenePhenotype::new(
        raw.gene,
        raw.version,
        origin,
        raw.haplotypes,
        raw.activity_values,
        named_alleles,
        rows,
    )
    .map_err(|problem| match problem {
        TableProblem::BadKey { index } => Error::invalid(
            path,
            format!("diplotypes[{index}].diplotypekey"),
            "allele counts do not describe one or two copies",
        ),
        TableProblem::Duplicate { first, second } => Error::invalid(
            path,
            format!("diplotypes[{second}]"),
            format!(
                "diplotype {} repeats the allele counts of diplotypes[{first}] ({})",
                names.get(second).map(String::as_str).unwrap_or("?"),
                names.get(first).map(String::as_str).unwrap_or("?"),
            ),
        ),
    })
}

// ---------------------------------------------------------------------------------------
// Guidelines

#[derive(Deserialize)]
struct RawGuidelineFile {
    guideline: RawGuideline,
    #[serde(default, deserialize_with = "null_as_default")]
    recommendations: Vec<RawRecommendation>,
    #[serde(default, deserialize_with = "null_as_default")]
    citations: Vec<RawCitation>,
    version: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawGuideline {
    id: String,
    name: String,
    source: String,
    version: u32,
    url: String,
    related_chemicals: Vec<RawAccession>,
    related_genes: Vec<RawGene>,
    #[serde(default)]
    recommendation: bool,
}

#[derive(Deserialize)]
struct RawAccession {
    id: String,
    name: String,
}

#[derive(Deserialize)]
struct RawGene {
    symbol: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRecommendation {
    id: String,
    #[serde(default)]
    population: Option<String>,
    #[serde(default)]
    classification: Option<RawTerm>,
    related_chemicals: Vec<RawAccession>,
    #[serde(default)]
    text: Option<RawText>,
    #[serde(default, deserialize_with = "null_as_default")]
    implications: Vec<String>,
    lookup_key: BTreeMap<String, RawLookup>,
    #[serde(default)]
    dosing_information: bool,
    #[serde(default)]
    alternate_drug_available: bool,
    #[serde(default)]
    other_prescribing_guidance: bool,
}

#[derive(Deserialize)]
struct RawTerm {
    term: String,
}

#[derive(Deserialize)]
struct RawText {
    #[serde(default)]
    html: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawLookup {
    Key(String),
    Diplotype(BTreeMap<String, f64>),
}

#[derive(Deserialize)]
struct RawCitation {
    #[serde(default)]
    pmid: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    journal: Option<String>,
    #[serde(default)]
    year: Option<u32>,
}

fn accession(a: RawAccession) -> Accession {
    Accession {
        id: a.id,
        name: a.name,
    }
}

/// Imports one guideline package file.
pub(crate) fn guideline(path: &Path, bytes: &[u8]) -> Result<GuidelinePackage, Error> {
    let raw: RawGuidelineFile = parse_json(path, bytes)?;
    let g = raw.guideline;
    let source = match g.source.as_str() {
        "CPIC" => GuidelineSource::Cpic,
        "DPWG" => GuidelineSource::Dpwg,
        other => {
            return Err(Error::invalid(
                path,
                "guideline.source",
                format!("expected CPIC or DPWG, found {other}"),
            ))
        }
    };
    let mut genes = Vec::with_capacity(g.related_genes.len());
    for (i, rg) in g.related_genes.into_iter().enumerate() {
        match rg.symbol {
            Some(s) if !s.trim().is_empty() => genes.push(s),
            _ => {
                return Err(Error::invalid(
                    path,
                    format!("guideline.relatedGenes[{i}].symbol"),
                    "gene without a symbol",
                ))
            }
        }
    }
    let chemicals: Vec<Accession> = g.related_chemicals.into_iter().map(accession).collect();

    let mut recommendations = Vec::with_capacity(raw.recommendations.len());
    for (i, r) in raw.recommendations.into_iter().enumerate() {
        let mut lookup = Vec::with_capacity(r.lookup_key.len());
        for (gene, value) in r.lookup_key {
            if !genes.contains(&gene) {
                return Err(Error::invalid(
                    path,
                    format!("recommendations[{i}].lookupKey.{gene}"),
                    format!("gene {gene} is not one of the guideline's genes {genes:?}"),
                ));
            }
            let value = match value {
                RawLookup::Key(k) => LookupValue::Key(k),
                RawLookup::Diplotype(counts) => {
                    let mut key = DiplotypeKey::with_capacity(counts.len());
                    for (allele, count) in counts {
                        if !(count == 1.0 || count == 2.0) {
                            return Err(Error::invalid(
                                path,
                                format!("recommendations[{i}].lookupKey.{gene}.{allele}"),
                                format!("allele count {count} is not 1 or 2"),
                            ));
                        }
                        key.push((allele, count as u32));
                    }
                    LookupValue::Diplotype(key)
                }
            };
            lookup.push((gene, value));
        }
        for (j, c) in r.related_chemicals.iter().enumerate() {
            if !chemicals.iter().any(|gc| gc.name == c.name) {
                return Err(Error::invalid(
                    path,
                    format!("recommendations[{i}].relatedChemicals[{j}]"),
                    format!("drug {} is not one of the guideline's drugs", c.name),
                ));
            }
        }
        recommendations.push(Recommendation {
            id: r.id,
            population: r.population,
            classification: r.classification.map(|c| c.term),
            chemicals: r.related_chemicals.into_iter().map(accession).collect(),
            text_html: r.text.and_then(|t| t.html).unwrap_or_default(),
            implications: r.implications,
            lookup,
            dosing_information: r.dosing_information,
            alternate_drug_available: r.alternate_drug_available,
            other_prescribing_guidance: r.other_prescribing_guidance,
        });
    }

    Ok(GuidelinePackage {
        id: g.id,
        name: g.name,
        source,
        revision: g.version,
        data_version: raw.version,
        url: g.url,
        chemicals,
        genes,
        has_recommendations: g.recommendation,
        recommendations,
        citations: raw
            .citations
            .into_iter()
            .map(|c| Citation {
                pmid: c.pmid,
                title: c.title,
                journal: c.journal,
                year: c.year,
            })
            .collect(),
        file_name: path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY_DEFINITION: &str = r#"{
      "formatVersion": "2", "source": "TEST", "version": "v1", "gene": "GENEX",
      "chromosome": "chr1", "genomeBuild": "GRCh38.p14",
      "variants": [
        {"chromosome": "chr1", "position": 10, "cpicPosition": 10, "rsid": "rs1",
         "chromosomeHgvsName": "g.10A>G", "cpicAlleles": ["A", "G"],
         "cpicToVcfAlleleMap": {"A": "A", "G": "G"}, "ref": "A", "alts": ["G"]},
        {"chromosome": "chr1", "position": 20, "cpicPosition": 20, "rsid": null,
         "chromosomeHgvsName": "g.20C>T", "cpicAlleles": ["C", "T"],
         "cpicToVcfAlleleMap": {"C": "C", "T": "T"}, "ref": "C", "alts": ["T"]}
      ],
      "namedAlleles": [
        {"name": "*1", "id": "X1", "alleles": ["A", "C"], "cpicAlleles": ["A", "C"],
         "reference": true, "structuralVariant": false},
        {"name": "*2", "id": "X2", "alleles": ["G", null], "cpicAlleles": ["G", null],
         "reference": false, "structuralVariant": false}
      ]
    }"#;

    #[test]
    fn tiny_definition_imports() {
        let def = definition(
            Path::new("GENEX_translation.json"),
            TINY_DEFINITION.as_bytes(),
        )
        .expect("valid definition");
        assert_eq!(def.gene, "GENEX");
        assert_eq!(def.variants.len(), 2);
        assert_eq!(
            def.named_alleles[1].alleles,
            vec![Some("G".to_string()), None]
        );
        assert_eq!(def.reference_allele().map(|a| a.name.as_str()), Some("*1"));
        assert_eq!(def.locus_index(20), Some(1));
    }

    #[test]
    fn short_allele_array_is_reported_with_its_path() {
        let bad = TINY_DEFINITION.replace(
            r#"["G", null], "cpicAlleles": ["G", null]"#,
            r#"["G"], "cpicAlleles": ["G", null]"#,
        );
        let err = definition(Path::new("GENEX_translation.json"), bad.as_bytes())
            .expect_err("length mismatch");
        let msg = err.to_string();
        assert!(msg.contains("GENEX_translation.json"), "{msg}");
        assert!(msg.contains("namedAlleles[1].alleles"), "{msg}");
        assert!(msg.contains("expected one per locus (2)"), "{msg}");
    }

    #[test]
    fn unsorted_positions_are_rejected() {
        let bad = TINY_DEFINITION.replace(
            r#""position": 20, "cpicPosition": 20"#,
            r#""position": 5, "cpicPosition": 5"#,
        );
        let err =
            definition(Path::new("GENEX_translation.json"), bad.as_bytes()).expect_err("unsorted");
        assert!(err.to_string().contains("variants[1].position"), "{err}");
    }

    #[test]
    fn reference_must_cover_locus_reference() {
        let bad = TINY_DEFINITION.replace(
            r#"["A", "C"], "cpicAlleles""#,
            r#"["G", "C"], "cpicAlleles""#,
        );
        let err =
            definition(Path::new("GENEX_translation.json"), bad.as_bytes()).expect_err("bad ref");
        assert!(
            err.to_string().contains("namedAlleles[0].alleles[0]"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_names_the_json_path() {
        let bad = TINY_DEFINITION.replace(r#""position": 10,"#, r#""position": "ten","#);
        let err =
            definition(Path::new("GENEX_translation.json"), bad.as_bytes()).expect_err("type");
        assert!(err.to_string().contains("variants[0].position"), "{err}");
    }

    #[test]
    fn phenotype_table_sorts_and_finds_diplotypes() {
        let json = r#"{"gene": "GENEX", "version": "v1",
          "haplotypes": {"*1": "Normal function", "*2": "No function"},
          "activityValues": {"*1": "1.0", "*2": "0.0"},
          "diplotypes": [
            {"generesult": "Poor Metabolizer", "diplotype": "*2/*2", "lookupkey": "0.0",
             "diplotypekey": {"*2": 2}, "activityScore": "0.0"},
            {"generesult": "Intermediate Metabolizer", "diplotype": "*1/*2", "lookupkey": "1.0",
             "diplotypekey": {"*2": 1, "*1": 1}, "activityScore": "1.0"}
          ]}"#;
        let t = phenotype(
            Path::new("GENEX.json"),
            json.as_bytes(),
            PhenotypeOrigin::PharmCat311,
        )
        .expect("valid table");
        assert!(t.is_activity_scored());
        let rec = t.find_diplotype("*2", Some("*1")).expect("*1/*2 present");
        assert_eq!(rec.activity_score, Some("1.0"));
        assert_eq!((rec.allele1, rec.allele2), ("*1", Some("*2")));
        let key = super::super::phenotype::diplotype_key("*2", Some("*1"));
        assert_eq!(t.find_by_key(&key), Some(rec));
        assert!(t.find_diplotype("*1", Some("*1")).is_none());
        let sorted: Vec<&str> = t.diplotypes().map(|d| d.diplotype).collect();
        assert_eq!(sorted, vec!["*1/*2", "*2/*2"]);
        // Without a namedAlleles list the function comes from the haplotypes map.
        assert_eq!(t.haplotype_function("*2"), Some("No function"));
    }

    #[test]
    fn phenotype_table_rejects_unknown_haplotype() {
        let json = r#"{"gene": "GENEX", "version": "v1", "haplotypes": {"*1": "Normal function"},
          "diplotypes": [{"generesult": "x", "diplotype": "*1/*9", "diplotypekey": {"*1": 1, "*9": 1}}]}"#;
        let err = phenotype(
            Path::new("GENEX.json"),
            json.as_bytes(),
            PhenotypeOrigin::PharmCat311,
        )
        .expect_err("unknown haplotype");
        assert!(
            err.to_string().contains("diplotypes[0].diplotypekey"),
            "{err}"
        );
        assert!(err.to_string().contains("*9"), "{err}");
    }

    #[test]
    fn guideline_lookup_gene_must_belong_to_guideline() {
        let json = r#"{"version": "v1",
          "guideline": {"id": "PA1", "name": "G", "source": "CPIC", "version": 3, "url": "u",
            "relatedChemicals": [{"id": "PA2", "name": "drugx"}],
            "relatedGenes": [{"symbol": "GENEX"}], "recommendation": true},
          "recommendations": [{"id": "R1", "relatedChemicals": [{"id": "PA2", "name": "drugx"}],
            "text": {"html": "<p>x</p>"}, "lookupKey": {"GENEY": "Poor Metabolizer"}}]}"#;
        let err = guideline(Path::new("CPIC_x.json"), json.as_bytes()).expect_err("foreign gene");
        assert!(
            err.to_string()
                .contains("recommendations[0].lookupKey.GENEY"),
            "{err}"
        );
    }

    #[test]
    fn guideline_diplotype_lookup_is_typed() {
        let json = r#"{"version": "v1",
          "guideline": {"id": "PA1", "name": "G", "source": "DPWG", "version": 3, "url": "u",
            "relatedChemicals": [{"id": "PA2", "name": "drugx"}],
            "relatedGenes": [{"symbol": "GENEX"}]},
          "recommendations": [{"id": "R1", "relatedChemicals": [{"id": "PA2", "name": "drugx"}],
            "text": {"html": "x"}, "lookupKey": {"GENEX": {"*3": 1.0, "*1": 1.0}}}]}"#;
        let g = guideline(Path::new("DPWG_x.json"), json.as_bytes()).expect("valid");
        assert_eq!(g.source, GuidelineSource::Dpwg);
        assert_eq!(
            g.recommendations[0].lookup,
            vec![(
                "GENEX".to_string(),
                LookupValue::Diplotype(vec![("*1".to_string(), 1), ("*3".to_string(), 1)])
            )]
        );
    }
}
