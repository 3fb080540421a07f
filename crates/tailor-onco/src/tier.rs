//! AMP/ASCO/CAP 2017 evidence levels and tiers.
//!
//! The curated knowledge base states each row's evidence level *for the tumour type it
//! names*. For a patient whose tumour is a different type, AMP's rules move FDA- and
//! guideline-level evidence (A, B) to level C ("FDA-approved therapy for a different
//! tumour type"), and small-study evidence (C, D) to D. A finding's tier is set by its
//! best level: A -> I-A, B -> I-B, C -> II-C, D -> II-D (Li et al., J Mol Diagn 2017,
//! table 2 and figure 2). Resistance evidence counts the same way as sensitivity: AMP
//! tiers a biomarker of resistance to an approved therapy as tier I.

use tailor_core::onco::{Effect, EvidenceLevel, EvidenceMatch, LabelStatus, Tier};

/// The evidence level a curated row has for this patient.
pub fn patient_level(curated: EvidenceLevel, label: LabelStatus) -> EvidenceLevel {
    match (label, curated) {
        (LabelStatus::OnLabel, level) => level,
        (LabelStatus::OffLabel, EvidenceLevel::A | EvidenceLevel::B) => EvidenceLevel::C,
        (LabelStatus::OffLabel, EvidenceLevel::C | EvidenceLevel::D) => EvidenceLevel::D,
    }
}

/// The tier that an evidence level gives.
pub fn tier_for(level: EvidenceLevel) -> Tier {
    match level {
        EvidenceLevel::A => Tier::IA,
        EvidenceLevel::B => Tier::IB,
        EvidenceLevel::C => Tier::IIC,
        EvidenceLevel::D => Tier::IID,
    }
}

/// Orders evidence best first: level, then on-label before off-label, then sensitivity
/// before resistance, then the more specific match level, then the row id (so the
/// order is stable).
pub fn sort_evidence(evidence: &mut [EvidenceMatch]) {
    evidence.sort_by(|a, b| {
        (
            a.level,
            a.label,
            a.effect,
            a.match_level,
            &a.therapy,
            &a.rule_id,
        )
            .cmp(&(
                b.level,
                b.label,
                b.effect,
                b.match_level,
                &b.therapy,
                &b.rule_id,
            ))
    });
}

/// Tier and the sentence explaining it for a finding whose evidence is sorted best
/// first; `None` when there is no evidence (the caller decides between tier III and
/// not reporting).
pub fn tier_from_evidence(evidence: &[EvidenceMatch], tumor: &str) -> Option<(Tier, String)> {
    let best = evidence.first()?;
    let tier = tier_for(best.level);
    let what = match best.effect {
        Effect::Sensitivity => format!("predicts benefit from {}", best.therapy),
        Effect::Resistance => format!("predicts resistance to {}", best.therapy),
    };
    let source = match best.source_type.as_str() {
        "FDA" => "an FDA label",
        "guideline" => "a professional guideline",
        "CIViC" => "CIViC",
        _ => "published studies",
    };
    let reason = match (best.label, best.curated_level) {
        (LabelStatus::OnLabel, EvidenceLevel::A) => format!(
            "Level A: {what} in {tumor} according to {source} ({}).",
            best.citation
        ),
        (LabelStatus::OnLabel, EvidenceLevel::B) => format!(
            "Level B: {what} in {tumor}, supported by well-powered studies ({}).",
            best.citation
        ),
        (LabelStatus::OnLabel, level) => format!(
            "Level {level:?}: {what} in {tumor}, limited evidence ({}).",
            best.citation
        ),
        (LabelStatus::OffLabel, EvidenceLevel::A | EvidenceLevel::B) => format!(
            "Level C: {what} in a different tumour type ({}; {}), not in {tumor}.",
            best.evidence_tumor_type, best.citation
        ),
        (LabelStatus::OffLabel, _) => format!(
            "Level D: {what} with limited evidence in a different tumour type ({}; {}).",
            best.evidence_tumor_type, best.citation
        ),
    };
    Some((tier, reason))
}

/// Removes tumour-agnostic sensitivity matches (`SOLID`/`ANY`) that a tumour-type-specific
/// resistance match for the same regimen overrides, and returns one caveat per removal.
///
/// Labels carve exceptions out of tumour-agnostic approvals: dabrafenib plus trametinib
/// is approved for BRAF V600E solid tumours *except* colorectal cancer, where BRAF
/// inhibition alone does not work. The knowledge base states such exceptions as
/// resistance rows for the excluded tumour type; the more specific row wins.
pub fn drop_overridden(evidence: &mut Vec<EvidenceMatch>) -> Vec<String> {
    let agnostic = |t: &str| t == "SOLID" || t == "ANY";
    let specific: Vec<(String, String, String)> = evidence
        .iter()
        .filter(|e| {
            e.effect == Effect::Resistance
                && e.label == LabelStatus::OnLabel
                && !agnostic(&e.evidence_tumor_type)
        })
        .map(|e| {
            (
                e.therapy.clone(),
                e.evidence_tumor_type.clone(),
                e.citation.clone(),
            )
        })
        .collect();
    // (resisted regimen, tumour, citation) -> dropped "regimen (evidence tumour)" items.
    let mut dropped: Vec<((String, String, String), Vec<String>)> = Vec::new();
    evidence.retain(|e| {
        if e.effect != Effect::Sensitivity {
            return true;
        }
        // A tumour-agnostic indication is overridden by a resistance row for the same
        // regimen in this tumour type; evidence from another tumour type is overridden
        // by resistance here to the same regimen or to a regimen containing all its
        // drugs (dabrafenib alone, from melanoma, is no option where dabrafenib +
        // trametinib fails).
        let off_label = e.label == LabelStatus::OffLabel;
        if !(agnostic(&e.evidence_tumor_type) || off_label) {
            return true;
        }
        let hit = specific.iter().find(|(therapy, _, _)| {
            *therapy == e.therapy
                || (off_label
                    && crate::rank::drugs(&e.therapy)
                        .all(|d| crate::rank::drugs(therapy).any(|r| r == d)))
        });
        let Some(key) = hit else {
            return true;
        };
        let item = format!("{} ({})", e.therapy, e.evidence_tumor_type);
        match dropped.iter_mut().find(|(k, _)| k == key) {
            Some((_, items)) if !items.contains(&item) => items.push(item),
            Some(_) => {}
            None => dropped.push((key.clone(), vec![item])),
        }
        false
    });
    dropped
        .into_iter()
        .map(|((therapy, tumor, citation), items)| {
            format!(
                "Not offered: {}. {tumor} predicts resistance to {therapy} ({citation}).",
                items.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tailor_core::onco::MatchLevel;

    fn evidence(level: EvidenceLevel, label: LabelStatus, effect: Effect) -> EvidenceMatch {
        EvidenceMatch {
            rule_id: "X".into(),
            kb_row: "kb/onco/evidence.tsv:2".into(),
            match_level: MatchLevel::Protein,
            rule: "BRAF V600E".into(),
            evidence_tumor_type: "MEL".into(),
            label,
            therapy: "dabrafenib + trametinib".into(),
            effect,
            curated_level: level,
            level: patient_level(level, label),
            source_type: "FDA".into(),
            citation: "label".into(),
            date: "2024-01".into(),
            note: String::new(),
            caveats: vec![],
        }
    }

    #[test]
    fn off_label_moves_a_and_b_to_c_and_c_d_to_d() {
        use EvidenceLevel::*;
        assert_eq!(patient_level(A, LabelStatus::OffLabel), C);
        assert_eq!(patient_level(B, LabelStatus::OffLabel), C);
        assert_eq!(patient_level(C, LabelStatus::OffLabel), D);
        assert_eq!(patient_level(D, LabelStatus::OffLabel), D);
        assert_eq!(patient_level(B, LabelStatus::OnLabel), B);
    }

    #[test]
    fn best_evidence_sets_the_tier() {
        let mut ev = vec![
            evidence(EvidenceLevel::A, LabelStatus::OffLabel, Effect::Sensitivity),
            evidence(EvidenceLevel::B, LabelStatus::OnLabel, Effect::Sensitivity),
        ];
        sort_evidence(&mut ev);
        let (tier, reason) = tier_from_evidence(&ev, "melanoma").unwrap();
        assert_eq!(tier, Tier::IB);
        assert!(reason.starts_with("Level B"), "{reason}");
        let mut off = vec![evidence(
            EvidenceLevel::A,
            LabelStatus::OffLabel,
            Effect::Sensitivity,
        )];
        sort_evidence(&mut off);
        let (tier, reason) = tier_from_evidence(&off, "colorectal").unwrap();
        assert_eq!(tier, Tier::IIC);
        assert!(reason.contains("different tumour type"), "{reason}");
        assert!(tier_from_evidence(&[], "x").is_none());
    }

    #[test]
    fn specific_resistance_overrides_agnostic_sensitivity() {
        let mut agnostic = evidence(EvidenceLevel::A, LabelStatus::OnLabel, Effect::Sensitivity);
        agnostic.evidence_tumor_type = "SOLID".into();
        let mut crc = evidence(EvidenceLevel::A, LabelStatus::OnLabel, Effect::Resistance);
        crc.evidence_tumor_type = "COADREAD".into();
        let mut other = evidence(EvidenceLevel::A, LabelStatus::OnLabel, Effect::Sensitivity);
        other.therapy = "encorafenib + cetuximab".into();
        other.evidence_tumor_type = "COADREAD".into();
        let mut ev = vec![agnostic, crc, other];
        let caveats = drop_overridden(&mut ev);
        assert_eq!(ev.len(), 2);
        assert!(ev.iter().all(|e| e.evidence_tumor_type == "COADREAD"));
        assert_eq!(caveats.len(), 1);
        assert!(
            caveats[0].contains("COADREAD predicts resistance")
                && caveats[0].starts_with("Not offered: dabrafenib + trametinib (SOLID)"),
            "{}",
            caveats[0]
        );
        // Off-label monotherapy with a drug of the resisted regimen is dropped too.
        let mut crc = evidence(EvidenceLevel::A, LabelStatus::OnLabel, Effect::Resistance);
        crc.evidence_tumor_type = "COADREAD".into();
        let mut mono = evidence(EvidenceLevel::A, LabelStatus::OffLabel, Effect::Sensitivity);
        mono.therapy = "dabrafenib".into();
        let mut other = evidence(EvidenceLevel::A, LabelStatus::OffLabel, Effect::Sensitivity);
        other.therapy = "vemurafenib".into();
        let mut ev = vec![crc, mono, other];
        assert_eq!(drop_overridden(&mut ev).len(), 1);
        assert_eq!(ev.len(), 2);
        assert!(ev.iter().any(|e| e.therapy == "vemurafenib"));
        // Without the specific resistance row nothing is dropped.
        let mut only = vec![evidence(
            EvidenceLevel::A,
            LabelStatus::OnLabel,
            Effect::Sensitivity,
        )];
        only[0].evidence_tumor_type = "SOLID".into();
        assert!(drop_overridden(&mut only).is_empty() && only.len() == 1);
    }

    #[test]
    fn resistance_is_tiered_like_sensitivity() {
        let ev = vec![evidence(
            EvidenceLevel::A,
            LabelStatus::OnLabel,
            Effect::Resistance,
        )];
        let (tier, reason) = tier_from_evidence(&ev, "colorectal").unwrap();
        assert_eq!(tier, Tier::IA);
        assert!(reason.contains("resistance"));
    }
}
