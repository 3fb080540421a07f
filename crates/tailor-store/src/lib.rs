//! Tailor's database: users and roles, boards, API tokens, a hash-chained audit trail,
//! cases with their uploaded files, engine jobs and stored interpretations, with patient
//! data encrypted at rest.
//!
//! One schema, two databases: an SQLite file in the data directory by default (WAL,
//! foreign keys on), or PostgreSQL when a `postgres://` URL is given. Both go through
//! sqlx's `Any` driver with the same numbered migrations (`migrations/`), written in the
//! subset of SQL the two share, and the same tests run against both.
//!
//! The installation key ([`MasterKey`]) never enters the database: it encrypts patient
//! fields and files, and keys the audit chain, so a copy of the database alone reveals
//! no patient data and cannot be edited unnoticed.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;

pub mod assignments;
pub mod audit;
pub mod cases;
pub mod consent;
pub mod crypto;
pub mod sessions;
pub mod users;

pub use audit::{AuditEvent, AuditReport, Outcome};
pub use cases::{CaseRecord, CaseStatus, NewCase};
pub use consent::{Consent, ConsentRecord};
pub use crypto::{MasterKey, Sealer};
pub use sessions::Session;
pub use users::{Role, User};

/// The migrations, numbered, run at every start.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database refused or failed a statement.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The migrations could not be applied.
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The key is missing, unreadable or malformed.
    #[error("{0}")]
    Key(String),
    /// A value given by a user is not acceptable (user name, role, password, board).
    #[error("{0}")]
    Invalid(String),
    /// A record that should exist does not.
    #[error("{0}")]
    NotFound(String),
    /// An audit event could not be recorded (so the access it records must not happen).
    #[error("audit trail: {0}")]
    Audit(String),
    /// Stored data does not verify against the key (edited, moved, or another key).
    #[error("{0}")]
    Tampered(String),
    /// The data directory could not be prepared.
    #[error("data directory {path}: {message}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// What failed.
        message: String,
    },
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file in the data directory.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Where the store keeps its data.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// The data directory (the SQLite file, uploaded files, rendered reports).
    pub data_dir: PathBuf,
    /// A `postgres://` URL; `None` for the SQLite file `tailor.db` in the data directory.
    pub database_url: Option<String>,
}

/// The database of one installation, with its key.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    key: MasterKey,
    data_dir: PathBuf,
    /// The queue of this store's audit writer (one task per opened store serialises the
    /// appends of this process; other processes are serialised by the database's lock
    /// on the chain head).
    audit_tx: tokio::sync::mpsc::UnboundedSender<audit::AuditRequest>,
}

impl Store {
    /// Opens (creating when needed) the data directory and the database, and applies the
    /// migrations not yet applied.
    pub async fn open(config: &StoreConfig, key: MasterKey) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        prepare_data_dir(&config.data_dir)?;
        let (url, backend) = match &config.database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                (url.clone(), Backend::Postgres)
            }
            Some(url) => {
                return Err(StoreError::Invalid(format!(
                    "database URL must start with postgres:// (got `{}`); leave it out for \
                     the SQLite file in the data directory",
                    url.split(':').next().unwrap_or_default()
                )))
            }
            None => (
                format!(
                    "sqlite://{}?mode=rwc",
                    config.data_dir.join("tailor.db").display()
                ),
                Backend::Sqlite,
            ),
        };
        let options: AnyConnectOptions = url.parse()?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Foreign keys are off by default in SQLite; WAL lets readers go
                        // on while a writer writes; a busy writer is waited for, not an
                        // error.
                        for pragma in [
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA busy_timeout = 5000",
                            "PRAGMA synchronous = NORMAL",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        let (audit_tx, queue) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(audit::writer(pool.clone(), key.audit_key(), queue));
        Ok(Self {
            pool,
            backend,
            key,
            data_dir: config.data_dir.clone(),
            audit_tx,
        })
    }

    /// The database this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool (for the crates that add tables of their own).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The installation key.
    pub fn key(&self) -> &MasterKey {
        &self.key
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the data directory (owner-only) when missing; refuses a path that is not a
/// directory.
fn prepare_data_dir(dir: &Path) -> Result<(), StoreError> {
    let fail = |message: String| StoreError::DataDir {
        path: dir.to_path_buf(),
        message,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(fail("exists and is not a directory".into()));
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| fail(format!("cannot create it: {e}")))
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
