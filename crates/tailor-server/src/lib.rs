//! The tumour board web app behind `tailor serve`: an HTTP API over the same library
//! functions as the command line, a background worker that runs the engines, and an
//! audit event for every access.
//!
//! The routes are one table ([`ROUTES`]) from which the router is built, so that the
//! authorisation tests walk exactly the routes the server serves: a route added without
//! an entry in the test matrix fails the test.
//!
//! The API for cases (create from an upload, read, list, rendered reports, consent) with
//! API tokens, sign-in sessions and pages, the worker, the audit trail and the OpenAPI
//! document.
#![deny(missing_docs)]

use std::sync::Arc;

use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Router;
use tailor_interpret::Engines;
use tailor_store::{AuditEvent, Store};

mod assignments;
pub mod audit_fhir;
mod auth;
mod cases;
mod consent;
mod error;
mod new_case;
pub mod openapi;
mod pages;
pub mod worker;

pub use auth::AuthUser;
pub use error::ApiError;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The largest request body accepted (the whole upload of a case), in bytes.
    pub max_upload_bytes: usize,
    /// A signed-in session ends after this many minutes without a request.
    pub idle_minutes: u64,
    /// The installation runs on the publicly known development key: every page says so.
    pub insecure_key: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_upload_bytes: 512 << 20,
            idle_minutes: 15,
            insecure_key: false,
        }
    }
}

/// What every handler shares: the store, the engines built once, the settings, and the
/// worker's wake-up call.
#[derive(Clone)]
pub struct AppState {
    /// The database and the key.
    pub store: Store,
    /// The engines of the knowledge base, built once.
    pub engines: Arc<Engines>,
    /// Settings.
    pub config: ServerConfig,
    /// Wakes the worker when a case is queued.
    pub jobs: Arc<tokio::sync::Notify>,
    /// Interpretations recently read, decrypted.
    pub documents: Arc<DocumentCache>,
    /// Failed sign-ins, for throttling.
    pub throttle: Arc<pages::LoginThrottle>,
}

/// The last interpretations read, decrypted, by (case, version): a stored version never
/// changes, so an entry never goes stale, and reading a case again costs no decryption
/// of its ~300 KB document (that was a fifth of the server's time under load). Held in
/// the server's memory only, as any document being served is; bounded in entries.
#[derive(Debug, Default)]
pub struct DocumentCache {
    entries: std::sync::Mutex<std::collections::VecDeque<CachedDocument>>,
}

/// (case id, version) and the decrypted document.
type CachedDocument = ((String, i64), Arc<[u8]>);

impl DocumentCache {
    /// Documents kept.
    const CAPACITY: usize = 64;

    /// The document of (case, version), read through `load` when not cached.
    pub async fn get_or_load<F, Fut>(
        &self,
        case_id: &str,
        version: i64,
        load: F,
    ) -> Result<Option<Arc<[u8]>>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Option<Vec<u8>>, tailor_store::StoreError>>,
    {
        {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, doc)) = entries
                .iter()
                .find(|((c, v), _)| c == case_id && *v == version)
            {
                return Ok(Some(doc.clone()));
            }
        }
        let Some(doc) = load().await? else {
            return Ok(None);
        };
        let doc: Arc<[u8]> = doc.into();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= Self::CAPACITY {
            entries.pop_front();
        }
        entries.push_back(((case_id.to_string(), version), doc.clone()));
        Ok(Some(doc))
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Records an audit event; a failure to record is a server error (an access that
    /// cannot be audited does not happen).
    pub async fn audit(&self, event: AuditEvent) -> Result<(), ApiError> {
        self.store.audit(&event).await?;
        Ok(())
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (the health check).
    Public,
    /// Any signed-in user; what they see is then limited to their boards.
    SignedIn,
    /// A signed-in user whose role may create cases (not a viewer).
    CreatesCases,
}

/// One route of the server.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Whether the path names a case (`{id}`), so that board membership decides.
    pub case_scoped: bool,
    handler: fn() -> MethodRouter<AppState>,
}

/// Every route the server serves.
pub const ROUTES: &[RouteSpec] = &[
    RouteSpec {
        method: "GET",
        path: "/login",
        access: Access::Public,
        case_scoped: false,
        handler: || get(pages::login_form),
    },
    RouteSpec {
        method: "POST",
        path: "/login",
        access: Access::Public,
        case_scoped: false,
        handler: || post(pages::login),
    },
    RouteSpec {
        method: "POST",
        path: "/logout",
        access: Access::SignedIn,
        case_scoped: false,
        handler: || post(pages::logout),
    },
    RouteSpec {
        method: "GET",
        path: "/",
        access: Access::SignedIn,
        case_scoped: false,
        handler: || get(pages::case_list),
    },
    RouteSpec {
        method: "GET",
        path: "/cases/new",
        access: Access::SignedIn,
        case_scoped: false,
        handler: || get(new_case::new_case_form),
    },
    RouteSpec {
        method: "POST",
        path: "/cases/new",
        access: Access::CreatesCases,
        case_scoped: false,
        handler: || post(new_case::create_from_form),
    },
    RouteSpec {
        method: "GET",
        path: "/cases/{id}",
        access: Access::SignedIn,
        case_scoped: true,
        handler: || get(pages::case_page),
    },
    RouteSpec {
        method: "POST",
        path: "/cases/{id}/consent",
        access: Access::CreatesCases,
        case_scoped: true,
        handler: || post(consent::update_from_page),
    },
    RouteSpec {
        method: "GET",
        path: "/healthz",
        access: Access::Public,
        case_scoped: false,
        handler: || get(|| async { "ok" }),
    },
    RouteSpec {
        method: "GET",
        path: "/api/openapi.json",
        access: Access::SignedIn,
        case_scoped: false,
        handler: || get(openapi::document),
    },
    RouteSpec {
        method: "POST",
        path: "/api/v1/cases",
        access: Access::CreatesCases,
        case_scoped: false,
        handler: || post(cases::create),
    },
    RouteSpec {
        method: "GET",
        path: "/api/v1/cases",
        access: Access::SignedIn,
        case_scoped: false,
        handler: || get(cases::list),
    },
    RouteSpec {
        method: "GET",
        path: "/api/v1/cases/{id}",
        access: Access::SignedIn,
        case_scoped: true,
        handler: || get(cases::read),
    },
    RouteSpec {
        method: "GET",
        path: "/api/v1/cases/{id}/consent",
        access: Access::SignedIn,
        case_scoped: true,
        handler: || get(consent::read),
    },
    RouteSpec {
        method: "PUT",
        path: "/api/v1/cases/{id}/consent",
        access: Access::CreatesCases,
        case_scoped: true,
        handler: || put(consent::update),
    },
    RouteSpec {
        method: "PUT",
        path: "/api/v1/cases/{id}/assignees/{username}",
        access: Access::SignedIn,
        case_scoped: true,
        handler: || put(assignments::assign),
    },
    RouteSpec {
        method: "DELETE",
        path: "/api/v1/cases/{id}/assignees/{username}",
        access: Access::SignedIn,
        case_scoped: true,
        handler: || delete(assignments::unassign),
    },
    RouteSpec {
        method: "GET",
        path: "/api/v1/cases/{id}/{file}",
        access: Access::SignedIn,
        case_scoped: true,
        handler: || get(cases::rendered),
    },
];

/// The application: every route of [`ROUTES`] over `state`.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for route in ROUTES {
        router = router.route(route.path, (route.handler)());
    }
    router
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.max_upload_bytes,
        ))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// Headers on every answer: nothing is cached (answers carry patient data), content
/// types are not guessed, pages are not framed, and report pages load nothing.
async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::header::{self, HeaderValue};
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages load nothing and run nothing. (Only on HTML: on a PDF the same policy would
    // keep the browser's own PDF viewer from showing it.)
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'",
            ),
        );
    }
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}
