//! Consent by scope, recorded and enforced: secondary germline findings only with that
//! scope (a change queues a new version), the export for sharing only with the
//! data-sharing scope and then de-identified, and each access audited.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;
use tailor_server::ServerConfig;
use tailor_store::{Outcome, Role};

/// A tumour-only case with a BRCA2 frameshift at an inherited-looking VAF.
fn brca2_upload(consent: &str) -> Vec<(&'static str, Vec<u8>)> {
    let maf = "Hugo_Symbol\tNCBI_Build\tChromosome\tStart_Position\tEnd_Position\tVariant_Classification\tReference_Allele\tTumor_Seq_Allele2\tHGVSp_Short\tt_depth\tt_alt_count\tTumor_Sample_Barcode\n\
               BRCA2\tGRCh38\t13\t32339421\t32339421\tFrame_Shift_Del\tT\t-\tp.S1982Rfs*22\t200\t94\tT1\n";
    vec![
        (
            "manifest",
            b"patient: PSEUDO-GERMLINE-77\ntumor_type: PAAD\nassembly: GRCh38\nsomatic:\n  maf: tumour-of-PSEUDO.maf\n"
                .to_vec(),
        ),
        ("consent", consent.as_bytes().to_vec()),
        ("tumour-of-PSEUDO.maf", maf.as_bytes().to_vec()),
    ]
}

fn brca2_flag(answer: &serde_json::Value) -> Option<serde_json::Value> {
    let findings = answer["interpretation"]["somatic"]["findings"].as_array()?;
    let brca2 = findings.iter().find(|f| f["gene"] == "BRCA2")?;
    brca2.get("possible_germline").cloned()
}

#[tokio::test]
async fn secondary_findings_findings_follow_the_consent_and_its_changes() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    let token = user(state, "onc", Role::Oncologist, &["gi"]).await;
    let viewer = user(state, "view", Role::Viewer, &["gi"]).await;

    let created = send(
        state,
        post_form("/api/v1/cases", Some(&token), &brca2_upload("research")),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["id"].as_str().unwrap().to_string();
    tailor_server::worker::run_until_idle(state).await.unwrap();

    // Not consented: the finding and its therapy are there, the germline note is not, and
    // the limitations say so.
    let case = send(state, get(&format!("/api/v1/cases/{id}"), Some(&token)))
        .await
        .json();
    assert_eq!(case["consent"]["research"], true);
    assert_eq!(case["consent"]["secondary_findings"], false);
    assert_eq!(case["consent"]["recorded_by"], "onc");
    assert!(brca2_flag(&case).is_none(), "withheld: {case}");
    let limitations = case["interpretation"]["limitations"].to_string();
    assert!(limitations.contains("not consented to secondary germline findings"));
    let html = send(
        state,
        get(&format!("/api/v1/cases/{id}/report.html"), Some(&token)),
    )
    .await
    .text();
    assert!(html.contains("BRCA2") && !html.contains("Possible germline origin."));

    // A viewer cannot change it; a member of the board can, and a new version follows.
    let all = json!({"research": true, "secondary_findings": true, "data_sharing": false});
    let refused = send(
        state,
        put_json(&format!("/api/v1/cases/{id}/consent"), Some(&viewer), &all),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let changed = send(
        state,
        put_json(&format!("/api/v1/cases/{id}/consent"), Some(&token), &all),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    assert_eq!(changed.json()["requeued"], true);
    assert_eq!(
        tailor_server::worker::run_until_idle(state).await.unwrap(),
        1
    );
    let case = send(state, get(&format!("/api/v1/cases/{id}"), Some(&token)))
        .await
        .json();
    assert_eq!(case["version"], 2);
    let flag = brca2_flag(&case).expect("shown once consented");
    assert!(flag["reason"].as_str().unwrap().contains("BRCA2"));

    // A body that does not state every scope is refused with the reason.
    let partial = send(
        state,
        put_json(
            &format!("/api/v1/cases/{id}/consent"),
            Some(&token),
            &json!({"research": true}),
        ),
    )
    .await;
    assert_eq!(partial.status, StatusCode::BAD_REQUEST);
    assert!(partial.text().contains("every scope"), "{}", partial.text());

    // An unknown scope word at upload is refused, and nothing is stored.
    let before = state.store.cases(None).await.unwrap().len();
    let bad = send(
        state,
        post_form(
            "/api/v1/cases",
            Some(&token),
            &brca2_upload("research,everything"),
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.text().contains("unknown consent scope"),
        "{}",
        bad.text()
    );
    assert_eq!(state.store.cases(None).await.unwrap().len(), before);

    let events = state.store.audit_events(0, 100_000).await.unwrap();
    let consent_events: Vec<_> = events
        .iter()
        .filter(|e| e.event.action == "consent.update")
        .map(|e| e.event.outcome)
        .collect();
    assert_eq!(
        consent_events,
        [Outcome::Denied, Outcome::Success, Outcome::Failure]
    );
}

#[tokio::test]
async fn the_export_for_sharing_needs_the_consent_and_is_de_identified() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    let token = user(state, "onc", Role::Oncologist, &["gi"]).await;
    let created = send(
        state,
        post_form("/api/v1/cases", Some(&token), &example_upload(None)),
    )
    .await;
    let id = created.json()["id"].as_str().unwrap().to_string();
    tailor_server::worker::run_until_idle(state).await.unwrap();

    let share = format!("/api/v1/cases/{id}/share.json");
    let refused = send(state, get(&share, Some(&token))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text().contains("not consented to data sharing"));
    let last = state.store.audit_events(0, 100_000).await.unwrap();
    assert_eq!(last.last().unwrap().event.outcome, Outcome::Denied);

    let sharing = json!({"research": false, "secondary_findings": false, "data_sharing": true});
    let changed = send(
        state,
        put_json(
            &format!("/api/v1/cases/{id}/consent"),
            Some(&token),
            &sharing,
        ),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(
        changed.json()["requeued"],
        false,
        "no germline change, no rerun"
    );
    let exported = send(state, get(&share, Some(&token))).await;
    assert_eq!(exported.status, StatusCode::OK, "{}", exported.text());
    let text = exported.text();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["format"], "tailor-share");
    assert!(doc["sharing_id"].as_str().unwrap().starts_with("TS-"));
    assert_eq!(doc["somatic"]["tumor_type"]["code"], "COAD");
    assert!(doc["somatic"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["gene"] == "BRAF" && f["tier"] == "I-A"));
    assert!(doc["pgx"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["gene"] == "CYP2C19"));
    // Nothing that names the patient, the case, the specimen or the input files.
    for secret in [
        "EXAMPLE-CRC-001",
        id.as_str(),
        "T001-COAD",
        "pharmcat.example",
        "report_id",
    ] {
        assert!(!text.contains(secret), "share.json contains {secret}");
    }
    // The same sharing id every time, for linking releases of one case.
    let again: serde_json::Value =
        serde_json::from_str(&send(state, get(&share, Some(&token))).await.text()).unwrap();
    assert_eq!(again["sharing_id"], doc["sharing_id"]);
}
