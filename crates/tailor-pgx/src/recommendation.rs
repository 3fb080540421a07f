//! CPIC and DPWG drug recommendations for a sample's gene calls, matched the way
//! PharmCAT's reporter matches them.
//!
//! For each guideline, every combination of the candidate diplotypes of its genes (one
//! per gene; several candidates make the call ambiguous) is a *genotype*. A genotype's
//! lookup keys are the cross product of its diplotypes' keys (HLA-B contributes three
//! allele-status keys, an outside phenotype several activity scores). A recommendation
//! row matches a genotype when:
//!
//! 1. all of the row's genes are keyed by diplotype (DPWG rows such as CYP2C9 `*1/*3`)
//!    and the genotype has exactly those diplotypes; rows matched this way take
//!    precedence over rows keyed by phenotype, or otherwise
//! 2. one of the genotype's lookup-key combinations holds every key the row asks for.
//!
//! Each matched row is reported once, with every genotype that matched it; genotypes
//! that match no row, and guidelines whose genes were not called, are reported as
//! explicit non-actionable entries so that "no advice" is never confused with "not
//! checked".

use crate::phenotype::{
    annotate, is_allele_presence_gene, AnnotatedDiplotype, DiplotypeInput, GuidelineSource,
    NO_RESULT, UNKNOWN_ALLELE,
};
use std::collections::BTreeMap;
use tailor_core::pgx::{CallSource, DrugRecommendation, GeneCall};
use tailor_kb::pgx::{DiplotypeKey, GuidelinePackage, LookupValue, PgxKnowledge, Recommendation};

/// What is known about one gene, for recommendations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneInput {
    /// HGNC symbol.
    pub gene: String,
    /// Candidate diplotypes; several make the call ambiguous, none means not called.
    pub diplotypes: Vec<DiplotypeInput>,
}

impl GeneInput {
    /// Reads a [`GeneCall`]:
    ///
    /// * no diplotypes: not called, unless it is an outside call that gave a phenotype;
    /// * diplotypes whose alleles are `Unknown` (or empty): phenotype-only outside calls
    ///   when the call is an outside call with a phenotype or activity score, otherwise
    ///   not called;
    /// * outside calls with alleles: PharmCAT outside-call semantics on the alleles
    ///   (CYP2D6 copy numbers, DPYD lowest function). The phenotype and activity score
    ///   stored in a [`GeneCall`] are *not* re-read for them, because after annotation
    ///   they hold Tailor's computed values; an engine that wants an outside call's own
    ///   phenotype to override its diplotype builds [`DiplotypeInput::Outside`] itself;
    /// * matcher calls: the haplotypes as called (combinations for lowest-function genes
    ///   are reduced to their lowest-function allele).
    pub fn from_gene_call(call: &GeneCall) -> Self {
        let outside = call.source == CallSource::OutsideCall;
        let known = |name: &str| !name.trim().is_empty() && name != UNKNOWN_ALLELE;
        let mut diplotypes = Vec::new();
        for d in &call.diplotypes {
            let a1 = Some(d.allele1.name.as_str()).filter(|n| known(n));
            let a2 = d
                .allele2
                .as_ref()
                .map(|h| h.name.as_str())
                .filter(|n| known(n));
            let input = match (a1, a2) {
                (None, None)
                    if outside && (d.phenotype.is_some() || d.activity_score.is_some()) =>
                {
                    DiplotypeInput::Outside {
                        alleles: Vec::new(),
                        phenotype: d.phenotype.clone(),
                        activity_score: d.activity_score.clone(),
                    }
                }
                (None, None) => DiplotypeInput::Unknown,
                (a1, a2) if outside => DiplotypeInput::Outside {
                    alleles: a1.into_iter().chain(a2).map(str::to_string).collect(),
                    phenotype: None,
                    activity_score: None,
                },
                (Some(a1), a2) => DiplotypeInput::Called {
                    allele1: a1.to_string(),
                    allele2: a2.map(str::to_string),
                },
                (None, Some(a2)) => DiplotypeInput::Called {
                    allele1: a2.to_string(),
                    allele2: None,
                },
            };
            diplotypes.push(input);
        }
        if diplotypes.is_empty() && outside {
            diplotypes.extend(call.phenotypes.iter().map(|p| DiplotypeInput::Outside {
                alleles: Vec::new(),
                phenotype: Some(p.clone()),
                activity_score: None,
            }));
        }
        Self {
            gene: call.gene.clone(),
            diplotypes,
        }
    }
}

/// Recommendations for a sample's gene calls: see [`recommend_inputs`] and
/// [`GeneInput::from_gene_call`].
///
/// ```no_run
/// # fn calls() -> Vec<tailor_core::pgx::GeneCall> { Vec::new() }
/// let kb = tailor_kb::build(&tailor_kb::default_source_paths())?;
/// for r in tailor_pgx::recommendation::recommend(kb.pgx(), &calls()) {
///     if r.actionable {
///         println!("{} ({}): {:?}", r.drug, r.source, r.classification);
///     }
/// }
/// # Ok::<(), tailor_kb::Error>(())
/// ```
pub fn recommend(kb: &PgxKnowledge, calls: &[GeneCall]) -> Vec<DrugRecommendation> {
    recommend_cached(kb, calls, &mut RecommendationCache::default())
}

/// [`recommend`] with a cache shared by the samples of one run.
pub fn recommend_cached(
    kb: &PgxKnowledge,
    calls: &[GeneCall],
    memo: &mut RecommendationCache,
) -> Vec<DrugRecommendation> {
    let inputs: Vec<GeneInput> = calls.iter().map(GeneInput::from_gene_call).collect();
    recommend_inputs_cached(kb, &inputs, memo)
}

/// Recommendations for every CPIC and DPWG guideline that involves at least one of the
/// given genes, one entry per drug and matched recommendation row, plus non-actionable
/// entries where nothing applies. A guideline gene missing from `genes` (or given with no
/// diplotype) counts as not called (`No Result`). Sorted by source (CPIC first), drug,
/// guideline.
pub fn recommend_inputs(kb: &PgxKnowledge, genes: &[GeneInput]) -> Vec<DrugRecommendation> {
    recommend_inputs_cached(kb, genes, &mut RecommendationCache::default())
}

/// Guideline results already computed, keyed by guideline and the candidate diplotypes of
/// its genes. A guideline's entries depend on nothing else, so in a cohort most samples
/// reuse an earlier sample's result instead of annotating and matching again.
#[derive(Debug, Default)]
pub struct RecommendationCache {
    entries: std::collections::HashMap<(usize, Vec<Vec<DiplotypeInput>>), Vec<DrugRecommendation>>,
}

/// [`recommend_inputs`] with a cache that may be reused across samples of one run (the
/// same knowledge base must be used throughout).
pub fn recommend_inputs_cached(
    kb: &PgxKnowledge,
    genes: &[GeneInput],
    memo: &mut RecommendationCache,
) -> Vec<DrugRecommendation> {
    let mut cache: BTreeMap<(GuidelineSource, String), Vec<AnnotatedDiplotype>> = BTreeMap::new();
    let mut out = Vec::new();
    for (gi, g) in kb.guidelines().iter().enumerate() {
        if !g
            .genes
            .iter()
            .any(|gene| genes.iter().any(|i| &i.gene == gene))
        {
            continue;
        }
        let key = (
            gi,
            g.genes
                .iter()
                .map(|gene| {
                    genes
                        .iter()
                        .find(|i| &i.gene == gene)
                        .map(|i| i.diplotypes.clone())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>(),
        );
        if let Some(done) = memo.entries.get(&key) {
            out.extend(done.iter().cloned());
            continue;
        }
        let start = out.len();
        let per_gene: Vec<(&str, Vec<AnnotatedDiplotype>)> = g
            .genes
            .iter()
            .map(|gene| {
                let annotated = cache
                    .entry((g.source, gene.clone()))
                    .or_insert_with(|| annotate_gene(kb, gene, genes, g.source))
                    .clone();
                (gene.as_str(), annotated)
            })
            .collect();
        let genotypes = cross_product(&per_gene);
        let mut drugs: Vec<&str> = g.chemicals.iter().map(|c| c.name.as_str()).collect();
        drugs.sort_unstable();
        drugs.dedup();
        for drug in drugs {
            recommend_drug(g, drug, &genotypes, &mut out);
        }
        memo.entries.insert(key, out[start..].to_vec());
    }
    out.sort_by(|a, b| {
        (source_rank(&a.source), &a.drug, &a.guideline).cmp(&(
            source_rank(&b.source),
            &b.drug,
            &b.guideline,
        ))
    });
    out
}

fn source_rank(source: &str) -> u8 {
    match source {
        "CPIC" => 0,
        "DPWG" => 1,
        _ => 2,
    }
}

fn annotate_gene(
    kb: &PgxKnowledge,
    gene: &str,
    genes: &[GeneInput],
    source: GuidelineSource,
) -> Vec<AnnotatedDiplotype> {
    let inputs: Vec<DiplotypeInput> = genes
        .iter()
        .find(|i| i.gene == gene)
        .map(|i| i.diplotypes.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| vec![DiplotypeInput::Unknown]);
    let mut annotated: Vec<AnnotatedDiplotype> = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let a = annotate(kb, gene, input, source);
        // Several calls can lead to the same recommendation diplotype (lowest function).
        if !annotated.contains(&a) {
            annotated.push(a);
        }
    }
    annotated
}

/// One diplotype per gene, for every combination of the genes' candidates.
type Genotype<'a> = Vec<(&'a str, &'a AnnotatedDiplotype)>;

fn cross_product<'a>(per_gene: &'a [(&'a str, Vec<AnnotatedDiplotype>)]) -> Vec<Genotype<'a>> {
    let mut genotypes: Vec<Genotype<'a>> = vec![Vec::new()];
    for (gene, candidates) in per_gene {
        let mut next = Vec::with_capacity(genotypes.len() * candidates.len().max(1));
        for g in &genotypes {
            for c in candidates {
                let mut extended = g.clone();
                extended.push((*gene, c));
                next.push(extended);
            }
        }
        genotypes = next;
    }
    genotypes
}

/// Every gene -> lookup key combination of a genotype.
fn lookup_combinations<'a>(genotype: &Genotype<'a>) -> Vec<BTreeMap<&'a str, &'a str>> {
    let mut combos: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new()];
    for (gene, d) in genotype {
        let mut next = Vec::new();
        for combo in &combos {
            for key in &d.lookup_keys {
                let mut c = combo.clone();
                c.insert(*gene, key.as_str());
                next.push(c);
            }
        }
        combos = next;
    }
    combos
}

fn matches_by_diplotype(rec: &Recommendation, genotype: &Genotype<'_>) -> bool {
    !rec.lookup.is_empty()
        && rec.lookup.iter().all(|(gene, value)| match value {
            LookupValue::Diplotype(key) => genotype
                .iter()
                .any(|(g, d)| g == gene && &d.diplotype_key == key),
            LookupValue::Key(_) => false,
        })
}

fn matches_by_lookup(rec: &Recommendation, combos: &[BTreeMap<&str, &str>]) -> bool {
    !rec.lookup.is_empty()
        && combos.iter().any(|combo| {
            rec.lookup.iter().all(|(gene, value)| match value {
                LookupValue::Key(k) => combo.get(gene.as_str()) == Some(&k.as_str()),
                LookupValue::Diplotype(_) => false,
            })
        })
}

fn recommend_drug(
    g: &GuidelinePackage,
    drug: &str,
    genotypes: &[Genotype<'_>],
    out: &mut Vec<DrugRecommendation>,
) {
    let all_uncalled = genotypes
        .iter()
        .all(|gt| gt.iter().all(|(_, d)| d.is_unknown()));
    let uncalled_genes: Vec<&str> = g
        .genes
        .iter()
        .map(String::as_str)
        .filter(|gene| {
            genotypes
                .iter()
                .all(|gt| gt.iter().any(|(g2, d)| g2 == gene && d.is_unknown()))
        })
        .collect();

    if g.recommendations.is_empty() {
        let all: Vec<usize> = (0..genotypes.len()).collect();
        let mut entry = base_entry(g, drug, genotypes, &all);
        if g.source == GuidelineSource::Cpic && drug.eq_ignore_ascii_case("warfarin") {
            // CPIC gives warfarin dosing as an algorithm over the genotypes, not as rows.
            let needed = ["CYP2C9", "VKORC1"];
            let missing: Vec<&str> = needed
                .iter()
                .copied()
                .filter(|n| uncalled_genes.contains(n))
                .collect();
            entry.actionable = missing.is_empty();
            entry.note = Some(if missing.is_empty() {
                "CPIC doses warfarin with a genotype-guided dosing algorithm (CYP2C9, VKORC1, CYP4F2) \
                 rather than lookup rows; apply the guideline's algorithm"
                    .to_string()
            } else {
                format!(
                    "CPIC doses warfarin with a genotype-guided dosing algorithm; not called: {}",
                    missing.join(", ")
                )
            });
        } else {
            entry.note = Some(
                "the guideline has no genotype-specific recommendation rows in this knowledge base"
                    .to_string(),
            );
        }
        out.push(entry);
        return;
    }

    let recs: Vec<&Recommendation> = g
        .recommendations
        .iter()
        .filter(|r| r.applies_to(drug))
        .collect();
    let mut matched: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut unmatched: Vec<usize> = Vec::new();
    for (gi, genotype) in genotypes.iter().enumerate() {
        let mut hits: Vec<usize> = recs
            .iter()
            .enumerate()
            .filter(|(_, r)| matches_by_diplotype(r, genotype))
            .map(|(i, _)| i)
            .collect();
        if hits.is_empty() {
            let combos = lookup_combinations(genotype);
            hits = recs
                .iter()
                .enumerate()
                .filter(|(_, r)| matches_by_lookup(r, &combos))
                .map(|(i, _)| i)
                .collect();
        }
        if hits.is_empty() {
            unmatched.push(gi);
        }
        for h in hits {
            match matched.iter_mut().find(|(r, _)| *r == h) {
                Some((_, gis)) => gis.push(gi),
                None => matched.push((h, vec![gi])),
            }
        }
    }
    matched.sort_by_key(|(r, _)| *r);

    let ambiguous = genotypes.len() > 1;
    for (r, gis) in &matched {
        let rec = recs[*r];
        let mut entry = base_entry(g, drug, genotypes, gis);
        entry.lookup = rec
            .lookup
            .iter()
            .map(|(gene, v)| (gene.clone(), lookup_label(v)))
            .collect();
        for (gene, v) in &rec.lookup {
            if let (true, LookupValue::Key(k)) = (is_allele_presence_gene(gene), v) {
                entry.phenotypes.insert(gene.clone(), k.clone());
            }
        }
        let text = html_to_text(&rec.text_html);
        entry.recommendation = (!text.is_empty()).then_some(text);
        entry.classification = rec.classification.clone();
        entry.implications = rec.implications.clone();
        entry.population = rec.population.clone();
        let no_recommendation = rec
            .classification
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("No recommendation"));
        entry.actionable = !no_recommendation;
        let mut notes = Vec::new();
        if no_recommendation {
            notes.push("the guideline makes no recommendation for this genotype".to_string());
        }
        if ambiguous {
            notes.push(format!(
                "ambiguous call: applies to {} of {} candidate genotypes",
                gis.len(),
                genotypes.len()
            ));
        }
        notes.extend(inference_notes(genotypes, gis));
        entry.note = (!notes.is_empty()).then(|| notes.join("; "));
        out.push(entry);
    }

    let unmatched_groups: Vec<Vec<usize>> = if matched.is_empty() {
        vec![(0..genotypes.len()).collect()]
    } else {
        unmatched.iter().map(|gi| vec![*gi]).collect()
    };
    for gis in unmatched_groups {
        let mut entry = base_entry(g, drug, genotypes, &gis);
        for gi in &gis {
            for (gene, d) in &genotypes[*gi] {
                let keys = d.lookup_keys.join(" | ");
                let slot = entry.lookup.entry(gene.to_string()).or_default();
                if !slot.split(" or ").any(|k| k == keys) {
                    if !slot.is_empty() {
                        slot.push_str(" or ");
                    }
                    slot.push_str(&keys);
                }
            }
        }
        entry.actionable = false;
        entry.note = Some(if all_uncalled {
            format!("No result: not called: {}", uncalled_genes.join(", "))
        } else if !uncalled_genes.is_empty() {
            format!(
                "No recommendation for this genotype (not called: {})",
                uncalled_genes.join(", ")
            )
        } else {
            "No recommendation for this genotype".to_string()
        });
        out.push(entry);
    }
}

/// Entry with the guideline, drug, and the diplotypes/phenotypes of `gis` filled in.
fn base_entry(
    g: &GuidelinePackage,
    drug: &str,
    genotypes: &[Genotype<'_>],
    gis: &[usize],
) -> DrugRecommendation {
    let mut diplotypes: BTreeMap<String, String> = BTreeMap::new();
    let mut phenotypes: BTreeMap<String, String> = BTreeMap::new();
    let add = |map: &mut BTreeMap<String, String>, gene: &str, value: &str, sep: &str| {
        if value.is_empty() {
            return;
        }
        let slot = map.entry(gene.to_string()).or_default();
        if !slot.split(sep).any(|v| v == value) {
            if !slot.is_empty() {
                slot.push_str(sep);
            }
            slot.push_str(value);
        }
    };
    for gi in gis {
        for (gene, d) in &genotypes[*gi] {
            add(&mut diplotypes, gene, &d.label, " or ");
            if d.is_unknown() {
                add(&mut phenotypes, gene, NO_RESULT, " or ");
            } else {
                // HLA-B has three allele-status phenotypes; a matched row narrows this to
                // the one it is keyed by.
                add(&mut phenotypes, gene, &d.phenotypes.join("; "), " or ");
            }
        }
    }
    DrugRecommendation {
        drug: drug.to_string(),
        source: g.source.as_str().to_string(),
        guideline: g.name.clone(),
        url: Some(g.url.clone()).filter(|u| !u.is_empty()),
        lookup: BTreeMap::new(),
        diplotypes,
        recommendation: None,
        classification: None,
        implications: Vec::new(),
        phenotypes,
        population: None,
        actionable: false,
        note: None,
    }
}

fn inference_notes(genotypes: &[Genotype<'_>], gis: &[usize]) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for gi in gis {
        for (gene, d) in &genotypes[*gi] {
            if d.inferred {
                let n = format!(
                    "{gene} recommendation diplotype {} inferred from the call",
                    d.label
                );
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
            if d.phenotype_from_newer_table {
                let n = format!(
                    "{gene}: DPWG's phenotype table does not list {}; phenotype from the newer CPIC table",
                    d.label
                );
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
            if let Some(expected) = &d.outside_phenotype_mismatch {
                let n = format!("{gene}: outside phenotype differs from the tables' {expected}");
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
            if let Some(expected) = &d.outside_activity_score_mismatch {
                let n =
                    format!("{gene}: outside activity score differs from the tables' {expected}");
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
        }
    }
    notes
}

fn lookup_label(v: &LookupValue) -> String {
    match v {
        LookupValue::Key(k) => k.clone(),
        LookupValue::Diplotype(key) => diplotype_key_label(key),
    }
}

/// `[("*1", 1), ("*3", 1)]` -> `*1/*3`; `[("*3", 2)]` -> `*3/*3`.
fn diplotype_key_label(key: &DiplotypeKey) -> String {
    let mut names: Vec<&str> = Vec::new();
    for (name, count) in key {
        for _ in 0..*count {
            names.push(name);
        }
    }
    names.sort_by(|a, b| crate::phenotype::compare_haplotype_names(a, b));
    names.join("/")
}

/// Recommendation HTML as plain text: block elements become lines, list items `- `
/// lines, table cells ` | `-separated, entities decoded, whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    // Byte-wise: the bytes acted on are ASCII, so every cut is a character boundary, and
    // runs of plain text are copied whole (this runs for every recommendation of every
    // case).
    let bytes = html.as_bytes();
    let mut raw = String::with_capacity(html.len());
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .position(|b| matches!(b, b'<' | b'&' | b'\n' | b'\r' | b'\t'))
            .map_or(bytes.len(), |p| i + p);
        if run > i {
            raw.push_str(&html[i..run]);
            i = run;
            continue;
        }
        let rest = &html[i..];
        match bytes[i] {
            b'<' => match rest.find('>') {
                Some(end) => {
                    let tag = &rest[1..end];
                    let closing = tag.starts_with('/');
                    let name = tag.trim_start_matches('/');
                    let name = &name[..name.bytes().take_while(u8::is_ascii_alphanumeric).count()];
                    let is = |n: &str| name.eq_ignore_ascii_case(n);
                    const BLOCKS: [&str; 13] = [
                        "br", "p", "div", "tr", "ul", "ol", "table", "thead", "tbody", "h1", "h2",
                        "h3", "h4",
                    ];
                    if BLOCKS.iter().any(|b| is(b)) || is("h5") || is("h6") {
                        raw.push('\n');
                    } else if is("li") {
                        raw.push_str(if closing { "\n" } else { "\n- " });
                    } else if (is("td") || is("th")) && closing {
                        raw.push_str(" | ");
                    }
                    i += end + 1;
                }
                None => {
                    raw.push('<');
                    i += 1;
                }
            },
            b'&' => {
                let decoded = rest
                    .find(';')
                    .filter(|end| *end <= 10)
                    .and_then(|end| decode_entity(&rest[1..end]).map(|ch| (ch, end)));
                match decoded {
                    Some((ch, end)) => {
                        raw.push(ch);
                        i += end + 1;
                    }
                    None => {
                        raw.push('&');
                        i += 1;
                    }
                }
            }
            _ => {
                // Line breaks and tabs in the source are only layout.
                raw.push(' ');
                i += 1;
            }
        }
    }
    raw.lines()
        .map(|line| {
            let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
            collapsed
                .trim_end_matches(" |")
                .trim_end_matches('|')
                .trim()
                .to_string()
        })
        .filter(|line| !line.is_empty() && line != "-")
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" | "#39" => '\'',
        "nbsp" => ' ',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        let html = "<p>Start with 50%\n of the dose.</p>\n<h4 id=\"x\">Other Considerations</h4>\
                    <ul><li>one &amp; two</li><li>&lt;3 &gt; 1</li></ul>\
                    <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>";
        assert_eq!(
            html_to_text(html),
            "Start with 50% of the dose.\nOther Considerations\n- one & two\n- <3 > 1\nA | B\n1 | 2"
        );
        assert_eq!(html_to_text("a < b &unknown; c"), "a < b &unknown; c");
    }

    #[test]
    fn diplotype_keys_render_as_labels() {
        assert_eq!(
            diplotype_key_label(&vec![("*3".into(), 1), ("*1".into(), 1)]),
            "*1/*3"
        );
        assert_eq!(diplotype_key_label(&vec![("*28".into(), 2)]), "*28/*28");
    }
}
