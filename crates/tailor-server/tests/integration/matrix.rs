//! The authorisation matrix: every route of the server's own route table, for every role,
//! on a case of the user's board and on a case of another board, and anonymously. A
//! route without an expectation here fails the test.

use crate::common::*;
use axum::http::StatusCode;
use tailor_server::{Access, RouteSpec, ServerConfig, ROUTES};
use tailor_store::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Anonymous,
    Member(Role),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    OwnBoard,
    OtherBoard,
}

/// What the server must answer.
fn expected(route: &RouteSpec, actor: Actor, target: Target) -> StatusCode {
    let page = !route.path.starts_with("/api/") && route.path != "/healthz";
    match (route.method, route.path) {
        // The sign-in form is for everyone; a sign-in without the form's CSRF cookie is
        // refused whoever sends it.
        ("GET", "/login") => return StatusCode::OK,
        ("POST", "/login") => return StatusCode::FORBIDDEN,
        _ => {}
    }
    let role = match actor {
        _ if route.access == Access::Public => return StatusCode::OK,
        // Pages send a person to the sign-in page; the API answers 401.
        Actor::Anonymous if page => return StatusCode::SEE_OTHER,
        Actor::Anonymous => return StatusCode::UNAUTHORIZED,
        Actor::Member(role) => role,
    };
    let admin = role == Role::Admin;
    match (route.method, route.path) {
        ("POST", "/api/v1/cases") => match (role, target) {
            (Role::Viewer, _) => StatusCode::FORBIDDEN,
            (_, Target::OwnBoard) => StatusCode::CREATED,
            (_, Target::OtherBoard) if admin => StatusCode::CREATED,
            (_, Target::OtherBoard) => StatusCode::FORBIDDEN,
        },
        ("GET", "/api/v1/cases") | ("GET", "/api/openapi.json") | ("GET", "/") => StatusCode::OK,
        ("GET", "/cases/new") => StatusCode::OK,
        // The matrix posts a plain form, not multipart: viewers are refused first,
        // everyone else is told the form is not multipart.
        ("POST", "/cases/new") if role == Role::Viewer => StatusCode::FORBIDDEN,
        ("POST", "/cases/new") => StatusCode::BAD_REQUEST,
        // Signing out ends the session and sends the person to the sign-in page.
        ("POST", "/logout") => StatusCode::SEE_OTHER,
        // Recording consent: members of the case's board but viewers; whether a case
        // of another board exists is not told.
        // Assigning users to a case: the board's coordinator, or an administrator.
        ("PUT" | "DELETE", "/api/v1/cases/{id}/assignees/{username}") => match target {
            _ if admin => StatusCode::OK,
            Target::OtherBoard => StatusCode::NOT_FOUND,
            Target::OwnBoard if role == Role::Coordinator => StatusCode::OK,
            Target::OwnBoard => StatusCode::FORBIDDEN,
        },
        // The case page's consent form: as the API, then back to the case page.
        ("POST", "/cases/{id}/consent") => match target {
            Target::OtherBoard if !admin => StatusCode::NOT_FOUND,
            _ if role == Role::Viewer => StatusCode::FORBIDDEN,
            _ => StatusCode::SEE_OTHER,
        },
        ("PUT", "/api/v1/cases/{id}/consent") => match target {
            Target::OtherBoard if !admin => StatusCode::NOT_FOUND,
            _ if role == Role::Viewer => StatusCode::FORBIDDEN,
            _ => StatusCode::OK,
        },
        ("GET", "/api/v1/cases/{id}")
        | ("GET", "/api/v1/cases/{id}/{file}")
        | ("GET", "/api/v1/cases/{id}/consent")
        | ("GET", "/cases/{id}") => {
            match target {
                Target::OwnBoard => StatusCode::OK,
                Target::OtherBoard if admin => StatusCode::OK,
                // Not 403: whether the case exists is not told.
                Target::OtherBoard => StatusCode::NOT_FOUND,
            }
        }
        (method, path) => {
            panic!("route {method} {path} has no entry in the authorisation matrix: add one")
        }
    }
}

#[tokio::test]
async fn every_role_on_every_route_for_own_and_other_boards() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    // Everyone on board gi (the admin on none: an admin sees every board anyway).
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let boards: &[&str] = if role == Role::Admin { &[] } else { &["gi"] };
        tokens.push((role, user(state, role.as_str(), role, boards).await));
    }
    let other = user(state, "thoracic-onc", Role::Oncologist, &["thoracic"]).await;
    // The user the assignment routes assign: on no board, and none of the actors, so
    // that assigning them changes what no actor sees.
    user(state, "consultant", Role::Pharmacist, &[]).await;
    let own_case = create_case(state, &tokens[1].1).await;
    let other_case = create_case(state, &other).await;
    tailor_server::worker::run_until_idle(state).await.unwrap();

    let mut actors = vec![Actor::Anonymous];
    actors.extend(Role::ALL.map(Actor::Member));
    let mut checked = 0;
    for route in ROUTES {
        for &actor in &actors {
            for target in [Target::OwnBoard, Target::OtherBoard] {
                let token = match actor {
                    Actor::Anonymous => None,
                    Actor::Member(role) => tokens
                        .iter()
                        .find(|(r, _)| *r == role)
                        .map(|(_, t)| t.as_str()),
                };
                let (case, board) = match target {
                    Target::OwnBoard => (&own_case, "gi"),
                    Target::OtherBoard => (&other_case, "thoracic"),
                };
                let path = route
                    .path
                    .replace("{id}", case)
                    .replace("{file}", "report.html")
                    .replace("{username}", "consultant");
                let events_before = state.store.audit_events(0, 100_000).await.unwrap().len();
                let page = !route.path.starts_with("/api/") && route.path != "/healthz";
                let answer = if page {
                    // People use pages with a session cookie (a new one per request, as
                    // signing out ends it) and the session's CSRF token in forms.
                    let session = match actor {
                        Actor::Anonymous => None,
                        Actor::Member(role) => {
                            let cookie = state.store.start_session(role.as_str()).await.unwrap();
                            let csrf = state
                                .store
                                .session(&cookie, 60_000)
                                .await
                                .unwrap()
                                .unwrap()
                                .csrf;
                            Some((cookie, csrf))
                        }
                    };
                    send(state, page_request(route.method, &path, session.as_ref())).await
                } else {
                    match route.method {
                        "GET" => send(state, get(&path, token)).await,
                        "POST" => {
                            send(state, post_form(&path, token, &example_upload(Some(board)))).await
                        }
                        "PUT" => {
                            let body = serde_json::json!({
                                "research": true,
                                "secondary_findings": false,
                                "data_sharing": false
                            });
                            send(state, put_json(&path, token, &body)).await
                        }
                        "DELETE" => {
                            let mut r = axum::http::Request::delete(&path);
                            if let Some(token) = token {
                                r = r.header("authorization", format!("Bearer {token}"));
                            }
                            send(state, r.body(axum::body::Body::empty()).unwrap()).await
                        }
                        other => panic!("no request builder for method {other}"),
                    }
                };
                let want = expected(route, actor, target);
                assert_eq!(
                    answer.status,
                    want,
                    "{} {} as {actor:?} on {target:?}: {}",
                    route.method,
                    route.path,
                    answer.text()
                );
                // Every request for patient data, every sign-in and sign-out, and every
                // refusal leaves exactly one audit event; the health check and the
                // sign-in form none.
                let events_after = state.store.audit_events(0, 100_000).await.unwrap().len();
                let audited = match (route.method, route.path) {
                    ("GET", "/healthz") | ("GET", "/login") => 0,
                    _ => 1,
                };
                assert_eq!(
                    events_after - events_before,
                    audited,
                    "{} {} as {actor:?}",
                    route.method,
                    route.path
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, ROUTES.len() * actors.len() * 2);

    // The list shows a member only the cases of their boards.
    let listed = send(state, get("/api/v1/cases", Some(&tokens[1].1)))
        .await
        .json();
    let ids: Vec<&str> = listed["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&own_case.as_str()) && !ids.contains(&other_case.as_str()));
    let all = send(state, get("/api/v1/cases", Some(&tokens[0].1)))
        .await
        .json();
    assert!(all["cases"].as_array().unwrap().len() >= 2);
    assert_eq!(state.store.verify_audit().await.unwrap().first_bad, None);
}

async fn create_case(state: &tailor_server::AppState, token: &str) -> String {
    let answer = send(
        state,
        post_form("/api/v1/cases", Some(token), &example_upload(None)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    answer.json()["id"].as_str().unwrap().to_string()
}

/// A page request: GET, or a form POST with the session's CSRF token (or, for the
/// sign-in form, a token with no matching cookie).
fn page_request(
    method: &str,
    path: &str,
    session: Option<&(String, String)>,
) -> axum::http::Request<axum::body::Body> {
    let mut r = axum::http::Request::builder().method(method).uri(path);
    if let Some((cookie, _)) = session {
        r = r.header("cookie", format!("tailor_session={cookie}"));
    }
    let body = match (method, path) {
        ("POST", "/login") => "username=admin&password=wrong+password+here&csrf=forged".to_string(),
        ("POST", _) => format!(
            "csrf={}",
            session.map(|(_, csrf)| csrf.as_str()).unwrap_or("none")
        ),
        _ => String::new(),
    };
    if method == "POST" {
        r = r.header("content-type", "application/x-www-form-urlencoded");
    }
    r.body(axum::body::Body::from(body)).unwrap()
}
