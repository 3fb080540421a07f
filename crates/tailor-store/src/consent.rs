//! The patient's consent for a case, by scope.
//!
//! Three scopes, each given or not: research use of the data, secondary (incidental)
//! germline findings, and sharing of the data outside the care team. Nothing is
//! consented unless recorded (deny by default). The record is sealed with the case id as
//! context: a scope switched on by editing the database fails to open instead of being
//! obeyed. Every change is audited by the server; the record keeps who made the latest
//! change and when.

use serde::{Deserialize, Serialize};

use crate::{now_ms, Store, StoreError};

/// The scopes a patient consented to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Use of the case's data for research.
    pub research: bool,
    /// Secondary (incidental) germline findings: tumour findings that may be inherited,
    /// and germline findings beyond what the test was ordered for. The manifest's
    /// `consent` (issue 14) uses the same three names.
    #[serde(alias = "secondary_germline")]
    pub secondary_findings: bool,
    /// Sharing of the (de-identified) case outside the care team.
    pub data_sharing: bool,
}

impl Consent {
    /// The scope words, as the API and the form write them.
    pub const SCOPES: [&'static str; 3] = ["research", "secondary_findings", "data_sharing"];

    /// Reads a list of scope words separated by commas or white space (`none` or an
    /// empty list for no scope). `secondary_germline` and `incidental_germline` are read
    /// as `secondary_findings`.
    pub fn parse(text: &str) -> Result<Consent, String> {
        let mut consent = Consent::default();
        for word in text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
        {
            match word {
                "research" => consent.research = true,
                "secondary_findings" | "secondary_germline" | "incidental_germline" => {
                    consent.secondary_findings = true
                }
                "data_sharing" => consent.data_sharing = true,
                "none" => {}
                other => {
                    return Err(format!(
                        "unknown consent scope `{}`: the scopes are {} (or none)",
                        other.chars().take(40).collect::<String>(),
                        Consent::SCOPES.join(", ")
                    ))
                }
            }
        }
        Ok(consent)
    }

    /// Whether the scope named by `word` (one of [`Consent::SCOPES`]) is given.
    pub fn given(&self, word: &str) -> bool {
        match word {
            "research" => self.research,
            "secondary_findings" => self.secondary_findings,
            "data_sharing" => self.data_sharing,
            _ => false,
        }
    }

    /// The scopes given, as words.
    pub fn scopes(&self) -> Vec<&'static str> {
        Consent::SCOPES
            .into_iter()
            .filter(|w| self.given(w))
            .collect()
    }
}

/// Consent as stored: the scopes and who recorded them when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// The scopes.
    #[serde(flatten)]
    pub consent: Consent,
    /// Who recorded it (a username), when it was recorded.
    pub recorded_by: Option<String>,
    /// When, Unix milliseconds.
    pub recorded_ms: Option<i64>,
}

impl Store {
    /// The sealed column value for a consent recorded now by `by`.
    pub(crate) fn seal_consent(
        &self,
        case_id: &str,
        consent: Consent,
        by: &str,
    ) -> Result<Vec<u8>, StoreError> {
        let record = ConsentRecord {
            consent,
            recorded_by: Some(by.to_string()),
            recorded_ms: Some(now_ms()),
        };
        let json = serde_json::to_vec(&record)
            .map_err(|e| StoreError::Tampered(format!("consent record: {e}")))?;
        Ok(self
            .key
            .sealer()
            .seal(&format!("case:{case_id}:consent"), &json))
    }

    /// The consent of a case from its sealed column (`None`: nothing recorded).
    pub(crate) fn open_consent(
        &self,
        case_id: &str,
        sealed: Option<Vec<u8>>,
    ) -> Result<ConsentRecord, StoreError> {
        let Some(sealed) = sealed else {
            return Ok(ConsentRecord::default());
        };
        let json = self
            .key
            .sealer()
            .open(&format!("case:{case_id}:consent"), &sealed)?;
        serde_json::from_slice(&json)
            .map_err(|e| StoreError::Tampered(format!("consent record of case {case_id}: {e}")))
    }

    /// The case's id for sharing: a keyed one-way pseudonym of the case id, stable for the
    /// installation's key, so releases of one case can be linked without revealing the
    /// case id (or anything else) to whoever receives them.
    pub fn sharing_id(&self, case_id: &str) -> String {
        let mac = self
            .key
            .audit_key()
            .mac(&[b"tailor sharing id v1", case_id.as_bytes()]);
        format!("TS-{}", &mac[..32.min(mac.len())])
    }

    /// Records a new consent for a case. When the secondary-germline scope changes and the
    /// case has been or is being interpreted, a new engine run is queued, so that the
    /// next version of the interpretation shows or withholds those findings accordingly;
    /// returns whether one was queued.
    pub async fn set_consent(
        &self,
        case_id: &str,
        consent: Consent,
        by: &str,
    ) -> Result<bool, StoreError> {
        let before = self
            .case(case_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("no case {case_id}")))?;
        let sealed = self.seal_consent(case_id, consent, by)?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE cases SET consent = $1 WHERE id = $2")
            .bind(sealed)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        let rerun = before.consent.consent.secondary_findings != consent.secondary_findings;
        let queued_already: Option<String> = sqlx::query_scalar(
            "SELECT id FROM jobs WHERE case_id = $1 AND state = 'queued' LIMIT 1",
        )
        .bind(case_id)
        .fetch_optional(&mut *tx)
        .await?;
        let interpreted =
            before.latest_version.is_some() || before.status == crate::CaseStatus::Running;
        let queue = rerun && interpreted && queued_already.is_none();
        if queue {
            crate::cases::queue_job(&mut tx, case_id, now).await?;
            if before.status != crate::CaseStatus::Running {
                sqlx::query("UPDATE cases SET status = 'queued', updated_ms = $1 WHERE id = $2")
                    .bind(now)
                    .bind(case_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(queue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_read_and_written_as_words() {
        let c = Consent::parse("research, incidental_germline").unwrap();
        assert!(c.research && c.secondary_findings && !c.data_sharing);
        assert_eq!(c.scopes(), ["research", "secondary_findings"]);
        assert_eq!(Consent::parse("none").unwrap(), Consent::default());
        assert_eq!(Consent::parse("").unwrap(), Consent::default());
        let all = Consent::parse("data_sharing research secondary_findings").unwrap();
        assert_eq!(all.scopes().len(), 3);
        let e = Consent::parse("research,everything").unwrap_err();
        assert!(e.contains("unknown consent scope `everything`"), "{e}");
    }
}
