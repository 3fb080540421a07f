//! The API end to end on the bundled example case, and bad uploads answered with 4xx.

use crate::common::*;
use axum::http::StatusCode;
use tailor_server::ServerConfig;
use tailor_store::Role;

#[tokio::test]
async fn a_case_uploaded_is_interpreted_and_its_reports_served() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    let token = user(state, "onc", Role::Oncologist, &["gi"]).await;

    let health = send(state, get("/healthz", None)).await;
    assert_eq!(health.status, StatusCode::OK);

    let created = send(
        state,
        post_form("/api/v1/cases", Some(&token), &example_upload(None)),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let body = created.json();
    assert_eq!(body["status"], "queued");
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 32);

    let queued = send(state, get(&format!("/api/v1/cases/{id}"), Some(&token))).await;
    assert_eq!(queued.status, StatusCode::OK);
    assert_eq!(queued.json()["status"], "queued");
    assert!(queued.json().get("interpretation").is_none());
    let early = send(
        state,
        get(&format!("/api/v1/cases/{id}/report.pdf"), Some(&token)),
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text());

    assert_eq!(
        tailor_server::worker::run_until_idle(state).await.unwrap(),
        1
    );
    let done = send(state, get(&format!("/api/v1/cases/{id}"), Some(&token))).await;
    let done = done.json();
    assert_eq!(done["status"], "done", "{done}");
    let interpretation = &done["interpretation"];
    assert_eq!(interpretation["case"]["patient"], "EXAMPLE-CRC-001");
    let findings = interpretation["somatic"]["findings"]
        .as_array()
        .expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| matches!(f["tier"].as_str(), Some("IA" | "IB")) && f["gene"] == "BRAF"),
        "a tier I BRAF finding: {}",
        serde_json::to_string(findings)
            .unwrap()
            .chars()
            .take(2000)
            .collect::<String>()
    );

    let pdf = send(
        state,
        get(&format!("/api/v1/cases/{id}/report.pdf"), Some(&token)),
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF-"));
    let html = send(
        state,
        get(&format!("/api/v1/cases/{id}/report.html"), Some(&token)),
    )
    .await;
    assert!(html.content_type.starts_with("text/html"));
    assert!(html.text().contains("EXAMPLE-CRC-001"));
    let fhir = send(
        state,
        get(
            &format!("/api/v1/cases/{id}/report.fhir.json"),
            Some(&token),
        ),
    )
    .await;
    assert_eq!(fhir.json()["resourceType"], "Bundle");
    let summary = send(
        state,
        get(
            &format!("/api/v1/cases/{id}/patient-summary.html"),
            Some(&token),
        ),
    )
    .await;
    assert_eq!(summary.status, StatusCode::OK);
    let json = send(
        state,
        get(
            &format!("/api/v1/cases/{id}/interpretation.json"),
            Some(&token),
        ),
    )
    .await;
    assert_eq!(json.json(), *interpretation);
    let unknown = send(
        state,
        get(&format!("/api/v1/cases/{id}/secrets.txt"), Some(&token)),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let list = send(state, get("/api/v1/cases", Some(&token))).await.json();
    assert_eq!(list["cases"][0]["id"], id.as_str());
    assert_eq!(list["cases"][0]["status"], "done");

    // Every request to the API is one audit event (and the run one more); the chain holds.
    let events = state.store.audit_events(0, 1000).await.unwrap();
    let api_requests = 11;
    assert_eq!(events.len(), api_requests + 1, "{events:#?}");
    assert!(events.iter().any(|e| e.event.action == "case.interpret"));
    assert_eq!(state.store.verify_audit().await.unwrap().first_bad, None);

    // The same events as FHIR AuditEvents: reads name the case, and the independent
    // validator (CI always has it) accepts them.
    let bundle = tailor_server::audit_fhir::audit_bundle(&events);
    let entries = bundle["entry"].as_array().unwrap();
    assert_eq!(entries.len(), events.len());
    let read = entries
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["action"] == "R")
        .expect("a read");
    assert_eq!(
        read["entity"][1]["what"]["identifier"]["value"],
        id.as_str()
    );
    if let Some(python) = std::env::var_os("TAILOR_FHIR_VALIDATOR").filter(|p| !p.is_empty()) {
        let file = t._dir.path().join("audit.json");
        std::fs::write(&file, serde_json::to_vec(&bundle).unwrap()).unwrap();
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tailor-fhir/tests/validate_fhir.py");
        let out = std::process::Command::new(python)
            .arg(script)
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[tokio::test]
async fn bad_uploads_get_a_4xx_with_the_reason_and_nothing_is_stored() {
    let t = server(ServerConfig {
        max_upload_bytes: 2 << 20,
        ..ServerConfig::default()
    })
    .await;
    let state = &t.state;
    let token = user(state, "onc", Role::Oncologist, &["gi"]).await;
    let post =
        |parts: Vec<(&'static str, Vec<u8>)>| post_form("/api/v1/cases", Some(&token), &parts);
    let manifest = |yaml: &str| ("manifest", yaml.as_bytes().to_vec());
    let fusions = ("f.tsv", b"gene5\tgene3\nEML4\tALK\n".to_vec());

    type Parts = Vec<(&'static str, Vec<u8>)>;
    let cases: Vec<(Parts, StatusCode, &str)> = vec![
        (
            vec![fusions.clone()],
            StatusCode::BAD_REQUEST,
            "no `manifest` part",
        ),
        (
            vec![manifest("patient: [unclosed\n")],
            StatusCode::BAD_REQUEST,
            "manifest",
        ),
        (
            vec![
                manifest("patient: P1\ntumor_type: NOTACODE\nsomatic:\n  fusions: f.tsv\n"),
                fusions.clone(),
            ],
            StatusCode::BAD_REQUEST,
            "NOTACODE",
        ),
        (
            vec![manifest(
                "patient: P1\ntumor_type: LUAD\nsomatic:\n  fusions: missing.tsv\n",
            )],
            StatusCode::BAD_REQUEST,
            "names `missing.tsv`, but no uploaded part",
        ),
        (
            vec![
                manifest("patient: P1\ngermline:\n  vcf: g.vcf\n"),
                ("g.vcf", b"%PDF-1.7 this is a PDF, not a VCF".to_vec()),
            ],
            StatusCode::BAD_REQUEST,
            "g.vcf",
        ),
        (
            vec![
                manifest("patient: P1\ntumor_type: LUAD\nsomatic:\n  fusions: f.tsv\n"),
                fusions.clone(),
                ("board", b"thoracic".to_vec()),
            ],
            StatusCode::FORBIDDEN,
            "not on the board `thoracic`",
        ),
        (
            vec![
                manifest("patient: P1\ntumor_type: LUAD\nsomatic:\n  fusions: f.tsv\n"),
                ("f.tsv", vec![b'x'; 3 << 20]),
            ],
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than this server accepts",
        ),
    ];
    for (parts, status, reason) in cases {
        let answer = send(state, post(parts)).await;
        assert_eq!(answer.status, status, "{}", answer.text());
        let error = answer.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(reason), "expected `{reason}` in: {error}");
    }
    assert!(
        state.store.cases(None).await.unwrap().is_empty(),
        "nothing stored"
    );
    // Nor any blob left behind.
    let blobs = state.store.data_dir().join("blobs");
    let left = std::fs::read_dir(&blobs).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0);
}

/// The OpenAPI document describes exactly the API routes the server serves.
#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    let token = user(state, "onc", Role::Oncologist, &["gi"]).await;
    assert_eq!(
        send(state, get("/api/openapi.json", None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let doc = send(state, get("/api/openapi.json", Some(&token)))
        .await
        .json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut served: Vec<(String, String)> = tailor_server::ROUTES
        .iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    served.sort();
    assert_eq!(documented, served);
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}
