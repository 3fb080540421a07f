//! `/api/v1/cases/{id}/assignees/{username}`: assigning a user to one case.
//!
//! The board's coordinator (or an administrator) assigns a user from outside the board
//! to a case, for a second opinion or a consult: the assignee then sees that case as a
//! board member would, and no other case of the board. Every assignment and its end is
//! one audit event.

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use tailor_store::{Outcome, Role};

use crate::auth::AuthUser;
use crate::cases::visible_case;
use crate::error::ApiError;
use crate::AppState;

/// `PUT /api/v1/cases/{id}/assignees/{username}`: assigns the user to the case.
#[utoipa::path(
    put,
    path = "/api/v1/cases/{id}/assignees/{username}",
    params(
        ("id" = String, Path, description = "Case id"),
        ("username" = String, Path, description = "The user to assign")
    ),
    responses(
        (status = 200, description = "Assigned (or already was)", body = crate::openapi::Assignees),
        (status = 400, description = "No such user", body = crate::openapi::ErrorBody),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorBody),
        (status = 403, description = "Not the board's coordinator or an administrator", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such case, or not on the user's boards", body = crate::openapi::ErrorBody)
    )
)]
pub(crate) async fn assign(
    State(state): State<AppState>,
    user: AuthUser,
    UrlPath((id, username)): UrlPath<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    change(&state, &user, &id, &username, true).await
}

/// `DELETE /api/v1/cases/{id}/assignees/{username}`: ends the assignment.
#[utoipa::path(
    delete,
    path = "/api/v1/cases/{id}/assignees/{username}",
    params(
        ("id" = String, Path, description = "Case id"),
        ("username" = String, Path, description = "The user whose assignment ends")
    ),
    responses(
        (status = 200, description = "Not assigned (any more)", body = crate::openapi::Assignees),
        (status = 401, description = "No valid token", body = crate::openapi::ErrorBody),
        (status = 403, description = "Not the board's coordinator or an administrator", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such case, or not on the user's boards", body = crate::openapi::ErrorBody)
    )
)]
pub(crate) async fn unassign(
    State(state): State<AppState>,
    user: AuthUser,
    UrlPath((id, username)): UrlPath<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    change(&state, &user, &id, &username, false).await
}

/// Assigns or unassigns, with its one audit event. Only an administrator or a
/// coordinator of the case's own board may: an assignee (even a coordinator from
/// elsewhere) may not pass the case on.
async fn change(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    username: &str,
    assign: bool,
) -> Result<Json<Value>, ApiError> {
    let action = if assign {
        "case.assign"
    } else {
        "case.unassign"
    };
    let resource = format!("/api/v1/cases/{id}/assignees/{username}");
    let case = visible_case(state, user, id, action, &resource).await?;
    let event = |outcome| user.event(action, resource.clone(), Some(&case.id), outcome);
    let role = user.user.role;
    let allowed =
        role == Role::Admin || (role == Role::Coordinator && user.user.sees_board(&case.board));
    if !allowed {
        state.audit(event(Outcome::Denied)).await?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "only the board's coordinator or an administrator assigns users to a case",
        ));
    }
    let changed = if assign {
        state
            .store
            .assign(&case.id, username, &user.user.username)
            .await
    } else {
        state.store.unassign(&case.id, username).await
    };
    if let Err(e) = changed {
        state.audit(event(Outcome::Failure)).await?;
        return Err(e.into());
    }
    state.audit(event(Outcome::Success)).await?;
    Ok(Json(json!({
        "id": case.id,
        "assignees": state.store.assignees(&case.id).await?,
    })))
}
