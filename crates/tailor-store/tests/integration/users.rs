//! Users, boards, passwords and tokens.

use crate::common::stores;
use tailor_store::{Role, StoreError};

#[tokio::test]
async fn users_get_roles_boards_passwords_and_tokens() {
    for t in stores().await {
        let store = &t.store;
        let alice = store
            .add_user(
                "alice",
                Role::Oncologist,
                "correct horse battery",
                &["thoracic".into(), "gi".into()],
            )
            .await
            .unwrap();
        assert_eq!(alice.role, Role::Oncologist, "{}", t.name);
        assert_eq!(alice.boards, ["gi", "thoracic"]);
        // Same board again for another user: the board is reused, not duplicated.
        let bob = store
            .add_user("bob", Role::Viewer, "another long password", &["gi".into()])
            .await
            .unwrap();
        assert_eq!(bob.boards, ["gi"]);

        assert_eq!(
            store
                .check_password("alice", "correct horse battery")
                .await
                .unwrap(),
            Some(alice.clone())
        );
        assert_eq!(
            store
                .check_password("alice", "wrong password!")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .check_password("nobody", "correct horse battery")
                .await
                .unwrap(),
            None
        );

        let token = store.add_token("alice", "pipeline").await.unwrap();
        assert!(token.starts_with("tlr_") && token.len() == 68, "{token}");
        assert_eq!(store.user_for_token(&token).await.unwrap(), Some(alice));
        let mut wrong = token.clone();
        wrong.replace_range(10..11, if &token[10..11] == "0" { "1" } else { "0" });
        assert_eq!(store.user_for_token(&wrong).await.unwrap(), None);
        assert_eq!(store.user_for_token("tlr_short").await.unwrap(), None);
        // The token itself is nowhere in the database.
        let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_all(store.pool())
            .await
            .unwrap();
        assert!(stored.iter().all(|h| !h.contains(&token[4..])));
    }
}

#[tokio::test]
async fn bad_user_input_is_refused_with_the_reason() {
    for t in stores().await {
        let store = &t.store;
        let err = |e: StoreError| e.to_string();
        let short = store.add_user("carol", Role::Admin, "short", &[]).await;
        assert!(err(short.unwrap_err()).contains("at least 12 characters"));
        let name = store
            .add_user(
                "carol; DROP TABLE users",
                Role::Admin,
                "long enough password",
                &[],
            )
            .await;
        assert!(err(name.unwrap_err()).contains("letters, digits"));
        let board = store
            .add_user(
                "carol",
                Role::Admin,
                "long enough password",
                &["<b>".into()],
            )
            .await;
        assert!(err(board.unwrap_err()).contains("board name `<b>`"));
        store
            .add_user("carol", Role::Admin, "long enough password", &[])
            .await
            .unwrap();
        let again = store
            .add_user("carol", Role::Viewer, "long enough password", &[])
            .await;
        assert!(
            err(again.unwrap_err()).contains("already exists"),
            "{}",
            t.name
        );
        let token = store.add_token("nobody", "x").await;
        assert!(err(token.unwrap_err()).contains("no user `nobody`"));
        assert!(Role::parse("surgeon")
            .unwrap_err()
            .to_string()
            .contains("pathologist"));
    }
}

#[tokio::test]
async fn sessions_carry_a_csrf_token_and_end_when_idle_or_signed_out() {
    for t in stores().await {
        let store = &t.store;
        store
            .add_user(
                "dana",
                Role::Pharmacist,
                "long enough password",
                &["gi".into()],
            )
            .await
            .unwrap();
        let token = store.start_session("dana").await.unwrap();
        let session = store.session(&token, 60_000).await.unwrap().expect("live");
        assert_eq!(session.user.username, "dana", "{}", t.name);
        assert_eq!(session.csrf.len(), 64);
        assert!(store
            .session("0".repeat(64).as_str(), 60_000)
            .await
            .unwrap()
            .is_none());
        assert!(store.session("not hex", 60_000).await.unwrap().is_none());
        // Idle longer than allowed: ended, and gone for good.
        sqlx::query("UPDATE sessions SET seen_ms = seen_ms - 120000")
            .execute(store.pool())
            .await
            .unwrap();
        assert!(store.session(&token, 60_000).await.unwrap().is_none());
        assert!(store.session(&token, i64::MAX).await.unwrap().is_none());
        // Signed out.
        let token = store.start_session("dana").await.unwrap();
        store.end_session(&token).await.unwrap();
        assert!(store.session(&token, 60_000).await.unwrap().is_none());
        // The cookie token is nowhere in the database.
        let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(store.pool())
            .await
            .unwrap();
        assert!(stored.iter().all(|h| *h != token));
    }
}
