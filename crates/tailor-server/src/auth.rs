//! Who is asking: an API token (`Authorization: Bearer TOKEN`) resolved to a user, and
//! the audit event every request to patient data leaves.
//!
//! Deny by default: every route under `/api/` takes [`AuthUser`], so a request without a
//! valid token never reaches a handler; the refusal itself is audited.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::SocketAddr;
use tailor_store::{AuditEvent, Outcome, User};

use crate::error::ApiError;
use crate::AppState;

/// The signed-in user of a request, with what the audit trail records about it.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The user.
    pub user: User,
    /// The client's address.
    pub client: String,
}

/// The client's address, when the server knows it (not in router tests).
pub(crate) fn client_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let client = client_of(parts);
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let mut user = match token {
            Some(token) => state.store.user_for_token(token).await?,
            None => None,
        };
        // Or a browser's session. A form or script that changes something must carry the
        // session's CSRF token (header X-CSRF-Token); SameSite=Strict cookies already
        // keep other sites out, this is the second lock.
        if user.is_none() && token.is_none() {
            if let Some(session) = session_of(parts, state).await? {
                let safe = matches!(
                    parts.method,
                    axum::http::Method::GET | axum::http::Method::HEAD
                );
                let csrf = parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok());
                if safe || csrf == Some(session.csrf.as_str()) {
                    user = Some(session.user);
                }
            }
        }
        match user {
            Some(user) => Ok(AuthUser { user, client }),
            None => {
                state
                    .audit(AuditEvent {
                        actor: "anonymous".into(),
                        action: format!("{} {}", parts.method, route_of(parts)),
                        resource: parts.uri.path().to_string(),
                        case_id: None,
                        client,
                        outcome: Outcome::Denied,
                    })
                    .await?;
                Err(ApiError::unauthorized())
            }
        }
    }
}

/// The route template a request matched (`/api/v1/cases/{id}`), or its path.
fn route_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| parts.uri.path().to_string(), |m| m.as_str().to_string())
}

impl AuthUser {
    /// Whether the user may see the cases of `board`: an administrator sees all, others
    /// the boards they belong to.
    pub fn sees_board(&self, board: &str) -> bool {
        self.user.sees_board(board)
    }

    /// The audit event of this user's request.
    pub fn event(
        &self,
        action: &str,
        resource: String,
        case_id: Option<&str>,
        outcome: Outcome,
    ) -> AuditEvent {
        AuditEvent {
            actor: self.user.username.clone(),
            action: action.into(),
            resource,
            case_id: case_id.map(str::to_string),
            client: self.client.clone(),
            outcome,
        }
    }
}

/// The name of the session cookie.
pub(crate) const SESSION_COOKIE: &str = "tailor_session";

/// A cookie's value from the request.
pub(crate) fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The live session of the request's cookie, if any.
pub(crate) async fn session_of(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<tailor_store::Session>, ApiError> {
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let idle_ms = i64::try_from(state.config.idle_minutes)
        .unwrap_or(i64::MAX / 60_000)
        .saturating_mul(60_000);
    Ok(state.store.session(token, idle_ms).await?)
}
