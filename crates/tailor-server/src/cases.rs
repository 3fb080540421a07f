//! `/api/v1/cases`: create a case from an upload, list, read, and the reports rendered
//! from its stored interpretation.

use std::path::Path;

use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use tailor_case::resolve::MemoryResolver;
use tailor_case::CaseManifest;
use tailor_core::interpretation::Interpretation;
use tailor_interpret::{CaseInputs, Engines, ErrorClass, InterpretOptions};
use tailor_store::{CaseStatus, Consent, NewCase, Outcome};

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::AppState;

/// An upload read and checked: the manifest, the parsed case, and the files by entry.
pub(crate) struct Upload {
    pub(crate) manifest: CaseManifest,
    pub(crate) inputs: CaseInputs,
}

/// Parses a manifest and its files with the engines' models, as a run would: every
/// problem with the upload is found here and answered with a 4xx, before anything is
/// stored or queued.
pub(crate) fn parse_upload(
    engines: &Engines,
    manifest: &[u8],
    files: &[(String, Vec<u8>)],
) -> Result<Upload, ApiError> {
    let manifest = CaseManifest::from_reader(manifest, Path::new("manifest"))
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    for (key, entry) in manifest.inputs() {
        if !files.iter().any(|(name, _)| Path::new(name) == entry) {
            return Err(ApiError::bad_request(format!(
                "manifest entry {key} names `{}`, but no uploaded part has that name \
                 (send each file as a form part named as the manifest names it)",
                entry.display()
            )));
        }
    }
    let mut resolver = MemoryResolver::new();
    for (name, bytes) in files {
        resolver.insert(name.as_str(), bytes.clone());
    }
    let inputs = CaseInputs::read(&manifest, &resolver, engines, &InterpretOptions::default())
        .map_err(|e| match e.class() {
            ErrorClass::BadInput => ApiError::bad_request(e.to_string()),
            // A knowledge-base fault names knowledge, not the case: logged as it is.
            ErrorClass::Knowledge => ApiError::internal(e),
            // Other messages can name uploaded files (whose names may carry patient
            // data): the log gets whose fault it is, not the text.
            class => ApiError::internal(format!("reading an upload failed ({class:?} fault)")),
        })?;
    Ok(Upload { manifest, inputs })
}

/// `POST /api/v1/cases`: a multipart form with a part `manifest` (the case YAML), one
/// part per file the manifest names (the part's name is the entry), and optionally
/// `board` and `consent` (scope words: `research`, `secondary_findings`, `data_sharing`;
/// none when absent). Answers 201 `{"id", "status": "queued"}`.
#[utoipa::path(
    post,
    path = "/api/v1/cases",
    request_body(content = crate::openapi::NewCaseForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored and queued", body = crate::openapi::CreatedCase),
        (status = 400, description = "The upload is wrong: the reason says what", body = crate::openapi::ErrorBody),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorBody),
        (status = 403, description = "A viewer, or a board the user is not on", body = crate::openapi::ErrorBody),
        (status = 413, description = "Larger than the server accepts", body = crate::openapi::ErrorBody)
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let resource = "/api/v1/cases".to_string();
    if !user.user.role.may_create_cases() {
        state
            .audit(user.event("case.create", resource, None, Outcome::Denied))
            .await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "viewers cannot create cases",
        ));
    }
    let mut manifest: Option<Vec<u8>> = None;
    let mut board: Option<String> = None;
    let mut consent = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let outcome = async {
        // Not a multipart body at all: the same JSON error as every other refusal.
        let mut form = form.map_err(|e| {
            ApiError::bad_request(format!(
                "send the case as multipart/form-data (a `manifest` part and one part per \
                 file): {}",
                e.body_text()
            ))
        })?;
        while let Some(field) = form.next_field().await.map_err(multipart_error)? {
            let name = field.name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(multipart_error)?.to_vec();
            match name.as_str() {
                "manifest" => manifest = Some(bytes),
                "board" => {
                    board = Some(
                        String::from_utf8(bytes)
                            .map_err(|_| ApiError::bad_request("the board field is not text"))?,
                    )
                }
                // Scope words; several parts (ticked boxes) add up.
                "consent" => {
                    let text = String::from_utf8(bytes)
                        .map_err(|_| ApiError::bad_request("the consent field is not text"))?;
                    consent.push(' ');
                    consent.push_str(&text);
                }
                "" => return Err(ApiError::bad_request("a form part has no name")),
                _ if files.iter().any(|(n, _)| *n == name) => {
                    return Err(ApiError::bad_request(format!(
                        "two form parts are named `{name}`"
                    )))
                }
                _ => files.push((name, bytes)),
            }
        }
        let manifest = manifest.ok_or_else(|| {
            ApiError::bad_request(
                "no `manifest` part: send the case YAML as a form part named manifest",
            )
        })?;
        let consent = Consent::parse(&consent).map_err(ApiError::bad_request)?;
        accept_case(&state, &user.user, board, consent, manifest, files).await
    }
    .await;
    match outcome {
        Ok(id) => {
            state
                .audit(user.event(
                    "case.create",
                    format!("{resource}/{id}"),
                    Some(&id),
                    Outcome::Success,
                ))
                .await?;
            Ok((
                StatusCode::CREATED,
                [(header::LOCATION, format!("/api/v1/cases/{id}"))],
                Json(json!({ "id": id, "status": CaseStatus::Queued.as_str() })),
            )
                .into_response())
        }
        Err(e) => {
            state
                .audit(user.event("case.create", resource, None, Outcome::Failure))
                .await?;
            Err(e)
        }
    }
}

/// Checks an upload (board, manifest, files parsed with the engines' models) and stores
/// it as a new queued case: the one way in for the API and the new-case page.
pub(crate) async fn accept_case(
    state: &AppState,
    user: &tailor_store::User,
    board: Option<String>,
    consent: Consent,
    manifest: Vec<u8>,
    files: Vec<(String, Vec<u8>)>,
) -> Result<String, ApiError> {
    if !user.role.may_create_cases() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "viewers cannot create cases",
        ));
    }
    let board = choose_board(user, board)?;
    let engines = state.engines.clone();
    let (manifest, files, upload) = tokio::task::spawn_blocking(move || {
        let upload = parse_upload(&engines, &manifest, &files);
        (manifest, files, upload)
    })
    .await
    .map_err(ApiError::internal)?;
    let upload = upload?;
    let id = state
        .store
        .create_case(&NewCase {
            board,
            created_by: user.username.clone(),
            pseudonym: upload.manifest.patient.clone(),
            manifest,
            files,
            consent,
        })
        .await?;
    state.jobs.notify_one();
    Ok(id)
}

/// A multipart failure as the client's error: a body over the limit is 413.
fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    let status = e.status();
    let reason = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "the upload is larger than this server accepts (tailor serve --max-upload-mb)".to_string()
    } else {
        format!("the form could not be read: {}", e.body_text())
    };
    ApiError::new(
        if status.is_client_error() {
            status
        } else {
            StatusCode::BAD_REQUEST
        },
        reason,
    )
}

/// The board of a new case: the one named (which the user must belong to), or the
/// user's only board.
fn choose_board(user: &tailor_store::User, named: Option<String>) -> Result<String, ApiError> {
    match named {
        Some(board) if user.sees_board(&board) => Ok(board),
        Some(board) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!("you are not on the board `{board}`"),
        )),
        None => match user.boards.as_slice() {
            [only] => Ok(only.clone()),
            [] => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "you are on no board; an administrator adds you to one",
            )),
            many => Err(ApiError::bad_request(format!(
                "you are on several boards ({}): name one in the `board` field",
                many.join(", ")
            ))),
        },
    }
}

/// The case `id` when the user may see it (its board's members, its assignees,
/// administrators); a 404 otherwise (audited either way).
pub(crate) async fn visible_case(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    action: &str,
    resource: &str,
) -> Result<tailor_store::CaseRecord, ApiError> {
    let found = state.store.case(id).await?;
    let visible = match &found {
        Some(case) => state.store.sees_case(&user.user, case).await?,
        None => false,
    };
    match found {
        Some(case) if visible => Ok(case),
        found => {
            let outcome = if found.is_some() {
                Outcome::Denied
            } else {
                Outcome::Failure
            };
            let case_id = found.as_ref().map(|c| c.id.as_str());
            state
                .audit(user.event(action, resource.to_string(), case_id, outcome))
                .await?;
            Err(ApiError::case_not_found())
        }
    }
}

/// `GET /api/v1/cases`: the cases of the user's boards and those assigned to them,
/// newest first.
#[utoipa::path(
    get,
    path = "/api/v1/cases",
    responses(
        (status = 200, description = "The cases of the user's boards", body = crate::openapi::CaseList),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorBody)
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let cases = state.store.cases_for(&user.user).await?;
    state
        .audit(user.event("case.list", "/api/v1/cases".into(), None, Outcome::Success))
        .await?;
    Ok(Json(json!({
        "cases": cases.iter().map(|c| json!({
            "id": c.id,
            "status": c.status.as_str(),
            "board": c.board,
            "patient": c.pseudonym,
            "created_by": c.created_by,
            "created_ms": c.created_ms,
        })).collect::<Vec<_>>()
    })))
}

/// `GET /api/v1/cases/{id}`: `{"id", "status", "error"?, "interpretation"?}`, the
/// interpretation being the latest stored (the `interpretation.json` document).
///
/// The stored document is spliced into the answer as it is, not parsed and written
/// again: it is JSON Tailor wrote, and its authenticated encryption vouches that it was
/// not changed since. (A case document is about 300 KB; parsing and re-writing it was
/// most of the cost of this, the most frequent request.)
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case, with its latest interpretation once done", body = crate::openapi::CaseAnswer),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such case, or not on the user's boards", body = crate::openapi::ErrorBody)
    )
)]
pub(crate) async fn read(
    State(state): State<AppState>,
    user: AuthUser,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    let resource = format!("/api/v1/cases/{id}");
    let case = visible_case(&state, &user, &id, "case.read", &resource).await?;
    let mut head = json!({
        "id": case.id,
        "status": case.status.as_str(),
        "board": case.board,
        "patient": case.pseudonym,
        "created_by": case.created_by,
        "consent": case.consent,
        "assignees": state.store.assignees(&case.id).await?,
    });
    if let Some(error) = &case.error {
        head["error"] = json!(error);
    }
    let document = latest_document(&state, &case).await?;
    if let Some(version) = case.latest_version {
        head["version"] = json!(version);
    }
    let mut body = serde_json::to_vec(&head).map_err(ApiError::internal)?;
    if let Some(document) = document {
        body.pop(); // the closing brace
        body.extend_from_slice(b",\"interpretation\":");
        body.extend_from_slice(&document);
        body.push(b'}');
    }
    state
        .audit(user.event("case.read", resource, Some(&case.id), Outcome::Success))
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /api/v1/cases/{id}/{file}`: a report rendered from the stored interpretation
/// (`report.html`, `report.pdf`, `report.fhir.json`, `patient-summary.html`,
/// `interpretation.json`), or `share.json`, the de-identified export for sharing, which
/// is refused (403) unless the patient consented to data sharing.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/{file}",
    params(
        ("id" = String, Path, description = "Case id"),
        ("file" = String, Path, description = "report.html, report.pdf, report.fhir.json, patient-summary.html, interpretation.json or share.json (de-identified, needs the data-sharing consent)")
    ),
    responses(
        (status = 200, description = "The report", content(
            ("text/html"), ("application/pdf"), ("application/fhir+json"), ("application/json")
        )),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorBody),
        (status = 403, description = "share.json without the patient's data-sharing consent", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such case or report", body = crate::openapi::ErrorBody),
        (status = 409, description = "Not interpreted yet", body = crate::openapi::ErrorBody)
    )
)]
pub(crate) async fn rendered(
    State(state): State<AppState>,
    user: AuthUser,
    UrlPath((id, file)): UrlPath<(String, String)>,
) -> Result<Response, ApiError> {
    let resource = format!("/api/v1/cases/{id}/{file}");
    let case = visible_case(&state, &user, &id, "report.read", &resource).await?;
    let share = file == "share.json";
    if share && !case.consent.consent.data_sharing {
        // Refused whoever asks: the patient did not agree to sharing.
        state
            .audit(user.event("report.read", resource, Some(&case.id), Outcome::Denied))
            .await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "the patient has not consented to data sharing: no export for sharing is made \
             (record the consent first: PUT /api/v1/cases/{id}/consent)",
        ));
    }
    let sharing_id = share.then(|| state.store.sharing_id(&case.id));
    let answer = async {
        let content_type = match file.as_str() {
            "report.html" | "patient-summary.html" => "text/html; charset=utf-8",
            "report.pdf" => "application/pdf",
            "report.fhir.json" => "application/fhir+json",
            "interpretation.json" | "share.json" => "application/json",
            _ => {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    "no such report: report.html, report.pdf, report.fhir.json, \
                     patient-summary.html, interpretation.json or share.json",
                ))
            }
        };
        let Some(document) = latest_document(&state, &case).await? else {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!(
                    "the case is not interpreted yet (status: {})",
                    case.status.as_str()
                ),
            ));
        };
        let name = file.clone();
        let body = tokio::task::spawn_blocking(move || render(&name, &document, sharing_id))
            .await
            .map_err(ApiError::internal)??;
        // Reports are downloads, saved under the name the command line writes.
        let disposition = if content_type.starts_with("text/html") {
            "inline".to_string()
        } else {
            format!("attachment; filename=\"{file}\"")
        };
        Ok((
            [
                (header::CONTENT_TYPE, content_type.to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response())
    }
    .await;
    let outcome = if answer.is_ok() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    state
        .audit(user.event("report.read", resource, Some(&case.id), outcome))
        .await?;
    answer
}

/// The latest interpretation of `case`, decrypted (from the cache when read lately).
pub(crate) async fn latest_document(
    state: &AppState,
    case: &tailor_store::CaseRecord,
) -> Result<Option<std::sync::Arc<[u8]>>, ApiError> {
    let Some(version) = case.latest_version else {
        return Ok(None);
    };
    state
        .documents
        .get_or_load(&case.id, version, || {
            state.store.interpretation(&case.id, version)
        })
        .await
}

fn render(file: &str, document: &[u8], sharing_id: Option<String>) -> Result<Vec<u8>, ApiError> {
    let interpretation: Interpretation =
        serde_json::from_slice(document).map_err(ApiError::internal)?;
    Ok(match file {
        // The same bytes `tailor report` writes.
        "interpretation.json" => {
            tailor_report::interpretation_json(&interpretation).map_err(ApiError::internal)?
        }
        "report.html" => tailor_report::html::clinician_report(&interpretation).into_bytes(),
        "patient-summary.html" => {
            tailor_report::html::patient_summary(&interpretation).into_bytes()
        }
        "report.fhir.json" => tailor_fhir::to_json(&interpretation).map_err(ApiError::internal)?,
        "share.json" => tailor_report::share::share_json(
            &interpretation,
            sharing_id.as_deref().unwrap_or_default(),
        )
        .map_err(ApiError::internal)?,
        _ => tailor_pdf::clinician_report(&interpretation),
    })
}
