//! The new-case page: a form for the patient pseudonym, tumour type (searchable among
//! the OncoTree codes of the knowledge base, with no script: a datalist), sample type,
//! purity, current medications, board, the patient's consent, and the result files. The form becomes the same
//! manifest and parts an API client sends, and goes through the same checks.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::pages::{layout, page, PageUser};
use crate::AppState;

/// The file inputs of the form: (field, manifest section, manifest key, label).
const FILES: [(&str, &str, &str, &str); 7] = [
    (
        "somatic_vcf",
        "somatic",
        "vcf",
        "Tumour VCF/BCF (annotated or raw)",
    ),
    ("somatic_maf", "somatic", "maf", "Tumour MAF"),
    ("somatic_cna", "somatic", "cna", "Gene copy-number table"),
    (
        "somatic_segments",
        "somatic",
        "segments",
        "Allele-specific segments",
    ),
    ("somatic_fusions", "somatic", "fusions", "Fusions"),
    (
        "germline_vcf",
        "germline",
        "vcf",
        "Germline VCF (pharmacogenomics)",
    ),
    (
        "germline_outside_calls",
        "germline",
        "outside_calls",
        "Outside PGx calls (PharmCAT TSV)",
    ),
];

fn form(state: &AppState, user: &PageUser, error: Option<&str>) -> Markup {
    let tree = state.engines.kb().onco().oncotree();
    let boards = &user.user().boards;
    html! {
        h1 { "New case" }
        @if let Some(error) = error { p role="alert" { strong { "Not stored: " } (error) } }
        form method="post" action="/cases/new" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(user.csrf());
            label { "Patient pseudonym (no names) " input name="patient" required maxlength="64"; }
            label {
                "Tumour type (OncoTree code) "
                input name="tumor_type" list="oncotree" placeholder="e.g. COAD" maxlength="32";
            }
            datalist id="oncotree" {
                @for t in tree.nodes() { option value=(t.code) { (t.name) } }
            }
            label {
                "Sample type "
                select name="sample_type" {
                    option value="tissue" { "tumour tissue" }
                    option value="ctDNA" { "plasma ctDNA (liquid biopsy)" }
                }
            }
            label { "Tumour purity (0-1, optional) " input name="purity" inputmode="decimal" maxlength="8"; }
            label { "Panel size in Mb, for TMB (optional) " input name="panel_size_mb" inputmode="decimal" maxlength="8"; }
            label { "Current medications (comma-separated) " input name="medications" maxlength="1000"; }
            @if boards.len() > 1 {
                label {
                    "Board "
                    select name="board" { @for b in boards { option value=(b) { (b) } } }
                }
            }
            fieldset {
                legend { "Patient consent (only what the patient agreed to; none is assumed)" }
                @for (name, label) in crate::consent::SCOPE_LABELS {
                    label { input type="checkbox" name="consent" value=(name); " " (label) }
                }
            }
            fieldset {
                legend { "Result files (at least one, or germline outside calls)" }
                @for (field, _, _, label) in FILES {
                    label { (label) " " input type="file" name=(field); }
                }
            }
            button type="submit" { "Store and interpret" }
        }
    }
}

/// `GET /cases/new` (audited like every page a signed-in person opens).
pub(crate) async fn new_case_form(
    State(state): State<AppState>,
    user: PageUser,
) -> Result<Response, ApiError> {
    state
        .audit(user.event("case.form", "/cases/new".into(), None))
        .await?;
    Ok(page(layout(
        &state,
        "New case",
        Some(&user),
        form(&state, &user, None),
    )))
}

/// `POST /cases/new`: the form to a manifest and parts, then the API's own checks; the
/// form again with the reason when the case cannot be stored.
pub(crate) async fn create_from_form(
    State(state): State<AppState>,
    user: PageUser,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let resource = "/cases/new".to_string();
    let refuse = |status, reason: &str| {
        let mut event = user.event("case.create", resource.clone(), None);
        event.outcome = if status == StatusCode::FORBIDDEN {
            tailor_store::Outcome::Denied
        } else {
            tailor_store::Outcome::Failure
        };
        (event, ApiError::new(status, reason))
    };
    if !user.user().role.may_create_cases() {
        let (event, error) = refuse(StatusCode::FORBIDDEN, "viewers cannot create cases");
        state.audit(event).await?;
        return Err(error);
    }
    let mut multipart = match multipart {
        Ok(m) => m,
        Err(e) => {
            let (event, error) = refuse(StatusCode::BAD_REQUEST, &e.body_text());
            state.audit(event).await?;
            return Err(error);
        }
    };
    let mut fields: Map<String, Value> = Map::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut sections: Map<String, Value> = Map::new();
    let mut csrf = String::new();
    let mut board = None;
    let mut consent = String::new();
    let read = async {
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?
        {
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(str::to_string);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
            if let Some((_, section, key, _)) = FILES.iter().find(|(f, ..)| *f == name) {
                if bytes.is_empty() {
                    continue; // an input left empty
                }
                // The part is named by the manifest key, so a browser's file name (which
                // may carry a patient's name) goes nowhere but into the sealed manifest.
                let entry = format!(
                    "{section}.{key}{}",
                    file_name
                        .as_deref()
                        .and_then(|n| n.find('.').map(|i| &n[i..]))
                        .unwrap_or("")
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                        .collect::<String>()
                );
                sections
                    .entry(section.to_string())
                    .or_insert_with(|| json!({}))[key] = json!(entry);
                files.push((entry, bytes.to_vec()));
                continue;
            }
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| ApiError::bad_request(format!("field {name} is not text")))?;
            let text = text.trim().to_string();
            match name.as_str() {
                "csrf" => csrf = text,
                "board" => board = Some(text),
                // One part per ticked box.
                "consent" => {
                    consent.push(' ');
                    consent.push_str(&text);
                }
                "patient" | "tumor_type" | "sample_type" if !text.is_empty() => {
                    fields.insert(name, json!(text));
                }
                "purity" | "panel_size_mb" if !text.is_empty() => {
                    let number: f64 = text.parse().map_err(|_| {
                        ApiError::bad_request(format!("{name} `{text}` is not a number"))
                    })?;
                    if name == "purity" {
                        fields.insert(name, json!(number));
                    } else {
                        sections
                            .entry("somatic".to_string())
                            .or_insert_with(|| json!({}))["panel_size_mb"] = json!(number);
                    }
                }
                "medications" if !text.is_empty() => {
                    let list: Vec<&str> = text
                        .split(',')
                        .map(str::trim)
                        .filter(|m| !m.is_empty())
                        .collect();
                    fields.insert(name, json!(list));
                }
                _ => {}
            }
        }
        Ok::<_, ApiError>(())
    }
    .await;
    if csrf != user.csrf() {
        let (event, error) = refuse(
            StatusCode::FORBIDDEN,
            "the form did not come from this site; reload it and try again",
        );
        state.audit(event).await?;
        return Err(error);
    }
    let outcome = match read {
        Ok(()) => {
            fields.extend(sections);
            // YAML is a superset of JSON: the manifest is written as JSON, so nothing a
            // user typed can add keys or structure to it.
            let manifest =
                serde_json::to_vec(&Value::Object(fields)).map_err(ApiError::internal)?;
            let consent = tailor_store::Consent::parse(&consent).map_err(ApiError::bad_request)?;
            crate::cases::accept_case(&state, user.user(), board, consent, manifest, files).await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(id) => {
            state
                .audit(user.event("case.create", resource, Some(&id)))
                .await?;
            Ok(Redirect::to(&format!("/cases/{id}")).into_response())
        }
        Err(e) if e.status.is_client_error() => {
            let mut event = user.event("case.create", resource, None);
            event.outcome = tailor_store::Outcome::Failure;
            state.audit(event).await?;
            let mut response = page(layout(
                &state,
                "New case",
                Some(&user),
                form(&state, &user, Some(&e.reason)),
            ));
            *response.status_mut() = e.status;
            Ok(response)
        }
        Err(e) => Err(e),
    }
}
