//! The plain-language patient summary (`patient-summary.html`).
//!
//! Written for about an 8th-grade reading level (the test suite measures it with the
//! Flesch-Kincaid grade): short sentences, everyday words, tiers said in words rather
//! than codes. It says what was found, what the test could not tell, what the
//! medicine-gene results mean, and gives the questions to take to the care team. It
//! never presents a variant of uncertain significance as pointing to a medicine.

use super::clinician::NO_ACTIONABLE;
use super::style;
use super::{date_of, escape};
use std::fmt::Write as _;
use tailor_core::interpretation::{Interpretation, MedicationAlert};
use tailor_core::onco::{Effect, FindingKind, LabelStatus, SomaticDocument, SomaticFinding, Tier};
use tailor_core::somatic::SampleType;

pub(super) fn render(i: &Interpretation) -> String {
    let mut h = String::with_capacity(32 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Your test results ({patient})</title><style>{base}{patient_css}</style></head><body><main>\
         <h1>Your test results, in plain words</h1>\
         <p class=\"intro\">This page explains your test results in plain words. \
         It is for {patient}. Your doctor has the full report. \
         Please talk with your care team before you change any medicine.</p>",
        patient = escape(&i.case.patient),
        base = style::BASE,
        patient_css = style::PATIENT,
    );
    what_was_tested(&mut h, i);
    tumour(&mut h, i);
    limits(&mut h, i);
    medicines(&mut h, i);
    questions(&mut h);
    let _ = writeln!(
        h,
        "<footer>Report {id}, made on {date}. It comes from the same results as the full report your doctor has.</footer></main></body></html>",
        id = escape(&i.report_id),
        date = escape(date_of(&i.generated_at)),
    );
    h
}

fn what_was_tested(h: &mut String, i: &Interpretation) {
    h.push_str("<h2>What we tested</h2><ul>");
    if i.somatic.is_some() {
        match i.case.sample_type {
            SampleType::Tissue => {
                h.push_str("<li>We looked at the genes in a sample of your tumour.</li>")
            }
            SampleType::CtDna => h.push_str(
                "<li>We looked at tumour genes in a blood sample. Tumours shed bits of their genes into the blood.</li>",
            ),
        }
        if let Some(t) = &i.case.tumor_type {
            let _ = write!(
                h,
                "<li>The test was set up for this type of cancer: {}.</li>",
                escape(&t.main_type.to_lowercase())
            );
        }
    }
    if i.pgx.is_some() {
        h.push_str(
            "<li>We also looked at genes that change how your body handles some medicines.</li>",
        );
    }
    h.push_str("</ul>");
}

/// The tier in words. These phrases are the whole point of the summary: a patient
/// should be able to tell "approved for my cancer" from "we do not know yet".
pub(super) fn tier_words(t: Tier) -> &'static str {
    match t {
        Tier::IA => "A change with an approved medicine for your type of cancer.",
        Tier::IB => "A change with strong proof for a medicine for your type of cancer.",
        Tier::IIC => "A change seen with medicines approved for other cancers.",
        Tier::IID => "A change with early research on a medicine.",
        Tier::III => "A change we cannot yet interpret.",
    }
}

/// What the alteration is, in one or two short sentences.
fn what_it_is(f: &SomaticFinding) -> String {
    let gene = f.gene.as_deref().map(escape).unwrap_or_default();
    let alt = f.alteration.to_ascii_lowercase();
    match f.kind {
        FindingKind::SmallVariant => format!("A small change in the {gene} gene."),
        FindingKind::Fusion => {
            let parts: Vec<String> = f
                .alteration
                .split("--")
                .map(|p| escape(p.trim()))
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() == 2 {
                format!("Two genes, {} and {}, are joined together.", parts[0], parts[1])
            } else {
                "Two genes are joined together.".to_string()
            }
        }
        FindingKind::CopyNumber if alt.contains("deletion") || alt.contains("loss") => {
            format!("The tumour has lost the {gene} gene.")
        }
        FindingKind::CopyNumber => format!("The tumour has extra copies of the {gene} gene."),
        FindingKind::Biomarker if alt.starts_with("tmb") => {
            "The tumour has a lot of gene changes. Some immune medicines may work better when there are many.".to_string()
        }
        FindingKind::Biomarker if alt.starts_with("pd-l1") => {
            "The tumour makes a protein called PD-L1. Some immune medicines act on it.".to_string()
        }
        FindingKind::Biomarker if alt.starts_with("msi") || alt.contains("mmr") => {
            "The tumour has trouble fixing mistakes in its genes. Some immune medicines may work well.".to_string()
        }
        FindingKind::Biomarker => "A test result about the whole tumour.".to_string(),
    }
}

/// Up to three distinct therapies with `effect`, as plain text ("a plus b").
fn medicines_for(f: &SomaticFinding, effect: Effect, label: Option<LabelStatus>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in &f.evidence {
        if e.effect != effect || label.is_some_and(|l| l != e.label) {
            continue;
        }
        let name = e.therapy.replace(" + ", " plus ");
        if !out.contains(&name) {
            out.push(name);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

fn tumour(h: &mut String, i: &Interpretation) {
    let Some(doc) = &i.somatic else { return };
    h.push_str("<h2>What we found in your tumour</h2>");
    let found: Vec<&SomaticFinding> = doc
        .findings
        .iter()
        .filter(|f| f.tier.is_actionable())
        .collect();
    if !doc.actionable || found.is_empty() {
        let _ = write!(
            h,
            "<p><b>{NO_ACTIONABLE}.</b> We did not find a change that points to a medicine for your cancer. \
             This is common. It does not mean you have no choices. Your care team will talk with you about your options.</p>"
        );
    } else {
        let _ = write!(
            h,
            "<p>We found {} {} that may point to a medicine. Here is what each one is.</p>",
            found.len(),
            if found.len() == 1 {
                "change"
            } else {
                "changes"
            }
        );
        let mut sorted = found;
        sorted.sort_by_key(|f| f.tier);
        for f in sorted {
            let tier1 = matches!(f.tier, Tier::IA | Tier::IB);
            let label = if tier1 {
                Some(LabelStatus::OnLabel)
            } else {
                None
            };
            let mut meds = medicines_for(f, Effect::Sensitivity, label);
            if meds.is_empty() {
                meds = medicines_for(f, Effect::Sensitivity, None);
            }
            let _ = write!(
                h,
                "<div class=\"item\"><b>{}</b><span class=\"kind\">{}</span>{}",
                escape(&f.alteration),
                tier_words(f.tier),
                what_it_is(f),
            );
            if !meds.is_empty() {
                let _ = write!(h, " Medicines linked to it: {}.", escape(&meds.join("; ")));
            }
            let against = medicines_for(f, Effect::Resistance, None);
            if !against.is_empty() {
                let _ = write!(
                    h,
                    " Some medicines may not work well with this change: {}.",
                    escape(&against.join("; "))
                );
            }
            h.push_str("</div>");
        }
        h.push_str("<p>A linked medicine is not always right for you. Your care team will think about your whole health, your past treatment and what you want.</p>");
    }
    let unknown = doc.uncertain.len()
        + doc
            .findings
            .iter()
            .filter(|f| !f.tier.is_actionable())
            .count();
    if unknown > 0 {
        let _ = write!(
            h,
            "<p>We also found {unknown} {} we cannot yet interpret. No one knows yet if {} matter. \
             {} not point to a medicine today. Your care team can look at {} again as we learn more.</p>",
            if unknown == 1 { "change" } else { "changes" },
            if unknown == 1 { "it does" } else { "they" },
            if unknown == 1 { "It does" } else { "They do" },
            if unknown == 1 { "it" } else { "them" },
        );
    }
}

fn plain_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

/// Biomarkers with no result, by the short name a patient will see on other papers.
fn untested_biomarkers(doc: &SomaticDocument) -> Vec<String> {
    let b = &doc.case.biomarkers;
    let mut out = Vec::new();
    if doc.tmb.is_none() {
        out.push("TMB".to_string());
    }
    if b.msi.is_none() && b.mmr.is_none() {
        out.push("MSI".to_string());
    }
    if b.pdl1_tps.is_none() && b.pdl1_cps.is_none() {
        out.push("PD-L1".to_string());
    }
    if b.her2_ihc.is_none() && b.her2_ish.is_none() {
        out.push("HER2".to_string());
    }
    out
}

fn limits(h: &mut String, i: &Interpretation) {
    h.push_str("<h2>What the test could not tell us</h2><ul>");
    match &i.somatic {
        None => h.push_str("<li>This test did not look at tumour genes. It cannot help choose a cancer medicine.</li>"),
        Some(doc) => {
            let untested = untested_biomarkers(doc);
            if !untested.is_empty() {
                let _ = write!(
                    h,
                    "<li>Some tests were not part of this report: {}. A test that was not done is not a normal result.</li>",
                    escape(&plain_list(&untested))
                );
            }
            if !doc.unannotated.is_empty() {
                let _ = write!(
                    h,
                    "<li>We could not read {} {} well enough to look {} up.</li>",
                    doc.unannotated.len(),
                    if doc.unannotated.len() == 1 { "change" } else { "changes" },
                    if doc.unannotated.len() == 1 { "it" } else { "them" },
                );
            }
            if doc
                .warnings
                .iter()
                .any(|w| w.to_ascii_lowercase().contains("purity"))
            {
                h.push_str("<li>The sample had few tumour cells. Some changes may have been missed.</li>");
            }
        }
    }
    if let Some(pgx) = &i.pgx {
        let not_called: Vec<String> = pgx
            .result
            .genes
            .iter()
            .filter(|g| g.diplotypes.is_empty())
            .map(|g| g.gene.clone())
            .collect();
        if !not_called.is_empty() {
            let _ = write!(
                h,
                "<li>We could not check {} medicine {} with this test: {}. That needs a different test.</li>",
                if not_called.len() == 1 { "this" } else { "these" },
                if not_called.len() == 1 { "gene" } else { "genes" },
                escape(&plain_list(&not_called))
            );
        }
        let gaps: Vec<String> = pgx
            .absent_positions
            .iter()
            .filter(|a| !a.positions.is_empty())
            .map(|a| a.gene.clone())
            .chain(
                pgx.result
                    .genes
                    .iter()
                    .filter(|g| !g.missing_positions.is_empty())
                    .map(|g| g.gene.clone()),
            )
            .fold(Vec::new(), |mut acc, g| {
                if !acc.contains(&g) {
                    acc.push(g);
                }
                acc
            });
        if !gaps.is_empty() {
            let _ = write!(
                h,
                "<li>Some spots in these genes were not read: {}. Those results are less sure.</li>",
                escape(&plain_list(&gaps))
            );
        }
    }
    if !i.trials.searched {
        h.push_str(
            "<li>This report did not look for clinical trials. Ask your care team about them.</li>",
        );
    }
    h.push_str("<li>No test finds every change. What a result means can change as doctors learn more.</li></ul>");
}

/// How a phenotype reads to a patient, or `None` when it has no simple reading.
fn plain_phenotype(phenotype: &str) -> Option<&'static str> {
    let p = phenotype.to_ascii_lowercase();
    if p.contains(" positive") || p.starts_with("positive") {
        Some("you carry a gene type that can cause a serious reaction to some medicines")
    } else if p.contains("ultrarapid")
        || p.contains("rapid metabolizer")
        || p.contains("increased function")
    {
        Some("your body may break down some medicines faster than usual")
    } else if p.contains("poor") {
        Some("your body may break down some medicines much more slowly than usual")
    } else if p.contains("intermediate") || p.contains("decreased function") {
        Some("your body may break down some medicines more slowly than usual")
    } else if p.contains("normal") {
        Some("your body should handle these medicines in the usual way")
    } else {
        None
    }
}

fn is_usual(phenotype: &str) -> bool {
    plain_phenotype(phenotype) == Some("your body should handle these medicines in the usual way")
}

fn medication_sentence(alerts: &[&MedicationAlert]) -> &'static str {
    if !alerts.iter().any(|a| a.actionable) {
        "The guidelines give no special advice about this medicine for your genes."
    } else if alerts
        .iter()
        .filter(|a| a.actionable)
        .all(|a| !a.phenotypes.is_empty() && a.phenotypes.iter().all(|p| is_usual(p)))
    {
        "Your genes suggest your body handles this medicine in the usual way. The usual dose advice applies."
    } else {
        "Your genes may change how this medicine works for you. There is advice to change the dose or pick another medicine. Ask your care team about it."
    }
}

fn medicines(h: &mut String, i: &Interpretation) {
    h.push_str("<h2>Your genes and your medicines</h2>");
    let Some(pgx) = &i.pgx else {
        h.push_str("<p>This test did not look at the genes that affect medicines.</p>");
        return;
    };
    if i.case.medications.is_empty() {
        h.push_str("<p>We did not have a list of the medicines you take now.</p>");
    } else {
        h.push_str("<p>These are the medicines you take now.</p>");
        for med in &i.case.medications {
            let alerts: Vec<&MedicationAlert> = i
                .medication_alerts
                .iter()
                .filter(|a| a.medication.eq_ignore_ascii_case(med))
                .collect();
            let genes: Vec<String> = alerts.iter().flat_map(|a| a.genes.iter().cloned()).fold(
                Vec::new(),
                |mut acc, g| {
                    if !acc.contains(&g) {
                        acc.push(g);
                    }
                    acc
                },
            );
            let text = if alerts.is_empty() {
                "This test has no gene advice for this medicine."
            } else {
                medication_sentence(&alerts)
            };
            let gene_note = if genes.is_empty() {
                String::new()
            } else {
                format!(" (gene: {})", escape(&genes.join(", ")))
            };
            let _ = write!(
                h,
                "<div class=\"item\"><b>{}</b>{gene_note}<br>{text}</div>",
                escape(med)
            );
        }
    }
    let notable: Vec<(String, &'static str)> = pgx
        .result
        .genes
        .iter()
        .filter_map(|g| {
            let words = g.phenotypes.iter().find_map(|p| plain_phenotype(p))?;
            (!g.phenotypes.iter().all(|p| is_usual(p))).then(|| (g.gene.clone(), words))
        })
        .collect();
    if !notable.is_empty() {
        h.push_str("<p>These results may matter if you need a new medicine:</p><ul>");
        for (gene, words) in notable {
            let _ = write!(h, "<li>{}: {}.</li>", escape(&gene), words);
        }
        h.push_str("</ul>");
    }
    let mut drugs: Vec<&str> = pgx
        .result
        .recommendations
        .iter()
        .filter(|r| r.actionable)
        .map(|r| r.drug.as_str())
        .collect();
    drugs.sort_unstable();
    drugs.dedup();
    if !drugs.is_empty() {
        let _ = write!(
            h,
            "<p>We checked your genes against the advice for {} {}. Your care team has the full list.</p>",
            drugs.len(),
            if drugs.len() == 1 {
                "medicine"
            } else {
                "medicines"
            }
        );
    }
    h.push_str("<p>Tell each doctor and pharmacist that you had this test. Your genes do not change, so these results stay useful.</p>");
}

fn questions(h: &mut String) {
    h.push_str("<h2>Questions to ask your care team</h2><p>You can tick each one when you have asked it.</p><ul class=\"check\">");
    for q in [
        "Which tests were done on my tumour and my genes? Was any test left out?",
        "How strong is the proof that this medicine helps people like me?",
        "What side effects could I have? How will we watch for them?",
        "How much will it cost? Is there help to pay for it?",
        "What is the plan if the medicine stops working?",
        "Is there a clinical trial I could join?",
        "Do my genes change the dose of any medicine I take now?",
    ] {
        let _ = write!(h, "<li>{q}</li>");
    }
    h.push_str("</ul>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_in_words() {
        assert!(tier_words(Tier::IA).contains("approved medicine for your type of cancer"));
        assert!(tier_words(Tier::IIC).contains("approved for other cancers"));
        assert!(tier_words(Tier::III).contains("cannot yet interpret"));
    }

    #[test]
    fn phenotypes_in_words() {
        assert!(is_usual("CYP2C19 Normal Metabolizer"));
        assert!(plain_phenotype("Intermediate Metabolizer")
            .unwrap()
            .contains("more slowly"));
        assert!(plain_phenotype("Poor Metabolizer")
            .unwrap()
            .contains("much more slowly"));
        assert!(
            plain_phenotype("*15:02 positive; *57:01 positive; *58:01 negative")
                .unwrap()
                .contains("serious reaction")
        );
        assert!(plain_phenotype("*58:01 negative").is_none());
        assert!(plain_phenotype("-1639 GG").is_none());
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(plain_list(&["a".into()]), "a");
        assert_eq!(
            plain_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
