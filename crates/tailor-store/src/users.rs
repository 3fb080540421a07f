//! Users, their roles and boards, passwords and API tokens.
//!
//! There is no default user and no default password: the first administrator is made on
//! the command line (`tailor admin add-user`). Passwords are stored as Argon2id hashes.
//! API tokens (for pipelines) are 256 random bits shown once; only their SHA-256 is
//! kept, which is enough for a secret with that much entropy and cheap to check on every
//! request (a password hash per request would cost tens of milliseconds).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{now_ms, Store, StoreError};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// What a user may do, by the part they play on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages users and boards; sees every case.
    Admin,
    /// Molecular pathologist.
    Pathologist,
    /// Oncologist.
    Oncologist,
    /// Pharmacist.
    Pharmacist,
    /// Genetic counsellor.
    Counsellor,
    /// Board coordinator.
    Coordinator,
    /// Reads the cases of their boards, changes nothing.
    Viewer,
}

impl Role {
    /// Every role, in the order the documentation lists them.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Pathologist,
        Role::Oncologist,
        Role::Pharmacist,
        Role::Counsellor,
        Role::Coordinator,
        Role::Viewer,
    ];

    /// The word used on the command line and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Pathologist => "pathologist",
            Role::Oncologist => "oncologist",
            Role::Pharmacist => "pharmacist",
            Role::Counsellor => "counsellor",
            Role::Coordinator => "coordinator",
            Role::Viewer => "viewer",
        }
    }

    /// The role a word names.
    pub fn parse(word: &str) -> Result<Role, StoreError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == word)
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "unknown role `{word}`; roles: {}",
                    Role::ALL.map(Role::as_str).join(", ")
                ))
            })
    }

    /// Whether the role may create cases and start engine runs.
    pub fn may_create_cases(self) -> bool {
        !matches!(self, Role::Viewer)
    }
}

/// A user as the server sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// User name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Boards the user belongs to, sorted.
    pub boards: Vec<String>,
}

impl User {
    /// Whether the user may see the cases of `board`: an administrator sees every board,
    /// others the boards they belong to.
    pub fn sees_board(&self, board: &str) -> bool {
        self.role == Role::Admin || self.boards.iter().any(|b| b == board)
    }
}

/// A user name or board name: 1 to 64 letters, digits, `.`, `_` or `-`.
fn check_name(kind: &str, name: &str) -> Result<(), StoreError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "{kind} `{name}`: use 1 to 64 letters, digits, '.', '_' or '-'"
        )))
    }
}

/// SHA-256 of a token, in hexadecimal.
fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Store {
    /// Creates a user with a role and a password, on the named boards (creating the
    /// boards that do not exist yet). Refuses a user name that is taken, a short
    /// password, and a board name or user name with characters outside the safe set.
    pub async fn add_user(
        &self,
        username: &str,
        role: Role,
        password: &str,
        boards: &[String],
    ) -> Result<User, StoreError> {
        check_name("user name", username)?;
        for board in boards {
            check_name("board name", board)?;
        }
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(StoreError::Invalid(format!(
                "the password must have at least {MIN_PASSWORD_CHARS} characters"
            )));
        }
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| StoreError::Invalid(format!("cannot hash the password: {e}")))?
            .to_string();
        let mut tx = self.pool.begin().await?;
        let taken = sqlx::query("SELECT 1 FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Invalid(format!(
                "user `{username}` already exists"
            )));
        }
        let now = now_ms();
        sqlx::query(
            "INSERT INTO users (username, role, password_hash, created_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(username)
        .bind(role.as_str())
        .bind(&hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for board in boards {
            let exists = sqlx::query("SELECT 1 FROM boards WHERE name = $1")
                .bind(board)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                sqlx::query("INSERT INTO boards (name, created_ms) VALUES ($1, $2)")
                    .bind(board)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("INSERT INTO board_members (board, username) VALUES ($1, $2)")
                .bind(board)
                .bind(username)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.user(username)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user `{username}` vanished")))
    }

    /// A user by name (disabled users are not returned).
    pub async fn user(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query("SELECT role FROM users WHERE username = $1 AND disabled = 0")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let role = Role::parse(&row.try_get::<String, _>(0)?)?;
        let boards =
            sqlx::query("SELECT board FROM board_members WHERE username = $1 ORDER BY board")
                .bind(username)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get::<String, _>(0))
                .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(User {
            username: username.to_string(),
            role,
            boards,
        }))
    }

    /// The user when `password` is theirs; `None` for an unknown user or a wrong
    /// password alike (the caller must not tell the two apart). An unknown user costs a
    /// hash too, so timing does not tell them apart either.
    pub async fn check_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<User>, StoreError> {
        let row =
            sqlx::query("SELECT password_hash FROM users WHERE username = $1 AND disabled = 0")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        let stored = match &row {
            Some(row) => row.try_get::<String, _>(0)?,
            // A hash of nothing in particular, so that the work is the same.
            None => DUMMY_HASH.to_string(),
        };
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| StoreError::Tampered(format!("password hash of `{username}`: {e}")))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        if ok && row.is_some() {
            self.user(username).await
        } else {
            Ok(None)
        }
    }

    /// Makes an API token for `username`, returned once; only its hash is stored.
    pub async fn add_token(&self, username: &str, label: &str) -> Result<String, StoreError> {
        if self.user(username).await?.is_none() {
            return Err(StoreError::NotFound(format!(
                "no user `{username}`; create it first with `tailor admin add-user`"
            )));
        }
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let token = format!("tlr_{}", hex::encode(secret));
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, username, label, created_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(username)
        .bind(label)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The user an API token belongs to; `None` for an unknown token or a disabled user.
    pub async fn user_for_token(&self, token: &str) -> Result<Option<User>, StoreError> {
        if !token.starts_with("tlr_") || token.len() != 68 {
            return Ok(None);
        }
        // One query for the user and their boards (this runs on every API request).
        let rows = sqlx::query(
            "SELECT u.username, u.role, m.board FROM api_tokens t \
             JOIN users u ON u.username = t.username AND u.disabled = 0 \
             LEFT JOIN board_members m ON m.username = u.username \
             WHERE t.token_hash = $1 ORDER BY m.board",
        )
        .bind(token_hash(token))
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let boards = rows
            .iter()
            .filter_map(|r| r.try_get::<Option<String>, _>(2).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(User {
            username: first.try_get(0)?,
            role: Role::parse(&first.try_get::<String, _>(1)?)?,
            boards,
        }))
    }
}

/// Argon2id hash of a random string no one knows, checked against for unknown users.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2w1Jg4yHzqZkqB2mQ+fD0cWbYjvJdX5pGl7m4m5Y0bE";
