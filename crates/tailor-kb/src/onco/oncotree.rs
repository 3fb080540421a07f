//! The OncoTree tumour-type hierarchy (cBioPortal/oncotree, CC BY 4.0).
//!
//! Evidence is written for a tumour type at some level of the tree (`NSCLC`) and a
//! patient has the most specific type their pathologist knows (`LUAD`): matching walks
//! from the patient's type up to the root. `SOLID` and `ANY` are the curated tables'
//! two pseudo-codes for tumour-agnostic evidence.

use super::table::Table;
use crate::Error;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Pseudo-code for every solid tumour: any node not under `MYELOID` or `LYMPH`.
pub const SOLID: &str = "SOLID";
/// Pseudo-code for every tumour type.
pub const ANY: &str = "ANY";
/// The haematological branches that `SOLID` excludes.
const HAEMATOLOGICAL: [&str; 2] = ["MYELOID", "LYMPH"];

/// One OncoTree node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TumorType {
    /// Upper-case code (`LUAD`).
    pub code: String,
    /// Name (`Lung Adenocarcinoma`).
    pub name: String,
    /// Main type (`Non-Small Cell Lung Cancer`).
    pub main_type: String,
    /// Tissue (`Lung`).
    pub tissue: String,
    /// Parent code; `None` for the root `TISSUE`.
    pub parent: Option<String>,
    /// Depth, 0 for the root.
    pub level: u8,
    /// UMLS concept, when OncoTree gives one.
    pub umls: Option<String>,
    /// NCI Thesaurus code, when OncoTree gives one.
    pub nci: Option<String>,
}

/// The tree: nodes sorted by code, each with the index of its parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OncoTree {
    nodes: Vec<TumorType>,
    parents: Vec<Option<u32>>,
}

/// Edit distance (Levenshtein) between two short ASCII-ish strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

impl OncoTree {
    /// Builds the tree from nodes; fails when a parent is missing, a code repeats or a
    /// parent chain loops. Public so that other crates' tests can build small trees.
    pub fn new(mut nodes: Vec<TumorType>) -> Result<Self, String> {
        for n in &mut nodes {
            n.code = n.code.to_ascii_uppercase();
            n.parent = n.parent.take().map(|p| p.to_ascii_uppercase());
        }
        nodes.sort_by(|a, b| a.code.cmp(&b.code));
        if let Some(w) = nodes.windows(2).find(|w| w[0].code == w[1].code) {
            return Err(format!("OncoTree code {} appears twice", w[0].code));
        }
        let find = |code: &str| nodes.binary_search_by(|n| n.code.as_str().cmp(code)).ok();
        let mut parents = Vec::with_capacity(nodes.len());
        for n in &nodes {
            parents.push(match &n.parent {
                None => None,
                Some(p) => {
                    let i = find(p).ok_or_else(|| {
                        format!("OncoTree node {} has unknown parent {p}", n.code)
                    })?;
                    Some(u32::try_from(i).map_err(|_| "OncoTree too large".to_string())?)
                }
            });
        }
        let tree = Self { nodes, parents };
        for i in 0..tree.nodes.len() {
            if tree.chain(i).count() > tree.nodes.len() {
                return Err(format!(
                    "OncoTree parent chain of {} loops",
                    tree.nodes[i].code
                ));
            }
        }
        Ok(tree)
    }

    /// Reads the flat TSV (`code name main_type tissue parent level umls nci`).
    pub(crate) fn from_flat_tsv(path: &Path, text: &str) -> Result<Self, Error> {
        const COLUMNS: [&str; 8] = [
            "code",
            "name",
            "main_type",
            "tissue",
            "parent",
            "level",
            "umls",
            "nci",
        ];
        let table = Table::parse(path, text, &COLUMNS, false)?;
        let mut nodes = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let level = table.cell(row, "level");
            let opt = |c: &str| (!c.trim().is_empty()).then(|| c.trim().to_string());
            nodes.push(TumorType {
                code: table.cell(row, "code").required()?.to_string(),
                name: table.cell(row, "name").required()?.to_string(),
                main_type: table.cell(row, "main_type").value.trim().to_string(),
                tissue: table.cell(row, "tissue").value.trim().to_string(),
                parent: opt(table.cell(row, "parent").value),
                level: level
                    .required()?
                    .parse()
                    .map_err(|_| level.error(format!("`{}` is not a level", level.value)))?,
                umls: opt(table.cell(row, "umls").value),
                nci: opt(table.cell(row, "nci").value),
            });
        }
        Self::new(nodes).map_err(|m| Error::table(path, 1, 1, "code", m))
    }

    fn index(&self, code: &str) -> Option<usize> {
        let upper;
        let code = if code.bytes().any(|b| b.is_ascii_lowercase()) {
            upper = code.to_ascii_uppercase();
            upper.as_str()
        } else {
            code
        };
        self.nodes
            .binary_search_by(|n| n.code.as_str().cmp(code))
            .ok()
    }

    /// Indices from `i` up to the root (inclusive).
    fn chain(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let mut next = Some(i);
        let mut steps = 0usize;
        std::iter::from_fn(move || {
            let cur = next?;
            steps += 1;
            // Guards against loops in hand-made trees (`new` rejects them).
            if steps > self.nodes.len() + 1 {
                return None;
            }
            next = self.parents.get(cur).copied().flatten().map(|p| p as usize);
            Some(cur)
        })
    }

    /// The node with this code (case-insensitive).
    ///
    /// ```no_run
    /// # let kb = tailor_kb::build(&tailor_kb::default_source_paths())?;
    /// let luad = kb.onco().oncotree().get("luad").expect("known");
    /// assert_eq!(luad.name, "Lung Adenocarcinoma");
    /// # Ok::<(), tailor_kb::Error>(())
    /// ```
    pub fn get(&self, code: &str) -> Option<&TumorType> {
        self.index(code).and_then(|i| self.nodes.get(i))
    }

    /// Whether `code` is a real code or one of the pseudo-codes `SOLID`/`ANY`
    /// (case-insensitive) — what a curated table's `tumor_type` may hold.
    pub fn is_known_scope(&self, code: &str) -> bool {
        code.eq_ignore_ascii_case(SOLID)
            || code.eq_ignore_ascii_case(ANY)
            || self.get(code).is_some()
    }

    /// Every node, sorted by code.
    pub fn nodes(&self) -> &[TumorType] {
        &self.nodes
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// `code` and its ancestors, most specific first (`LUAD, NSCLC, LUNG, TISSUE`).
    /// Empty for an unknown code.
    pub fn ancestors(&self, code: &str) -> Vec<&TumorType> {
        self.index(code)
            .map(|i| self.chain(i).filter_map(|j| self.nodes.get(j)).collect())
            .unwrap_or_default()
    }

    /// Whether evidence written for `ancestor` applies to a patient with `code`:
    /// `ancestor` is `code` itself or one of its ancestors; `ANY` covers every known
    /// code; `SOLID` every known code not under `MYELOID` or `LYMPH`. Unknown codes
    /// match nothing. Case-insensitive.
    ///
    /// ```no_run
    /// # let kb = tailor_kb::build(&tailor_kb::default_source_paths())?;
    /// let tree = kb.onco().oncotree();
    /// assert!(tree.is_within("LUAD", "NSCLC"));
    /// assert!(tree.is_within("LUAD", "SOLID"));
    /// assert!(!tree.is_within("AML", "SOLID"));
    /// # Ok::<(), tailor_kb::Error>(())
    /// ```
    pub fn is_within(&self, code: &str, ancestor: &str) -> bool {
        let Some(i) = self.index(code) else {
            return false;
        };
        if ancestor.eq_ignore_ascii_case(ANY) {
            return true;
        }
        if ancestor.eq_ignore_ascii_case(SOLID) {
            return !self
                .chain(i)
                .any(|j| HAEMATOLOGICAL.contains(&self.nodes[j].code.as_str()));
        }
        match self.index(ancestor) {
            Some(a) => self.chain(i).any(|j| j == a),
            None => false,
        }
    }

    /// Nearest known codes for a code that is not in the tree, best first, at most five:
    /// codes within a small edit distance or sharing its prefix, and nodes whose name
    /// contains the text (so `melanoma` suggests `MEL`). For messages such as
    /// "unknown OncoTree code NSLC; did you mean NSCLC (Non-Small Cell Lung Cancer)?".
    pub fn suggest(&self, code: &str) -> Vec<(String, String)> {
        let query = code.trim().to_ascii_uppercase();
        if query.is_empty() {
            return Vec::new();
        }
        let lower = code.trim().to_lowercase();
        let mut scored: Vec<(usize, &TumorType)> = Vec::new();
        for n in &self.nodes {
            let d = edit_distance(&query, &n.code);
            let name = n.name.to_lowercase();
            // Exact name, then one typo, then a prefix (`COAD` -> `COADREAD`), then two
            // typos, then a name containing the text.
            let score = if name == lower {
                0
            } else if d == 1 && query.len() >= 2 {
                1
            } else if query.len() >= 3 && n.code.starts_with(&query) {
                2
            } else if d == 2 && query.len() >= 3 {
                3
            } else if lower.len() >= 4 && name.contains(&lower) {
                4
            } else {
                continue;
            };
            scored.push((score, n));
        }
        scored.sort_by(|a, b| (a.0, a.1.level, &a.1.code).cmp(&(b.0, b.1.level, &b.1.code)));
        scored
            .into_iter()
            .take(5)
            .map(|(_, n)| (n.code.clone(), n.name.clone()))
            .collect()
    }

    /// "unknown OncoTree code X; did you mean A (name), B (name)?" — shared wording for
    /// every caller that rejects a code.
    pub fn unknown_code_message(&self, code: &str) -> String {
        let s = self.suggest(code);
        if s.is_empty() {
            format!("unknown OncoTree code `{code}` (nor SOLID/ANY)")
        } else {
            let list: Vec<String> = s.iter().map(|(c, n)| format!("{c} ({n})")).collect();
            format!(
                "unknown OncoTree code `{code}`; did you mean {}?",
                list.join(", ")
            )
        }
    }

    /// The node whose name equals `name` (case-insensitive), if exactly one does.
    pub fn by_name(&self, name: &str) -> Option<&TumorType> {
        let mut hits = self
            .nodes
            .iter()
            .filter(|n| n.name.eq_ignore_ascii_case(name.trim()));
        let first = hits.next()?;
        hits.next().is_none().then_some(first)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small tree for unit tests across the onco module.
    pub(crate) fn small_tree() -> OncoTree {
        let text = "code\tname\tmain_type\ttissue\tparent\tlevel\tumls\tnci\n\
            TISSUE\tTissue\t\t\t\t0\t\t\n\
            LUNG\tLung\tLung Cancer\tLung\tTISSUE\t1\t\t\n\
            NSCLC\tNon-Small Cell Lung Cancer\tNSCLC\tLung\tLUNG\t2\tC0007131\t\n\
            LUAD\tLung Adenocarcinoma\tNSCLC\tLung\tNSCLC\t3\tC0152013\t\n\
            BOWEL\tBowel\tBowel Cancer\tBowel\tTISSUE\t1\t\t\n\
            COADREAD\tColorectal Adenocarcinoma\tColorectal Cancer\tBowel\tBOWEL\t2\t\t\n\
            SKIN\tSkin\tSkin Cancer\tSkin\tTISSUE\t1\t\t\n\
            MEL\tMelanoma\tMelanoma\tSkin\tSKIN\t2\tC0025202\t\n\
            BREAST\tBreast\tBreast Cancer\tBreast\tTISSUE\t1\t\t\n\
            BRCA\tInvasive Breast Carcinoma\tBreast Cancer\tBreast\tBREAST\t2\t\t\n\
            MYELOID\tMyeloid\tBlood Cancer\tMyeloid\tTISSUE\t1\t\t\n\
            AML\tAcute Myeloid Leukemia\tLeukemia\tMyeloid\tMYELOID\t2\t\t\n";
        OncoTree::from_flat_tsv(Path::new("oncotree.tsv"), text).expect("small tree")
    }

    #[test]
    fn ancestry_and_pseudo_codes() {
        let t = small_tree();
        assert_eq!(t.len(), 12);
        assert!(t.is_within("LUAD", "NSCLC"));
        assert!(t.is_within("luad", "lung"));
        assert!(t.is_within("LUAD", "LUAD"));
        assert!(!t.is_within("NSCLC", "LUAD"));
        assert!(!t.is_within("COADREAD", "NSCLC"));
        assert!(t.is_within("LUAD", "SOLID"));
        assert!(!t.is_within("AML", "SOLID"));
        assert!(t.is_within("AML", "ANY"));
        assert!(!t.is_within("NOPE", "ANY"));
        assert!(!t.is_within("LUAD", "NOPE"));
        let chain: Vec<&str> = t
            .ancestors("LUAD")
            .iter()
            .map(|n| n.code.as_str())
            .collect();
        assert_eq!(chain, ["LUAD", "NSCLC", "LUNG", "TISSUE"]);
        assert!(t.ancestors("NOPE").is_empty());
        assert!(t.is_known_scope("solid") && t.is_known_scope("Any") && !t.is_known_scope("X"));
        assert_eq!(t.by_name("melanoma").map(|n| n.code.as_str()), Some("MEL"));
    }

    #[test]
    fn suggestions() {
        let t = small_tree();
        let codes = |q: &str| -> Vec<String> { t.suggest(q).into_iter().map(|(c, _)| c).collect() };
        assert_eq!(codes("NSLC").first().map(String::as_str), Some("NSCLC"));
        assert_eq!(codes("LUADX").first().map(String::as_str), Some("LUAD"));
        assert_eq!(codes("melanoma").first().map(String::as_str), Some("MEL"));
        assert_eq!(codes("COAD").first().map(String::as_str), Some("COADREAD"));
        assert!(codes("ZZZZZZZZ").is_empty());
        let m = t.unknown_code_message("NSLC");
        assert!(
            m.contains("did you mean NSCLC (Non-Small Cell Lung Cancer)"),
            "{m}"
        );
    }

    #[test]
    fn rejects_broken_trees() {
        let node = |c: &str, p: Option<&str>| TumorType {
            code: c.into(),
            name: c.into(),
            main_type: String::new(),
            tissue: String::new(),
            parent: p.map(str::to_string),
            level: 0,
            umls: None,
            nci: None,
        };
        assert!(OncoTree::new(vec![node("A", Some("B"))])
            .expect_err("missing parent")
            .contains("unknown parent B"));
        assert!(OncoTree::new(vec![node("A", None), node("a", None)])
            .expect_err("dup")
            .contains("twice"));
        assert!(
            OncoTree::new(vec![node("A", Some("B")), node("B", Some("A"))])
                .expect_err("loop")
                .contains("loops")
        );
        let e = OncoTree::from_flat_tsv(
            Path::new("o.tsv"),
            "code\tname\tmain_type\ttissue\tparent\tlevel\tumls\tnci\nA\tA\t\t\t\tzero\t\t\n",
        )
        .expect_err("bad level");
        assert!(e.to_string().starts_with("o.tsv:2:"), "{e}");
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("NSLC", "NSCLC"), 1);
        assert_eq!(edit_distance("", "AB"), 2);
        assert_eq!(edit_distance("MEL", "MEL"), 0);
    }
}
