//! Deterministic resource ids.
//!
//! A bundle must be reproducible (same interpretation, same bytes) so that it can be
//! snapshot-tested, diffed between report versions and signed. Random UUIDs would
//! defeat that, so each resource's id is a name-based UUID of the report id and a key
//! naming the resource within the report (`variant/F1`, `genotype/CYP2C19`).

use sha2::{Digest, Sha256};

/// A UUID (RFC 9562 version 8, "custom") from the SHA-256 of `report_id` and `key`.
///
/// Version 8 is the RFC's slot for name-based UUIDs built with a hash other than
/// MD5/SHA-1; the version and variant bits are set so that any UUID parser accepts it.
pub(crate) fn resource_uuid(report_id: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(report_id.as_bytes());
    hasher.update([0u8]);
    hasher.update(key.as_bytes());
    let digest = hasher.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::resource_uuid;

    #[test]
    fn uuids_are_stable_versioned_and_distinct() {
        let a = resource_uuid("8bce4d1db1150f00", "variant/F1");
        assert_eq!(a, resource_uuid("8bce4d1db1150f00", "variant/F1"));
        assert_ne!(a, resource_uuid("8bce4d1db1150f00", "variant/F2"));
        assert_ne!(a, resource_uuid("8bce4d1db1150f01", "variant/F1"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        // The separator byte keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(resource_uuid("ab", "c"), resource_uuid("a", "bc"));
    }
}
