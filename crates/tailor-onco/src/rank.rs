//! The ranked list of therapy options for one patient.
//!
//! Options are regimens with sensitivity evidence from tier I/II findings, ranked by
//! (1) whether another finding predicts resistance to the same regimen in this tumour
//! type (such options go last, with the conflict stated), (2) the best evidence level
//! for the patient, (3) on-label before off-label, (4) the number of findings that
//! support the regimen, then the regimen's name for a stable order. Resistance evidence
//! is listed after the options as "expect no benefit" entries. When a finding predicts
//! resistance to one drug of a combination, the combination keeps its rank and the
//! rationale says so: resistance to a drug given alone (cetuximab in BRAF V600E
//! colorectal cancer) does not transfer to a regimen built to overcome it (encorafenib
//! plus cetuximab).

use std::collections::BTreeMap;
use tailor_core::onco::{Effect, EvidenceLevel, LabelStatus, SomaticFinding, TherapyOption, Tier};

#[derive(Debug)]
struct Group {
    level: EvidenceLevel,
    label: LabelStatus,
    tier: Tier,
    findings: Vec<String>,
    biomarkers: Vec<String>,
}

/// Drugs of a regimen (`encorafenib + cetuximab` -> `["encorafenib", "cetuximab"]`).
pub fn drugs(regimen: &str) -> impl Iterator<Item = &str> {
    regimen.split('+').map(str::trim).filter(|d| !d.is_empty())
}

/// Ranks the therapies of tier I/II findings.
pub fn rank_therapies(findings: &[SomaticFinding]) -> Vec<TherapyOption> {
    let mut groups: BTreeMap<(String, Effect), Group> = BTreeMap::new();
    for finding in findings.iter().filter(|f| f.tier.is_actionable()) {
        for ev in &finding.evidence {
            let group = groups
                .entry((ev.therapy.clone(), ev.effect))
                .or_insert_with(|| Group {
                    level: ev.level,
                    label: ev.label,
                    tier: finding.tier,
                    findings: Vec::new(),
                    biomarkers: Vec::new(),
                });
            if (ev.level, ev.label) < (group.level, group.label) {
                group.level = ev.level;
                group.label = ev.label;
            }
            group.tier = group.tier.min(finding.tier);
            if !group.findings.contains(&finding.id) {
                group.findings.push(finding.id.clone());
                group.biomarkers.push(finding.alteration.clone());
            }
        }
    }
    // Resistance in this tumour type (on-label), by regimen and by single drug.
    let resisted: BTreeMap<&str, &Group> = groups
        .iter()
        .filter(|((_, effect), g)| *effect == Effect::Resistance && g.label == LabelStatus::OnLabel)
        .map(|((therapy, _), g)| (therapy.as_str(), g))
        .collect();

    let mut options: Vec<(bool, TherapyOption)> = Vec::new();
    for ((therapy, effect), g) in &groups {
        let mut rationale = Vec::new();
        let mut conflicted = false;
        if *effect == Effect::Sensitivity {
            rationale.push(format!(
                "level {:?} evidence, {} ({})",
                g.level,
                match g.label {
                    LabelStatus::OnLabel => "this tumour type",
                    LabelStatus::OffLabel => "approved or studied in another tumour type",
                },
                g.biomarkers.join(", ")
            ));
            if let Some(r) = resisted.get(therapy.as_str()) {
                conflicted = true;
                rationale.push(format!(
                    "but {} predicts resistance to this regimen; ranked after options without a resistance finding",
                    r.biomarkers.join(", ")
                ));
            }
            for drug in drugs(therapy) {
                if drug == therapy {
                    continue;
                }
                if let Some(r) = resisted.get(drug) {
                    rationale.push(format!(
                        "note: {} predicts resistance to {drug} given alone",
                        r.biomarkers.join(", ")
                    ));
                }
            }
        } else {
            rationale.push(format!(
                "expect no benefit: {} predicts resistance (level {:?}, {})",
                g.biomarkers.join(", "),
                g.level,
                match g.label {
                    LabelStatus::OnLabel => "this tumour type",
                    LabelStatus::OffLabel => "evidence from another tumour type",
                }
            ));
        }
        options.push((
            conflicted,
            TherapyOption {
                rank: 0,
                therapy: therapy.clone(),
                effect: *effect,
                label: g.label,
                level: g.level,
                tier: g.tier,
                findings: g.findings.clone(),
                biomarkers: g.biomarkers.clone(),
                rationale: rationale.join("; "),
            },
        ));
    }
    options.sort_by(|(ca, a), (cb, b)| {
        (
            a.effect,
            *ca,
            a.level,
            a.label,
            std::cmp::Reverse(a.findings.len()),
            &a.therapy,
        )
            .cmp(&(
                b.effect,
                *cb,
                b.level,
                b.label,
                std::cmp::Reverse(b.findings.len()),
                &b.therapy,
            ))
    });
    options
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut o))| {
            o.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
            o
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tailor_core::onco::{EvidenceMatch, FindingKind, MatchLevel, Oncogenicity};

    fn finding(
        id: &str,
        alteration: &str,
        ev: Vec<(&str, Effect, EvidenceLevel, LabelStatus)>,
    ) -> SomaticFinding {
        let evidence: Vec<EvidenceMatch> = ev
            .into_iter()
            .map(|(therapy, effect, level, label)| EvidenceMatch {
                rule_id: "R".into(),
                kb_row: "kb:1".into(),
                match_level: MatchLevel::Protein,
                rule: alteration.into(),
                evidence_tumor_type: "COADREAD".into(),
                label,
                therapy: therapy.into(),
                effect,
                curated_level: level,
                level,
                source_type: "FDA".into(),
                citation: "c".into(),
                date: "2024".into(),
                note: String::new(),
                caveats: vec![],
            })
            .collect();
        let tier = crate::tier::tier_for(evidence.iter().map(|e| e.level).min().unwrap());
        SomaticFinding {
            id: id.into(),
            kind: FindingKind::SmallVariant,
            gene: None,
            alteration: alteration.into(),
            tier,
            tier_reason: String::new(),
            oncogenicity: Oncogenicity::Oncogenic,
            oncogenicity_reason: String::new(),
            variant: None,
            copies: None,
            supporting_reads: None,
            evidence,
            source: "x:1".into(),
            caveats: vec![],
            possible_germline: None,
        }
    }

    #[test]
    fn resistance_to_the_same_regimen_demotes_and_single_drug_resistance_only_notes() {
        use EvidenceLevel::*;
        use LabelStatus::*;
        let findings = vec![
            finding(
                "F1",
                "BRAF V600E",
                vec![
                    ("encorafenib + cetuximab", Effect::Sensitivity, A, OnLabel),
                    ("cetuximab", Effect::Resistance, A, OnLabel),
                ],
            ),
            finding(
                "F2",
                "KRAS G12C",
                vec![("sotorasib + panitumumab", Effect::Sensitivity, A, OnLabel)],
            ),
            finding(
                "F3",
                "ERBB2 amplification",
                vec![("panitumumab", Effect::Sensitivity, C, OffLabel)],
            ),
            finding(
                "F4",
                "KRAS G12C",
                vec![("panitumumab", Effect::Resistance, A, OnLabel)],
            ),
        ];
        let ranked = rank_therapies(&findings);
        let names: Vec<(&str, Effect)> = ranked
            .iter()
            .map(|o| (o.therapy.as_str(), o.effect))
            .collect();
        assert_eq!(
            names,
            vec![
                ("encorafenib + cetuximab", Effect::Sensitivity),
                ("sotorasib + panitumumab", Effect::Sensitivity),
                ("panitumumab", Effect::Sensitivity),
                ("cetuximab", Effect::Resistance),
                ("panitumumab", Effect::Resistance),
            ]
        );
        assert!(ranked[0]
            .rationale
            .contains("resistance to cetuximab given alone"));
        assert!(
            ranked[2].rationale.contains("ranked after"),
            "{}",
            ranked[2].rationale
        );
        assert_eq!(
            ranked.iter().map(|o| o.rank).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5]
        );
    }
}
