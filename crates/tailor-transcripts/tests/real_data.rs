//! Validation of the exon model and CDS anchoring on real, independent GRCh38 data:
//! VEP-annotated MAFs from vcf2maf and the PCGR example tumour VCFs.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::OnceLock;

use tailor_core::somatic::VariantClass;
use tailor_transcripts::{AnchorCheck, TranscriptModel, TranscriptSources};

fn shared_data() -> PathBuf {
    std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn model() -> &'static TranscriptModel {
    static MODEL: OnceLock<TranscriptModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        TranscriptModel::load(&TranscriptSources::from_shared_data(&shared_data()))
            .expect("transcript sources load")
    })
}

#[test]
fn load_counts_are_reported() {
    let s = model().stats();
    eprintln!(
        "MANE Select {} (with exons {}, without {}), Plus Clinical {}, non-primary skipped {}, \
         exon rows {} (unmatched {}), version mismatch {}, span mismatch {}, rejected exon models {}, \
         gene spans GENCODE {} + MANE {}",
        s.mane_select,
        s.select_with_exons,
        s.select_without_exons.len(),
        s.mane_plus_clinical,
        s.skipped_non_primary,
        s.exon_rows,
        s.exon_rows_unmatched,
        s.version_mismatch.len(),
        s.span_mismatch.len(),
        s.rejected_exon_models.len(),
        s.gene_spans_gencode,
        s.gene_spans_mane
    );
    for r in &s.rejected_exon_models {
        eprintln!("rejected: {r}");
    }
    // MANIFEST: 19,363 MANE Select + 74 Plus Clinical rows; 201,091 exons (the file has
    // 201,091 lines including its header, i.e. 201,090 exon rows).
    assert_eq!(
        s.mane_select + s.skipped_non_primary + s.mane_plus_clinical,
        19_363 + 74
    );
    assert_eq!(s.exon_rows, 201_090);
    assert!(s.select_with_exons > 19_000, "{}", s.select_with_exons);
    assert_eq!(
        s.select_with_exons + s.select_without_exons.len(),
        s.mane_select
    );
    assert!(s.gene_spans_gencode > 19_000);
}

#[test]
fn actionable_exons_exist_with_known_lengths() {
    let m = model();
    // Exon lengths of the MANE Select transcripts, known from the literature on these
    // actionable exons: EGFR exon 19 (99 bp), 20 (186 bp), 21 (156 bp); MET exon 14
    // (141 bp, skipped in-frame).
    let cases = [
        ("EGFR", 19, 99, 28),
        ("EGFR", 20, 186, 28),
        ("EGFR", 21, 156, 28),
        ("MET", 14, 141, 21),
    ];
    for (gene, exon, len, count) in cases {
        let t = m.gene(gene).unwrap();
        assert_eq!(t.exon_count(), count, "{gene}");
        let e = t.exon(exon).unwrap();
        eprintln!(
            "{gene} exon {exon}: {}:{}-{} ({} bp)",
            t.chrom,
            e.start,
            e.end,
            e.len()
        );
        assert_eq!(e.len(), len, "{gene} exon {exon}");
    }
    let kit = m.gene("KIT").unwrap();
    let e11 = kit.exon(11).unwrap();
    eprintln!(
        "KIT exon 11: {}:{}-{} ({} bp)",
        kit.chrom,
        e11.start,
        e11.end,
        e11.len()
    );
    assert_eq!(kit.exon_count(), 21);
    assert!(e11.len() > 100 && e11.len() < 160);
    // Lookups by ENST/NM without version reach the same transcript.
    let braf = m.gene("BRAF").unwrap();
    assert_eq!(m.gene(braf.transcript_unversioned()), Some(braf));
    assert_eq!(m.gene(braf.refseq_unversioned()), Some(braf));
    assert_eq!(m.gene("NM_004333.4").map(|t| &t.gene), Some(&braf.gene));
}

/// One MAF row restricted to the columns the test needs.
#[derive(Debug, Clone)]
struct MafRow {
    gene: String,
    chrom: String,
    start: u32,
    end: u32,
    reference: String,
    alt: String,
    transcript: String,
    exon: String,
    cds: String,
    hgvsc: String,
    classification: String,
}

fn read_maf(name: &str) -> Vec<MafRow> {
    let path = shared_data().join("onco/testdata/vcf2maf").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let c = [
        col("Hugo_Symbol"),
        col("Chromosome"),
        col("Start_Position"),
        col("End_Position"),
        col("Reference_Allele"),
        col("Tumor_Seq_Allele2"),
        col("Transcript_ID"),
        col("Exon_Number"),
        col("CDS_position"),
        col("HGVSc"),
        col("Variant_Classification"),
    ];
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            MafRow {
                gene: f[c[0]].into(),
                chrom: f[c[1]].into(),
                start: f[c[2]].parse().unwrap(),
                end: f[c[3]].parse().unwrap(),
                reference: f[c[4]].into(),
                alt: f[c[5]].into(),
                transcript: f[c[6]].into(),
                exon: f[c[7]].into(),
                cds: f[c[8]].into(),
                hgvsc: f[c[9]].into(),
                classification: f[c[10]].into(),
            }
        })
        .collect()
}

/// MAF rows (both files, duplicates removed) whose transcript is the gene's MANE Select.
fn mane_rows() -> Vec<MafRow> {
    let mut seen = BTreeMap::new();
    for name in ["test_b38_output.maf", "test_b38_output.more.maf"] {
        for r in read_maf(name) {
            let key = (r.chrom.clone(), r.start, r.reference.clone(), r.alt.clone());
            seen.entry(key).or_insert(r);
        }
    }
    let m = model();
    seen.into_values()
        .filter(|r| {
            m.gene(&r.gene)
                .is_some_and(|t| t.transcript_unversioned() == r.transcript)
        })
        .collect()
}

/// MAF alleles ('-' for indels, no anchor base) as a VCF-style allele with an `N` anchor.
fn vcf_style(r: &MafRow) -> (u32, String, String) {
    if r.reference == "-" {
        (r.start, "N".into(), format!("N{}", r.alt))
    } else if r.alt == "-" {
        (r.start - 1, format!("N{}", r.reference), "N".into())
    } else {
        (r.start, r.reference.clone(), r.alt.clone())
    }
}

fn expected_class(maf: &str) -> Option<&'static [VariantClass]> {
    use VariantClass::*;
    Some(match maf {
        "Missense_Mutation" | "Silent" | "Nonsense_Mutation" => &[Exonic],
        "Translation_Start_Site" => &[Exonic, StartLost],
        "Frame_Shift_Del" | "Frame_Shift_Ins" => &[Frameshift],
        "In_Frame_Del" => &[InframeDeletion],
        "In_Frame_Ins" => &[InframeInsertion],
        "Splice_Site" => &[SpliceSite],
        "Splice_Region" => &[SpliceRegion],
        "Intron" => &[NonCoding],
        _ => return None,
    })
}

#[test]
fn vep_maf_exon_numbers_and_classes_agree() {
    let m = model();
    let rows = mane_rows();
    assert!(rows.len() >= 20, "{} MANE rows", rows.len());
    let (mut exon_checked, mut exon_agree, mut class_checked, mut class_agree) = (0, 0, 0, 0);
    for r in &rows {
        let (pos, reference, alt) = vcf_style(r);
        let anns = m.annotate_raw(&r.chrom, pos, &reference, &alt);
        let ann = anns
            .iter()
            .find(|a| a.gene == r.gene)
            .unwrap_or_else(|| panic!("no annotation for {r:?}"));
        if let Some((n, total)) = r.exon.split_once('/') {
            exon_checked += 1;
            let want = (n.parse::<u32>().unwrap(), total.parse::<u32>().unwrap());
            if ann.exon == Some(want) {
                exon_agree += 1;
            } else {
                eprintln!(
                    "exon mismatch {} {}: ours {:?}, VEP {}",
                    r.gene, r.hgvsc, ann.exon, r.exon
                );
            }
        }
        if let Some(want) = expected_class(&r.classification) {
            class_checked += 1;
            if want.contains(&ann.class) {
                class_agree += 1;
            } else {
                eprintln!(
                    "class mismatch {} {} {}: ours {:?} ({}), MAF {}",
                    r.gene, r.start, r.hgvsc, ann.class, ann.note, r.classification
                );
            }
        }
    }
    eprintln!(
        "vcf2maf GRCh38 MANE rows: {}; exon number agreement {exon_agree}/{exon_checked}; \
         class agreement {class_agree}/{class_checked}",
        rows.len()
    );
    assert_eq!(exon_agree, exon_checked);
    assert!(exon_checked >= 20);
    assert_eq!(class_agree, class_checked);
}

/// c. range ("1286", "414-415") of a MAF CDS_position column ("1286/1443").
fn maf_cds_range(cds: &str) -> Option<(i64, i64)> {
    let pos = cds.split('/').next()?;
    match pos.split_once('-') {
        Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
        None => {
            let v = pos.parse().ok()?;
            Some((v, v))
        }
    }
}

#[test]
fn leave_one_out_cds_numbering_matches_vep() {
    let mut m = model().clone();
    let rows = mane_rows();
    let mut by_gene: BTreeMap<&str, Vec<&MafRow>> = BTreeMap::new();
    for r in &rows {
        by_gene.entry(r.gene.as_str()).or_default().push(r);
    }
    let (mut pairs, mut agree, mut intronic_pairs, mut intronic_agree) = (0, 0, 0, 0);
    for (gene, gene_rows) in &by_gene {
        // Anchors: SNVs with a plain CDS position.
        let anchors: Vec<(&MafRow, i64)> = gene_rows
            .iter()
            .filter(|r| {
                r.reference.len() == 1 && r.alt.len() == 1 && r.reference != "-" && r.alt != "-"
            })
            .filter_map(|r| maf_cds_range(&r.cds).map(|(c, _)| (*r, c)))
            .collect();
        for &(anchor, anchor_cds) in &anchors {
            m.clear_anchor(gene);
            assert_eq!(
                m.add_anchor(gene, anchor.start, anchor_cds),
                Ok(AnchorCheck::New)
            );
            for target in gene_rows.iter().filter(|t| t.start != anchor.start) {
                if let Some((lo, hi)) = maf_cds_range(&target.cds) {
                    pairs += 1;
                    let a = m.cds_position(gene, target.start);
                    let b = m.cds_position(gene, target.end);
                    let got = match (a, b) {
                        (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
                        _ => None,
                    };
                    if got == Some((lo, hi)) {
                        agree += 1;
                    } else {
                        eprintln!(
                            "{gene}: anchored on {} predicts {got:?} for {} (VEP {lo}-{hi})",
                            anchor.hgvsc, target.hgvsc
                        );
                    }
                    // A second anchor from an exonic SNV must agree, never conflict.
                    if target.reference.len() == 1
                        && target.alt.len() == 1
                        && target.reference != "-"
                        && target.alt != "-"
                    {
                        assert_eq!(
                            m.check_anchor(gene, target.start, lo),
                            Ok(AnchorCheck::Agrees)
                        );
                        assert!(m.check_anchor(gene, target.start, lo + 1).is_err());
                    }
                } else if target.hgvsc.contains('+') || target.hgvsc.contains("-") {
                    // Intronic SNV (c.508+8A>G): the c. coordinate must match VEP's.
                    if target.reference.len() != 1
                        || target.alt.len() != 1
                        || target.reference == "-"
                        || target.alt == "-"
                    {
                        continue;
                    }
                    intronic_pairs += 1;
                    let got = m
                        .gene(gene)
                        .and_then(|t| t.cds_coordinate(target.start))
                        .map(|c| c.to_string());
                    let want = target
                        .hgvsc
                        .trim_end_matches(|ch: char| ch.is_ascii_alphabetic() || ch == '>');
                    if got.as_deref() == Some(want) {
                        intronic_agree += 1;
                    } else {
                        eprintln!("{gene}: intronic {} -> ours {got:?}", target.hgvsc);
                    }
                }
            }
        }
        m.clear_anchor(gene);
    }
    eprintln!(
        "leave-one-out c. numbering: {agree}/{pairs} (anchor row, other row) pairs agree; \
         intronic c. coordinates {intronic_agree}/{intronic_pairs}"
    );
    assert!(pairs >= 20, "{pairs}");
    assert_eq!(agree, pairs);
    assert_eq!(intronic_agree, intronic_pairs);
}

/// Records of a gzip VCF at a position: (chrom, pos, ref, alt).
fn vcf_records(name: &str) -> Vec<(String, u32, String, String)> {
    let path = shared_data().join("onco/testdata/pcgr").join(name);
    let file = std::fs::File::open(&path).unwrap();
    let reader = BufReader::new(flate2::read::MultiGzDecoder::new(file));
    reader
        .lines()
        .map(Result::unwrap)
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| {
            let f: Vec<String> = l.split('\t').take(5).map(str::to_owned).collect();
            let pos: u32 = f[1].parse().unwrap();
            f[4].split(',')
                .map(|alt| (f[0].clone(), pos, f[3].clone(), alt.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn pcgr_drivers_land_in_the_right_exons() {
    let mut m = model().clone();
    let cases = [
        ("T001-COAD.grch38.vcf.gz", 140_753_336u32, "BRAF", (15, 18)),
        (
            "T001-BRCA.grch38.vcf.gz",
            179_234_297u32,
            "PIK3CA",
            (21, 21),
        ),
    ];
    for (file, pos, gene, exon) in cases {
        let records = vcf_records(file);
        let (chrom, pos, r, a) = records.iter().find(|x| x.1 == pos).unwrap().clone();
        let anns = m.annotate_raw(&chrom, pos, &r, &a);
        let ann = anns.iter().find(|x| x.gene == gene).unwrap();
        assert_eq!(ann.exon, Some(exon), "{gene}");
        assert_eq!(ann.class, VariantClass::Exonic);
        // Strand check: both are on chromosomes where the VCF base is the complement of the
        // c. base only for the minus-strand gene (BRAF: c.1799T>A is genomic A>T).
        let t = m.gene(gene).unwrap();
        eprintln!(
            "{gene} {chrom}:{pos} {r}>{a}: {ann:?} strand {:?}",
            t.strand
        );
    }
    assert_eq!(
        m.gene("BRAF").unwrap().strand,
        tailor_transcripts::Strand::Minus
    );
    assert_eq!(
        m.gene("PIK3CA").unwrap().strand,
        tailor_transcripts::Strand::Plus
    );

    // Anchor on the drivers (c.1799 / c.3140), then check codons, and other well-known
    // GRCh38 positions of the same genes in other exons (PIK3CA E545K c.1633G>A at
    // 3:179218303, exon 10).
    m.add_anchor("BRAF", 140_753_336, 1799).unwrap();
    m.add_anchor("PIK3CA", 179_234_297, 3140).unwrap();
    assert_eq!(m.codon("BRAF", 140_753_336), Some(600));
    assert_eq!(m.codon("PIK3CA", 179_234_297), Some(1047));
    assert_eq!(m.cds_position("PIK3CA", 179_218_303), Some(1633));
    let e545k = m.annotate_raw("3", 179_218_303, "G", "A");
    assert_eq!(e545k[0].exon, Some((10, 21)));
    assert_eq!(e545k[0].codon, Some(545));

    // Whole-VCF summary: how many calls fall in MANE genes, by class.
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    let records = vcf_records("T001-COAD.grch38.vcf.gz");
    let mut genic = 0;
    for (chrom, pos, r, a) in &records {
        let anns = m.annotate_raw(chrom, *pos, r, a);
        if !anns.is_empty() {
            genic += 1;
        }
        for ann in anns {
            if ann.class == VariantClass::Unknown && classes.get("Unknown").is_none_or(|n| *n < 3) {
                eprintln!("Unknown: {chrom}:{pos} {r}>{a} {}: {}", ann.gene, ann.note);
            }
            *classes.entry(format!("{:?}", ann.class)).or_default() += 1;
        }
    }
    eprintln!(
        "T001-COAD: {} alleles, {genic} in MANE transcripts, classes {classes:?}",
        records.len()
    );
    assert!(genic > 0);
}

#[test]
fn egfr_anchoring_across_exons() {
    // Well-known GRCh38 positions (NM_005228.5): L858R c.2573T>G at 7:55191822 (exon 21),
    // T790M c.2369C>T at 7:55181378 (exon 20). Anchoring on one predicts the other.
    let mut m = model().clone();
    m.add_anchor("EGFR", 55_191_822, 2573).unwrap();
    assert_eq!(m.cds_position("EGFR", 55_181_378), Some(2369));
    assert_eq!(
        m.check_anchor("EGFR", 55_181_378, 2369),
        Ok(AnchorCheck::Agrees)
    );
    let t790m = m.annotate_raw("chr7", 55_181_378, "C", "T");
    assert_eq!((t790m[0].exon, t790m[0].codon), (Some((20, 28)), Some(790)));
    // Exon 19 deletion E746_A750del (15 bp, left-aligned): in-frame deletion in exon 19.
    let del = m.annotate_raw("7", 55_174_771, "AGGAATTAAGAGAAGC", "A");
    assert_eq!(del[0].class, VariantClass::InframeDeletion);
    assert_eq!(del[0].exon, Some((19, 28)));
    assert_eq!(del[0].codon, Some(745));
    eprintln!("EGFR exon 19 deletion: {:?}", del[0]);
    // MET exon 14: a deletion over the intron 13 acceptor is a splice-site variant of exon 14.
    let met = m.gene("MET").unwrap();
    let e14 = *met.exon(14).unwrap();
    let d = m.annotate_raw("7", e14.start - 10, &"A".repeat(15), "A");
    assert_eq!(
        (d[0].class, d[0].splice_site_of_exon),
        (VariantClass::SpliceSite, Some(14))
    );
    let donor = m.annotate_raw("7", e14.end + 1, "G", "A");
    assert_eq!(
        (donor[0].class, donor[0].splice_site_of_exon),
        (VariantClass::SpliceSite, Some(14))
    );
}

#[test]
fn interval_queries_match_a_linear_scan() {
    let m = model();
    // Deterministic windows along chr7 and chr17 (a CNA segment-sized and a small one).
    for chrom in ["7", "chr17", "X"] {
        for i in 0..200u32 {
            let start = 1 + i * 790_123;
            for width in [1u32, 50_000, 3_000_000] {
                let end = start + width;
                let mut fast: Vec<&str> = m
                    .genes_overlapping(chrom, start, end)
                    .map(|g| g.gene_id.as_str())
                    .collect();
                let norm = tailor_core::normalize_chrom(chrom);
                let mut slow: Vec<&str> = m
                    .gene_spans()
                    .iter()
                    .filter(|g| g.chrom == norm && g.start <= end && g.end >= start)
                    .map(|g| g.gene_id.as_str())
                    .collect();
                fast.sort_unstable();
                slow.sort_unstable();
                assert_eq!(fast, slow, "{chrom}:{start}-{end}");
            }
        }
    }
    let cdkn2a: Vec<&str> = m
        .genes_overlapping("9", 21_900_000, 22_010_000)
        .map(|g| g.symbol.as_str())
        .collect();
    assert!(
        cdkn2a.contains(&"CDKN2A") && cdkn2a.contains(&"CDKN2B"),
        "{cdkn2a:?}"
    );
}

#[test]
fn bincode_round_trip_keeps_lookups() {
    let m = model();
    let bytes = bincode::serialize(m).unwrap();
    let start = std::time::Instant::now();
    let back: TranscriptModel = bincode::deserialize(&bytes).unwrap();
    eprintln!(
        "bincode model: {} bytes, deserialise + index {:?} (debug build; see examples/model_size.rs for release)",
        bytes.len(),
        start.elapsed()
    );
    assert_eq!(back.transcripts(), m.transcripts());
    assert_eq!(back.gene("KRAS"), m.gene("KRAS"));
    assert_eq!(
        back.annotate_raw("12", 25_245_350, "C", "T"),
        m.annotate_raw("12", 25_245_350, "C", "T")
    );
    assert_eq!(
        back.genes_overlapping("12", 25_000_000, 26_000_000).count(),
        m.genes_overlapping("12", 25_000_000, 26_000_000).count()
    );
}

/// The brief annotation leaves the note out and nothing else: over every allele of two
/// public tumour VCFs (SNVs, indels, MNVs, intronic and exonic) and the VEP MAF rows.
#[test]
fn brief_annotation_is_the_full_one_without_the_note() {
    let m = model();
    let mut alleles: Vec<(String, u32, String, String)> = Vec::new();
    for file in ["T001-COAD.grch38.vcf.gz", "T001-BRCA.grch38.vcf.gz"] {
        alleles.extend(vcf_records(file));
    }
    for r in &mane_rows() {
        let (pos, reference, alt) = vcf_style(r);
        alleles.push((r.chrom.clone(), pos, reference, alt));
    }
    alleles.push(("chr7".into(), 140_753_336, "A".into(), "<DEL>".into()));
    let mut annotated = 0;
    for (chrom, pos, r, a) in &alleles {
        let full = m.annotate_raw(chrom, *pos, r, a);
        let brief = m.annotate_brief(chrom, *pos, r, a);
        let without_notes: Vec<_> = full
            .into_iter()
            .map(|mut x| {
                x.note.clear();
                x
            })
            .collect();
        assert_eq!(brief, without_notes, "{chrom}:{pos} {r}>{a}");
        annotated += brief.len();
    }
    assert!(annotated > 3000, "{annotated} annotations compared");
}
