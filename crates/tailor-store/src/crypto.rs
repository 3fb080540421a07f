//! The one key of a Tailor installation and what is derived from it.
//!
//! The key lives outside the database (a file given with `--key-file`, or `TAILOR_KEY`),
//! so that a copy of the database or of a backup reveals no patient data and cannot be
//! edited without the edit showing. Two keys are derived from it with HMAC-SHA256 under
//! fixed labels: one encrypts fields and files (AES-256-GCM), one keys the audit chain.
//! Deriving rather than reusing keeps the two uses apart.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::path::Path;

use crate::StoreError;

type HmacSha256 = Hmac<Sha256>;

/// Length of the nonce written before every ciphertext.
const NONCE_LEN: usize = 12;

/// The installation key: 32 random bytes, written as 64 hexadecimal digits.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; 32],
    insecure: bool,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key itself, not even in a debug log.
        f.debug_struct("MasterKey")
            .field("insecure", &self.insecure)
            .finish_non_exhaustive()
    }
}

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self {
            bytes,
            insecure: false,
        }
    }

    /// A fixed, publicly known key for trying Tailor out (`--dev-insecure-key`): it
    /// protects nothing, and every page says so.
    pub fn dev_insecure() -> Self {
        Self {
            bytes: *b"tailor-dev-insecure-key-0000000!",
            insecure: true,
        }
    }

    /// Whether this is the publicly known development key.
    pub fn is_insecure(&self) -> bool {
        self.insecure
    }

    /// Reads 64 hexadecimal digits (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<Self, StoreError> {
        let text = text.trim();
        let decoded = hex::decode(text)
            .ok()
            .and_then(|v| <[u8; 32]>::try_from(v).ok())
            .ok_or_else(|| {
                StoreError::Key(format!(
                    "a key is 64 hexadecimal digits (32 bytes); found {} characters{}",
                    text.len(),
                    if text.bytes().all(|b| b.is_ascii_hexdigit()) {
                        ""
                    } else {
                        " that are not all hexadecimal"
                    }
                ))
            })?;
        Ok(Self {
            bytes: decoded,
            insecure: false,
        })
    }

    /// Reads a key file written by [`MasterKey::write_new`] (or by hand).
    pub fn from_file(path: &Path) -> Result<Self, StoreError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            StoreError::Key(format!("cannot read key file {}: {e}", path.display()))
        })?;
        Self::from_hex(&text)
            .map_err(|e| StoreError::Key(format!("key file {}: {e}", path.display())))
    }

    /// Writes a new random key to `path`, readable by its owner only; refuses to
    /// overwrite a file (losing a key loses every encrypted record).
    pub fn write_new(path: &Path) -> Result<Self, StoreError> {
        let key = Self::generate();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|e| {
            StoreError::Key(format!("cannot create key file {}: {e}", path.display()))
        })?;
        use std::io::Write;
        writeln!(file, "{}", hex::encode(key.bytes))
            .and_then(|()| file.sync_all())
            .map_err(|e| {
                StoreError::Key(format!("cannot write key file {}: {e}", path.display()))
            })?;
        Ok(key)
    }

    fn derive(&self, label: &str) -> [u8; 32] {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.bytes).expect("HMAC takes any key length");
        mac.update(label.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The cipher for fields and files.
    pub fn sealer(&self) -> Sealer {
        let key = self.derive("tailor/encryption/v1");
        Sealer {
            cipher: Aes256Gcm::new(&key.into()),
        }
    }

    /// The key of the audit chain.
    pub(crate) fn audit_key(&self) -> AuditKey {
        AuditKey(self.derive("tailor/audit-chain/v1"))
    }
}

/// HMAC key of the audit chain.
#[derive(Clone)]
pub(crate) struct AuditKey([u8; 32]);

impl AuditKey {
    /// HMAC-SHA256 of `parts` (each length-prefixed, so that no two lists of parts give
    /// the same input), in hexadecimal.
    pub(crate) fn mac(&self, parts: &[&[u8]]) -> String {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for part in parts {
            mac.update(&(part.len() as u64).to_le_bytes());
            mac.update(part);
        }
        hex::encode(mac.finalize().into_bytes())
    }
}

/// AES-256-GCM with a fresh random nonce per message. Each ciphertext is bound to a
/// context string (the table, row and field it belongs to), so a ciphertext moved to
/// another row does not decrypt.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer")
    }
}

impl Sealer {
    /// Encrypts `plaintext` for `context`: nonce, then ciphertext with its tag.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts what [`Sealer::seal`] wrote for the same `context`; an error when the
    /// bytes were changed, belong to another context or another key.
    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < NONCE_LEN {
            return Err(StoreError::Tampered(format!(
                "{context}: encrypted value is too short"
            )));
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| {
                StoreError::Tampered(format!(
                    "{context}: encrypted value does not verify (changed, moved, or another key)"
                ))
            })
    }

    /// [`Sealer::seal`] for text.
    pub fn seal_text(&self, context: &str, text: &str) -> Vec<u8> {
        self.seal(context, text.as_bytes())
    }

    /// [`Sealer::open`] for text.
    pub fn open_text(&self, context: &str, sealed: &[u8]) -> Result<String, StoreError> {
        String::from_utf8(self.open(context, sealed)?)
            .map_err(|_| StoreError::Tampered(format!("{context}: decrypted value is not text")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_in_their_context_and_with_their_key() {
        let key = MasterKey::generate();
        let sealer = key.sealer();
        let sealed = sealer.seal_text("case:1:pseudonym", "PATIENT-XYZ");
        assert!(!sealed.windows(11).any(|w| w == b"PATIENT-XYZ"));
        assert_eq!(
            sealer.open_text("case:1:pseudonym", &sealed).unwrap(),
            "PATIENT-XYZ"
        );
        // Another row, another key, a flipped bit: all refused.
        assert!(sealer.open_text("case:2:pseudonym", &sealed).is_err());
        assert!(MasterKey::generate()
            .sealer()
            .open_text("case:1:pseudonym", &sealed)
            .is_err());
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(sealer.open_text("case:1:pseudonym", &flipped).is_err());
        assert!(sealer.open_text("case:1:pseudonym", &sealed[..5]).is_err());
        // Two seals of the same text differ (fresh nonce).
        assert_ne!(sealer.seal_text("c", "x"), sealer.seal_text("c", "x"));
    }

    #[test]
    fn key_files_are_64_hex_digits_written_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tailor.key");
        let key = MasterKey::write_new(&path).unwrap();
        let back = MasterKey::from_file(&path).unwrap();
        assert_eq!(key.bytes, back.bytes);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "key file mode {mode:o}");
        }
        let again = MasterKey::write_new(&path).unwrap_err().to_string();
        assert!(again.contains("cannot create key file"), "{again}");
        let short = MasterKey::from_hex("abcd").unwrap_err().to_string();
        assert!(short.contains("64 hexadecimal digits"), "{short}");
        let bad = MasterKey::from_hex(&"zz".repeat(32))
            .unwrap_err()
            .to_string();
        assert!(bad.contains("not all hexadecimal"), "{bad}");
        assert!(!format!("{key:?}").contains(&hex::encode(key.bytes)));
    }
}
