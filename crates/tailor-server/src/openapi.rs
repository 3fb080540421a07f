//! The OpenAPI 3 document of the API, generated from the handlers' annotations and the
//! answer types below (`utoipa`), served at `/api/openapi.json`. Pipelines generate
//! clients from it, and CI fuzzes the server against it (schemathesis).

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use tailor_store::Outcome;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::AppState;

/// Where a case is in its engine run.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusWord {
    /// Waiting for the worker.
    Queued,
    /// The engines are running.
    Running,
    /// Interpreted.
    Done,
    /// The run failed; `error` says why.
    Failed,
}

/// The answer to a new case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedCase {
    /// Case id (32 hexadecimal digits).
    pub id: String,
    /// Always `queued`.
    pub status: StatusWord,
}

/// A case with its latest interpretation.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseAnswer {
    /// Case id.
    pub id: String,
    /// Status of the engine run.
    pub status: StatusWord,
    /// The board the case belongs to.
    pub board: String,
    /// Patient pseudonym.
    pub patient: String,
    /// Who created the case.
    pub created_by: String,
    /// The patient's consent.
    pub consent: ConsentRecorded,
    /// Users assigned to the case from outside its board.
    pub assignees: Vec<String>,
    /// Why the last run failed.
    pub error: Option<String>,
    /// Version of the interpretation below (each run stores the next).
    pub version: Option<i64>,
    /// The Interpretation document, the schema of `interpretation.json`
    /// (docs/schema/interpretation.schema.json).
    #[schema(value_type = Option<Object>)]
    pub interpretation: Option<serde_json::Value>,
}

/// One case of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    /// Case id.
    pub id: String,
    /// Status of the engine run.
    pub status: StatusWord,
    /// Board.
    pub board: String,
    /// Patient pseudonym.
    pub patient: String,
    /// Creator.
    pub created_by: String,
    /// Created, Unix milliseconds.
    pub created_ms: i64,
}

/// The cases a user may see, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseList {
    /// The cases.
    pub cases: Vec<CaseSummary>,
}

/// Every error answer: what is wrong, for a person to read.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The reason.
    pub error: String,
}

/// The patient's consent: every scope stated.
#[derive(Debug, Clone, Copy, serde::Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// Research use of the case's data.
    pub research: bool,
    /// Secondary germline findings (tumour findings that may be inherited).
    pub secondary_findings: bool,
    /// Sharing of the de-identified case outside the care team (`share.json`).
    pub data_sharing: bool,
}

/// Consent as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentRecorded {
    /// Research use.
    pub research: bool,
    /// Secondary germline findings.
    pub secondary_findings: bool,
    /// Data sharing.
    pub data_sharing: bool,
    /// Who recorded it (absent when nothing was recorded).
    pub recorded_by: Option<String>,
    /// When, Unix milliseconds.
    pub recorded_ms: Option<i64>,
}

/// A case's consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentAnswer {
    /// Case id.
    pub id: String,
    /// The consent.
    pub consent: ConsentRecorded,
}

/// The answer to a consent change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentChanged {
    /// Case id.
    pub id: String,
    /// The consent now recorded.
    pub consent: ConsentRecorded,
    /// Whether a new engine run was queued (the secondary-germline scope changed on an
    /// interpreted case).
    pub requeued: bool,
}

/// The users assigned to a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assignees {
    /// Case id.
    pub id: String,
    /// User names, sorted.
    pub assignees: Vec<String>,
}

/// The form of a new case: the manifest, optionally the board, and one part per file
/// the manifest names, under that name (e.g. `tumour.vcf.gz`).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct NewCaseForm {
    /// The case manifest (YAML, as for `tailor report --case`), its file entries naming
    /// other parts of this form.
    #[schema(value_type = String, format = Binary)]
    manifest: Vec<u8>,
    /// The board of the case (default: the user's only board).
    board: Option<String>,
    /// The patient's consent: scope words (`research`, `secondary_findings`,
    /// `data_sharing`) separated by commas or spaces; none when absent.
    consent: Option<String>,
}

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tailor",
        description = "Tumour board cases: uploads, engine runs, interpretations and reports. \
                       Every request needs `Authorization: Bearer TOKEN` (`tailor admin add-token`)."
    ),
    paths(
        crate::cases::create,
        crate::cases::list,
        crate::cases::read,
        crate::cases::rendered,
        crate::consent::read,
        crate::consent::update,
        crate::assignments::assign,
        crate::assignments::unassign,
        document
    ),
    components(schemas(
        CreatedCase, CaseAnswer, CaseSummary, CaseList, ErrorBody, StatusWord, NewCaseForm,
        ConsentBody, ConsentRecorded, ConsentAnswer, ConsentChanged, Assignees
    )),
    modifiers(&BearerToken),
    security(("bearer" = []))
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    responses(
        (status = 200, description = "The OpenAPI 3 document", content_type = "application/json"),
        (status = 401, description = "No valid token", body = ErrorBody)
    )
)]
pub(crate) async fn document(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<utoipa::openapi::OpenApi>, ApiError> {
    state
        .audit(user.event(
            "openapi.read",
            "/api/openapi.json".into(),
            None,
            Outcome::Success,
        ))
        .await?;
    Ok(Json(ApiDoc::openapi()))
}
