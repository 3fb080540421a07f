//! BCF's dictionaries: records refer to FILTER/INFO/FORMAT keys and contigs by number.
//!
//! The numbers come from the header: `IDX=` when written (bcftools always writes it),
//! otherwise order of first appearance, with `PASS` implicitly first.

use std::collections::HashMap;

use crate::header::{DefinitionKind, Header};

#[derive(Debug, Clone, Default)]
pub(crate) struct Dictionary {
    strings: Vec<Option<String>>,
    contigs: Vec<Option<String>>,
    /// Key numbers of the fields the reader decodes.
    pub(crate) end: Option<usize>,
    pub(crate) gt: Option<usize>,
    pub(crate) ps: Option<usize>,
    /// By key number: true when the key is an INFO `Type=Flag` (rendered without `=`).
    info_flags: Vec<bool>,
    numbers: HashMap<String, usize>,
}

fn place(table: &mut Vec<Option<String>>, idx: usize, id: &str) -> Result<(), String> {
    // IDX values index a vector; refuse absurd ones instead of allocating gigabytes.
    if idx > 1_000_000 {
        return Err(format!("IDX={idx} for {id} is implausibly large"));
    }
    if table.len() <= idx {
        table.resize(idx + 1, None);
    }
    match &table[idx] {
        Some(existing) if existing != id => {
            Err(format!("IDX={idx} is given to both {existing} and {id}"))
        }
        _ => {
            table[idx] = Some(id.to_string());
            Ok(())
        }
    }
}

impl Dictionary {
    pub(crate) fn from_header(header: &Header) -> Result<Self, String> {
        let mut strings: Vec<Option<String>> = vec![Some("PASS".to_string())];
        let mut numbers: HashMap<String, usize> = HashMap::from([("PASS".to_string(), 0)]);
        for definition in header.definitions() {
            let id = definition.id.as_str();
            match (definition.idx, numbers.get(id)) {
                (Some(idx), Some(&known)) if idx != known => {
                    return Err(format!("{id} has IDX={idx} and IDX={known}"))
                }
                (_, Some(_)) => {}
                (Some(idx), None) => {
                    place(&mut strings, idx, id)?;
                    numbers.insert(id.to_string(), idx);
                }
                (None, None) => {
                    let idx = strings.len();
                    strings.push(Some(id.to_string()));
                    numbers.insert(id.to_string(), idx);
                }
            }
        }
        let mut contigs: Vec<Option<String>> = Vec::new();
        for contig in header.contigs() {
            let idx = contig.idx.unwrap_or(contigs.len());
            place(&mut contigs, idx, &contig.name)?;
        }
        let mut info_flags = vec![false; strings.len()];
        for definition in header.definitions() {
            if definition.kind == DefinitionKind::Info && definition.is_flag() {
                if let Some(flag) = numbers
                    .get(definition.id.as_str())
                    .and_then(|&n| info_flags.get_mut(n))
                {
                    *flag = true;
                }
            }
        }
        Ok(Self {
            end: numbers.get("END").copied(),
            gt: numbers.get("GT").copied(),
            ps: numbers.get("PS").copied(),
            strings,
            contigs,
            info_flags,
            numbers,
        })
    }

    pub(crate) fn string(&self, idx: i32) -> Option<&str> {
        usize::try_from(idx)
            .ok()
            .and_then(|i| self.strings.get(i))
            .and_then(Option::as_deref)
    }

    /// The key number of a FILTER/INFO/FORMAT ID.
    pub(crate) fn number(&self, id: &str) -> Option<usize> {
        self.numbers.get(id).copied()
    }

    /// True when key number `idx` is declared as an INFO flag.
    pub(crate) fn is_info_flag(&self, idx: i32) -> bool {
        usize::try_from(idx)
            .ok()
            .and_then(|i| self.info_flags.get(i))
            .copied()
            .unwrap_or(false)
    }

    pub(crate) fn contig(&self, idx: i32) -> Option<&str> {
        usize::try_from(idx)
            .ok()
            .and_then(|i| self.contigs.get(i))
            .and_then(Option::as_deref)
    }

    /// Contig names by number (for CSI indexes of BCF files, which carry no names).
    pub(crate) fn contigs(&self) -> &[Option<String>] {
        &self.contigs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(meta: &str) -> Header {
        Header::parse(&format!(
            "##fileformat=VCFv4.2\n{meta}#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        ))
        .unwrap()
    }

    #[test]
    fn implicit_numbers_follow_first_appearance_with_pass_first() {
        let h = header(
            "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n\
             ##FILTER=<ID=q10,Description=\"q\">\n\
             ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n\
             ##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n\
             ##contig=<ID=chr1>\n##contig=<ID=chr2>\n",
        );
        let d = Dictionary::from_header(&h).unwrap();
        assert_eq!(d.string(0), Some("PASS"));
        assert_eq!(d.string(1), Some("DP"));
        assert_eq!(d.string(2), Some("q10"));
        assert_eq!(d.gt, Some(3));
        assert_eq!(d.string(4), None);
        assert_eq!(d.contig(1), Some("chr2"));
        assert_eq!(d.contig(-1), None);
        assert_eq!(d.number("DP"), Some(1));
        assert_eq!(d.number("GQ"), None);
        assert!(!d.is_info_flag(1));
    }

    #[test]
    fn info_flags_are_known_by_number() {
        let h = header(
            "##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description=\"s\">\n\
             ##INFO=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n",
        );
        let d = Dictionary::from_header(&h).unwrap();
        assert!(d.is_info_flag(1));
        assert!(!d.is_info_flag(2));
        assert!(!d.is_info_flag(-4));
    }

    #[test]
    fn explicit_idx_wins_and_conflicts_are_errors() {
        let h = header(
            "##FILTER=<ID=PASS,Description=\"p\",IDX=0>\n\
             ##INFO=<ID=END,Number=1,Type=Integer,Description=\"e\",IDX=7>\n\
             ##contig=<ID=chr9,IDX=2>\n",
        );
        let d = Dictionary::from_header(&h).unwrap();
        assert_eq!(d.end, Some(7));
        assert_eq!(d.contig(2), Some("chr9"));
        assert_eq!(d.contig(0), None);
        let h = header(
            "##INFO=<ID=A,Number=1,Type=Integer,Description=\"a\",IDX=3>\n\
             ##INFO=<ID=B,Number=1,Type=Integer,Description=\"b\",IDX=3>\n",
        );
        assert!(Dictionary::from_header(&h).is_err());
    }
}
