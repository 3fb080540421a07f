//! One error type for every handler: a status, and a reason the client can act on.
//!
//! A client's mistake is a 4xx naming what is wrong; anything else is a 500 whose body
//! says only that the server failed (the cause goes to the server's log, without patient
//! data: store and engine errors name files and rows, never their content).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What the client is told.
    pub reason: String,
}

impl ApiError {
    /// 400 with a reason.
    pub fn bad_request(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, reason)
    }

    /// An error with any status.
    pub fn new(status: StatusCode, reason: impl Into<String>) -> Self {
        Self {
            status,
            reason: reason.into(),
        }
    }

    /// 401: not signed in.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "sign in, or send an API token as `Authorization: Bearer TOKEN`",
        )
    }

    /// 404 for a case that does not exist or that the user may not see: the two are
    /// not told apart, so case ids cannot be probed.
    pub fn case_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no such case")
    }

    /// 500, with the cause logged but not shown.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        eprintln!("tailor serve: internal error: {cause}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server failed; the administrator can find the cause in its log",
        )
    }
}

impl From<tailor_store::StoreError> for ApiError {
    fn from(e: tailor_store::StoreError) -> Self {
        match e {
            tailor_store::StoreError::Invalid(reason) => Self::bad_request(reason),
            other => Self::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.reason })),
        )
            .into_response()
    }
}
