//! The compiled knowledge-base file: a small header, then the bincode payload.
//!
//! ```text
//! offset  size  field
//!      0     8  magic "TAILORKB"
//!      8     4  format version (u32, little endian)
//!     12     8  payload length in bytes (u64, little endian)
//!     20    32  SHA-256 of the payload
//!     52     …  payload: bincode (varint) encoding of `KnowledgeBase`
//! ```
//!
//! The magic and version come first so a stale or foreign file is rejected with a
//! message that says what to do, before any decoding is attempted; the checksum catches
//! damage that would otherwise decode into plausible but wrong knowledge.

use crate::error::ArtifactProblem;
use crate::Error;
use bincode::Options;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"TAILORKB";
const HEADER_LEN: usize = 8 + 4 + 8 + 32;

/// Version of the artifact layout and of the encoded types. Bump it whenever a type
/// stored in the knowledge base changes shape: bincode is not self-describing, so an
/// old file would otherwise decode into garbage or fail obscurely.
pub const FORMAT_VERSION: u32 = 2;

fn options() -> impl Options {
    bincode::DefaultOptions::new()
}

/// Encodes `value` into the artifact byte layout.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    let payload = options().serialize(value).map_err(|e| {
        Error::from(crate::ErrorKind::Encode {
            message: e.to_string(),
        })
    })?;
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Decodes the artifact byte layout; `path` is only used in error messages.
pub(crate) fn decode<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, Error> {
    let problem = |p| Error::artifact(path, p);
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(problem(ArtifactProblem::NotAKnowledgeBase));
    }
    let header = bytes.get(..HEADER_LEN).ok_or_else(|| {
        problem(ArtifactProblem::Truncated {
            expected: HEADER_LEN as u64,
            found: bytes.len() as u64,
        })
    })?;
    let mut version = [0u8; 4];
    version.copy_from_slice(&header[8..12]);
    let version = u32::from_le_bytes(version);
    if version != FORMAT_VERSION {
        return Err(problem(ArtifactProblem::FormatVersion {
            found: version,
            expected: FORMAT_VERSION,
        }));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&header[12..20]);
    let len = u64::from_le_bytes(len);
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != len {
        return Err(problem(ArtifactProblem::Truncated {
            expected: len,
            found: payload.len() as u64,
        }));
    }
    if Sha256::digest(payload).as_slice() != &header[20..52] {
        return Err(problem(ArtifactProblem::ChecksumMismatch));
    }
    options()
        .with_limit(len)
        .deserialize(payload)
        .map_err(|e| problem(ArtifactProblem::Decode(e.to_string())))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced,
/// then renamed over the target, so a reader never sees a half-written artifact and an
/// interrupted build leaves the previous one intact.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create directory", e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kb".to_string());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, "create", e))?;
        f.write_all(bytes)
            .map_err(|e| Error::io(&tmp, "write", e))?;
        f.sync_all().map_err(|e| Error::io(&tmp, "sync", e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, "rename into", e))
    })();
    if result.is_err() {
        // Best effort: do not leave temporary files behind after a failure.
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn problem_of(e: &Error) -> Option<&ArtifactProblem> {
        match e.kind() {
            ErrorKind::Artifact { problem, .. } => Some(problem),
            _ => None,
        }
    }

    #[test]
    fn round_trip() {
        let value = vec![("a".to_string(), 1u32), ("b".to_string(), 2)];
        let bytes = encode(&value).expect("encode");
        let back: Vec<(String, u32)> = decode(Path::new("x.kb"), &bytes).expect("decode");
        assert_eq!(back, value);
    }

    #[test]
    fn rejects_foreign_file() {
        let err = decode::<u32>(Path::new("x.kb"), b"{\"json\": true}").expect_err("not a KB");
        assert_eq!(problem_of(&err), Some(&ArtifactProblem::NotAKnowledgeBase));
        assert!(err.to_string().contains("x.kb"), "{err}");
    }

    #[test]
    fn rejects_other_format_version() {
        let mut bytes = encode(&7u32).expect("encode");
        bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        let err = decode::<u32>(Path::new("x.kb"), &bytes).expect_err("version");
        assert_eq!(
            problem_of(&err),
            Some(&ArtifactProblem::FormatVersion {
                found: FORMAT_VERSION + 1,
                expected: FORMAT_VERSION
            })
        );
    }

    #[test]
    fn rejects_truncation_and_corruption() {
        let bytes = encode(&"some knowledge".to_string()).expect("encode");
        let err =
            decode::<String>(Path::new("x.kb"), &bytes[..bytes.len() - 3]).expect_err("short");
        assert!(matches!(
            problem_of(&err),
            Some(ArtifactProblem::Truncated { .. })
        ));
        let err = decode::<String>(Path::new("x.kb"), &bytes[..20]).expect_err("header only");
        assert!(matches!(
            problem_of(&err),
            Some(ArtifactProblem::Truncated { .. })
        ));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x20;
        let err = decode::<String>(Path::new("x.kb"), &flipped).expect_err("corrupt");
        assert_eq!(problem_of(&err), Some(&ArtifactProblem::ChecksumMismatch));
    }
}
