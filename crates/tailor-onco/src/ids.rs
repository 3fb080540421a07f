//! Finding identifiers from the finding itself.
//!
//! A board signs decisions that cite findings; the same finding must carry the same id
//! whatever the order of the input rows, whatever else the input holds, and in a later
//! run of the same case. So the id is a digest of what the finding is, never its place
//! in a list. The recipe (docs/identifiers.md; stored decisions depend on it, so it
//! changes only with a new version prefix):
//!
//! - a small variant: `v1|small|{assembly}|{chrom}|{pos}|{ref}|{alt}` with the chromosome
//!   normalised (`chr7` -> `7`), alleles upper-case, MAF's `-` read as the empty allele
//!   (an insertion then sits after `Start_Position`), and the bases the two alleles share
//!   at the start, then at the end, trimmed (the position moving past the leading ones),
//!   so that a VCF's anchored indel and a MAF's unanchored one give the same key;
//! - a copy number or fusion finding: `v1|{kind}|{gene}|{alteration}` with the engine's
//!   own spelling of the alteration (`ERBB2 amplification`, `EML4--ALK`);
//! - a biomarker: `v1|biomarker|{gene}|{name}`, the name being the alteration without
//!   its measured numbers (`TMB 12.5 mut/Mb` -> `TMB mut/Mb`, `HER2 IHC 3+` ->
//!   `HER2 IHC`), so a new measurement of the same biomarker, or a TMB that moved
//!   because the input has one variant less, keeps the id;
//! - the id: `F` and the first 12 hexadecimal digits of the key's SHA-256; should one
//!   input name the same alteration twice, the second copy gets `-2`, the third `-3`, in
//!   the order of the input.

use sha2::{Digest, Sha256};
use tailor_core::normalize_chrom;
use tailor_core::onco::{FindingKind, SomaticFinding};
use tailor_core::somatic::Assembly;

/// The identity key of a finding (see the module documentation).
pub fn finding_key(f: &SomaticFinding, assembly: Assembly) -> String {
    match (&f.variant, f.kind) {
        (Some(v), FindingKind::SmallVariant) => {
            let (pos, r, a) = trimmed(v.pos, &v.ref_allele, &v.alt_allele);
            format!(
                "v1|small|{assembly}|{}|{pos}|{r}|{a}",
                normalize_chrom(&v.chrom)
            )
        }
        _ => {
            let kind = match f.kind {
                FindingKind::SmallVariant => "small",
                FindingKind::CopyNumber => "copy_number",
                FindingKind::Fusion => "fusion",
                FindingKind::Biomarker => "biomarker",
            };
            let alteration = if f.kind == FindingKind::Biomarker {
                without_numbers(&f.alteration)
            } else {
                f.alteration.clone()
            };
            format!("v1|{kind}|{}|{alteration}", f.gene.as_deref().unwrap_or(""))
        }
    }
}

/// The id of a key: `F` and 12 hexadecimal digits of its SHA-256.
pub fn finding_id(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("F{hex}")
}

/// Gives every finding its id; repeats get `-2`, `-3` in list order.
pub fn assign_ids(findings: &mut [SomaticFinding], assembly: Assembly) {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for f in findings {
        let id = finding_id(&finding_key(f, assembly));
        let n = seen.entry(id.clone()).or_insert(0);
        *n += 1;
        f.id = if *n == 1 { id } else { format!("{id}-{n}") };
    }
}

/// A biomarker's name: its alteration without the tokens that are numbers (`12.5`,
/// `50%`, `3+`).
fn without_numbers(alteration: &str) -> String {
    alteration
        .split_whitespace()
        .filter(|t| t.trim_end_matches(['%', '+']).parse::<f64>().is_err())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Alleles as the key spells them: upper case, `-` empty, shared flanks trimmed.
fn trimmed(pos: u64, ref_allele: &str, alt_allele: &str) -> (u64, String, String) {
    let clean = |s: &str| {
        if s == "-" {
            String::new()
        } else {
            s.to_ascii_uppercase()
        }
    };
    let (mut r, mut a) = (clean(ref_allele), clean(alt_allele));
    // MAF writes an insertion at the base before it; after trimming, a VCF insertion
    // sits at the base after its anchor. Both become "inserted before `pos`".
    let mut pos = if ref_allele == "-" { pos + 1 } else { pos };
    let prefix = r.bytes().zip(a.bytes()).take_while(|(x, y)| x == y).count();
    r.drain(..prefix);
    a.drain(..prefix);
    pos += prefix as u64;
    let suffix = r
        .bytes()
        .rev()
        .zip(a.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    r.truncate(r.len() - suffix);
    a.truncate(a.len() - suffix);
    (pos, r, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcf_and_maf_spellings_of_one_variant_give_one_key() {
        // A deletion: VCF anchored (pos 100 GA>G), MAF unanchored (pos 101 A>-).
        assert_eq!(trimmed(100, "GA", "G"), trimmed(101, "A", "-"));
        // An insertion: VCF anchored (pos 100 G>GT), MAF at the base before (100 ->T).
        assert_eq!(trimmed(100, "G", "GT"), trimmed(100, "-", "T"));
        assert_eq!(trimmed(100, "G", "GT"), (101, String::new(), "T".into()));
        // An SNV stays as it is; case does not matter.
        assert_eq!(trimmed(5, "c", "t"), (5, "C".into(), "T".into()));
        // A padded MNV loses its shared flanks.
        assert_eq!(trimmed(10, "ACGT", "ATTT"), (11, "CG".into(), "TT".into()));
    }

    #[test]
    fn biomarker_names_leave_out_the_measurement() {
        assert_eq!(without_numbers("TMB 12.5 mut/Mb"), "TMB mut/Mb");
        assert_eq!(without_numbers("HER2 IHC 3+"), "HER2 IHC");
        assert_eq!(without_numbers("PD-L1 TPS 50%"), "PD-L1 TPS");
        assert_eq!(without_numbers("MSI-H"), "MSI-H");
    }

    #[test]
    fn ids_are_digests_of_the_key() {
        let id = finding_id("v1|small|GRCh38|7|140753336|A|T");
        assert_eq!(id.len(), 13);
        assert!(id.starts_with('F'));
        assert_eq!(id, finding_id("v1|small|GRCh38|7|140753336|A|T"));
        assert_ne!(id, finding_id("v1|small|GRCh37|7|140753336|A|T"));
    }
}
