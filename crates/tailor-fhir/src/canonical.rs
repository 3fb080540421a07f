//! Canonical JSON key order for the written bundle.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// Serialises a JSON value with object keys in a fixed order: `resourceType` first
/// (as FHIR JSON is conventionally written), then the rest sorted by key.
pub(crate) struct Canonical<'a>(pub(crate) &'a Value);

impl Serialize for Canonical<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Canonical(item))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by_key(|k| (k.as_str() != "resourceType", k.as_str()));
                let mut out = serializer.serialize_map(Some(keys.len()))?;
                for k in keys {
                    if let Some(v) = map.get(k) {
                        out.serialize_entry(k, &Canonical(v))?;
                    }
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Canonical;
    use serde_json::json;

    #[test]
    fn resource_type_first_then_sorted() {
        let v = json!({ "b": 1, "resourceType": "X", "a": [{ "z": 1, "c": 2 }] });
        let s = serde_json::to_string(&Canonical(&v)).unwrap();
        assert_eq!(s, r#"{"resourceType":"X","a":[{"c":2,"z":1}],"b":1}"#);
    }
}
