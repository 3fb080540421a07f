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
    let role = match actor {
        _ if route.access == Access::Public => return StatusCode::OK,
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
        ("GET", "/api/v1/cases") | ("GET", "/api/openapi.json") => StatusCode::OK,
        ("GET", "/api/v1/cases/{id}") | ("GET", "/api/v1/cases/{id}/{file}") => {
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
                    .replace("{file}", "report.html");
                let events_before = state.store.audit_events(0, 100_000).await.unwrap().len();
                let answer = match route.method {
                    "GET" => send(state, get(&path, token)).await,
                    "POST" => {
                        send(state, post_form(&path, token, &example_upload(Some(board)))).await
                    }
                    other => panic!("no request builder for method {other}"),
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
                // Every request under /api/ leaves exactly one audit event.
                let events_after = state.store.audit_events(0, 100_000).await.unwrap().len();
                let audited = if route.path.starts_with("/api/") {
                    1
                } else {
                    0
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
