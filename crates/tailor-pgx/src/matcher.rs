//! Named-allele matching: a sample's genotypes at a gene's loci to candidate diplotypes.
//!
//! Semantics follow PharmCAT's NamedAlleleMatcher so that calls agree with the tool
//! clinics validate against:
//! - A named allele matches a haplotype (one strand) when every locus agrees; loci the
//!   definition leaves empty are read as the reference allele.
//! - Loci missing from the input are dropped from every definition; an allele left with
//!   no defined locus cannot be called and is listed as uncallable.
//! - A diplotype is a pair of alleles that fit complementary strands of the sample. For
//!   unphased heterozygous loci both orientations are tried; phased loci (with the same
//!   phase set) keep their orientation together.
//! - A diplotype's score is the number of defined loci its two alleles matched; the
//!   top-scoring diplotypes are all reported, so an ambiguous call stays visibly
//!   ambiguous instead of being silently resolved.
//!
//! Instead of enumerating the 2^k strand sequences of k unphased heterozygous loci, a
//! pair of alleles is tested directly: per phase block, one of the two orientations must
//! satisfy both alleles at every locus of the block. This gives the same answer in
//! O(loci) per pair, which keeps cohort runs fast whatever the heterozygosity.

use crate::genotype::{AlleleId, AlleleTable, LocusGenotype};
use crate::model::{AlleleSpec, CallingMode, GeneModel};
use std::collections::BTreeSet;

/// A per-locus set of accepted allele ids; `None` accepts anything.
type Mask = Option<u64>;

fn accepts(mask: Mask, id: AlleleId) -> bool {
    match mask {
        None => true,
        Some(m) => id < 64 && (m >> id) & 1 == 1,
    }
}

/// A gene's definitions compiled against the allele tables of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledGene {
    /// Per named allele, per locus: the accepted ids with undefined cells open (`None`).
    raw: Vec<Vec<Mask>>,
    /// Per named allele, per locus: whether the cell is an IUPAC wobble.
    wobble: Vec<Vec<bool>>,
}

impl CompiledGene {
    /// Compiles `model` for the given locus tables (one per locus, same order).
    pub fn new(model: &GeneModel, tables: &[AlleleTable]) -> Self {
        let mut raw = Vec::with_capacity(model.alleles.len());
        let mut wobble = Vec::with_capacity(model.alleles.len());
        for allele in &model.alleles {
            let mut masks = Vec::with_capacity(model.loci.len());
            let mut wob = Vec::with_capacity(model.loci.len());
            for (i, spec) in allele.alleles.iter().enumerate() {
                wob.push(matches!(spec, AlleleSpec::Wobble(_)));
                if !spec.is_defined() {
                    masks.push(None);
                    continue;
                }
                let mut m = 0u64;
                if let Some(table) = tables.get(i) {
                    for (id, a) in table.alleles().iter().enumerate().take(64) {
                        if spec.accepts(a) {
                            m |= 1 << id;
                        }
                    }
                }
                masks.push(Some(m));
            }
            raw.push(masks);
            wobble.push(wob);
        }
        Self { raw, wobble }
    }

    /// This gene compiled against `tables` when `self` was compiled against the
    /// definition's documented alleles only (ids `0..documented` of each table): those
    /// masks stay as they are, and only the alleles an input added are tested. Gives what
    /// [`CompiledGene::new`] gives for the same tables.
    pub fn extended(&self, model: &GeneModel, tables: &[AlleleTable]) -> Self {
        let mut out = self.clone();
        for (i, table) in tables.iter().enumerate() {
            let extra = table.documented_count()..table.alleles().len().min(64);
            if extra.is_empty() {
                continue;
            }
            for (allele, masks) in model.alleles.iter().zip(out.raw.iter_mut()) {
                let (Some(spec), Some(Some(mask))) = (allele.alleles.get(i), masks.get_mut(i))
                else {
                    continue;
                };
                for id in extra.clone() {
                    if spec.accepts(&table.alleles()[id]) {
                        *mask |= 1 << id;
                    }
                }
            }
        }
        out
    }
}

/// One candidate diplotype: allele indices into [`GeneModel::alleles`] per strand.
///
/// A strand usually holds one named allele; in lowest-function calling of phased data a
/// strand may combine several (`c.1905+1G>A + c.2846A>T`). An empty strand list on the
/// second haplotype means the call is haploid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiplotypeMatch {
    /// First strand's alleles.
    pub hap1: Vec<usize>,
    /// Second strand's alleles; `None` for a haploid call.
    pub hap2: Option<Vec<usize>>,
    /// Number of defined loci matched.
    pub score: u32,
}

/// Why a gene could not be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoCallReason {
    /// None of the gene's loci are in the input.
    NoData,
    /// A locus the gene requires is missing (e.g. NAT2).
    MissingRequired(Vec<usize>),
    /// The genotypes fit no pair of named alleles (novel or conflicting alleles).
    NoMatch,
}

/// The matcher's answer for one sample and gene.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneMatch {
    /// Top candidates, best first. Empty when the gene was not called.
    pub diplotypes: Vec<DiplotypeMatch>,
    /// Lowest-function genes on unphased data: every variant allele found, with its copy
    /// number (1 or 2). `None` for ordinary diplotype calls.
    pub haplotype_list: Option<Vec<(usize, u8)>>,
    /// Why there is no call, when there is none.
    pub no_call: Option<NoCallReason>,
    /// All loci used were phased.
    pub phased: bool,
    /// Phased, or at most one heterozygous phase block (orientation is then certain).
    pub effectively_phased: bool,
    /// Loci with no genotype in the input.
    pub missing_loci: Vec<usize>,
    /// Loci whose genotype had an allele no definition documents.
    pub undocumented_loci: Vec<usize>,
    /// Named alleles left with no callable locus.
    pub uncallable_alleles: Vec<usize>,
}

/// Options that change which candidates are returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchOptions {
    /// Return only the top-scoring candidates (default), or every feasible diplotype.
    pub top_candidates_only: bool,
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self {
            top_candidates_only: true,
        }
    }
}

/// Per-sample working data for one gene.
struct SampleView<'a> {
    /// Available loci (input present, not ignored), with their genotypes.
    avail: Vec<(usize, LocusGenotype)>,
    /// Phase block index per available locus (`None` for homozygous/haploid).
    block: Vec<Option<usize>>,
    n_blocks: usize,
    haploid: bool,
    compiled: &'a CompiledGene,
}

/// Matches one sample's genotypes (`calls[i]` for locus `i`; `None` = missing) for one
/// gene.
pub fn match_gene(
    model: &GeneModel,
    compiled: &CompiledGene,
    calls: &[Option<LocusGenotype>],
    options: MatchOptions,
) -> GeneMatch {
    let mut missing_loci = Vec::new();
    let mut undocumented_loci = Vec::new();
    let mut avail = Vec::new();
    for (i, call) in calls.iter().enumerate().take(model.loci.len()) {
        if model.ignored_loci.contains(&i) {
            // The definitions say this position must not influence calls: read the
            // sample as reference there (keeping its ploidy and phasing).
            let g = match call {
                Some(g) if g.b.is_none() => LocusGenotype::haploid(0),
                Some(g) => LocusGenotype {
                    a: 0,
                    b: Some(0),
                    phased: g.phased,
                    phase_set: g.phase_set,
                },
                None => LocusGenotype {
                    phased: true,
                    ..LocusGenotype::unphased(0, 0)
                },
            };
            avail.push((i, g));
            continue;
        }
        match call {
            None => missing_loci.push(i),
            Some(g) => {
                let n_doc = 1 + model.loci[i].alts.len() as AlleleId;
                let undocumented = g.a >= n_doc || g.b.is_some_and(|b| b >= n_doc);
                let mut g = *g;
                if undocumented {
                    undocumented_loci.push(i);
                    if model.undocumented_as_reference {
                        if g.a >= n_doc {
                            g.a = 0;
                        }
                        if let Some(b) = g.b {
                            if b >= n_doc {
                                g.b = Some(0);
                            }
                        }
                    }
                }
                avail.push((i, g));
            }
        }
    }

    let mut result = GeneMatch {
        diplotypes: Vec::new(),
        haplotype_list: None,
        no_call: None,
        phased: false,
        effectively_phased: false,
        missing_loci,
        undocumented_loci,
        uncallable_alleles: Vec::new(),
    };
    if avail.is_empty() {
        result.no_call = Some(NoCallReason::NoData);
        return result;
    }
    let missing_required: Vec<usize> = model
        .required_loci
        .iter()
        .copied()
        .filter(|i| result.missing_loci.contains(i))
        .collect();

    let view = SampleView::new(avail, compiled);
    // Phased when every heterozygous locus is phased (a homozygous or assumed-reference
    // 0/0 has no orientation to lose) and the input wrote phase at all.
    result.phased = view.avail.iter().any(|(_, g)| g.phased)
        && view.avail.iter().all(|(_, g)| g.phased || !g.is_het());
    result.effectively_phased = view.n_blocks <= 1;

    // Alleles that still have a defined, available locus.
    let reduce = !result.missing_loci.is_empty();
    let mut usable = Vec::new();
    for (h, allele) in model.alleles.iter().enumerate() {
        let defined = view
            .avail
            .iter()
            .filter(|(i, _)| allele.alleles[*i].is_defined())
            .count();
        if reduce && defined == 0 && !allele.reference {
            result.uncallable_alleles.push(h);
            continue;
        }
        usable.push(h);
    }
    if !missing_required.is_empty() {
        result.no_call = Some(NoCallReason::MissingRequired(missing_required));
        return result;
    }

    match model.mode {
        CallingMode::Diplotype => {
            result.diplotypes = diplotypes(&view, &usable, options.top_candidates_only);
            apply_unphased_priorities(model, &view, &mut result.diplotypes);
        }
        CallingMode::LowestFunction => lowest_function(model, &view, &usable, &mut result),
    }
    if result.diplotypes.is_empty() && result.haplotype_list.is_none() {
        result.no_call = Some(NoCallReason::NoMatch);
    }
    result
}

impl<'a> SampleView<'a> {
    fn new(avail: Vec<(usize, LocusGenotype)>, compiled: &'a CompiledGene) -> Self {
        let haploid = avail.iter().all(|(_, g)| g.b.is_none());
        // Heterozygous loci are grouped into blocks whose orientation is decided
        // together: phased loci by phase set (all phased loci without PS share one
        // block), each unphased heterozygous locus alone. Homozygous loci need none.
        let mut phased_blocks: Vec<(Option<u64>, usize)> = Vec::new();
        let mut block = Vec::with_capacity(avail.len());
        let mut n_blocks = 0;
        for (_, g) in &avail {
            if !g.is_het() {
                block.push(None);
            } else if g.phased {
                let id = match phased_blocks.iter().find(|(ps, _)| *ps == g.phase_set) {
                    Some((_, id)) => *id,
                    None => {
                        phased_blocks.push((g.phase_set, n_blocks));
                        n_blocks += 1;
                        n_blocks - 1
                    }
                };
                block.push(Some(id));
            } else {
                block.push(Some(n_blocks));
                n_blocks += 1;
            }
        }
        Self {
            avail,
            block,
            n_blocks,
            haploid,
            compiled,
        }
    }

    /// The mask an allele uses at a locus: the definition, or the reference when the
    /// definition is silent and `assume_reference` is on.
    fn mask(&self, h: usize, locus: usize, assume_reference: bool) -> Mask {
        match self.compiled.raw[h][locus] {
            None if assume_reference => Some(1),
            m => m,
        }
    }

    /// Whether allele `h` fits at least one strand everywhere.
    fn compatible(&self, h: usize, assume_reference: bool) -> bool {
        self.avail.iter().all(|(i, g)| {
            let m = self.mask(h, *i, assume_reference);
            accepts(m, g.a) || accepts(m, g.b_or_a())
        })
    }

    /// Whether alleles `h1` and `h2` fit complementary strands, and if so the pair's
    /// score: the number of defined cells the two alleles matched. An IUPAC wobble cell
    /// counts only where the strand it sits on carries a non-reference allele (a wobble
    /// that merely admits the reference says nothing specific); when both orientations
    /// of a phase block fit, the better-scoring one is taken.
    fn pair_score(&self, h1: usize, h2: usize, assume_reference: bool) -> Option<u32> {
        let mut ok = vec![[true, true]; self.n_blocks];
        let mut bonus = vec![[0u32, 0u32]; self.n_blocks];
        let mut score = 0u32;
        let wob1 = &self.compiled.wobble[h1];
        let wob2 = &self.compiled.wobble[h2];
        let def1 = &self.compiled.raw[h1];
        let def2 = &self.compiled.raw[h2];
        // Points for hap `h` (cells `def`, `wob`) carrying allele `x` at locus `i`.
        let pts = |def: &[Mask], wob: &[bool], i: usize, x: AlleleId| -> u32 {
            match def[i] {
                None => 0,
                Some(_) if wob[i] && x == 0 => 0,
                Some(_) => 1,
            }
        };
        for (k, (i, g)) in self.avail.iter().enumerate() {
            let m1 = self.mask(h1, *i, assume_reference);
            let m2 = self.mask(h2, *i, assume_reference);
            let b = g.b_or_a();
            match self.block[k] {
                None => {
                    if !(accepts(m1, g.a) && accepts(m2, b)) {
                        return None;
                    }
                    score += pts(def1, wob1, *i, g.a) + pts(def2, wob2, *i, b);
                }
                Some(blk) => {
                    let o = &mut ok[blk];
                    o[0] &= accepts(m1, g.a) && accepts(m2, b);
                    o[1] &= accepts(m1, b) && accepts(m2, g.a);
                    if !o[0] && !o[1] {
                        return None;
                    }
                    bonus[blk][0] += pts(def1, wob1, *i, g.a) + pts(def2, wob2, *i, b);
                    bonus[blk][1] += pts(def1, wob1, *i, b) + pts(def2, wob2, *i, g.a);
                }
            }
        }
        for (o, b) in ok.iter().zip(&bonus) {
            score += match (o[0], o[1]) {
                (true, true) => b[0].max(b[1]),
                (true, false) => b[0],
                _ => b[1],
            };
        }
        Some(score)
    }

    /// Score of a single allele on a haploid sample (same wobble rule).
    fn haploid_score(&self, h: usize) -> u32 {
        let (def, wob) = (&self.compiled.raw[h], &self.compiled.wobble[h]);
        self.avail
            .iter()
            .map(|(i, g)| match def[*i] {
                None => 0,
                Some(_) if wob[*i] && g.a == 0 => 0,
                Some(_) => 1,
            })
            .sum()
    }
}

fn diplotypes(view: &SampleView<'_>, usable: &[usize], top_only: bool) -> Vec<DiplotypeMatch> {
    let candidates: Vec<usize> = usable
        .iter()
        .copied()
        .filter(|h| view.compatible(*h, true))
        .collect();
    let mut out = Vec::new();
    if view.haploid {
        for h in &candidates {
            out.push(DiplotypeMatch {
                hap1: vec![*h],
                hap2: None,
                score: view.haploid_score(*h),
            });
        }
    } else {
        for x in 0..candidates.len() {
            for y in x..candidates.len() {
                if let Some(score) = view.pair_score(candidates[x], candidates[y], true) {
                    out.push(DiplotypeMatch {
                        hap1: vec![candidates[x]],
                        hap2: Some(vec![candidates[y]]),
                        score,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.hap1.cmp(&b.hap1))
            .then_with(|| a.hap2.cmp(&b.hap2))
    });
    if top_only {
        if let Some(top) = out.first().map(|d| d.score) {
            out.retain(|d| d.score == top);
        }
    }
    out
}

/// Label of a diplotype as the definition names its alleles (`*1/*2`).
pub fn diplotype_label(model: &GeneModel, d: &DiplotypeMatch) -> String {
    let strand = |s: &[usize]| {
        s.iter()
            .map(|h| model.alleles[*h].name.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    match &d.hap2 {
        None => strand(&d.hap1),
        Some(h2) => format!("{}/{}", strand(&d.hap1), strand(h2)),
    }
}

fn apply_unphased_priorities(
    model: &GeneModel,
    view: &SampleView<'_>,
    diplotypes: &mut Vec<DiplotypeMatch>,
) {
    if diplotypes.len() < 2 || view.n_blocks <= 1 || model.unphased_priorities.is_empty() {
        return;
    }
    let labels: BTreeSet<String> = diplotypes
        .iter()
        .map(|d| diplotype_label(model, d))
        .collect();
    for rule in &model.unphased_priorities {
        if rule.candidates == labels {
            diplotypes.retain(|d| diplotype_label(model, d) == rule.pick);
            return;
        }
    }
}

/// Lowest-function calling (DPYD, RYR1).
///
/// With orientation known (phased, or at most one heterozygous block), an exact
/// diplotype is reported when exactly one exists; otherwise each strand is the
/// combination of variant alleles it carries. Unphased data with several heterozygous
/// loci cannot be resolved into strands, so every variant allele found is listed with
/// its copy number; the phenotype step then takes the two lowest-function alleles.
fn lowest_function(
    model: &GeneModel,
    view: &SampleView<'_>,
    usable: &[usize],
    result: &mut GeneMatch,
) {
    let reference = model.reference_index();
    let variants: Vec<usize> = usable
        .iter()
        .copied()
        .filter(|h| Some(*h) != reference)
        .collect();
    if view.n_blocks <= 1 {
        let exact = diplotypes(view, usable, false);
        if exact.len() == 1 {
            result.diplotypes = exact;
            return;
        }
        // Strand A takes each locus's first allele, strand B the second.
        let strand = |second: bool| -> Vec<usize> {
            let found: Vec<usize> = variants
                .iter()
                .copied()
                .filter(|h| {
                    let mut any = false;
                    let fits = view.avail.iter().all(|(i, g)| {
                        let m = view.compiled.raw[*h][*i];
                        if m.is_some() {
                            any = true;
                        }
                        accepts(m, if second { g.b_or_a() } else { g.a })
                    });
                    fits && any
                })
                .collect();
            let found = remove_subsumed(model, view, found);
            if found.is_empty() {
                reference.into_iter().collect()
            } else {
                found
            }
        };
        let (mut s1, mut s2) = (strand(false), strand(true));
        if view.haploid {
            result.diplotypes = vec![DiplotypeMatch {
                score: s1.iter().map(|h| view.haploid_score(*h)).sum(),
                hap1: s1,
                hap2: None,
            }];
            return;
        }
        if s2 < s1 {
            std::mem::swap(&mut s1, &mut s2);
        }
        let score = strand_score(view, &s1, false) + strand_score(view, &s2, true);
        result.diplotypes = vec![DiplotypeMatch {
            hap1: s1,
            hap2: Some(s2),
            score,
        }];
        return;
    }
    let mut found = Vec::new();
    for h in variants {
        let mut any = false;
        let mut both = true;
        let fits = view.avail.iter().all(|(i, g)| {
            let m = view.compiled.raw[h][*i];
            if m.is_none() {
                return true;
            }
            any = true;
            let (a, b) = (accepts(m, g.a), accepts(m, g.b_or_a()));
            both &= a && b;
            a || b
        });
        if fits && any {
            found.push((h, if both { 2 } else { 1 }));
        }
    }
    let kept = remove_subsumed(model, view, found.iter().map(|(h, _)| *h).collect());
    found.retain(|(h, _)| kept.contains(h));
    // The reference haplotype is listed when a strand can be all reference and it is
    // needed to make up two haplotypes (one multi-locus variant allele, as HapB3).
    let copies: u8 = found.iter().map(|(_, n)| *n).sum();
    if let Some(r) = reference {
        if copies < 2 && view.compatible(r, true) {
            found.insert(0, (r, 2 - copies));
        }
    }
    result.haplotype_list = Some(found);
}

/// Score of a strand's alleles, with strand A taking each locus's first allele.
fn strand_score(view: &SampleView<'_>, strand: &[usize], second: bool) -> u32 {
    strand
        .iter()
        .map(|h| {
            let (def, wob) = (&view.compiled.raw[*h], &view.compiled.wobble[*h]);
            view.avail
                .iter()
                .map(|(i, g)| {
                    let x = if second { g.b_or_a() } else { g.a };
                    match def[*i] {
                        None => 0,
                        Some(_) if wob[*i] && x == 0 => 0,
                        Some(_) => 1,
                    }
                })
                .sum::<u32>()
        })
        .sum()
}

/// Drops alleles whose defined loci are a strict subset of another found allele's, so
/// that a multi-variant haplotype is not also reported as its parts.
fn remove_subsumed(model: &GeneModel, view: &SampleView<'_>, found: Vec<usize>) -> Vec<usize> {
    let defined = |h: usize| -> BTreeSet<usize> {
        view.avail
            .iter()
            .map(|(i, _)| *i)
            .filter(|i| model.alleles[h].alleles[*i].is_defined())
            .collect()
    };
    let sets: Vec<BTreeSet<usize>> = found.iter().map(|h| defined(*h)).collect();
    found
        .iter()
        .enumerate()
        .filter(|(x, _)| {
            !sets.iter().enumerate().any(|(y, other)| {
                y != *x && sets[*x].len() < other.len() && sets[*x].is_subset(other)
            })
        })
        .map(|(_, h)| *h)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Locus, NamedAlleleModel};

    fn locus(pos: u64, r: &str, alt: &str) -> Locus {
        Locus {
            chromosome: "chr1".into(),
            position: pos,
            rsid: None,
            ref_allele: r.into(),
            alts: vec![alt.into()],
        }
    }

    fn allele(name: &str, reference: bool, cells: &[Option<&str>]) -> NamedAlleleModel {
        NamedAlleleModel {
            name: name.into(),
            reference,
            alleles: cells
                .iter()
                .map(|c| AlleleSpec::from_definition(*c))
                .collect(),
        }
    }

    /// A three-locus gene: *2 at locus 0, *3 at locus 1, *4 = loci 0 and 2.
    fn toy() -> (GeneModel, Vec<AlleleTable>) {
        let loci = vec![
            locus(10, "A", "G"),
            locus(20, "C", "T"),
            locus(30, "G", "A"),
        ];
        let tables = loci
            .iter()
            .map(|l| AlleleTable::new(l.documented_alleles()))
            .collect();
        let model = GeneModel {
            gene: "TOY".into(),
            chromosome: "chr1".into(),
            alleles: vec![
                allele("*1", true, &[Some("A"), Some("C"), Some("G")]),
                allele("*2", false, &[Some("G"), None, None]),
                allele("*3", false, &[None, Some("T"), None]),
                allele("*4", false, &[Some("G"), None, Some("A")]),
            ],
            loci,
            ignored_loci: BTreeSet::new(),
            required_loci: BTreeSet::new(),
            unphased_priorities: Vec::new(),
            undocumented_as_reference: false,
            mode: CallingMode::Diplotype,
        };
        (model, tables)
    }

    fn call(
        model: &GeneModel,
        tables: &[AlleleTable],
        calls: &[Option<LocusGenotype>],
    ) -> Vec<String> {
        let compiled = CompiledGene::new(model, tables);
        let m = match_gene(model, &compiled, calls, MatchOptions::default());
        m.diplotypes
            .iter()
            .map(|d| diplotype_label(model, d))
            .collect()
    }

    /// Extending the documented-only compilation with the alleles an input added gives
    /// the same masks as compiling afresh, wobble cells and symbolic alleles included.
    #[test]
    fn extended_compilation_equals_a_fresh_one() {
        let (mut model, documented) = toy();
        model
            .alleles
            .push(allele("*5", false, &[Some("W"), None, None]));
        let pre = CompiledGene::new(&model, &documented);
        assert_eq!(pre.extended(&model, &documented), pre);
        let mut tables = documented.clone();
        for (locus, added) in [(0, "T"), (0, "<*>"), (1, "CT"), (2, "C")] {
            tables[locus].intern(added);
        }
        assert!(!tables[0].only_documented() && documented[0].only_documented());
        let fresh = CompiledGene::new(&model, &tables);
        assert_ne!(fresh, pre, "the wobble W (A/T) accepts the added T");
        assert_eq!(pre.extended(&model, &tables), fresh);
    }

    #[test]
    fn reference_homozygote() {
        let (m, t) = toy();
        let g = Some(LocusGenotype::unphased(0, 0));
        assert_eq!(call(&m, &t, &[g, g, g]), vec!["*1/*1"]);
    }

    #[test]
    fn unphased_double_het_is_ambiguous_or_resolved_by_score() {
        let (m, t) = toy();
        let het = Some(LocusGenotype::unphased(0, 1));
        let hom = Some(LocusGenotype::unphased(0, 0));
        // Het at loci 0 and 1: *2/*3 (trans) fits; cis would need an allele with both.
        assert_eq!(call(&m, &t, &[het, het, hom]), vec!["*2/*3"]);
        // Het at loci 0 and 2: *1/*4 (cis) beats *2/... since *4 scores 2.
        assert_eq!(call(&m, &t, &[het, hom, het]), vec!["*1/*4"]);
    }

    #[test]
    fn phased_orientation_is_respected() {
        let (m, t) = toy();
        let hom = Some(LocusGenotype::unphased(0, 0));
        let p01 = Some(LocusGenotype::phased(0, 1));
        let p10 = Some(LocusGenotype::phased(1, 0));
        // G on strand 2 at locus 0, A on strand 1 at locus 2: trans, so not *4.
        assert_eq!(call(&m, &t, &[p01, hom, p10]), Vec::<String>::new());
        assert_eq!(call(&m, &t, &[p01, hom, p01]), vec!["*1/*4"]);
    }

    #[test]
    fn phase_sets_only_bind_loci_within_a_set() {
        let (m, t) = toy();
        let hom = Some(LocusGenotype::unphased(0, 0));
        let ps = |a, b, set| {
            Some(LocusGenotype {
                phase_set: Some(set),
                ..LocusGenotype::phased(a, b)
            })
        };
        // Same phase set, variants on opposite strands: *4 (both in cis) cannot fit.
        assert_eq!(
            call(&m, &t, &[ps(0, 1, 7), hom, ps(1, 0, 7)]),
            Vec::<String>::new()
        );
        // Different phase sets: the relative orientation is unknown, so cis is possible.
        assert_eq!(
            call(&m, &t, &[ps(0, 1, 7), hom, ps(1, 0, 9)]),
            vec!["*1/*4"]
        );
    }

    #[test]
    fn missing_locus_makes_allele_uncallable() {
        let (m, t) = toy();
        let compiled = CompiledGene::new(&m, &t);
        let hom = Some(LocusGenotype::unphased(0, 0));
        let r = match_gene(&m, &compiled, &[hom, None, hom], MatchOptions::default());
        assert_eq!(r.missing_loci, vec![1]);
        assert_eq!(r.uncallable_alleles, vec![2]);
        assert_eq!(r.diplotypes.len(), 1);
    }

    #[test]
    fn undocumented_allele_blocks_the_call_unless_read_as_reference() {
        let (mut m, mut t) = toy();
        let novel = t[1].intern("A");
        let hom = Some(LocusGenotype::unphased(0, 0));
        let odd = Some(LocusGenotype::unphased(0, novel));
        let compiled = CompiledGene::new(&m, &t);
        let r = match_gene(&m, &compiled, &[hom, odd, hom], MatchOptions::default());
        assert_eq!(r.no_call, Some(NoCallReason::NoMatch));
        assert_eq!(r.undocumented_loci, vec![1]);
        m.undocumented_as_reference = true;
        assert_eq!(call(&m, &t, &[hom, odd, hom]), vec!["*1/*1"]);
    }

    #[test]
    fn haploid_calls_have_one_allele() {
        let (m, t) = toy();
        let r = Some(LocusGenotype::haploid(0));
        let a = Some(LocusGenotype::haploid(1));
        assert_eq!(call(&m, &t, &[a, r, r]), vec!["*2"]);
    }
}
