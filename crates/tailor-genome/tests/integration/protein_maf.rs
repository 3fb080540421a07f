//! Every protein change in the vcf2maf example MAFs parses, and the short form of each
//! HGVSp equals the HGVSp_Short vcf2maf wrote beside it.

use crate::common;

use std::path::Path;

use common::shared_data;
use tailor_genome::protein::{parse_protein, ProteinChangeKind};

/// The values of the named columns (header found by name, `#` lines skipped).
fn columns(path: &Path, names: &[&str]) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let at: Vec<usize> = names
        .iter()
        .map(|n| {
            header
                .iter()
                .position(|h| h == n)
                .unwrap_or_else(|| panic!("{} has no {n} column", path.display()))
        })
        .collect();
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            at.iter()
                .map(|&i| fields.get(i).unwrap_or(&"").to_string())
                .collect()
        })
        .collect()
}

#[test]
fn vcf2maf_hgvsp_short_matches_our_short_form() {
    let dir = shared_data().join("onco/testdata/vcf2maf");
    let mut checked = 0;
    for name in [
        "test_b38_output.maf",
        "test_b38_output.more.maf",
        "test_output.custom_isoforms.maf",
        "test_output.vep_isoforms.maf",
    ] {
        for row in columns(&dir.join(name), &["HGVSp", "HGVSp_Short"]) {
            let (long, short) = (&row[0], &row[1]);
            for value in [long, short] {
                if !value.is_empty() {
                    parse_protein(value).unwrap_or_else(|e| panic!("{name}: {e}"));
                }
            }
            if !long.is_empty() && !short.is_empty() {
                let ours = parse_protein(long).unwrap().short();
                assert_eq!(format!("p.{ours}"), *short, "{name}: {long}");
                assert_eq!(parse_protein(short).unwrap().short(), ours, "{name}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} pairs checked");
}

#[test]
fn tcga_legacy_amino_acid_changes_all_parse() {
    let path = shared_data().join("onco/testdata/vcf2maf/tcga_legacy_grch37/tcga_laml.maf");
    let rows = columns(&path, &["amino_acid_change", "Variant_Classification"]);
    let mut parsed = 0;
    let mut positionless = 0;
    for row in &rows {
        let (value, classification) = (&row[0], row[1].as_str());
        // "NULL" is how this MAF writes "no protein change" (RNA genes).
        if value.is_empty() || value == "NULL" {
            continue;
        }
        // A few FLT3 ITD rows say only "in_frame_ins", with no position or residues:
        // there is no protein change to parse, and refusing it is right.
        if value == "in_frame_ins" {
            assert!(parse_protein(value).is_err());
            assert_eq!(classification, "In_Frame_Ins");
            positionless += 1;
            continue;
        }
        let change = parse_protein(value).unwrap_or_else(|e| panic!("{e}"));
        // The legacy notation must agree with the MAF's own classification.
        let kind = change.kind;
        let agrees = match classification {
            "Missense_Mutation" => kind == ProteinChangeKind::Missense,
            "Nonsense_Mutation" => kind == ProteinChangeKind::Nonsense,
            "Silent" => kind == ProteinChangeKind::Synonymous,
            "Frame_Shift_Del" | "Frame_Shift_Ins" => kind == ProteinChangeKind::Frameshift,
            "In_Frame_Del" => matches!(
                kind,
                ProteinChangeKind::InframeDeletion | ProteinChangeKind::Delins
            ),
            "In_Frame_Ins" => kind == ProteinChangeKind::InframeInsertion,
            "Splice_Site" => kind == ProteinChangeKind::Splice,
            _ => true,
        };
        assert!(
            agrees,
            "{value} is {kind:?} but the MAF says {classification}"
        );
        // The short form reads back to itself.
        assert_eq!(
            parse_protein(&change.short()).unwrap().short(),
            change.short(),
            "{value}"
        );
        parsed += 1;
    }
    assert!(parsed > 2000, "only {parsed} values");
    assert!(positionless < 5, "{positionless} values without a position");
}
