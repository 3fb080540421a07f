//! The audit trail as FHIR R4 AuditEvent resources, after the IHE Basic Audit Log
//! Patterns (BALP): a hospital's audit repository or SIEM takes them as they are, and a
//! copy kept outside the database is the answer to someone who holds the key and could
//! rewrite the whole chain.
//!
//! Each event carries its sequence number and chain hash (as an entity detail), so an
//! exported copy can later be compared with the database row by row.

use serde_json::{json, Value};
use tailor_store::audit::StoredEvent;
use tailor_store::Outcome;

/// The BALP profile, REST interaction and action code of an audited action.
fn classify(action: &str) -> (&'static str, &'static str, &'static str) {
    match action {
        "login" | "logout" => ("", "", "E"),
        "case.create" => ("Create", "create", "C"),
        "case.list" => ("Query", "search-type", "E"),
        "case.interpret" => ("Create", "create", "C"),
        "user.create" | "token.create" => ("Create", "create", "C"),
        _ => ("Read", "read", "R"),
    }
}

/// One event as an AuditEvent resource.
pub fn audit_event(e: &StoredEvent) -> Value {
    let (profile, interaction, action) = classify(&e.event.action);
    let login = matches!(e.event.action.as_str(), "login" | "logout");
    let event_type = if login {
        json!({
            "system": "http://dicom.nema.org/resources/ontology/DCM",
            "code": "110114",
            "display": "User Authentication"
        })
    } else {
        json!({
            "system": "http://terminology.hl7.org/CodeSystem/audit-event-type",
            "code": "rest",
            "display": "Restful Operation"
        })
    };
    let subtype = if login {
        json!([{
            "system": "http://dicom.nema.org/resources/ontology/DCM",
            "code": if e.event.action == "login" { "110122" } else { "110123" },
            "display": if e.event.action == "login" { "Login" } else { "Logout" }
        }])
    } else {
        json!([{ "system": "http://hl7.org/fhir/restful-interaction", "code": interaction }])
    };
    let outcome = match e.event.outcome {
        Outcome::Success => "0",
        Outcome::Denied | Outcome::Failure => "4",
    };
    let mut entities = vec![json!({
        "what": { "display": e.event.resource },
        "type": {
            "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type",
            "code": "2",
            "display": "System Object"
        },
        "detail": [
            { "type": "tailor-audit-seq", "valueString": e.seq.to_string() },
            { "type": "tailor-audit-hash", "valueString": e.hash },
            { "type": "tailor-action", "valueString": e.event.action }
        ]
    })];
    if let Some(case) = &e.event.case_id {
        entities.push(json!({
            "what": { "identifier": { "system": "urn:tailor:case", "value": case } },
            "type": {
                "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                "code": "2",
                "display": "System Object"
            }
        }));
    }
    let mut resource = json!({
        "resourceType": "AuditEvent",
        "id": format!("tailor-audit-{}", e.seq),
        "type": event_type,
        "subtype": subtype,
        "action": action,
        "recorded": instant(e.at_ms),
        "outcome": outcome,
        "outcomeDesc": e.event.outcome.as_str(),
        "agent": [{
            "who": { "identifier": { "system": "urn:tailor:user", "value": e.event.actor } },
            "requestor": true,
            "network": { "address": e.event.client, "type": "2" }
        }],
        "source": {
            "observer": { "display": "Tailor" },
            "type": [{
                "system": "http://terminology.hl7.org/CodeSystem/security-source-type",
                "code": "4",
                "display": "Application Server"
            }]
        },
        "entity": entities
    });
    if !profile.is_empty() {
        resource["meta"] = json!({
            "profile": [format!("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.{profile}")]
        });
    }
    resource
}

/// Milliseconds since the epoch as a FHIR instant (UTC, millisecond precision).
fn instant(ms: i64) -> String {
    let base = tailor_interpret::rfc3339(ms.div_euclid(1000));
    // `rfc3339` ends in `Z` at whole seconds; put the milliseconds before it.
    match base.strip_suffix('Z') {
        Some(seconds) => format!("{seconds}.{:03}Z", ms.rem_euclid(1000)),
        None => base,
    }
}

/// Events as a FHIR Bundle of type `collection`.
pub fn audit_bundle(events: &[StoredEvent]) -> Value {
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": events.iter().map(|e| json!({
            "fullUrl": format!("urn:tailor:audit:{}", e.seq),
            "resource": audit_event(e)
        })).collect::<Vec<_>>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_have_milliseconds_and_utc() {
        assert_eq!(instant(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(instant(1_796_687_745_903), "2026-12-07T23:55:45.903Z");
    }
}
