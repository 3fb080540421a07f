//! Sign-in sessions for the pages: a random token in an HttpOnly cookie, only its SHA-256
//! in the database, a CSRF token per session, and an end after an idle time.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{now_ms, Store, StoreError, User};

/// A session as a request sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose session it is.
    pub user: User,
    /// The token every form of this session must carry.
    pub csrf: String,
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Store {
    /// Starts a session for `username`; returns the cookie token (shown once).
    pub async fn start_session(&self, username: &str) -> Result<String, StoreError> {
        let token = random_hex();
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (token_hash, username, csrf, created_ms, seen_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash(&token))
        .bind(username)
        .bind(random_hex())
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The session of a cookie token, when it exists and was used within `idle_ms`; an
    /// idle session is ended here. Using a session keeps it alive.
    pub async fn session(&self, token: &str, idle_ms: i64) -> Result<Option<Session>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let key = hash(token);
        let row = sqlx::query("SELECT username, csrf, seen_ms FROM sessions WHERE token_hash = $1")
            .bind(&key)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let (username, csrf, seen): (String, String, i64) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        let now = now_ms();
        if now - seen > idle_ms {
            self.end_session(token).await?;
            return Ok(None);
        }
        // Written at most every few seconds, not on every request.
        if now - seen > 5_000 {
            sqlx::query("UPDATE sessions SET seen_ms = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&key)
                .execute(&self.pool)
                .await?;
        }
        Ok(self
            .user(&username)
            .await?
            .map(|user| Session { user, csrf }))
    }

    /// Ends a session (signing out).
    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
