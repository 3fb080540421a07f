//! The FORMAT fields a read was asked to keep, per selected sample, as VCF text.

/// Requested FORMAT values of one record: one text slot per (selected sample, key).
///
/// The reader fills this in place record after record (slots are cleared, never freed),
/// so keeping AF/AD/DP for a somatic read allocates nothing per record once the strings
/// have grown. Values are VCF text whatever the container: BCF numbers are rendered the
/// way `bcftools view` prints them.
///
/// ```
/// use tailor_genome::FormatValues;
/// let mut values = FormatValues::new(&["AF", "DP"], 2);
/// assert!(values.set(1, "AF", "0.25"));
/// assert!(!values.set(0, "GQ", "99"), "only the requested keys have slots");
/// assert_eq!(values.get(1, "AF"), Some("0.25"));
/// assert_eq!(values.get(0, "AF"), None);
/// assert_eq!(values.keys(), ["AF", "DP"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormatValues {
    keys: Vec<String>,
    samples: usize,
    /// Sample-major: the value of key `k` for sample `s` is at `s * keys.len() + k`.
    values: Vec<String>,
}

impl FormatValues {
    /// Empty slots for `keys` (duplicates dropped) and `samples` selected samples.
    pub fn new(keys: &[impl AsRef<str>], samples: usize) -> Self {
        let mut unique: Vec<String> = Vec::with_capacity(keys.len());
        for key in keys {
            let key = key.as_ref();
            if !unique.iter().any(|k| k == key) {
                unique.push(key.to_string());
            }
        }
        let values = vec![String::new(); unique.len() * samples];
        Self {
            keys: unique,
            samples,
            values,
        }
    }

    /// The requested keys, in slot order.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The number of samples with slots.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// The value of `key` for the selected sample `sample`: `None` when the key was not
    /// requested, the record lacks it, or its value is `.` or empty. Vectors are
    /// comma-joined as in VCF (`12,30`); a vector with some missing entries keeps them
    /// (`.,4`).
    pub fn get(&self, sample: usize, key: &str) -> Option<&str> {
        let k = self.keys.iter().position(|k| k == key)?;
        self.value_at(sample, k)
    }

    /// The value in slot `k` (index into [`keys`](Self::keys)) for `sample`.
    pub fn value_at(&self, sample: usize, k: usize) -> Option<&str> {
        if sample >= self.samples || k >= self.keys.len() {
            return None;
        }
        let value = self.values.get(sample * self.keys.len() + k)?;
        match value.as_str() {
            "" | "." => None,
            text => Some(text),
        }
    }

    /// Stores `value` for `sample` and `key`; false (nothing stored) when the key was not
    /// requested or the sample is out of range. For building sites in tests and tools.
    pub fn set(&mut self, sample: usize, key: &str, value: &str) -> bool {
        let Some(k) = self.keys.iter().position(|k| k == key) else {
            return false;
        };
        match self.slot(sample, k) {
            Some(slot) => {
                slot.clear();
                slot.push_str(value);
                true
            }
            None => false,
        }
    }

    /// The reusable text slot of key number `k` for `sample`.
    pub(crate) fn slot(&mut self, sample: usize, k: usize) -> Option<&mut String> {
        if sample >= self.samples || k >= self.keys.len() {
            return None;
        }
        self.values.get_mut(sample * self.keys.len() + k)
    }

    /// Marks every slot of `sample` missing.
    pub(crate) fn clear_sample(&mut self, sample: usize) {
        let n = self.keys.len();
        if let Some(row) = self.values.get_mut(sample * n..(sample + 1) * n) {
            row.iter_mut().for_each(String::clear);
        }
    }

    /// Marks every slot missing.
    pub(crate) fn clear(&mut self) {
        self.values.iter_mut().for_each(String::clear);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_per_sample_and_missing_reads_none() {
        let mut v = FormatValues::new(&["AD", "DP", "AD"], 3);
        assert_eq!(v.keys(), ["AD", "DP"]);
        assert!(v.set(2, "DP", "40"));
        assert!(v.set(0, "AD", "."));
        assert!(v.set(1, "AD", ".,4"));
        assert!(!v.set(3, "DP", "1"));
        assert_eq!(v.get(2, "DP"), Some("40"));
        assert_eq!(v.get(0, "AD"), None);
        assert_eq!(v.get(1, "AD"), Some(".,4"));
        assert_eq!(v.get(5, "AD"), None);
        assert_eq!(v.value_at(2, 1), Some("40"));
        v.clear_sample(2);
        assert_eq!(v.get(2, "DP"), None);
        v.set(1, "DP", "3");
        v.clear();
        assert_eq!(v.get(1, "DP"), None);
    }
}
