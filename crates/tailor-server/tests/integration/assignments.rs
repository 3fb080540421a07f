//! A user assigned to one case from outside its board sees that case and no other of
//! the board; the assignment ends as it began, by the board's coordinator.

use crate::common::*;
use axum::http::StatusCode;
use tailor_server::ServerConfig;
use tailor_store::{Outcome, Role};

#[tokio::test]
async fn an_assigned_user_sees_that_case_only_until_the_assignment_ends() {
    let t = server(ServerConfig::default()).await;
    let state = &t.state;
    let coordinator = user(state, "coord", Role::Coordinator, &["gi"]).await;
    let oncologist = user(state, "onc", Role::Oncologist, &["gi"]).await;
    let outside = user(state, "path2", Role::Pathologist, &["thoracic"]).await;
    let create = |token: String| async move {
        let answer = send(
            state,
            post_form("/api/v1/cases", Some(&token), &example_upload(None)),
        )
        .await;
        answer.json()["id"].as_str().unwrap().to_string()
    };
    let case = create(oncologist.clone()).await;
    let other_case = create(oncologist.clone()).await;
    tailor_server::worker::run_until_idle(state).await.unwrap();
    let ids = |token: String| async move {
        let list = send(state, get("/api/v1/cases", Some(&token))).await.json();
        list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let read = |token: String, path: String| async move {
        send(state, get(&path, Some(&token))).await.status
    };
    let case_path = format!("/api/v1/cases/{case}");
    assert_eq!(
        read(outside.clone(), case_path.clone()).await,
        StatusCode::NOT_FOUND
    );
    assert!(ids(outside.clone()).await.is_empty());

    // The oncologist may not assign; the coordinator does.
    let assign = |token: &str, method: &str, who: &str| {
        let mut r = axum::http::Request::builder()
            .method(method)
            .uri(format!("/api/v1/cases/{case}/assignees/{who}"));
        r = r.header("authorization", format!("Bearer {token}"));
        r.body(axum::body::Body::empty()).unwrap()
    };
    let refused = send(state, assign(&oncologist, "PUT", "path2")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let unknown = send(state, assign(&coordinator, "PUT", "nobody")).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(unknown.text().contains("no user `nobody`"));
    let assigned = send(state, assign(&coordinator, "PUT", "path2")).await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());
    assert_eq!(assigned.json()["assignees"], serde_json::json!(["path2"]));

    // Now the case and its reports, and nothing else of the board.
    assert_eq!(
        read(outside.clone(), case_path.clone()).await,
        StatusCode::OK
    );
    assert_eq!(
        read(outside.clone(), format!("{case_path}/report.html")).await,
        StatusCode::OK
    );
    assert_eq!(
        read(outside.clone(), format!("/api/v1/cases/{other_case}")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(ids(outside.clone()).await, vec![case.clone()]);
    let answer = send(state, get(&case_path, Some(&coordinator)))
        .await
        .json();
    assert_eq!(answer["assignees"], serde_json::json!(["path2"]));
    // An assignee does not pass the case on, whatever their role elsewhere.
    let passed_on = send(state, assign(&outside, "PUT", "onc")).await;
    assert_eq!(passed_on.status, StatusCode::FORBIDDEN);

    let ended = send(state, assign(&coordinator, "DELETE", "path2")).await;
    assert_eq!(ended.status, StatusCode::OK);
    assert_eq!(
        read(outside.clone(), case_path.clone()).await,
        StatusCode::NOT_FOUND
    );
    assert!(ids(outside.clone()).await.is_empty());

    let events = state.store.audit_events(0, 100_000).await.unwrap();
    let trail: Vec<(String, Outcome)> = events
        .iter()
        .filter(|e| e.event.action.starts_with("case.") && e.event.action.contains("assign"))
        .map(|e| (e.event.action.clone(), e.event.outcome))
        .collect();
    assert_eq!(
        trail,
        [
            ("case.assign".to_string(), Outcome::Denied),
            ("case.assign".to_string(), Outcome::Failure),
            ("case.assign".to_string(), Outcome::Success),
            ("case.assign".to_string(), Outcome::Denied),
            ("case.unassign".to_string(), Outcome::Success),
        ]
    );
}
