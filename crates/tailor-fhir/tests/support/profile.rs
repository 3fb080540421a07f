//! A deliberately small profile checker: cardinalities, fixed/pattern values and
//! slices (by value of `code`, `coding` or `url`, and by type) of the IG's snapshot
//! StructureDefinitions, plus the IG code list. It does not replace the HL7 validator
//! (no terminology server, no FHIRPath invariants); it holds the renderer to what the
//! profiles state explicitly.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One row of the IG code list.
#[derive(Debug, Clone)]
pub struct CodeRow {
    pub profile: String,
    pub element: String,
    pub system: String,
    pub code: String,
    pub display: String,
}

/// The IG's StructureDefinitions by canonical URL, and its code list.
pub struct Ig {
    pub sds: BTreeMap<String, Value>,
    pub codes: Vec<CodeRow>,
}

impl Ig {
    pub fn load(dir: &Path, codes: &Path) -> Ig {
        let mut sds = BTreeMap::new();
        for entry in std::fs::read_dir(dir).expect("IG directory lists") {
            let path = entry.expect("dir entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with("StructureDefinition-") && name.ends_with(".json") {
                let sd: Value = serde_json::from_slice(&std::fs::read(&path).expect("read SD"))
                    .expect("SD is JSON");
                let url = sd["url"].as_str().expect("SD has url").to_string();
                sds.insert(url, sd);
            }
        }
        let text = std::fs::read_to_string(codes).expect("codes TSV reads");
        let codes = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let get = |i: usize| f.get(i).copied().unwrap_or("").trim().to_string();
                CodeRow {
                    profile: get(0),
                    element: get(1),
                    system: get(2),
                    code: get(3),
                    display: get(4),
                }
            })
            .collect();
        Ig { sds, codes }
    }

    /// The profile and its IG ancestors, by StructureDefinition id (`variant`,
    /// `finding`, `genomic-base`).
    pub fn chain(&self, url: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = Some(url.to_string());
        while let Some(u) = cur {
            let Some(sd) = self.sds.get(&u) else { break };
            out.push(sd["id"].as_str().unwrap_or("").to_string());
            cur = sd["baseDefinition"].as_str().map(str::to_string);
        }
        out
    }

    /// Every violation of `profile_url` by `resource`, as readable messages.
    pub fn check(&self, resource: &Value, profile_url: &str) -> Vec<String> {
        let Some(sd) = self.sds.get(profile_url) else {
            return vec![format!("unknown profile {profile_url}")];
        };
        let elements: Vec<&Value> = sd["snapshot"]["element"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let by_id: BTreeMap<&str, &Value> = elements
            .iter()
            .filter_map(|e| Some((e["id"].as_str()?, *e)))
            .collect();
        let checker = Checker { by_id: &by_id };
        let mut errors = Vec::new();
        for e in &elements {
            let id = e["id"].as_str().unwrap_or("");
            let Some((parent, last)) = id.rsplit_once('.') else {
                continue;
            };
            let Some(parents) = checker.instances(resource, parent) else {
                continue;
            };
            let min = e["min"].as_u64().unwrap_or(0) as usize;
            let max = e["max"].as_str().unwrap_or("*");
            for p in &parents {
                let Some(children) = checker.step(p, parent, last) else {
                    continue;
                };
                if children.len() < min {
                    errors.push(format!("{id}: {} present, min {min}", children.len()));
                }
                if let Ok(m) = max.parse::<usize>() {
                    if children.len() > m {
                        errors.push(format!("{id}: {} present, max {m}", children.len()));
                    }
                }
                for (k, v) in e.as_object().into_iter().flatten() {
                    for c in &children {
                        if k.starts_with("fixed") && *c != v {
                            errors.push(format!("{id}: {c} is not fixed value {v}"));
                        }
                        if k.starts_with("pattern") && !matches_pattern(c, v) {
                            errors.push(format!("{id}: {c} does not match pattern {v}"));
                        }
                    }
                }
            }
        }
        errors
    }
}

struct Checker<'a> {
    by_id: &'a BTreeMap<&'a str, &'a Value>,
}

impl Checker<'_> {
    /// Instances of the element `id` in `resource`; `None` when a slice on the way
    /// cannot be decided here (slices by resolved profile).
    fn instances<'v>(&self, resource: &'v Value, id: &str) -> Option<Vec<&'v Value>> {
        let mut segments = id.split('.');
        segments.next()?; // the resource type
        let mut current = vec![resource];
        let mut prefix = id.split('.').next()?.to_string();
        for seg in segments {
            let mut next = Vec::new();
            for node in &current {
                next.extend(self.step(node, &prefix, seg)?);
            }
            prefix = format!("{prefix}.{seg}");
            current = next;
        }
        Some(current)
    }

    /// The children of `node` (an instance of element `parent_id`) for segment `seg`
    /// (`name` or `name:slice`).
    fn step<'v>(&self, node: &'v Value, parent_id: &str, seg: &str) -> Option<Vec<&'v Value>> {
        let (name, slice) = match seg.split_once(':') {
            Some((n, s)) => (n, Some(s)),
            None => (seg, None),
        };
        let obj = match node.as_object() {
            Some(o) => o,
            None => return Some(Vec::new()),
        };
        let mut children: Vec<(&'v str, &'v Value)> = Vec::new();
        if let Some(base) = name.strip_suffix("[x]") {
            for (k, v) in obj {
                let rest = k.strip_prefix(base).unwrap_or("");
                if rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                    push_flat(&mut children, k, v);
                }
            }
        } else if let Some((k, v)) = obj.get_key_value(name) {
            push_flat(&mut children, k, v);
        }
        let Some(slice) = slice else {
            return Some(children.into_iter().map(|(_, v)| v).collect());
        };
        if name.ends_with("[x]") {
            // Type slice: `value[x]:valueCodeableConcept`.
            return Some(
                children
                    .into_iter()
                    .filter(|(k, _)| *k == slice)
                    .map(|(_, v)| v)
                    .collect(),
            );
        }
        let base_id = format!("{parent_id}.{name}");
        let slice_id = format!("{parent_id}.{seg}");
        let slicing = &self.by_id.get(base_id.as_str())?["slicing"]["discriminator"];
        let disc = slicing.as_array()?.first()?;
        let path = disc["path"].as_str()?;
        match (disc["type"].as_str()?, path) {
            ("value" | "pattern", "url") => {
                let slice_el = self.by_id.get(slice_id.as_str())?;
                let url = slice_el["type"][0]["profile"][0].as_str()?;
                Some(
                    children
                        .into_iter()
                        .filter(|(_, v)| v["url"].as_str() == Some(url))
                        .map(|(_, v)| v)
                        .collect(),
                )
            }
            ("value" | "pattern", child) => {
                let child_el = self.by_id.get(format!("{slice_id}.{child}").as_str())?;
                let pattern = child_el
                    .as_object()?
                    .iter()
                    .find(|(k, _)| k.starts_with("pattern") || k.starts_with("fixed"))?
                    .1;
                Some(
                    children
                        .into_iter()
                        .filter(|(_, v)| matches_pattern_field(&v[child], pattern))
                        .map(|(_, v)| v)
                        .collect(),
                )
            }
            _ => None,
        }
    }
}

fn push_flat<'v>(out: &mut Vec<(&'v str, &'v Value)>, key: &'v str, v: &'v Value) {
    match v {
        Value::Array(items) => out.extend(items.iter().map(|i| (key, i))),
        other => out.push((key, other)),
    }
}

/// A field (possibly an array, like `coding`) matches a pattern for one element of it.
fn matches_pattern_field(field: &Value, pattern: &Value) -> bool {
    match field {
        Value::Array(items) => items.iter().any(|i| matches_pattern(i, pattern)),
        other => matches_pattern(other, pattern),
    }
}

/// FHIR pattern semantics: every value in the pattern is in the instance; arrays in
/// the pattern each match some element of the instance's array.
pub fn matches_pattern(instance: &Value, pattern: &Value) -> bool {
    match (instance, pattern) {
        (Value::Object(i), Value::Object(p)) => p
            .iter()
            .all(|(k, pv)| i.get(k).is_some_and(|iv| matches_pattern(iv, pv))),
        (Value::Array(i), Value::Array(p)) => p
            .iter()
            .all(|pv| i.iter().any(|iv| matches_pattern(iv, pv))),
        (a, b) => a == b,
    }
}

/// LOINC check digit: the Luhn mod-10 digit of the number part. Answer codes (`LA`)
/// carry the letters in the computation; for them the IG's own examples show a
/// constant offset by digit count, which [`la_offsets`] derives instead of assuming.
pub fn luhn(digits: &str) -> Option<u32> {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let mut d = c.to_digit(10)?;
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    Some((10 - sum % 10) % 10)
}
