//! Cases, their uploaded files, the engine job queue and the stored interpretations.
//!
//! A case is created in one transaction with its files and its first job, after the
//! files are written (sealed) under `blobs/` in the data directory: written to a
//! temporary name, synced, then renamed, so a crash leaves either a whole blob or a
//! temporary file that the next start removes ([`Store::sweep_temporary_blobs`]), never
//! a half-written blob under its real name. Blobs are named by a keyed hash of their
//! content, so equal uploads share a blob and the name reveals nothing about the content.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::io::Write;
use std::path::PathBuf;

use crate::{now_ms, Store, StoreError};

/// Where a case is in its engine run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseStatus {
    /// Waiting for the worker.
    Queued,
    /// The engines are running.
    Running,
    /// Interpreted.
    Done,
    /// The run failed; the error says why.
    Failed,
}

impl CaseStatus {
    /// The stored word (also the API's).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Queued => "queued",
            CaseStatus::Running => "running",
            CaseStatus::Done => "done",
            CaseStatus::Failed => "failed",
        }
    }

    fn parse(word: &str) -> Result<Self, StoreError> {
        Ok(match word {
            "queued" => CaseStatus::Queued,
            "running" => CaseStatus::Running,
            "done" => CaseStatus::Done,
            "failed" => CaseStatus::Failed,
            other => {
                return Err(StoreError::Tampered(format!(
                    "unknown case status `{other}`"
                )))
            }
        })
    }
}

/// A case to create.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The board it belongs to.
    pub board: String,
    /// Who creates it.
    pub created_by: String,
    /// The patient pseudonym.
    pub pseudonym: String,
    /// The manifest as uploaded (YAML).
    pub manifest: Vec<u8>,
    /// The uploaded files: (part name as the manifest names it, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// The patient's consent, as recorded with the case.
    pub consent: crate::Consent,
}

/// A case as the API shows it (decrypted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRecord {
    /// Case id.
    pub id: String,
    /// Board.
    pub board: String,
    /// Creator.
    pub created_by: String,
    /// Created, Unix milliseconds.
    pub created_ms: i64,
    /// Last status change, Unix milliseconds.
    pub updated_ms: i64,
    /// Status.
    pub status: CaseStatus,
    /// Patient pseudonym.
    pub pseudonym: String,
    /// Why the last run failed.
    pub error: Option<String>,
    /// The latest interpretation's version, when one was stored.
    pub latest_version: Option<i64>,
    /// The patient's consent (no scope when none was recorded).
    pub consent: crate::ConsentRecord,
}

/// A new random id: 128 bits in hexadecimal (unguessable, so an id alone grants nothing
/// and reveals no count of cases).
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether `id` has the form of a case id (checked before any query).
pub fn is_case_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Jobs attempted this often and interrupted each time are failed at the next start.
const MAX_ATTEMPTS: i64 = 3;

impl Store {
    fn blob_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }

    /// Writes `bytes` sealed under `blobs/`, named by their keyed hash; returns the name.
    fn put_blob(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let name = self.key.audit_key().mac(&[b"tailor blob name v1", bytes]);
        let dir = self.blob_dir();
        let target = dir.join(&name);
        if target.exists() {
            return Ok(name);
        }
        let io = |e: std::io::Error| StoreError::DataDir {
            path: dir.clone(),
            message: format!("cannot write an uploaded file: {e}"),
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let sealed = self.key.sealer().seal(&format!("blob:{name}"), bytes);
        let temp = dir.join(format!(".tmp-{}", new_id()));
        let mut file = std::fs::File::create(&temp).map_err(io)?;
        let written = file.write_all(&sealed).and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(io(e));
        }
        std::fs::rename(&temp, &target).map_err(io)?;
        Ok(name)
    }

    fn get_blob(&self, name: &str) -> Result<Vec<u8>, StoreError> {
        let path = self.blob_dir().join(name);
        let sealed = std::fs::read(&path).map_err(|e| StoreError::DataDir {
            path: path.clone(),
            message: format!("cannot read an uploaded file: {e}"),
        })?;
        self.key.sealer().open(&format!("blob:{name}"), &sealed)
    }

    /// Removes temporary files an interrupted upload left under `blobs/`; returns how
    /// many. Called at start, before anything is written.
    pub fn sweep_temporary_blobs(&self) -> Result<usize, StoreError> {
        let dir = self.blob_dir();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(0);
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                std::fs::remove_file(entry.path()).map_err(|e| StoreError::DataDir {
                    path: dir.clone(),
                    message: format!("cannot remove a temporary file: {e}"),
                })?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Creates a case with its files and queues its first engine run; returns its id.
    pub async fn create_case(&self, case: &NewCase) -> Result<String, StoreError> {
        let id = new_id();
        let sealer = self.key.sealer();
        let mut blobs = Vec::with_capacity(case.files.len());
        for (name, bytes) in &case.files {
            blobs.push((name, self.put_blob(bytes)?, bytes.len()));
        }
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO cases (id, board, created_by, created_ms, updated_ms, status, pseudonym, \
             manifest, consent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(&case.board)
        .bind(&case.created_by)
        .bind(now)
        .bind(now)
        .bind(CaseStatus::Queued.as_str())
        .bind(sealer.seal_text(&format!("case:{id}:pseudonym"), &case.pseudonym))
        .bind(sealer.seal(&format!("case:{id}:manifest"), &case.manifest))
        .bind(self.seal_consent(&id, case.consent, &case.created_by)?)
        .execute(&mut *tx)
        .await?;
        for (part_no, (name, blob, size)) in blobs.iter().enumerate() {
            sqlx::query(
                "INSERT INTO case_files (case_id, part_no, name, blob, size) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(part_no as i64)
            .bind(sealer.seal_text(&format!("case:{id}:file:{part_no}"), name))
            .bind(blob)
            .bind(*size as i64)
            .execute(&mut *tx)
            .await?;
        }
        queue_job(&mut tx, &id, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    fn case_of_row(&self, row: &sqlx::any::AnyRow) -> Result<CaseRecord, StoreError> {
        let sealer = self.key.sealer();
        let id: String = row.try_get(0)?;
        let pseudonym: Vec<u8> = row.try_get(6)?;
        let error: Option<Vec<u8>> = row.try_get(7)?;
        Ok(CaseRecord {
            board: row.try_get(1)?,
            created_by: row.try_get(2)?,
            created_ms: row.try_get(3)?,
            updated_ms: row.try_get(4)?,
            status: CaseStatus::parse(&row.try_get::<String, _>(5)?)?,
            pseudonym: sealer.open_text(&format!("case:{id}:pseudonym"), &pseudonym)?,
            error: error
                .map(|e| sealer.open_text(&format!("case:{id}:error"), &e))
                .transpose()?,
            latest_version: row.try_get(8)?,
            consent: self.open_consent(&id, row.try_get(9)?)?,
            id,
        })
    }

    /// A case by id.
    pub async fn case(&self, id: &str) -> Result<Option<CaseRecord>, StoreError> {
        if !is_case_id(id) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT id, board, created_by, created_ms, updated_ms, status, pseudonym, error, \
             (SELECT MAX(version) FROM interpretations i WHERE i.case_id = cases.id), consent \
             FROM cases WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| self.case_of_row(&r)).transpose()
    }

    /// The cases of the given boards (every case for `None`), newest first.
    pub async fn cases(&self, boards: Option<&[String]>) -> Result<Vec<CaseRecord>, StoreError> {
        self.cases_matching(|board, _| boards.is_none_or(|b| b.iter().any(|x| x == board)))
            .await
    }

    /// The cases for which `keep(board, id)` holds, newest first; only those are
    /// decrypted.
    pub(crate) async fn cases_matching(
        &self,
        keep: impl Fn(&str, &str) -> bool,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, board, created_by, created_ms, updated_ms, status, pseudonym, error, \
             (SELECT MAX(version) FROM interpretations i WHERE i.case_id = cases.id), consent \
             FROM cases ORDER BY created_ms DESC, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let id: String = row.try_get(0)?;
            let board: String = row.try_get(1)?;
            if keep(&board, &id) {
                out.push(self.case_of_row(row)?);
            }
        }
        Ok(out)
    }

    /// The manifest and uploaded files of a case, decrypted, for an engine run.
    pub async fn case_inputs(
        &self,
        id: &str,
    ) -> Result<(Vec<u8>, Vec<(String, Vec<u8>)>), StoreError> {
        let sealer = self.key.sealer();
        let row = sqlx::query("SELECT manifest FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("no case {id}")))?;
        let manifest = sealer.open(
            &format!("case:{id}:manifest"),
            &row.try_get::<Vec<u8>, _>(0)?,
        )?;
        let rows = sqlx::query(
            "SELECT part_no, name, blob FROM case_files WHERE case_id = $1 ORDER BY part_no",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut files = Vec::new();
        for row in &rows {
            let part_no: i64 = row.try_get(0)?;
            let name = sealer.open_text(
                &format!("case:{id}:file:{part_no}"),
                &row.try_get::<Vec<u8>, _>(1)?,
            )?;
            files.push((name, self.get_blob(&row.try_get::<String, _>(2)?)?));
        }
        Ok((manifest, files))
    }

    /// Takes the oldest queued job, marking it and its case running; `None` when the
    /// queue is empty. Safe with several workers: a job is taken by one only.
    pub async fn claim_job(&self) -> Result<Option<(String, String)>, StoreError> {
        loop {
            let row = sqlx::query(
                "SELECT id, case_id FROM jobs WHERE state = 'queued' ORDER BY created_ms, id LIMIT 1",
            )
            .fetch_optional(&self.pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            let (job, case_id): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            let now = now_ms();
            let mut tx = self.pool.begin().await?;
            let taken = sqlx::query(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_ms = $1 \
                 WHERE id = $2 AND state = 'queued'",
            )
            .bind(now)
            .bind(&job)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken == 1 {
                set_status(&mut tx, &case_id, CaseStatus::Running, None, now).await?;
                tx.commit().await?;
                return Ok(Some((job, case_id)));
            }
            // Another worker took it first: look again.
        }
    }

    /// Records the end of a job: the interpretation (JSON) as the case's next version,
    /// or the error. Returns the version stored.
    pub async fn finish_job(
        &self,
        job: &str,
        case_id: &str,
        result: Result<&[u8], &str>,
    ) -> Result<Option<i64>, StoreError> {
        let sealer = self.key.sealer();
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let mut version = None;
        match result {
            Ok(document) => {
                let last: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(version) FROM interpretations WHERE case_id = $1",
                )
                .bind(case_id)
                .fetch_one(&mut *tx)
                .await?;
                let next = last.unwrap_or(0) + 1;
                sqlx::query(
                    "INSERT INTO interpretations (case_id, version, created_ms, document) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(case_id)
                .bind(next)
                .bind(now)
                .bind(sealer.seal(&format!("case:{case_id}:interpretation:{next}"), document))
                .execute(&mut *tx)
                .await?;
                set_status(&mut tx, case_id, CaseStatus::Done, None, now).await?;
                version = Some(next);
            }
            Err(message) => {
                let sealed = sealer.seal_text(&format!("case:{case_id}:error"), message);
                set_status(&mut tx, case_id, CaseStatus::Failed, Some(sealed), now).await?;
            }
        }
        sqlx::query("UPDATE jobs SET state = $1, updated_ms = $2 WHERE id = $3")
            .bind(if version.is_some() { "done" } else { "failed" })
            .bind(now)
            .bind(job)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// After a restart: jobs left running go back to the queue, or fail after
    /// [`MAX_ATTEMPTS`] interrupted attempts. Returns (requeued, failed).
    pub async fn recover_jobs(&self) -> Result<(u64, u64), StoreError> {
        let rows = sqlx::query("SELECT id, case_id, attempts FROM jobs WHERE state = 'running'")
            .fetch_all(&self.pool)
            .await?;
        let (mut requeued, mut failed) = (0, 0);
        for row in &rows {
            let (job, case_id, attempts): (String, String, i64) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            if attempts >= MAX_ATTEMPTS {
                self.finish_job(
                    &job,
                    &case_id,
                    Err(
                        "the engine run was interrupted three times (server restarts); \
                         upload the case again or ask an administrator",
                    ),
                )
                .await?;
                failed += 1;
            } else {
                let now = now_ms();
                let mut tx = self.pool.begin().await?;
                sqlx::query("UPDATE jobs SET state = 'queued', updated_ms = $1 WHERE id = $2")
                    .bind(now)
                    .bind(&job)
                    .execute(&mut *tx)
                    .await?;
                set_status(&mut tx, &case_id, CaseStatus::Queued, None, now).await?;
                tx.commit().await?;
                requeued += 1;
            }
        }
        Ok((requeued, failed))
    }

    /// One stored interpretation of a case (JSON), decrypted.
    pub async fn interpretation(
        &self,
        case_id: &str,
        version: i64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row =
            sqlx::query("SELECT document FROM interpretations WHERE case_id = $1 AND version = $2")
                .bind(case_id)
                .bind(version)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(self.key.sealer().open(
            &format!("case:{case_id}:interpretation:{version}"),
            &row.try_get::<Vec<u8>, _>(0)?,
        )?))
    }
}

/// Queues an engine run of a case.
pub(crate) async fn queue_job(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    case_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO jobs (id, case_id, state, attempts, created_ms, updated_ms) \
         VALUES ($1, $2, 'queued', 0, $3, $4)",
    )
    .bind(new_id())
    .bind(case_id)
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn set_status(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    case_id: &str,
    status: CaseStatus,
    error: Option<Vec<u8>>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET status = $1, error = $2, updated_ms = $3 WHERE id = $4")
        .bind(status.as_str())
        .bind(error)
        .bind(now)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
