//! The compiled knowledge-base file: a small header, then the bincode payload.
//!
//! ```text
//! offset  size  field
//!      0     8  magic "TAILORKB"
//!      8     4  format version (u32, little endian)
//!     12     8  payload length in bytes (u64, little endian)
//!     20    32  SHA-256 of the payload
//!     52     …  payload: bincode (varint) encoding of `KnowledgeBase`
//!      …     8  tail length in bytes (u64, little endian)
//!      …    32  SHA-256 of the tail
//!      …     …  tail: bincode encoding of the transcript model
//! ```
//!
//! The tail holds the MANE exon model, which is ten times the size of the rest and only
//! needed for somatic work: its checksum is verified and it is decoded on first use, so
//! a pharmacogenomics run pays only for reading its bytes.
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
pub const FORMAT_VERSION: u32 = 3;

fn options() -> impl Options {
    bincode::DefaultOptions::new()
}

/// bincode bytes of `value` (no header).
pub(crate) fn to_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    options().serialize(value).map_err(|e| {
        Error::from(crate::ErrorKind::Encode {
            message: e.to_string(),
        })
    })
}

/// Decodes bincode bytes written by [`to_bytes`]; `path` is for messages.
pub(crate) fn from_bytes<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, Error> {
    options()
        .with_limit(bytes.len() as u64)
        .deserialize(bytes)
        .map_err(|e| Error::artifact(path, ArtifactProblem::Decode(e.to_string())))
}

/// A separately checksummed section after the main payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tail {
    /// The section's bytes.
    pub(crate) bytes: Vec<u8>,
    /// Their SHA-256 as stored in the file.
    pub(crate) sha256: [u8; 32],
}

impl Tail {
    /// A tail for `bytes`, with their checksum.
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        let mut sha256 = [0u8; 32];
        sha256.copy_from_slice(&Sha256::digest(&bytes));
        Tail { bytes, sha256 }
    }

    /// Checks the stored checksum; `path` is for the message.
    pub(crate) fn verify(&self, path: &Path) -> Result<(), Error> {
        if Sha256::digest(&self.bytes).as_slice() == self.sha256 {
            Ok(())
        } else {
            Err(Error::artifact(path, ArtifactProblem::ChecksumMismatch))
        }
    }
}

/// Encodes `value` and the tail into the artifact byte layout.
pub(crate) fn encode<T: Serialize>(value: &T, tail: &Tail) -> Result<Vec<u8>, Error> {
    let payload = to_bytes(value)?;
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len() + 40 + tail.bytes.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    out.extend_from_slice(&(tail.bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(&tail.sha256);
    out.extend_from_slice(&tail.bytes);
    Ok(out)
}

/// Decodes the artifact byte layout; `path` is only used in error messages. The tail is
/// returned unverified (see [`Tail::verify`]).
pub(crate) fn decode<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<(T, Tail), Error> {
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
    let rest = &bytes[HEADER_LEN..];
    let truncated = |expected: u64| {
        problem(ArtifactProblem::Truncated {
            expected,
            found: bytes.len() as u64,
        })
    };
    let main_len = usize::try_from(len).map_err(|_| truncated(len))?;
    let payload = rest.get(..main_len).ok_or_else(|| truncated(len))?;
    if Sha256::digest(payload).as_slice() != &header[20..52] {
        return Err(problem(ArtifactProblem::ChecksumMismatch));
    }
    let tail_header = rest
        .get(main_len..main_len + 40)
        .ok_or_else(|| truncated(HEADER_LEN as u64 + len + 40))?;
    let mut tail_len = [0u8; 8];
    tail_len.copy_from_slice(&tail_header[..8]);
    let tail_len = u64::from_le_bytes(tail_len);
    let tail_bytes = &rest[main_len + 40..];
    if tail_bytes.len() as u64 != tail_len {
        return Err(truncated(HEADER_LEN as u64 + len + 40 + tail_len));
    }
    let mut sha256 = [0u8; 32];
    sha256.copy_from_slice(&tail_header[8..40]);
    let value = options()
        .with_limit(len)
        .deserialize(payload)
        .map_err(|e| problem(ArtifactProblem::Decode(e.to_string())))?;
    Ok((
        value,
        Tail {
            bytes: tail_bytes.to_vec(),
            sha256,
        },
    ))
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
        let tail = Tail::new(vec![1, 2, 3]);
        let bytes = encode(&value, &tail).expect("encode");
        let (back, back_tail): (Vec<(String, u32)>, Tail) =
            decode(Path::new("x.kb"), &bytes).expect("decode");
        assert_eq!(back, value);
        assert_eq!(back_tail, tail);
        back_tail.verify(Path::new("x.kb")).expect("tail intact");
    }

    #[test]
    fn rejects_foreign_file() {
        let err = decode::<u32>(Path::new("x.kb"), b"{\"json\": true}").expect_err("not a KB");
        assert_eq!(problem_of(&err), Some(&ArtifactProblem::NotAKnowledgeBase));
        assert!(err.to_string().contains("x.kb"), "{err}");
    }

    #[test]
    fn rejects_other_format_version() {
        let mut bytes = encode(&7u32, &Tail::default()).expect("encode");
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
        let bytes = encode(
            &"some knowledge".to_string(),
            &Tail::new(b"exon model".to_vec()),
        )
        .expect("encode");
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
        // A flipped payload byte fails at once.
        let mut flipped = bytes.clone();
        flipped[HEADER_LEN + 2] ^= 0x20;
        let err = decode::<String>(Path::new("x.kb"), &flipped).expect_err("corrupt");
        assert_eq!(problem_of(&err), Some(&ArtifactProblem::ChecksumMismatch));
        // A flipped tail byte fails when the tail is used.
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x20;
        let (_, tail) = decode::<String>(Path::new("x.kb"), &flipped).expect("payload intact");
        let err = tail.verify(Path::new("x.kb")).expect_err("tail corrupt");
        assert_eq!(problem_of(&err), Some(&ArtifactProblem::ChecksumMismatch));
    }
}
