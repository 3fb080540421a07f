//! The pages: sign-in, the case list and the case page, server-rendered with `maud`
//! (every value escaped), no script and no front-end build.
//!
//! Sign-in makes a server-side session (HttpOnly, SameSite=Strict cookie, Secure behind a
//! TLS proxy); every form carries a CSRF token (the session's, or for the sign-in form a
//! double-submit cookie); failed sign-ins are throttled per user name and per address;
//! a session ends after `idle_minutes` without a request.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{FromRequestParts, Path as UrlPath, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup, DOCTYPE};
use rand::RngCore;
use serde::Deserialize;
use tailor_core::interpretation::Interpretation;
use tailor_store::{AuditEvent, Outcome, Session};

use crate::auth::{client_of, cookie, session_of, AuthUser, SESSION_COOKIE};
use crate::error::ApiError;
use crate::AppState;

/// The double-submit cookie of the sign-in form.
const LOGIN_CSRF_COOKIE: &str = "tailor_login_csrf";

/// Consecutive failures allowed before a wait is imposed.
const FREE_FAILURES: u32 = 5;

/// Failed sign-ins per user name and per client address: after five in a row, each
/// further attempt must wait (2, 4, 8 ... seconds, at most 15 minutes) before it is even
/// checked. A success clears the count.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, std::time::Instant)>>,
}

impl LoginThrottle {
    fn wait_for(&self, key: &str) -> Option<u64> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let (count, last) = failures.get(key)?;
        if *count < FREE_FAILURES {
            return None;
        }
        let wait = 2u64.saturating_pow(count - FREE_FAILURES + 1).min(900);
        let passed = last.elapsed().as_secs();
        (passed < wait).then_some(wait - passed)
    }

    fn failed(&self, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > 100_000 {
            failures.clear();
        }
        let entry = failures
            .entry(key.to_string())
            .or_insert((0, std::time::Instant::now()));
        entry.0 += 1;
        entry.1 = std::time::Instant::now();
    }

    fn succeeded(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// The signed-in person of a page request; without a session, the answer is the
/// sign-in page.
pub(crate) struct PageUser {
    /// The user and their address, as for an API request.
    auth: AuthUser,
    /// The session's CSRF token.
    csrf: String,
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match session_of(parts, state).await {
            Ok(Some(Session { user, csrf })) => Ok(PageUser {
                auth: AuthUser {
                    user,
                    client: client_of(parts),
                },
                csrf,
            }),
            Ok(None) => {
                let audited = state
                    .audit(AuditEvent {
                        actor: "anonymous".into(),
                        action: "page.read".into(),
                        resource: parts.uri.path().to_string(),
                        case_id: None,
                        client: client_of(parts),
                        outcome: Outcome::Denied,
                    })
                    .await;
                match audited {
                    Ok(()) => Err(Redirect::to("/login").into_response()),
                    Err(e) => Err(e.into_response()),
                }
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

impl PageUser {
    /// The signed-in user.
    pub(crate) fn user(&self) -> &tailor_store::User {
        &self.auth.user
    }

    /// The user as the API sees them.
    pub(crate) fn auth(&self) -> &AuthUser {
        &self.auth
    }

    /// The session's CSRF token, for forms.
    pub(crate) fn csrf(&self) -> &str {
        &self.csrf
    }

    /// The audit event of a page this user opened.
    pub(crate) fn event(
        &self,
        action: &str,
        resource: String,
        case_id: Option<&str>,
    ) -> AuditEvent {
        self.auth.event(action, resource, case_id, Outcome::Success)
    }
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Secure cookies when the request came through a TLS-terminating proxy.
fn secure(headers: &HeaderMap) -> &'static str {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    if https {
        "; Secure"
    } else {
        ""
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a}\
header{background:#1f3a5f;color:#fff;padding:.6rem 1.2rem;display:flex;justify-content:space-between;align-items:center}\
header a{color:#fff}main{padding:1rem 1.2rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.2rem}\
th,td{border-bottom:1px solid #ccd;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#eef2f7}\
.tier-IA,.tier-IB{background:#fde2e1}.tier-IIC,.tier-IID{background:#fff1d6}.status{font-weight:600}\
footer{padding:1rem 1.2rem;color:#555;font-size:.85rem}.warn{background:#b00020;color:#fff;padding:.4rem 1.2rem}\
form.inline{display:inline}label{display:block;margin:.5rem 0}input{font-size:1rem;padding:.3rem}\
.germline{border-left:4px solid #7a4d0c;padding:.3rem .6rem;background:#fff8ec}";

pub(crate) fn layout(
    state: &AppState,
    title: &str,
    user: Option<&PageUser>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Tailor" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                @if state.config.insecure_key {
                    div.warn { "This installation uses the publicly known development key (--dev-insecure-key): it protects nothing. Do not enter patient data." }
                }
                header {
                    a href="/" { strong { "Tailor" } " — molecular tumour board" }
                    @if let Some(user) = user {
                        span {
                            (user.user().username) " (" (user.user().role.as_str()) ") "
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(user.csrf());
                                button type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                main { (body) }
                footer {
                    "Decision support for the care team; every access is recorded in the audit trail."
                }
            }
        }
    }
}

pub(crate) fn page(markup: Markup) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// `GET /login`: the sign-in form, with a fresh double-submit CSRF cookie.
pub(crate) async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    login_page(&state, &headers, StatusCode::OK, None)
}

fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let csrf = random_hex();
    let body = html! {
        h1 { "Sign in" }
        @if let Some(message) = message { p role="alert" { (message) } }
        form method="post" action="/login" {
            input type="hidden" name="csrf" value=(csrf);
            label { "User name " input name="username" autocomplete="username" required; }
            label { "Password " input name="password" type="password" autocomplete="current-password" required; }
            button type="submit" { "Sign in" }
        }
    };
    let cookie = format!(
        "{LOGIN_CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Strict; Path=/login{}",
        secure(headers)
    );
    let mut response = page(layout(state, "Sign in", None, body));
    *response.status_mut() = status;
    if let Ok(value) = cookie.parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    csrf: String,
}

/// `POST /login`.
pub(crate) async fn login(
    State(state): State<AppState>,
    request_parts: RequestParts,
    Form(form): Form<LoginForm>,
) -> Result<Response, ApiError> {
    let RequestParts { headers, client } = request_parts;
    let audit = |outcome| AuditEvent {
        actor: form.username.chars().take(64).collect(),
        action: "login".into(),
        resource: "/login".into(),
        case_id: None,
        client: client.clone(),
        outcome,
    };
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE);
    if expected != Some(form.csrf.as_str()) || form.csrf.is_empty() {
        state.audit(audit(Outcome::Denied)).await?;
        return Ok(login_page(
            &state,
            &headers,
            StatusCode::FORBIDDEN,
            Some("The form expired or did not come from this site; please sign in again."),
        ));
    }
    let keys = [format!("user:{}", form.username), format!("addr:{client}")];
    if let Some(wait) = keys.iter().filter_map(|k| state.throttle.wait_for(k)).max() {
        state.audit(audit(Outcome::Denied)).await?;
        return Ok(login_page(
            &state,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            Some(&format!(
                "Too many failed sign-ins: wait {wait} seconds before trying again."
            )),
        ));
    }
    match state
        .store
        .check_password(&form.username, &form.password)
        .await?
    {
        Some(user) => {
            for k in &keys {
                state.throttle.succeeded(k);
            }
            let token = state.store.start_session(&user.username).await?;
            state.audit(audit(Outcome::Success)).await?;
            let cookie = format!(
                "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/{}",
                secure(&headers)
            );
            let mut response = Redirect::to("/").into_response();
            if let Ok(value) = cookie.parse() {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        None => {
            for k in &keys {
                state.throttle.failed(k);
            }
            state.audit(audit(Outcome::Failure)).await?;
            Ok(login_page(
                &state,
                &headers,
                StatusCode::UNAUTHORIZED,
                Some("Wrong user name or password."),
            ))
        }
    }
}

/// The headers and client address of a request, for handlers that also take a body.
pub(crate) struct RequestParts {
    headers: HeaderMap,
    client: String,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestParts {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestParts {
            headers: parts.headers.clone(),
            client: client_of(parts),
        })
    }
}

/// The CSRF field of a form.
#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    csrf: String,
}

/// `POST /logout`.
pub(crate) async fn logout(
    State(state): State<AppState>,
    user: PageUser,
    request_parts: RequestParts,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    if form.csrf != user.csrf() {
        let mut event = user.event("logout", "/logout".into(), None);
        event.outcome = Outcome::Denied;
        state.audit(event).await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "the form did not come from this site",
        ));
    }
    if let Some(token) = cookie(&request_parts.headers, SESSION_COOKIE) {
        state.store.end_session(token).await?;
    }
    state
        .audit(user.event("logout", "/logout".into(), None))
        .await?;
    let mut response = Redirect::to("/login").into_response();
    let clear = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    if let Ok(value) = clear.parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// The reports of a case page, with how they are named there.
const DOWNLOADS: [(&str, &str); 5] = [
    ("report.pdf", "clinician report (PDF)"),
    ("report.html", "clinician report (HTML)"),
    ("patient-summary.html", "patient summary"),
    ("report.fhir.json", "FHIR bundle"),
    ("interpretation.json", "interpretation (JSON)"),
];

/// The patient's consent, and for those who may record it, the form to change it.
fn consent_section(case: &tailor_store::CaseRecord, user: &PageUser) -> Markup {
    let c = case.consent.consent;
    let scopes = crate::consent::SCOPE_LABELS.map(|(name, label)| (name, label, c.given(name)));
    html! {
        section #consent {
            h2 { "Consent" }
            @match (&case.consent.recorded_by, case.consent.recorded_ms) {
                (Some(by), Some(ms)) => p { "Recorded by " (by) " at " (when(ms)) "." },
                _ => p { "No consent recorded: no scope is assumed." },
            }
            @if user.user().role.may_create_cases() {
                form method="post" action={ "/cases/" (case.id) "/consent" } {
                    input type="hidden" name="csrf" value=(user.csrf());
                    @for (name, label, given) in scopes {
                        label { input type="checkbox" name=(name) value="yes" checked[given]; " " (label) }
                    }
                    button type="submit" { "Record consent" }
                    " A change of the secondary-germline scope interprets the case again."
                }
            } @else {
                ul { @for (_, label, given) in scopes { li { (label) ": " (if given { "given" } else { "not given" }) } } }
            }
        }
    }
}

fn when(ms: i64) -> String {
    tailor_interpret::rfc3339(ms / 1000)
}

/// `GET /`: the cases of the user's boards.
pub(crate) async fn case_list(
    State(state): State<AppState>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let cases = state.store.cases_for(user.user()).await?;
    state
        .audit(user.event("case.list", "/".into(), None))
        .await?;
    let body = html! {
        h1 { "Cases" }
        @if user.user().role.may_create_cases() {
            p { a href="/cases/new" { "New case" } }
        }
        @if cases.is_empty() {
            p { "No cases yet on your boards. Pipelines add cases with POST /api/v1/cases." }
        } @else {
            table {
                thead { tr { th { "Patient" } th { "Board" } th { "Status" } th { "Created" } th { "By" } } }
                tbody {
                    @for c in &cases {
                        tr {
                            td { a href={ "/cases/" (c.id) } { (c.pseudonym) } }
                            td { (c.board) }
                            td.status { (c.status.as_str()) }
                            td { (when(c.created_ms)) }
                            td { (c.created_by) }
                        }
                    }
                }
            }
        }
    };
    Ok(page(layout(&state, "Cases", Some(&user), body)))
}

/// `GET /cases/{id}`: status (the page refreshes itself while the engines run), findings
/// by tier with therapies, PGx calls and medication alerts, limitations, downloads.
pub(crate) async fn case_page(
    State(state): State<AppState>,
    user: PageUser,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    let resource = format!("/cases/{id}");
    let case = crate::cases::visible_case(&state, &user.auth, &id, "case.read", &resource).await?;
    let interpretation: Option<Interpretation> = crate::cases::latest_document(&state, &case)
        .await?
        .map(|doc| serde_json::from_slice(&doc))
        .transpose()
        .map_err(ApiError::internal)?;
    let assignees = state.store.assignees(&case.id).await?;
    state
        .audit(user.event("case.read", resource, Some(&case.id)))
        .await?;
    let running = matches!(
        case.status,
        tailor_store::CaseStatus::Queued | tailor_store::CaseStatus::Running
    );
    let body = html! {
        h1 { "Case " (case.pseudonym) }
        p {
            "Board " (case.board) " · created " (when(case.created_ms)) " by " (case.created_by)
            " · status " span.status id="status" { (case.status.as_str()) }
        }
        @if !assignees.is_empty() { p { "Assigned from outside the board: " (assignees.join(", ")) } }
        @if running { p { "The engines are running; this page refreshes every 2 seconds." } }
        (consent_section(&case, &user))
        @if let Some(error) = &case.error { p role="alert" { "The run failed: " (error) } }
        @if let Some(i) = &interpretation {
            p {
                "Downloads: "
                @for (n, (file, label)) in DOWNLOADS.iter().enumerate() {
                    @if n > 0 { " · " }
                    a href={ "/api/v1/cases/" (case.id) "/" (file) } { (label) }
                }
                // Offered only where the patient agreed to sharing (the API refuses it
                // otherwise).
                @if case.consent.consent.data_sharing {
                    " · "
                    a href={ "/api/v1/cases/" (case.id) "/share.json" } { "de-identified export for sharing (JSON)" }
                }
            }
            h2 { "Conclusion" }
            p { (i.conclusion) }
            @if let Some(s) = &i.somatic {
                h2 { "Somatic findings" }
                table {
                    thead { tr { th { "Tier" } th { "Gene" } th { "Alteration" } th { "Therapies" } th { "Why this tier" } } }
                    tbody {
                        @for f in &s.findings {
                            tr class={ "tier-" (format!("{:?}", f.tier)) } {
                                td { (f.tier.label()) }
                                td { (f.gene.as_deref().unwrap_or("")) }
                                td { (f.alteration) }
                                td { (tailor_report::somatic::therapies_text(f)) }
                                td { (f.tier_reason) }
                            }
                        }
                    }
                }
                @for f in s.findings.iter().chain(&s.uncertain) {
                    @if let Some(g) = &f.possible_germline {
                        p.germline {
                            strong { "Possible germline origin: " (f.alteration) ". " }
                            (g.reason) " " (g.action)
                        }
                    }
                }
            }
            @if let Some(p) = &i.pgx {
                h2 { "Pharmacogenomics" }
                @if !i.medication_alerts.is_empty() {
                    h3 { "Current medications" }
                    table {
                        thead { tr { th { "Medication" } th { "Genes" } th { "Phenotypes" } th { "Recommendation" } } }
                        tbody {
                            @for a in &i.medication_alerts {
                                tr { td { (a.medication) } td { (a.genes.join(", ")) } td { (a.phenotypes.join("; ")) } td { (a.recommendation) } }
                            }
                        }
                    }
                }
                table {
                    thead { tr { th { "Gene" } th { "Diplotype" } th { "Phenotype" } } }
                    tbody {
                        @for g in &p.result.genes {
                            tr { td { (g.gene) } td { (tailor_report::pgx::diplotype_text(g)) } td { (g.phenotypes.join("; ")) } }
                        }
                    }
                }
            }
            @if !i.limitations.is_empty() {
                h2 { "What this test could not tell" }
                ul { @for l in &i.limitations { li { strong { (l.area) ": " } (l.what) " — " (l.why) } } }
            }
        }
    };
    let mut response = page(layout(&state, &case.pseudonym, Some(&user), body));
    if running {
        if let Ok(value) = "2".parse() {
            response
                .headers_mut()
                .insert(header::HeaderName::from_static("refresh"), value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_past_five_impose_a_growing_wait_and_success_clears_them() {
        let t = LoginThrottle::default();
        for _ in 0..FREE_FAILURES {
            assert_eq!(t.wait_for("user:a"), None);
            t.failed("user:a");
        }
        assert_eq!(t.wait_for("user:a"), Some(2));
        t.failed("user:a");
        assert_eq!(t.wait_for("user:a"), Some(4));
        assert_eq!(t.wait_for("user:b"), None);
        t.succeeded("user:a");
        assert_eq!(t.wait_for("user:a"), None);
    }

    #[test]
    fn cookies_are_found_among_several() {
        let request = axum::http::Request::get("/")
            .header(header::COOKIE, "a=1; tailor_session=abc; b=2")
            .body(())
            .unwrap();
        let (parts, _) = request.into_parts();
        assert_eq!(cookie(&parts.headers, "tailor_session"), Some("abc"));
        assert_eq!(cookie(&parts.headers, "missing"), None);
    }
}
