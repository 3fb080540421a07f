use super::*;

const COLUMNS: &str = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";

/// The CSQ line VEP 110 writes with `--everything --flag_pick_allele --allele_number`
/// trimmed to the fields Tailor reads plus a few it must skip.
const VEP_FIELDS: &str = "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|\
EXON|INTRON|HGVSc|HGVSp|cDNA_position|CDS_position|Protein_position|Amino_acids|Codons|\
Existing_variation|ALLELE_NUM|DISTANCE|STRAND|FLAGS|PICK|SYMBOL_SOURCE|HGNC_ID|CANONICAL|\
MANE_SELECT|MANE_PLUS_CLINICAL|ENSP";

const SNPEFF_DESCRIPTION: &str = "Functional annotations: 'Allele | Annotation | \
Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | \
Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length \
| Distance | ERRORS / WARNINGS / INFO' ";

fn header(meta: &str) -> Header {
    Header::parse(&format!("##fileformat=VCFv4.2\n{meta}\n{COLUMNS}\n")).unwrap()
}

fn vep_schema() -> AnnotationSchema {
    let h = header(&format!(
        "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from \
         Ensembl VEP. Format: {VEP_FIELDS}\">"
    ));
    AnnotationSchema::from_header(&h).unwrap()
}

fn site(reference: &str, alts: &[&str], info: &str) -> Site {
    Site {
        ref_allele: reference.into(),
        alts: alts.iter().map(|a| a.to_string()).collect(),
        info: info.into(),
        ..Site::default()
    }
}

/// One VEP entry from named values (the rest empty).
fn vep_entry(values: &[(&str, &str)]) -> String {
    VEP_FIELDS
        .split('|')
        .map(|field| {
            values
                .iter()
                .find(|(k, _)| *k == field)
                .map_or("", |(_, v)| *v)
        })
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn vep_schema_reads_field_positions_from_the_header() {
    let schema = vep_schema();
    assert_eq!(schema.source(), AnnotationSource::Vep);
    assert_eq!(schema.tag(), "CSQ");
    assert_eq!(schema.fields().len(), 29);
    assert_eq!(schema.fields()[0], "Allele");
    assert_eq!(schema.columns.allele_num, Some(18));
    assert_eq!(schema.columns.mane_select, Some(26));
    assert_eq!(schema.columns.pick, Some(22));
}

#[test]
fn braf_v600e_with_two_transcripts() {
    let schema = vep_schema();
    let mane = vep_entry(&[
        ("Allele", "T"),
        ("Consequence", "missense_variant"),
        ("IMPACT", "MODERATE"),
        ("SYMBOL", "BRAF"),
        ("Gene", "ENSG00000157764"),
        ("Feature_type", "Transcript"),
        ("Feature", "ENST00000646891.2"),
        ("BIOTYPE", "protein_coding"),
        ("EXON", "15/18"),
        ("HGVSc", "ENST00000646891.2:c.1799T>A"),
        ("HGVSp", "ENSP00000493543.1:p.Val600Glu"),
        ("ALLELE_NUM", "1"),
        ("CANONICAL", "YES"),
        ("MANE_SELECT", "NM_004333.6"),
    ]);
    let other = vep_entry(&[
        ("Allele", "T"),
        ("Consequence", "missense_variant&NMD_transcript_variant"),
        ("SYMBOL", "BRAF"),
        ("Feature", "ENST00000496384.7"),
        ("BIOTYPE", "nonsense_mediated_decay"),
        ("INTRON", "3/9"),
        ("HGVSp", "ENSP00000419060.2:p.Val228Glu"),
        ("ALLELE_NUM", "1"),
    ]);
    let s = site("A", &["T"], &format!("DP=40;CSQ={other},{mane};SOMATIC"));
    let all = schema.parse(&s);
    assert_eq!(all.len(), 2);
    let best = pick_best(&all, 0, |_| false).unwrap();
    assert_eq!(best.transcript, "ENST00000646891.2");
    assert_eq!(best.transcript_unversioned(), "ENST00000646891");
    assert_eq!(best.gene, "BRAF");
    assert_eq!(best.gene_id.as_deref(), Some("ENSG00000157764"));
    assert_eq!(best.class, VariantClass::Missense);
    assert_eq!(best.hgvsc.as_deref(), Some("c.1799T>A"));
    assert_eq!(best.hgvsp.as_deref(), Some("V600E"));
    assert_eq!(best.hgvsp_raw.as_deref(), Some("p.Val600Glu"));
    assert_eq!(best.exon, Some((15, 18)));
    assert_eq!(best.intron, None);
    assert!(best.canonical && best.mane_select && !best.picked);
    assert_eq!(best.impact.as_deref(), Some("MODERATE"));
    assert_eq!(best.biotype.as_deref(), Some("protein_coding"));
    let nmd = &all[0];
    assert_eq!(nmd.intron, Some((3, 9)));
    assert_eq!(
        nmd.consequence_terms,
        vec!["missense_variant", "NMD_transcript_variant"]
    );
    // The caller's preferred transcript outranks canonical but not MANE.
    let preferred = pick_best(&all, 0, |t| t == "ENST00000496384").unwrap();
    assert_eq!(preferred.transcript, "ENST00000646891.2");
}

#[test]
fn pick_mane_prefer_canonical_severity_order() {
    let base = |t: &str, terms: &[&str]| TranscriptConsequence {
        transcript: t.into(),
        consequence_terms: terms.iter().map(|s| s.to_string()).collect(),
        ..TranscriptConsequence::default()
    };
    let mut picked = base("ENST5.1", &["intron_variant"]);
    picked.picked = true;
    let mut mane = base("ENST4.1", &["synonymous_variant"]);
    mane.mane_select = true;
    let preferred = base("ENST3.1", &["missense_variant"]);
    let mut canonical = base("ENST2.1", &["missense_variant"]);
    canonical.canonical = true;
    let severe = base("ENST1.1", &["stop_gained"]);
    let mut all = vec![
        severe.clone(),
        canonical.clone(),
        preferred.clone(),
        mane.clone(),
        picked,
    ];
    let prefer = |t: &str| t == "ENST3";
    for expected in ["ENST5.1", "ENST4.1", "ENST3.1", "ENST2.1", "ENST1.1"] {
        assert_eq!(pick_best(&all, 0, prefer).unwrap().transcript, expected);
        let at = all.iter().position(|c| c.transcript == expected).unwrap();
        all.remove(at);
    }
    assert!(pick_best(&all, 0, prefer).is_none());
}

#[test]
fn vep_alleles_map_without_allele_num() {
    // Drop ALLELE_NUM from the field list: VEP's own allele strings must be matched.
    let fields = VEP_FIELDS.replace("|ALLELE_NUM", "");
    let schema = AnnotationSchema::from_description(
        "CSQ",
        &format!("Consequence annotations from Ensembl VEP. Format: {fields}"),
    )
    .unwrap();
    let entry = |allele: &str, term: &str| {
        let mut v: Vec<&str> = vec![""; fields.split('|').count()];
        v[0] = allele;
        v[1] = term;
        v.join("|")
    };
    // Deletion + insertion sharing the first base: VEP drops it; a deletion is "-".
    let s = site(
        "CAG",
        &["C", "CAGAG"],
        &format!(
            "CSQ={},{}",
            entry("AGAG", "inframe_insertion"),
            entry("-", "frameshift_variant")
        ),
    );
    let all = schema.parse(&s);
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0].alt_index, all[0].class),
        (1, VariantClass::InframeInsertion)
    );
    assert_eq!(
        (all[1].alt_index, all[1].class),
        (0, VariantClass::Frameshift)
    );
    // SNV and indel together: first bases differ, so alleles are as written.
    let s = site(
        "A",
        &["G", "AT"],
        &format!(
            "CSQ={},{}",
            entry("AT", "frameshift_variant"),
            entry("G", "missense_variant")
        ),
    );
    let all = schema.parse(&s);
    assert_eq!(
        all.iter().map(|c| c.alt_index).collect::<Vec<_>>(),
        vec![1, 0]
    );
    // An allele naming nothing on a multi-allelic site is left out.
    let s = site(
        "A",
        &["G", "T"],
        &format!("CSQ={}", entry("C", "missense_variant")),
    );
    assert!(schema.parse(&s).is_empty());
    // A single-ALT site takes every entry (symbolic alleles are written differently).
    let s = site(
        "A",
        &["<DEL>"],
        &format!("CSQ={}", entry("deletion", "feature_truncation")),
    );
    assert_eq!(schema.parse(&s)[0].alt_index, 0);
}

#[test]
fn allele_num_out_of_range_is_left_out() {
    let schema = vep_schema();
    let e = vep_entry(&[
        ("Allele", "T"),
        ("Consequence", "missense_variant"),
        ("ALLELE_NUM", "3"),
    ]);
    assert!(schema
        .parse(&site("A", &["T"], &format!("CSQ={e}")))
        .is_empty());
    let e = vep_entry(&[
        ("Allele", "T"),
        ("Consequence", "missense_variant"),
        ("ALLELE_NUM", "0"),
    ]);
    assert!(schema
        .parse(&site("A", &["T"], &format!("CSQ={e}")))
        .is_empty());
}

#[test]
fn percent_escapes_are_decoded() {
    let schema = vep_schema();
    let e = vep_entry(&[
        ("Allele", "G"),
        ("Consequence", "synonymous_variant"),
        ("SYMBOL", "TP53"),
        ("HGVSc", "ENST00000269305.9:c.215C>G"),
        ("HGVSp", "ENSP00000269305.4:p.Pro72%3D"),
        ("ALLELE_NUM", "1"),
    ]);
    let c = &schema.parse(&site("C", &["G"], &format!("CSQ={e}")))[0];
    assert_eq!(c.hgvsp_raw.as_deref(), Some("p.Pro72="));
    assert_eq!(c.hgvsp.as_deref(), Some("P72="));
    assert_eq!(percent_decode("a%3Bb%2Cc%3Dd%7C"), "a;b,c=d|");
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%zz%4"), "%zz%4");
    assert_eq!(
        percent_decode("%FF"),
        "%FF",
        "invalid UTF-8 is kept as written"
    );
}

#[test]
fn protein_altering_variant_takes_the_protein_class() {
    let schema = vep_schema();
    let e = vep_entry(&[
        ("Allele", "TTA"),
        ("Consequence", "protein_altering_variant"),
        ("SYMBOL", "EGFR"),
        ("HGVSp", "ENSP00000275493.2:p.Leu747_Pro753delinsSer"),
        ("ALLELE_NUM", "1"),
    ]);
    let c = &schema.parse(&site("A", &["ATTA"], &format!("CSQ={e}")))[0];
    assert_eq!(c.hgvsp.as_deref(), Some("L747_P753delinsS"));
    assert_eq!(c.class, VariantClass::InframeDeletion);
    // An unreadable HGVSp keeps its raw text and no short form.
    let e = vep_entry(&[
        ("Allele", "T"),
        ("Consequence", "missense_variant"),
        ("HGVSp", "ENSP1:p.Weird"),
    ]);
    let c = &schema.parse(&site("A", &["T"], &format!("CSQ={e}")))[0];
    assert_eq!(
        (c.hgvsp.as_deref(), c.hgvsp_raw.as_deref()),
        (None, Some("p.Weird"))
    );
    assert_eq!(c.class, VariantClass::Missense);
    assert_eq!(c.gene, "", "no symbol and no gene ID");
}

#[test]
fn vep_pick_and_legacy_mane_column() {
    let schema = AnnotationSchema::from_description(
        "CSQ",
        "Consequence annotations from Ensembl VEP. Format: Allele|Consequence|SYMBOL|Feature|MANE|PICK",
    )
    .unwrap();
    let s = site(
        "G",
        &["A"],
        "CSQ=A|stop_gained|APC|ENST00000257430.9|NM_000038.6|1,A|stop_gained|APC|ENST00000508376.6||",
    );
    let all = schema.parse(&s);
    assert!(all[0].mane_select && all[0].picked);
    assert!(!all[1].mane_select && !all[1].picked);
    assert_eq!(all[0].class, VariantClass::Nonsense);
}

#[test]
fn snpeff_ann_entries() {
    let h = header(&format!(
        "##INFO=<ID=ANN,Number=.,Type=String,Description=\"{SNPEFF_DESCRIPTION}\">"
    ));
    let schema = AnnotationSchema::from_header(&h).unwrap();
    assert_eq!(schema.source(), AnnotationSource::SnpEff);
    assert_eq!(schema.tag(), "ANN");
    assert_eq!(schema.fields()[15], "ERRORS / WARNINGS / INFO");
    let info = "ANN=A|missense_variant|MODERATE|KRAS|ENSG00000133703|transcript|\
                ENST00000256078.10|protein_coding|2/6|c.34G>T|p.Gly12Cys|\
                214/5430|34/570|12/189||,\
                T|stop_gained|HIGH|KRAS|ENSG00000133703|transcript|ENST00000256078.10|\
                protein_coding|2/6|c.34G>A|p.Gly12*|214/5430|34/570|12/189||,\
                A|intron_variant|MODIFIER|KRAS|ENSG00000133703|transcript|\
                ENST00000311936.8|protein_coding|1/4|c.-5+1G>T||||||WARNING_TRANSCRIPT_INCOMPLETE,\
                A|upstream_gene_variant|MODIFIER|LYRM5|ENSG00000205707|transcript|\
                ENST00000381271.7|protein_coding||c.-1400C>A|||||1400|";
    let s = site("C", &["A", "T"], info);
    let all = schema.parse(&s);
    assert_eq!(all.len(), 4);
    let g12c = &all[0];
    assert_eq!(g12c.alt_index, 0);
    assert_eq!(g12c.gene, "KRAS");
    assert_eq!(g12c.hgvsp.as_deref(), Some("G12C"));
    assert_eq!(g12c.hgvsc.as_deref(), Some("c.34G>T"));
    assert_eq!(g12c.exon, Some((2, 6)));
    assert_eq!(g12c.class, VariantClass::Missense);
    assert_eq!(g12c.impact.as_deref(), Some("MODERATE"));
    let stop = &all[1];
    assert_eq!(stop.alt_index, 1);
    assert_eq!(stop.hgvsp.as_deref(), Some("G12*"));
    assert_eq!(stop.class, VariantClass::Nonsense);
    let intron = &all[2];
    assert_eq!((intron.exon, intron.intron), (None, Some((1, 4))));
    assert_eq!(intron.class, VariantClass::NonCoding);
    assert_eq!(all[3].gene, "LYRM5");
    let best = pick_best(&all, 0, |t| t == "ENST00000256078").unwrap();
    assert_eq!(best.hgvsp.as_deref(), Some("G12C"));
    // snpEff's cancer mode ("A-C") on a single-ALT site still maps to that ALT.
    let s = site(
        "C",
        &["A"],
        "ANN=A-C|missense_variant|MODERATE|KRAS|||||||p.G12C|||||",
    );
    assert_eq!(schema.parse(&s)[0].alt_index, 0);
}

#[test]
fn from_header_prefers_csq_then_ann_then_any_described_field() {
    let h = header(&format!(
        "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n\
         ##INFO=<ID=ANN,Number=.,Type=String,Description=\"{SNPEFF_DESCRIPTION}\">\n\
         ##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: Allele|Consequence\">"
    ));
    assert_eq!(AnnotationSchema::from_header(&h).unwrap().tag(), "CSQ");
    // VEP run with --vcf_info_field VEP_ANN.
    let h = header(
        "##INFO=<ID=VEP_ANN,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: Allele|Consequence|SYMBOL\">",
    );
    let schema = AnnotationSchema::from_header(&h).unwrap();
    assert_eq!(
        (schema.tag(), schema.source()),
        ("VEP_ANN", AnnotationSource::Vep)
    );
    let h = header("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">");
    assert!(AnnotationSchema::from_header(&h).is_none());
    // A field list without a consequence column is not a consequence annotation.
    assert!(AnnotationSchema::from_description("X", "Format: A|B|C").is_none());
}

#[test]
fn missing_or_empty_annotation_gives_nothing() {
    let schema = vep_schema();
    assert!(schema.parse(&site("A", &["T"], "DP=3")).is_empty());
    assert!(schema.parse(&site("A", &["T"], "CSQ=")).is_empty());
    assert!(schema
        .parse(&site("A", &[], "CSQ=T|missense_variant"))
        .is_empty());
    // Short entries (fewer fields than the header) read what is there.
    let all = schema.parse(&site("A", &["T"], "CSQ=T|stop_gained"));
    assert_eq!(all[0].class, VariantClass::Nonsense);
}

#[test]
fn fractions_and_versions() {
    assert_eq!(fraction("15/18"), Some((15, 18)));
    assert_eq!(fraction("2-3/10"), Some((2, 10)));
    assert_eq!(fraction("x/10"), None);
    assert_eq!(fraction("15"), None);
    assert_eq!(strip_version("ENST00000646891.2"), "ENST00000646891");
    assert_eq!(strip_version("NM_004333.6"), "NM_004333");
    assert_eq!(strip_version("ENST00000646891"), "ENST00000646891");
    assert_eq!(strip_version("gene.x"), "gene.x");
}
