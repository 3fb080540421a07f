//! `/api/v1/cases/{id}/consent`: the patient's consent for a case, read and changed.
//!
//! Consent is recorded with the case (the `consent` part of the upload, the new-case
//! form's boxes) and can change later: a patient gives or withdraws a scope. Each scope is
//! enforced where it matters: secondary germline findings are left out of every stored
//! interpretation (and so of every report) unless consented, and a change of that scope
//! queues a new run whose version reflects it; the export for sharing (`share.json`) is
//! refused without the data-sharing scope. Research use is recorded for the research
//! features to come; nothing in the app uses a case for research yet.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use tailor_store::{Consent, Outcome};

use crate::auth::AuthUser;
use crate::cases::visible_case;
use crate::error::ApiError;
use crate::openapi::ConsentBody;
use crate::pages::PageUser;
use crate::AppState;

/// Each consent scope as the API writes it and as the pages say it (the new-case form and
/// the case page's consent form).
pub(crate) const SCOPE_LABELS: [(&str, &str); 3] = [
    ("research", "research use of the data"),
    (
        "secondary_findings",
        "secondary germline findings (tumour findings that may be inherited)",
    ),
    (
        "data_sharing",
        "sharing of the de-identified case outside the care team",
    ),
];

/// `GET /api/v1/cases/{id}/consent`: the scopes, who recorded them and when.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/consent",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The consent as recorded", body = crate::openapi::ConsentAnswer),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such case, or not on the user's boards", body = crate::openapi::ErrorBody)
    )
)]
pub(crate) async fn read(
    State(state): State<AppState>,
    user: AuthUser,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    let resource = format!("/api/v1/cases/{id}/consent");
    let case = visible_case(&state, &user, &id, "consent.read", &resource).await?;
    state
        .audit(user.event("consent.read", resource, Some(&case.id), Outcome::Success))
        .await?;
    Ok(Json(json!({ "id": case.id, "consent": case.consent })))
}

/// `PUT /api/v1/cases/{id}/consent`: records the patient's consent now given, every
/// scope stated (`{"research": bool, "secondary_findings": bool, "data_sharing": bool}`).
/// Answers the consent as recorded and whether a new engine run was queued.
#[utoipa::path(
    put,
    path = "/api/v1/cases/{id}/consent",
    params(("id" = String, Path, description = "Case id")),
    request_body(content = ConsentBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Recorded", body = crate::openapi::ConsentChanged),
        (status = 400, description = "The body is not the three scopes", body = crate::openapi::ErrorBody),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorBody),
        (status = 403, description = "A viewer", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such case, or not on the user's boards", body = crate::openapi::ErrorBody)
    )
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    user: AuthUser,
    UrlPath(id): UrlPath<String>,
    body: Result<Json<ConsentBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let consent = match body {
        Ok(Json(b)) => Ok(Consent {
            research: b.research,
            secondary_findings: b.secondary_findings,
            data_sharing: b.data_sharing,
        }),
        Err(e) => Err(format!(
            "send the consent as JSON with every scope stated, e.g. \
             {{\"research\": true, \"secondary_findings\": false, \"data_sharing\": false}}: {}",
            e.body_text()
        )),
    };
    let resource = format!("/api/v1/cases/{id}/consent");
    let (case_id, requeued) = record(&state, &user, &id, &resource, true, consent).await?;
    let recorded = state
        .store
        .case(&case_id)
        .await?
        .map(|c| c.consent)
        .unwrap_or_default();
    Ok(Json(json!({
        "id": case_id,
        "consent": recorded,
        "requeued": requeued,
    })))
}

/// The case page's consent form: a box per scope, and the session's CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct ConsentForm {
    csrf: String,
    #[serde(default)]
    research: Option<String>,
    #[serde(default)]
    secondary_findings: Option<String>,
    #[serde(default)]
    data_sharing: Option<String>,
}

/// `POST /cases/{id}/consent`: the case page's form; back to the case page.
pub(crate) async fn update_from_page(
    State(state): State<AppState>,
    user: PageUser,
    UrlPath(id): UrlPath<String>,
    Form(form): Form<ConsentForm>,
) -> Result<Response, ApiError> {
    let consent = Consent {
        research: form.research.is_some(),
        secondary_findings: form.secondary_findings.is_some(),
        data_sharing: form.data_sharing.is_some(),
    };
    let genuine = form.csrf == user.csrf();
    let resource = format!("/cases/{id}/consent");
    let (case_id, _) = record(&state, user.auth(), &id, &resource, genuine, Ok(consent)).await?;
    Ok(Redirect::to(&format!("/cases/{case_id}")).into_response())
}

/// Records consent for case `id` as `user`, with its one audit event: the case must be
/// visible to the user, the user not a viewer, a form genuine (its CSRF token the
/// session's) and the consent readable. Returns the case id and whether a new engine
/// run was queued.
async fn record(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    resource: &str,
    genuine: bool,
    consent: Result<Consent, String>,
) -> Result<(String, bool), ApiError> {
    let case = visible_case(state, user, id, "consent.update", resource).await?;
    let event = |outcome| {
        user.event(
            "consent.update",
            resource.to_string(),
            Some(&case.id),
            outcome,
        )
    };
    let refusal = if !genuine {
        Some((
            Outcome::Denied,
            ApiError::new(
                StatusCode::FORBIDDEN,
                "the form did not come from this site",
            ),
        ))
    } else if !user.user.role.may_create_cases() {
        Some((
            Outcome::Denied,
            ApiError::new(StatusCode::FORBIDDEN, "viewers cannot record consent"),
        ))
    } else {
        consent
            .as_ref()
            .err()
            .map(|reason| (Outcome::Failure, ApiError::bad_request(reason.clone())))
    };
    if let Some((outcome, error)) = refusal {
        state.audit(event(outcome)).await?;
        return Err(error);
    }
    let consent = consent.unwrap_or_default();
    let requeued = state
        .store
        .set_consent(&case.id, consent, &user.user.username)
        .await?;
    if requeued {
        state.jobs.notify_one();
    }
    state.audit(event(Outcome::Success)).await?;
    Ok((case.id, requeued))
}
