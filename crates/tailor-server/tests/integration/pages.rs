//! The pages as a person uses them: sign in (with the form's CSRF cookie), the case list,
//! the case page with its findings, throttled failed sign-ins, CSRF on sign-out and on
//! API writes made with a session, and escaping of what users typed.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tailor_server::ServerConfig;
use tailor_store::Role;
use tower::ServiceExt;

/// A full answer with its headers.
async fn raw(state: &tailor_server::AppState, request: Request<Body>) -> axum::response::Response {
    tailor_server::app(state.clone())
        .oneshot(request)
        .await
        .unwrap()
}

fn set_cookie(response: &axum::response::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string()
}

fn form(path: &str, cookie: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

async fn sign_in(
    state: &tailor_server::AppState,
    user: &str,
    password: &str,
) -> axum::response::Response {
    let login_page = raw(state, get("/login", None)).await;
    let csrf_cookie = set_cookie(&login_page, "tailor_login_csrf").expect("csrf cookie");
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"));
    let csrf = cookie_value(&csrf_cookie);
    raw(
        state,
        form(
            "/login",
            &format!("tailor_login_csrf={csrf}"),
            format!(
                "username={user}&password={}&csrf={csrf}",
                password.replace(' ', "+")
            ),
        ),
    )
    .await
}

#[tokio::test]
async fn a_person_signs_in_sees_their_cases_and_signs_out() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    let token = user(state, "onc", Role::Oncologist, &["gi"]).await;
    // A pseudonym with markup in it: shown as text, never as markup.
    let mut upload = example_upload(None);
    upload[0].1 = String::from_utf8(upload[0].1.clone())
        .unwrap()
        .replace("EXAMPLE-CRC-001", "\"<script>alert(1)</script>\"")
        .into_bytes();
    let created = send(state, post_form("/api/v1/cases", Some(&token), &upload)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["id"].as_str().unwrap().to_string();

    // Not signed in: sent to the sign-in page.
    let anonymous = raw(state, get("/", None)).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers()["location"], "/login");

    let signed_in = sign_in(state, "onc", "a long enough password").await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let session_cookie = set_cookie(&signed_in, "tailor_session").expect("session cookie");
    assert!(session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Strict"));
    assert!(!session_cookie.contains("Secure"), "plain HTTP on loopback");
    let cookie = format!("tailor_session={}", cookie_value(&session_cookie));
    let page = |path: &str| {
        Request::get(path)
            .header("cookie", cookie.clone())
            .body(Body::empty())
            .unwrap()
    };

    // The running case refreshes itself; once done it shows the findings.
    let running = raw(state, page(&format!("/cases/{id}"))).await;
    assert_eq!(running.status(), StatusCode::OK);
    assert_eq!(running.headers()["refresh"], "2");
    tailor_server::worker::run_until_idle(state).await.unwrap();
    let list = send(state, page("/")).await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>"));
    let case = send(state, page(&format!("/cases/{id}"))).await.text();
    assert!(
        case.contains("I-A") && case.contains("BRAF"),
        "tier I-A BRAF on the page"
    );
    assert!(case.contains("Pharmacogenomics") && case.contains("CYP2C19"));
    assert!(case.contains(&format!("/api/v1/cases/{id}/report.pdf")));
    assert!(!case.contains("<script>"));
    // The download link works with the session, and saves under the CLI's file name.
    let pdf = send(state, page(&format!("/api/v1/cases/{id}/report.pdf"))).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF-"));
    let pdf = raw(state, page(&format!("/api/v1/cases/{id}/report.pdf"))).await;
    assert_eq!(
        pdf.headers()["content-disposition"],
        "attachment; filename=\"report.pdf\""
    );
    assert!(pdf.headers().get("content-security-policy").is_none());
    // Pages: no script, no framing, no caching.
    let html = raw(state, page(&format!("/cases/{id}"))).await;
    let csp = html.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'") && !csp.contains("script-src"));
    assert_eq!(html.headers()["x-frame-options"], "DENY");
    assert_eq!(html.headers()["cache-control"], "no-store");

    // An API write with the session needs the session's CSRF token.
    let no_csrf = Request::post("/api/v1/cases")
        .header("cookie", cookie.clone())
        .header("content-type", "multipart/form-data; boundary=x")
        .body(Body::from("--x--\r\n"))
        .unwrap();
    assert_eq!(send(state, no_csrf).await.status, StatusCode::UNAUTHORIZED);

    // Signing out needs the form's CSRF token, then ends the session.
    let forged = raw(state, form("/logout", &cookie, "csrf=forged".into())).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let csrf = {
        let html = send(state, page("/")).await.text();
        let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
        html[at..at + 64].to_string()
    };
    let out = raw(state, form("/logout", &cookie, format!("csrf={csrf}"))).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(raw(state, page("/")).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(state.store.verify_audit().await.unwrap().first_bad, None);
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_and_audited() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    user(state, "onc", Role::Oncologist, &["gi"]).await;
    for _ in 0..5 {
        let wrong = sign_in(state, "onc", "not the password").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    // The sixth attempt is not even checked, even with the right password.
    let throttled = sign_in(state, "onc", "a long enough password").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let events = state.store.audit_events(0, 100).await.unwrap();
    let logins: Vec<_> = events
        .iter()
        .filter(|e| e.event.action == "login")
        .collect();
    assert_eq!(logins.len(), 6);
    assert!(logins[..5]
        .iter()
        .all(|e| e.event.outcome == tailor_store::Outcome::Failure));
    assert_eq!(logins[5].event.outcome, tailor_store::Outcome::Denied);
    // The address is throttled too: another user name from it waits as well.
    let other = sign_in(state, "nobody", "a long enough password").await;
    assert_eq!(other.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn an_unknown_user_fails_like_a_wrong_password() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    user(state, "onc", Role::Oncologist, &["gi"]).await;
    let unknown = sign_in(state, "nobody", "a long enough password").await;
    let wrong = sign_in(state, "onc", "not the password").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let text = |r: axum::response::Response| async {
        use http_body_util::BodyExt;
        String::from_utf8(r.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    };
    let (a, b) = (text(unknown).await, text(wrong).await);
    let message = |t: &str| t.contains("Wrong user name or password.");
    assert!(message(&a) && message(&b));
}

/// A multipart form as a browser sends it: (field, file name if a file, bytes).
fn browser_form(
    path: &str,
    cookie: &str,
    parts: &[(&str, Option<&str>, Vec<u8>)],
) -> Request<Body> {
    let boundary = "browser-boundary-77a1";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        let file = file
            .map(|f| format!("; filename=\"{f}\""))
            .unwrap_or_default();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_case_made_with_the_new_case_form_is_interpreted() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    user(state, "onc", Role::Oncologist, &["gi"]).await;
    let signed_in = sign_in(state, "onc", "a long enough password").await;
    let cookie = format!(
        "tailor_session={}",
        cookie_value(&set_cookie(&signed_in, "tailor_session").unwrap())
    );
    let form_page = send(
        state,
        Request::get("/cases/new")
            .header("cookie", cookie.clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .text();
    assert!(
        form_page.contains("<option value=\"COAD\">"),
        "OncoTree codes to search"
    );
    let at = form_page.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = form_page[at..at + 64].to_string();

    let data = shared_data();
    let vcf = std::fs::read(data.join("onco/testdata/pcgr/T001-COAD.grch38.vcf.gz")).unwrap();
    let fusions =
        std::fs::read(data.join("onco/testdata/pcgr/T001-COAD.grch38.fusions.tsv")).unwrap();
    let calls =
        std::fs::read(data.join("pgx/pharmcat-3.1.1/examples/pharmcat.example.outsideCall.tsv"))
            .unwrap();
    let parts = |tumour: &str| {
        vec![
            ("csrf", None, csrf.clone().into_bytes()),
            ("patient", None, b"FORM-001".to_vec()),
            ("tumor_type", None, tumour.as_bytes().to_vec()),
            ("sample_type", None, b"tissue".to_vec()),
            ("purity", None, b"0.5".to_vec()),
            ("medications", None, b"clopidogrel, warfarin".to_vec()),
            // Two ticked boxes of three.
            ("consent", None, b"research".to_vec()),
            ("consent", None, b"data_sharing".to_vec()),
            ("somatic_vcf", Some("Jane Doe tumour.vcf.gz"), vcf.clone()),
            ("somatic_maf", Some(""), Vec::new()),
            ("somatic_fusions", Some("fusions.tsv"), fusions.clone()),
            ("germline_outside_calls", Some("calls.tsv"), calls.clone()),
        ]
    };
    // An unknown tumour type: the form again, with the reason, and nothing stored.
    let refused = send(
        state,
        browser_form("/cases/new", &cookie, &parts("NOTACODE")),
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.text().contains("NOTACODE") && refused.text().contains("Not stored"));
    assert!(state.store.cases(None).await.unwrap().is_empty());

    let created = raw(state, browser_form("/cases/new", &cookie, &parts("COAD"))).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let id = location.strip_prefix("/cases/").unwrap().to_string();
    tailor_server::worker::run_until_idle(state).await.unwrap();
    let case = state.store.case(&id).await.unwrap().unwrap();
    assert_eq!(
        case.status,
        tailor_store::CaseStatus::Done,
        "{:?}",
        case.error
    );
    let page = send(
        state,
        Request::get(location.as_str())
            .header("cookie", cookie.clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .text();
    assert!(page.contains("FORM-001") && page.contains("BRAF") && page.contains("I-A"));
    // The boxes ticked are the consent recorded, and the case page shows it as a form.
    let consent = case.consent.consent;
    assert!(consent.research && consent.data_sharing && !consent.secondary_findings);
    assert!(page.contains("Recorded by onc"), "consent section");
    assert!(
        page.contains("/share.json"),
        "the sharing export is offered"
    );
    assert!(page.contains("name=\"secondary_findings\" value=\"yes\">"));
    assert!(page.contains("name=\"research\" value=\"yes\" checked>"));
    // The page's form changes it (boxes not sent are withdrawn); a forged form does not.
    let forged = raw(
        state,
        form(
            &format!("/cases/{id}/consent"),
            &cookie,
            "csrf=forged&secondary_findings=yes".into(),
        ),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let changed = raw(
        state,
        form(
            &format!("/cases/{id}/consent"),
            &cookie,
            format!("csrf={csrf}&secondary_findings=yes"),
        ),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(changed.headers()["location"], location.as_str());
    let consent = state
        .store
        .case(&id)
        .await
        .unwrap()
        .unwrap()
        .consent
        .consent;
    assert!(consent.secondary_findings && !consent.research && !consent.data_sharing);
    let page = send(
        state,
        Request::get(location.as_str())
            .header("cookie", cookie.clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .text();
    assert!(
        !page.contains("/share.json"),
        "no sharing export without the consent"
    );
    // The browser's file name (it can carry a patient's name) is nowhere in the clear.
    let (manifest, files) = state.store.case_inputs(&id).await.unwrap();
    let manifest = String::from_utf8(manifest).unwrap();
    assert!(manifest.contains("somatic.vcf.vcf.gz"), "{manifest}");
    assert!(files.iter().all(|(n, _)| !n.contains("Jane")));
    assert!(!manifest.contains("Jane"));
}
