//! Somatic findings as `variant`, `molecular-consequence` and `molecular-biomarker`
//! observations, and their evidence as `therapeutic-implication` observations.

use crate::builder::{
    component, conclusion, fixed, gene_studied, reference, somatic_source, Builder,
};
use crate::codes::{
    self, answer, component as slice, concept, grch38_refseq, text_concept, BIOMARKER_ONTOLOGY,
};
use serde_json::{json, Map, Value};
use tailor_core::onco::{
    Effect, EvidenceMatch, FindingKind, LabelStatus, SomaticDocument, SomaticFinding,
    VariantDetails,
};
use tailor_core::somatic::{Assembly, VariantClass};

/// Adds every finding (tier I/II first, then tier III) and the evidence of the
/// actionable ones.
pub(crate) fn add(b: &mut Builder<'_>, doc: &SomaticDocument) {
    for f in doc.findings.iter().chain(&doc.uncertain) {
        let finding = match f.kind {
            FindingKind::SmallVariant => small_variant(b, doc, f),
            FindingKind::CopyNumber => copy_number(b, doc, f),
            FindingKind::Fusion => fusion(b, f),
            FindingKind::Biomarker => biomarker(b, doc, f),
        };
        // Tier III findings never get therapeutic implications, whatever they carry.
        if f.tier.is_actionable() {
            for (n, e) in f.evidence.iter().enumerate() {
                therapeutic_implication(b, f, e, n, &finding);
            }
        }
    }
}

/// The sentence every finding carries: tier and oncogenicity with their reasons.
fn tier_sentence(f: &SomaticFinding) -> String {
    let oncogenicity = serde_json::to_value(f.oncogenicity)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default();
    format!(
        "{}: AMP/ASCO/CAP tier {}. {} Oncogenicity: {} ({}).",
        f.alteration,
        f.tier.label(),
        f.tier_reason,
        oncogenicity,
        f.oncogenicity_reason
    )
}

/// A `variant` observation with what every somatic variant has: value "present",
/// specimen, method, gene(s), somatic source, and the tier sentence and caveats.
fn variant_base(b: &Builder<'_>, f: &SomaticFinding, genes: &[&str]) -> Map<String, Value> {
    let mut o = b.observation("variant", fixed(codes::code::VARIANT));
    if let Some(s) = &b.specimen {
        o.insert("specimen".into(), reference(s));
    }
    o.insert("valueCodeableConcept".into(), fixed(answer::PRESENT));
    if let Some(m) = &b.method {
        o.insert("method".into(), text_concept(m));
    }
    let mut components: Vec<Value> = genes.iter().map(|g| gene_studied(g)).collect();
    components.push(somatic_source());
    o.insert("component".into(), Value::Array(components));
    let mut notes: Vec<Value> = f.caveats.iter().map(|c| json!({ "text": c })).collect();
    if let Some(g) = &f.possible_germline {
        notes.push(json!({
            "text": format!("Possible germline origin. {} {} ({})", g.reason, g.action, g.guideline)
        }));
    }
    if !notes.is_empty() {
        o.insert("note".into(), Value::Array(notes));
    }
    o
}

fn push_components(o: &mut Map<String, Value>, more: impl IntoIterator<Item = Value>) {
    if let Some(Value::Array(c)) = o.get_mut("component") {
        c.extend(more);
    }
}

fn assembly_component(doc: &SomaticDocument) -> Value {
    let code = match doc.case.assembly {
        Assembly::GRCh38 => answer::GRCH38,
        Assembly::GRCh37 => answer::GRCH37,
    };
    component(slice::ASSEMBLY, "valueCodeableConcept", fixed(code))
}

fn small_variant(b: &mut Builder<'_>, doc: &SomaticDocument, f: &SomaticFinding) -> String {
    let genes: Vec<&str> = f.gene.as_deref().into_iter().collect();
    let mut o = variant_base(b, f, &genes);
    let mut extra = vec![assembly_component(doc)];
    if let Some(v) = &f.variant {
        extra.extend(locus_components(doc.case.assembly, v));
        if let Some(tx) = v.transcript.as_deref().filter(|t| !t.is_empty()) {
            extra.push(component(
                slice::TRANSCRIPT_REF_SEQ,
                "valueCodeableConcept",
                transcript_concept(tx),
            ));
        }
        if let Some(c) = coding_hgvs(v) {
            extra.push(component(
                slice::CODING_HGVS,
                "valueCodeableConcept",
                concept(codes::HGVS, &c, &c),
            ));
        }
        if let Some(p) = protein_hgvs(v) {
            extra.push(component(
                slice::PROTEIN_HGVS,
                "valueCodeableConcept",
                concept(codes::HGVS, &p, &p),
            ));
        }
        if let Some(vaf) = v.vaf.filter(|x| x.is_finite()) {
            extra.push(component(
                slice::VAF,
                "valueQuantity",
                json!({ "value": vaf, "system": codes::UCUM, "code": "1" }),
            ));
        }
    } else {
        extra.push(variation_text(&f.alteration));
    }
    extra.push(conclusion(variant_conclusion(f)));
    push_components(&mut o, extra);
    let url = b.add_result(&format!("variant/{}", f.id), o);
    if let Some(v) = &f.variant {
        molecular_consequence(b, f, v, &url);
    }
    url
}

/// Tier sentence plus what the VCF says about clonality.
fn variant_conclusion(f: &SomaticFinding) -> String {
    let mut s = tier_sentence(f);
    if let Some(v) = &f.variant {
        if let Some(depth) = v.depth {
            s.push_str(&format!(" Tumour read depth {depth}."));
        }
        if let Some(ccf) = v.ccf.filter(|x| x.is_finite()) {
            s.push_str(&format!(" Estimated cancer-cell fraction {ccf:.2}"));
            s.push_str(if v.subclonal {
                " (probably subclonal)."
            } else {
                "."
            });
        }
    }
    s
}

/// Chromosome, reference sequence, coordinates, alleles, change type and genomic HGVS
/// of a VCF-style allele.
fn locus_components(assembly: Assembly, v: &VariantDetails) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some((code, display)) = codes::chromosome_answer(&v.chrom) {
        out.push(component(
            slice::CHROMOSOME,
            "valueCodeableConcept",
            concept(codes::LOINC, code, &display),
        ));
    }
    let refseq = match assembly {
        Assembly::GRCh38 => grch38_refseq(&v.chrom),
        Assembly::GRCh37 => None,
    };
    if let Some(acc) = refseq {
        out.push(component(
            slice::GENOMIC_REF_SEQ,
            "valueCodeableConcept",
            concept(codes::REFSEQ, acc, ""),
        ));
    }
    let plain = |a: &str| !a.is_empty() && a.bytes().all(|c| b"ACGTN".contains(&c));
    if !(plain(&v.ref_allele) && plain(&v.alt_allele)) {
        // Symbolic or missing alleles (`<DEL>`, `*`): the position alone is not a
        // start-end, so only the chromosome is stated.
        return out;
    }
    let end = v.pos + v.ref_allele.len() as u64 - 1;
    out.push(component(
        slice::COORDINATE_SYSTEM,
        "valueCodeableConcept",
        fixed(answer::ONE_BASED),
    ));
    out.push(component(
        slice::EXACT_START_END,
        "valueRange",
        json!({ "low": { "value": v.pos }, "high": { "value": end } }),
    ));
    out.push(component(
        slice::REF_ALLELE,
        "valueString",
        json!(v.ref_allele),
    ));
    out.push(component(
        slice::ALT_ALLELE,
        "valueString",
        json!(v.alt_allele),
    ));
    let (so, name) = change_type(&v.ref_allele, &v.alt_allele);
    out.push(component(
        slice::CHANGE_TYPE,
        "valueCodeableConcept",
        concept(codes::SO, so, name),
    ));
    if let Some(acc) = refseq {
        if v.ref_allele.len() == 1 && v.alt_allele.len() == 1 {
            // Only SNVs: indels would need HGVS 3' normalisation, which the VCF does
            // not give.
            let g = format!("{acc}:g.{}{}>{}", v.pos, v.ref_allele, v.alt_allele);
            out.push(component(
                slice::GENOMIC_HGVS,
                "valueCodeableConcept",
                concept(codes::HGVS, &g, &g),
            ));
        }
    }
    out
}

/// Sequence Ontology class of a VCF allele pair.
fn change_type(r: &str, a: &str) -> (&'static str, &'static str) {
    let anchored = r.as_bytes().first() == a.as_bytes().first();
    match (r.len(), a.len()) {
        (1, 1) => ("SO:0001483", "SNV"),
        (x, y) if x == y => ("SO:0002007", "MNV"),
        (1, _) if anchored => ("SO:0000667", "insertion"),
        (_, 1) if anchored => ("SO:0000159", "deletion"),
        _ => ("SO:1000032", "delins"),
    }
}

/// Ensembl or RefSeq transcript accession as a coded concept.
fn transcript_concept(tx: &str) -> Value {
    if tx.starts_with("ENST") {
        concept(codes::ENSEMBL, tx, tx)
    } else if ["NM_", "NR_", "XM_", "XR_"]
        .iter()
        .any(|p| tx.starts_with(p))
    {
        concept(codes::REFSEQ, tx, tx)
    } else {
        text_concept(tx)
    }
}

/// c.HGVS with its transcript prefix, as the IG's examples write it.
fn coding_hgvs(v: &VariantDetails) -> Option<String> {
    let c = v
        .hgvsc
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())?;
    Some(match (&v.transcript, c.contains(':')) {
        (Some(tx), false) if !tx.is_empty() => format!("{tx}:{c}"),
        _ => c.to_string(),
    })
}

/// The protein change as HGVS (`p.V600E`). Tailor keeps one-letter changes, which
/// HGVS allows; no protein accession is known, so none is prefixed.
fn protein_hgvs(v: &VariantDetails) -> Option<String> {
    let p = v
        .protein
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())?;
    Some(if p.starts_with("p.") {
        p.to_string()
    } else {
        format!("p.{p}")
    })
}

/// Sequence Ontology consequence of Tailor's effect class.
fn consequence(class: VariantClass) -> Option<(&'static str, &'static str)> {
    Some(match class {
        VariantClass::Missense => ("SO:0001583", "missense_variant"),
        VariantClass::Nonsense => ("SO:0001587", "stop_gained"),
        VariantClass::Frameshift => ("SO:0001589", "frameshift_variant"),
        VariantClass::InframeDeletion => ("SO:0001822", "inframe_deletion"),
        VariantClass::InframeInsertion => ("SO:0001821", "inframe_insertion"),
        VariantClass::InframeDelins => ("SO:0001820", "inframe_indel"),
        VariantClass::SpliceSite => ("SO:0001629", "splice_site_variant"),
        VariantClass::SpliceRegion => ("SO:0001630", "splice_region_variant"),
        VariantClass::StartLost => ("SO:0002012", "start_lost"),
        VariantClass::StopLost => ("SO:0001578", "stop_lost"),
        VariantClass::Synonymous => ("SO:0001819", "synonymous_variant"),
        VariantClass::Exonic => ("SO:0001791", "exon_variant"),
        VariantClass::NonCoding => ("SO:0001619", "non_coding_transcript_variant"),
        VariantClass::Unknown => return None,
    })
}

/// The `molecular-consequence` of a small variant on its transcript.
fn molecular_consequence(
    b: &mut Builder<'_>,
    f: &SomaticFinding,
    v: &VariantDetails,
    variant: &str,
) {
    let Some((so, name)) = consequence(v.class) else {
        return;
    };
    let mut o = b.observation(
        "molecular-consequence",
        fixed(codes::code::MOLECULAR_CONSEQUENCE),
    );
    o.insert("derivedFrom".into(), json!([reference(variant)]));
    let mut c = Vec::new();
    if let Some(tx) = v.transcript.as_deref().filter(|t| !t.is_empty()) {
        c.push(component(
            slice::MC_TRANSCRIPT_REF_SEQ,
            "valueCodeableConcept",
            transcript_concept(tx),
        ));
    }
    if let Some(h) = coding_hgvs(v) {
        c.push(component(
            slice::MC_CODING_HGVS,
            "valueCodeableConcept",
            concept(codes::HGVS, &h, &h),
        ));
    }
    if let Some(p) = protein_hgvs(v) {
        c.push(component(
            slice::MC_PROTEIN_HGVS,
            "valueCodeableConcept",
            concept(codes::HGVS, &p, &p),
        ));
    }
    c.push(component(
        slice::FEATURE_CONSEQUENCE,
        "valueCodeableConcept",
        concept(codes::SO, so, name),
    ));
    o.insert("component".into(), Value::Array(c));
    b.add_result(&format!("consequence/{}", f.id), o);
}

fn variation_text(alteration: &str) -> Value {
    component(
        slice::VARIATION_CODE,
        "valueCodeableConcept",
        text_concept(alteration),
    )
}

fn copy_number(b: &mut Builder<'_>, doc: &SomaticDocument, f: &SomaticFinding) -> String {
    let genes: Vec<&str> = f.gene.as_deref().into_iter().collect();
    let mut o = variant_base(b, f, &genes);
    let mut extra = vec![
        assembly_component(doc),
        variation_text(&f.alteration),
        // The IG's own CNV examples use copy_number_variation; the direction (gain or
        // loss) is in the variation text and the copy number.
        component(
            slice::CHANGE_TYPE,
            "valueCodeableConcept",
            concept(codes::SO, "SO:0001019", "copy_number_variation"),
        ),
    ];
    if let Some(copies) = f.copies.filter(|x| x.is_finite()) {
        extra.push(component(
            slice::COPY_NUMBER,
            "valueQuantity",
            json!({ "value": copies, "system": codes::UCUM, "code": "1" }),
        ));
    }
    extra.push(conclusion(tier_sentence(f)));
    push_components(&mut o, extra);
    b.add_result(&format!("variant/{}", f.id), o)
}

/// Partners of a fusion written `5'--3'` (`EML4--ALK`); the finding's gene otherwise.
fn fusion_partners(f: &SomaticFinding) -> Vec<&str> {
    let looks_like_gene = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
    };
    match f.alteration.split_once("--") {
        Some((a, c)) if looks_like_gene(a) && looks_like_gene(c) => vec![a, c],
        _ => f.gene.as_deref().into_iter().collect(),
    }
}

fn fusion(b: &mut Builder<'_>, f: &SomaticFinding) -> String {
    let genes = fusion_partners(f);
    let mut o = variant_base(b, f, &genes);
    let mut sentence = tier_sentence(f);
    if let Some(reads) = f.supporting_reads {
        sentence.push_str(&format!(" Supporting reads: {reads}."));
    }
    push_components(
        &mut o,
        [variation_text(&f.alteration), conclusion(sentence)],
    );
    b.add_result(&format!("variant/{}", f.id), o)
}

/// Tumour-level biomarkers. TMB has a LOINC code and a number; the others are stated
/// as text, because the finding carries only its label (e.g. `PD-L1 CPS 2`).
fn biomarker(b: &mut Builder<'_>, doc: &SomaticDocument, f: &SomaticFinding) -> String {
    let categories = vec![
        concept(codes::OBS_CATEGORY, "laboratory", "Laboratory"),
        concept(codes::TBD, "biomarker-category", ""),
        concept(codes::V2_0074, "GE", "Genetics"),
    ];
    let tmb = doc
        .tmb
        .as_ref()
        .filter(|t| f.alteration.starts_with("TMB") && t.value.is_finite());
    let code = match tmb {
        Some(_) => fixed(codes::code::TMB),
        None => text_concept(&f.alteration),
    };
    let mut o = b.observation_with_categories("molecular-biomarker", code, categories);
    if let Some(s) = &b.specimen {
        o.insert("specimen".into(), reference(s));
    }
    let mut notes = vec![json!({ "text": tier_sentence(f) })];
    let mut components = Vec::new();
    if let Some(t) = tmb {
        o.insert(
            "valueQuantity".into(),
            json!({ "value": t.value, "unit": "mutations/megabase" }),
        );
        components.push(component(
            slice::BIOMARKER_CATEGORY,
            "valueCodeableConcept",
            concept(
                BIOMARKER_ONTOLOGY,
                "molgen",
                "molecular sequence adjacent category",
            ),
        ));
        notes.push(json!({ "text": format!(
            "TMB {} ({}): {}; TMB-high threshold {} mut/Mb.",
            if t.high { "high" } else { "not high" },
            t.origin,
            t.rule,
            t.high_threshold
        )}));
    }
    if let Some(g) = &f.gene {
        components.push(gene_studied(g));
    }
    if !components.is_empty() {
        o.insert("component".into(), Value::Array(components));
    }
    notes.extend(f.caveats.iter().map(|c| json!({ "text": c })));
    o.insert("note".into(), Value::Array(notes));
    b.add_result(&format!("biomarker/{}", f.id), o)
}

/// One evidence match: the therapy, the predicted effect, the evidence level and the
/// tumour type the evidence is for, cited.
fn therapeutic_implication(
    b: &mut Builder<'_>,
    f: &SomaticFinding,
    e: &EvidenceMatch,
    n: usize,
    finding: &str,
) {
    let mut o = b.observation(
        "therapeutic-implication",
        fixed(codes::code::THERAPEUTIC_IMPLICATION),
    );
    let mut citation = format!(
        "{} ({}), {} {}",
        e.citation, e.source_type, e.date, e.kb_row
    );
    if !e.note.is_empty() {
        citation.push_str(&format!(": {}", e.note));
    }
    o.insert(
        "extension".into(),
        json!([{
            "url": "http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact",
            "valueRelatedArtifact": {
                "type": "citation",
                "label": e.rule_id,
                "citation": citation,
            }
        }]),
    );
    o.insert("derivedFrom".into(), json!([reference(finding)]));
    let (answer, word) = match e.effect {
        Effect::Sensitivity => (answer::RESPONSIVE, "sensitivity"),
        Effect::Resistance => (answer::RESISTANT, "resistance"),
    };
    let mut implication = fixed(answer);
    if let Value::Object(m) = &mut implication {
        m.insert(
            "text".into(),
            json!(format!("{} predicts {word} to {}", e.rule, e.therapy)),
        );
    }
    let context = match e.evidence_tumor_type.as_str() {
        "ANY" => "any tumour type".to_string(),
        "SOLID" => "solid tumours".to_string(),
        code => format!("OncoTree {code}"),
    };
    let label = match e.label {
        LabelStatus::OnLabel => "evidence for this patient's tumour type",
        LabelStatus::OffLabel => "evidence from another tumour type",
    };
    let level = format!(
        "AMP/ASCO/CAP level {:?} for this patient (curated level {:?}); tier {}",
        e.level,
        e.curated_level,
        f.tier.label()
    );
    let subject = if e.rule == f.alteration {
        f.alteration.clone()
    } else {
        format!("{} (matched rule: {})", f.alteration, e.rule)
    };
    let mut sentence = format!(
        "{subject} predicts {word} to {} ({label}; {level}).",
        e.therapy
    );
    for c in &e.caveats {
        sentence.push(' ');
        sentence.push_str(c);
    }
    o.insert(
        "component".into(),
        json!([
            component(
                slice::THERAPEUTIC_IMPLICATION,
                "valueCodeableConcept",
                implication
            ),
            component(
                slice::MEDICATION_ASSESSED,
                "valueCodeableConcept",
                text_concept(&e.therapy)
            ),
            component(
                slice::TREATMENT_CONTEXT,
                "valueCodeableConcept",
                text_concept(&format!("{context} ({label})"))
            ),
            component(
                slice::EVIDENCE_LEVEL,
                "valueCodeableConcept",
                text_concept(&level)
            ),
            conclusion(sentence),
        ]),
    );
    b.add_result(&format!("implication/{}/{n}", f.id), o);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_types_follow_vcf_alleles() {
        assert_eq!(change_type("A", "T").1, "SNV");
        assert_eq!(change_type("AC", "GT").1, "MNV");
        assert_eq!(change_type("A", "AT").1, "insertion");
        assert_eq!(change_type("AT", "A").1, "deletion");
        assert_eq!(change_type("AT", "G").1, "delins");
        assert_eq!(change_type("G", "AT").1, "delins");
    }

    #[test]
    fn hgvs_prefixes() {
        let v = VariantDetails {
            chrom: "7".into(),
            pos: 140753336,
            ref_allele: "A".into(),
            alt_allele: "T".into(),
            transcript: Some("ENST00000646891.2".into()),
            hgvsc: Some("c.1799T>A".into()),
            protein: Some("V600E".into()),
            class: VariantClass::Missense,
            exon: Some(15),
            codon: Some(600),
            vaf: Some(0.3),
            depth: Some(54),
            ccf: None,
            subclonal: false,
            annotation: tailor_core::onco::AnnotationSource::Vep,
            record: "x.vcf:1".into(),
        };
        assert_eq!(
            coding_hgvs(&v).as_deref(),
            Some("ENST00000646891.2:c.1799T>A")
        );
        assert_eq!(protein_hgvs(&v).as_deref(), Some("p.V600E"));
        let comps = locus_components(Assembly::GRCh38, &v);
        let text = serde_json::to_string(&comps).unwrap();
        assert!(text.contains("NC_000007.14:g.140753336A>T"));
        assert!(text.contains("LA21260-7"));
        // GRCh37: no accession, so no genomic HGVS either.
        let text37 = serde_json::to_string(&locus_components(Assembly::GRCh37, &v)).unwrap();
        assert!(!text37.contains("NC_0000"));
        // Symbolic alleles: chromosome only.
        let sym = VariantDetails {
            alt_allele: "<DEL>".into(),
            ..v
        };
        assert_eq!(locus_components(Assembly::GRCh38, &sym).len(), 2);
    }
}
