//! Users assigned to single cases.
//!
//! A user sees the cases of the boards they belong to (an administrator every case), and
//! besides those the cases they are assigned to: a second-opinion pathologist or a
//! pharmacist from elsewhere in the hospital can work on one case without joining the
//! board and seeing all of its patients. What they may do on it is what their role
//! allows on any case they see.

use sqlx::Row;

use crate::{now_ms, CaseRecord, Role, Store, StoreError, User};

impl Store {
    /// Assigns `username` to a case; false when they were assigned already. Refused for
    /// an unknown user.
    pub async fn assign(
        &self,
        case_id: &str,
        username: &str,
        by: &str,
    ) -> Result<bool, StoreError> {
        let known: Option<String> =
            sqlx::query_scalar("SELECT username FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        if known.is_none() {
            return Err(StoreError::Invalid(format!(
                "no user `{}`",
                username.chars().take(64).collect::<String>()
            )));
        }
        // One statement, so two coordinators assigning the same user at once cannot both
        // insert (the second would break the primary key and answer 500).
        let inserted = sqlx::query(
            "INSERT INTO case_assignments (case_id, username, assigned_by, assigned_ms) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (case_id, username) DO NOTHING",
        )
        .bind(case_id)
        .bind(username)
        .bind(by)
        .bind(now_ms())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted > 0)
    }

    /// Ends an assignment; false when there was none.
    pub async fn unassign(&self, case_id: &str, username: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM case_assignments WHERE case_id = $1 AND username = $2")
            .bind(case_id)
            .bind(username)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(done > 0)
    }

    /// Whether `username` is assigned to the case.
    pub async fn is_assigned(&self, case_id: &str, username: &str) -> Result<bool, StoreError> {
        let found: Option<String> = sqlx::query_scalar(
            "SELECT username FROM case_assignments WHERE case_id = $1 AND username = $2",
        )
        .bind(case_id)
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// The users assigned to a case, by name.
    pub async fn assignees(&self, case_id: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT username FROM case_assignments WHERE case_id = $1 ORDER BY username",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| r.try_get(0).map_err(StoreError::from))
            .collect()
    }

    /// Whether `user` may see the case: its board's members, its assignees, and
    /// administrators.
    pub async fn sees_case(&self, user: &User, case: &CaseRecord) -> Result<bool, StoreError> {
        Ok(user.sees_board(&case.board) || self.is_assigned(&case.id, &user.username).await?)
    }

    /// The cases `user` sees (see [`Store::sees_case`]), newest first.
    pub async fn cases_for(&self, user: &User) -> Result<Vec<CaseRecord>, StoreError> {
        if user.role == Role::Admin {
            return self.cases(None).await;
        }
        let assigned: Vec<String> =
            sqlx::query_scalar("SELECT case_id FROM case_assignments WHERE username = $1")
                .bind(&user.username)
                .fetch_all(&self.pool)
                .await?;
        self.cases_matching(|board, id| user.sees_board(board) || assigned.iter().any(|a| a == id))
            .await
    }
}
