//! Importer for CIViC's nightly `nightly-ClinicalEvidenceSummaries.tsv` (CC0).
//!
//! Optional input: when given, accepted *predictive* evidence items with a
//! sensitivity/response or resistance significance become [`EvidenceRow`]s beside the
//! curated ones. Nothing is guessed: a molecular profile that does not map cleanly onto
//! an [`AlterationPattern`] (combinations, `Loss`, `Overexpression`, ...) or a disease
//! that does not map onto an OncoTree code is skipped and counted in the
//! [`CivicReport`], so the number of items left out is visible in provenance.
//!
//! Columns are found by header name (the layout has changed between CIViC releases):
//! `molecular_profile disease doid therapies therapy_interaction_type evidence_type
//! evidence_direction evidence_level significance citation_id source_type
//! asco_abstract_id citation rating evidence_status evidence_id variant_origin
//! last_review_date`.
//!
//! Disease -> OncoTree, first hit wins:
//! 1. the disease map file (`civic_disease  oncotree_code`, curated; see
//!    [`crate::SourcePaths::civic_disease_map`]);
//! 2. the CIViC DOID through PCGR's `oncotree_phenotypes.tsv.gz` (DOID -> UMLS CUI) and
//!    OncoTree's UMLS column, when exactly one code (or one code and its descendants)
//!    results;
//! 3. an OncoTree node with exactly the disease's name;
//! 4. `Cancer` -> `ANY`, `Solid Tumor` -> `SOLID`.

use super::curated::{is_iso_date, Effect, EvidenceRow, Level, RowOrigin, SourceType, TumorScope};
use super::oncotree::OncoTree;
use super::pattern::{
    is_gene_symbol, Alteration, AlterationPattern, ExonKind, GeneClass, ProteinChange,
};
use super::table::Table;
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// What the CIViC import kept and left out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CivicReport {
    /// Evidence items read.
    pub items: usize,
    /// Evidence rows produced (a "Substitutes" item gives one row per drug).
    pub imported_rows: usize,
    /// Items left out, by reason (`not accepted`, `unrecognised molecular profile`, ...).
    pub skipped: BTreeMap<String, usize>,
    /// Newest `last_review_date` seen, as the data version.
    pub newest_review: Option<String>,
}

impl CivicReport {
    fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }

    /// Total items skipped.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// Maps CIViC disease names / DOIDs to OncoTree scopes.
pub(crate) struct DiseaseMap {
    by_name: HashMap<String, TumorScope>,
    by_doid: HashMap<String, TumorScope>,
}

fn normalise_doid(s: &str) -> String {
    let s = s.trim();
    let digits = s
        .strip_prefix("DOID:")
        .or_else(|| s.strip_prefix("doid:"))
        .unwrap_or(s);
    format!("DOID:{digits}")
}

impl DiseaseMap {
    /// Builds the map from the curated file (if any) and the PCGR DOID/UMLS table (if
    /// any), against the tree.
    pub(crate) fn new(
        tree: &OncoTree,
        curated: Option<(&Path, &str)>,
        pcgr_phenotypes: Option<&str>,
    ) -> Result<Self, Error> {
        let mut by_name = HashMap::new();
        if let Some((path, text)) = curated {
            let table = Table::parse(path, text, &["civic_disease", "oncotree_code"], false)?;
            for row in &table.rows {
                let disease = table.cell(row, "civic_disease").required()?.to_lowercase();
                let code_cell = table.cell(row, "oncotree_code");
                let scope = super::curated::tumor_scope(tree, code_cell.required()?)
                    .map_err(|m| code_cell.error(m))?;
                by_name.insert(disease, scope);
            }
        }
        let mut by_doid = HashMap::new();
        if let Some(text) = pcgr_phenotypes {
            // OncoTree UMLS cells may hold several CUIs separated by `;`.
            let mut cui_to_codes: HashMap<&str, Vec<&str>> = HashMap::new();
            for n in tree.nodes() {
                for cui in n.umls.as_deref().unwrap_or("").split(';') {
                    let cui = cui.trim();
                    if !cui.is_empty() {
                        cui_to_codes.entry(cui).or_default().push(n.code.as_str());
                    }
                }
            }
            let mut doid_codes: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
            for line in text.lines().skip(1) {
                let f: Vec<&str> = line.split('\t').collect();
                let (Some(cui), Some(doid)) = (f.first(), f.get(4)) else {
                    continue;
                };
                if *doid == "NA" || doid.is_empty() {
                    continue;
                }
                if let Some(codes) = cui_to_codes.get(cui) {
                    doid_codes
                        .entry(normalise_doid(doid))
                        .or_default()
                        .extend(codes.iter().copied());
                }
            }
            for (doid, codes) in doid_codes {
                // One code, or one code that all the others descend from (DOID
                // "colon adenocarcinoma" -> COAD and COADREAD gives COADREAD).
                let root = codes
                    .iter()
                    .find(|a| codes.iter().all(|c| tree.is_within(c, a)));
                if let Some(root) = root {
                    by_doid.insert(doid, TumorScope::Code((*root).to_string()));
                }
            }
        }
        Ok(Self { by_name, by_doid })
    }

    /// The scope for a CIViC disease, or `None` when nothing maps it unambiguously.
    pub(crate) fn resolve(&self, tree: &OncoTree, disease: &str, doid: &str) -> Option<TumorScope> {
        let lower = disease.trim().to_lowercase();
        if let Some(s) = self.by_name.get(&lower) {
            return Some(s.clone());
        }
        if !doid.trim().is_empty() {
            if let Some(s) = self.by_doid.get(&normalise_doid(doid)) {
                return Some(s.clone());
            }
        }
        if let Some(n) = tree.by_name(disease) {
            return Some(TumorScope::Code(n.code.clone()));
        }
        match lower.as_str() {
            "cancer" => Some(TumorScope::Any),
            "solid tumor" => Some(TumorScope::Solid),
            _ => None,
        }
    }

    /// Number of DOIDs mapped through UMLS.
    pub(crate) fn doid_count(&self) -> usize {
        self.by_doid.len()
    }
}

/// Parses a CIViC molecular profile name into an alteration, or `None` when it is not
/// one of the recognised single-alteration forms: `BRAF V600E`, `KRAS G12`,
/// `EGFR Exon 19 Deletion`, `EGFR Exon 20 Insertion`, `MET Exon 14 Skipping Mutation`,
/// `KIT Exon 11 Mutation`, `ALK Fusion`, `EML4::ALK Fusion`, `ALK EML4-ALK`,
/// `ERBB2 Amplification`, `CDKN2A Deletion`, `KRAS Mutation`,
/// `BRCA2 Truncating Mutation`, `BRAF Oncogenic Mutation`.
///
/// ```
/// use tailor_kb::onco::parse_civic_profile;
/// assert_eq!(parse_civic_profile("EGFR Exon 19 Deletion").unwrap().to_string(),
///            "EGFR exon 19 in-frame deletion");
/// assert!(parse_civic_profile("EGFR L858R AND EGFR T790M").is_none());
/// ```
pub fn parse_civic_profile(name: &str) -> Option<Alteration> {
    let name = name.trim();
    if name.contains(" AND ") || name.contains(" OR ") || name.starts_with("NOT ") {
        return None;
    }
    let (gene, rest) = name.split_once(' ')?;
    let rest = rest.trim();
    let lower = rest.to_ascii_lowercase();
    let alteration = |gene: &str, pattern| {
        Some(Alteration {
            gene: Some(gene.to_string()),
            pattern,
        })
    };
    // Fusion features are named `FIVE::THREE`.
    if let Some((a, b)) = gene.split_once("::") {
        return (lower == "fusion" && is_gene_symbol(a) && is_gene_symbol(b) && a != b).then(
            || Alteration {
                gene: Some(b.to_string()),
                pattern: AlterationPattern::Fusion {
                    partner: Some((a.to_string(), b.to_string())),
                },
            },
        );
    }
    if !is_gene_symbol(gene) {
        return None;
    }
    match lower.as_str() {
        "fusion" | "fusions" => {
            return alteration(gene, AlterationPattern::Fusion { partner: None })
        }
        "amplification" => return alteration(gene, AlterationPattern::Amplification),
        "deletion" => return alteration(gene, AlterationPattern::Deletion),
        "mutation" | "mutations" => {
            return alteration(gene, AlterationPattern::Gene(GeneClass::Any))
        }
        "oncogenic mutation" => {
            return alteration(gene, AlterationPattern::Gene(GeneClass::Oncogenic))
        }
        "truncating mutation" => {
            return alteration(gene, AlterationPattern::Gene(GeneClass::Truncating))
        }
        _ => {}
    }
    // Older fusion variants: `ALK EML4-ALK` (one partner is the gene).
    if let Some((a, b)) = rest.split_once('-').or_else(|| rest.split_once("::")) {
        if (a == gene || b == gene) && a != b && is_gene_symbol(a) && is_gene_symbol(b) {
            return alteration(
                gene,
                AlterationPattern::Fusion {
                    partner: Some((a.to_string(), b.to_string())),
                },
            );
        }
    }
    if let Some(exon_rest) = lower.strip_prefix("exon ") {
        let (number, what) = exon_rest.split_once(' ')?;
        let exon: u32 = number.parse().ok().filter(|e| *e > 0)?;
        let kind = match what.trim_end_matches('s') {
            "deletion" | "in-frame deletion" => ExonKind::InframeDeletion,
            "insertion" | "in-frame insertion" => ExonKind::InframeInsertion,
            "skipping mutation" | "skipping" => ExonKind::Skipping,
            "missense mutation" => ExonKind::Missense,
            "mutation" => ExonKind::Any,
            _ => return None,
        };
        return alteration(gene, AlterationPattern::Exon { exon, kind });
    }
    if let Ok(change) = rest.parse::<ProteinChange>() {
        return alteration(
            gene,
            AlterationPattern::Protein {
                changes: vec![change],
            },
        );
    }
    // A bare residue (`KRAS G12`) means any change there.
    let codon = AlterationPattern::parse(super::pattern::AlterationType::Codon, rest).ok()?;
    match &codon {
        AlterationPattern::Codon { residues } if residues.len() == 1 => alteration(gene, codon),
        _ => None,
    }
}

const NEEDED: [&str; 12] = [
    "molecular_profile",
    "disease",
    "therapies",
    "evidence_type",
    "evidence_direction",
    "evidence_level",
    "significance",
    "evidence_status",
    "evidence_id",
    "citation_id",
    "source_type",
    "citation",
];

/// Imports the accepted predictive items of a CIViC nightly evidence TSV.
pub(crate) fn import(
    path: &Path,
    cited_as: &str,
    text: &str,
    tree: &OncoTree,
    diseases: &DiseaseMap,
) -> Result<(Vec<EvidenceRow>, CivicReport), Error> {
    let table = Table::parse(path, text, &NEEDED, false)?;
    let opt = |row, name: &'static str| {
        if table.has(name) {
            table.cell(row, name).value.trim()
        } else {
            ""
        }
    };
    let mut report = CivicReport::default();
    let mut rows = Vec::new();
    for row in &table.rows {
        report.items += 1;
        let cell = |name| table.cell(row, name).value.trim();
        if !cell("evidence_status").eq_ignore_ascii_case("accepted") {
            report.skip("not accepted");
            continue;
        }
        if !cell("evidence_type").eq_ignore_ascii_case("predictive") {
            report.skip("not predictive");
            continue;
        }
        if !cell("evidence_direction").eq_ignore_ascii_case("supports") {
            report.skip("direction is not Supports");
            continue;
        }
        let effect = match cell("significance").to_ascii_lowercase().as_str() {
            "sensitivity/response" | "sensitivity" | "response" => Effect::Sensitivity,
            "resistance" => Effect::Resistance,
            other => {
                report.skip(format!("significance {other}"));
                continue;
            }
        };
        let level = match cell("evidence_level") {
            "A" => Level::A,
            "B" => Level::B,
            "C" => Level::C,
            "D" | "E" => Level::D,
            _ => {
                report.skip("unknown evidence level");
                continue;
            }
        };
        let Some(alteration) = parse_civic_profile(cell("molecular_profile")) else {
            report.skip("unrecognised molecular profile");
            continue;
        };
        let Some(tumor_type) = diseases.resolve(tree, cell("disease"), opt(row, "doid")) else {
            report.skip("disease not mapped to OncoTree");
            continue;
        };
        let drugs: Vec<String> = cell("therapies")
            .split(',')
            .map(|d| d.trim().to_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        if drugs.is_empty() {
            report.skip("no therapy");
            continue;
        }
        let regimens: Vec<String> = match opt(row, "therapy_interaction_type")
            .to_ascii_lowercase()
            .as_str()
        {
            _ if drugs.len() == 1 => drugs,
            "combination" => vec![drugs.join(" + ")],
            "substitutes" => drugs,
            _ => {
                report.skip("several therapies without combination/substitutes");
                continue;
            }
        };
        if regimens
            .iter()
            .any(|r| super::curated::check_therapy(r).is_err())
        {
            report.skip("therapy name not usable");
            continue;
        }
        let eid = cell("evidence_id");
        let source = match (cell("source_type"), cell("citation_id")) {
            (s, id) if s.eq_ignore_ascii_case("pubmed") && !id.is_empty() => format!("PMID {id}"),
            (s, id) if !id.is_empty() => format!("{s} {id}"),
            _ => opt(row, "asco_abstract_id").to_string(),
        };
        let citation = format!("CIViC EID{eid}: {} ({source})", cell("citation"));
        let review = opt(row, "last_review_date");
        let date = review.get(..10).filter(|d| is_iso_date(d)).unwrap_or("");
        if !date.is_empty() && report.newest_review.as_deref() < Some(date) {
            report.newest_review = Some(date.to_string());
        }
        let note = format!(
            "CIViC {}; evidence rating {}; variant origin {}",
            cell("significance"),
            opt(row, "rating"),
            opt(row, "variant_origin")
        );
        let line = u32::try_from(row.line).unwrap_or(u32::MAX);
        for therapy in regimens {
            rows.push(EvidenceRow {
                id: format!("civic:EID{eid}"),
                alteration: alteration.clone(),
                tumor_type: tumor_type.clone(),
                therapy,
                effect,
                level,
                source_type: SourceType::Publication,
                citation: citation.clone(),
                date: date.to_string(),
                note: note.clone(),
                origin: RowOrigin {
                    file: cited_as.to_string(),
                    line,
                },
            });
        }
    }
    report.imported_rows = rows.len();
    Ok((rows, report))
}

#[cfg(test)]
mod tests {
    use super::super::oncotree::tests::small_tree;
    use super::*;

    #[test]
    fn profiles() {
        let show = |s: &str| parse_civic_profile(s).map(|a| a.to_string());
        assert_eq!(show("BRAF V600E").as_deref(), Some("BRAF V600E"));
        assert_eq!(show("KRAS G12").as_deref(), Some("KRAS G12"));
        assert_eq!(
            show("EGFR Exon 19 Deletion").as_deref(),
            Some("EGFR exon 19 in-frame deletion")
        );
        assert_eq!(
            show("EGFR Exon 20 Insertion").as_deref(),
            Some("EGFR exon 20 in-frame insertion")
        );
        assert_eq!(
            show("MET Exon 14 Skipping Mutation").as_deref(),
            Some("MET exon 14 skipping")
        );
        assert_eq!(show("ALK Fusion").as_deref(), Some("ALK fusion"));
        assert_eq!(
            show("EML4::ALK Fusion").as_deref(),
            Some("EML4--ALK fusion")
        );
        assert_eq!(show("ALK EML4-ALK").as_deref(), Some("EML4--ALK fusion"));
        assert_eq!(
            show("ERBB2 Amplification").as_deref(),
            Some("ERBB2 amplification")
        );
        assert_eq!(show("KRAS Mutation").as_deref(), Some("KRAS mutation"));
        assert_eq!(
            show("EGFR E746_A750del").as_deref(),
            Some("EGFR E746_A750del")
        );
        for skipped in [
            "EGFR L858R AND EGFR T790M",
            "BRAF V600E OR BRAF V600K",
            "PTEN Loss",
            "ERBB2 Overexpression",
            "EML4::ALK e6-e20",
            "BRAF",
            "KRAS G12/G13",
            "ABL1 BCR-ABL T315I",
        ] {
            assert_eq!(show(skipped), None, "{skipped}");
        }
    }

    fn fixture_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/onco")
    }

    #[test]
    fn imports_the_fixture() {
        let tree = small_tree();
        let dir = fixture_dir();
        let map_path = dir.join("civic_disease_map.tsv");
        let map_text = std::fs::read_to_string(&map_path).expect("map fixture");
        // A two-line stand-in for PCGR's DOID/UMLS table: NSCLC and melanoma by DOID.
        let pcgr = "cui\tcui_name\tprimary_site\tefo_id\tdo_id\tdo_name\n\
                    C0007131\tNon-small cell lung carcinoma\tLung\tNA\tDOID:3908\tlung non-small cell carcinoma\n\
                    C0025202\tMelanoma\tSkin\tNA\tDOID:1909\tmelanoma\n";
        let diseases =
            DiseaseMap::new(&tree, Some((&map_path, &map_text)), Some(pcgr)).expect("map");
        assert_eq!(diseases.doid_count(), 2);
        let path = dir.join("civic_evidence.tsv");
        let text = std::fs::read_to_string(&path).expect("civic fixture");
        let (rows, report) =
            import(&path, "civic_evidence.tsv", &text, &tree, &diseases).expect("import");
        assert_eq!(report.items, 11);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "civic:EID3017",
                "civic:EID1409",
                "civic:EID879",
                "civic:EID7",
                "civic:EID7",
                "civic:EID6178"
            ]
        );
        let braf = &rows[0];
        assert_eq!(braf.alteration.to_string(), "BRAF V600E");
        assert_eq!(braf.therapy, "dabrafenib + trametinib");
        assert_eq!(braf.tumor_type, TumorScope::Code("MEL".into()), "by DOID");
        assert_eq!((braf.level, braf.effect), (Level::A, Effect::Sensitivity));
        assert!(
            braf.citation.starts_with("CIViC EID3017: "),
            "{}",
            braf.citation
        );
        assert!(
            braf.citation.ends_with("(PMID 25399551)"),
            "{}",
            braf.citation
        );
        assert_eq!(braf.date, "2023-07-21");
        assert_eq!(braf.origin.to_string(), "civic_evidence.tsv:2");
        let egfr = &rows[1];
        assert_eq!(
            egfr.alteration.to_string(),
            "EGFR exon 19 in-frame deletion"
        );
        assert_eq!(egfr.tumor_type, TumorScope::Code("NSCLC".into()));
        let kras = &rows[2];
        assert_eq!(kras.alteration.to_string(), "KRAS G12");
        assert_eq!(kras.effect, Effect::Resistance);
        assert_eq!(
            kras.tumor_type,
            TumorScope::Code("COADREAD".into()),
            "curated map"
        );
        assert_eq!(kras.level, Level::B);
        // Substitutes: one row per drug, level E -> D.
        assert_eq!(
            (rows[3].therapy.as_str(), rows[4].therapy.as_str()),
            ("crizotinib", "alectinib")
        );
        assert_eq!(rows[3].alteration.to_string(), "EML4--ALK fusion");
        assert_eq!(rows[3].level, Level::D);
        assert_eq!(
            rows[3].tumor_type,
            TumorScope::Code("LUAD".into()),
            "OncoTree name"
        );
        assert_eq!(rows[5].tumor_type, TumorScope::Solid);
        assert_eq!(report.imported_rows, 6);
        let skipped: Vec<(&str, usize)> = report
            .skipped
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(
            skipped,
            [
                ("direction is not Supports", 1),
                ("disease not mapped to OncoTree", 1),
                ("not accepted", 1),
                ("not predictive", 1),
                ("significance adverse response", 1),
                ("unrecognised molecular profile", 1),
            ]
        );
        assert_eq!(report.skipped_total() + 5, report.items);
        assert_eq!(report.newest_review.as_deref(), Some("2024-03-02"));
    }
}
