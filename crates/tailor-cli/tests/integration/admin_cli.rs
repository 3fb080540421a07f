//! `tailor admin` and `tailor audit verify` on a real data directory.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn tailor(args: &[&str], dir: &Path, stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tailor"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("TAILOR_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_key_users_tokens_and_a_verified_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = ["--data-dir", "data", "--key-file", "tailor.key"];

    // No key, no data directory: the error says how to make one.
    let no_key = tailor(&["audit", "verify", "--data-dir", "data"], d, None);
    assert_eq!(no_key.status.code(), Some(2));
    assert!(
        text(&no_key.stderr).contains("tailor admin new-key"),
        "{}",
        text(&no_key.stderr)
    );

    let key = tailor(&["admin", "new-key", "--out", "tailor.key"], d, None);
    assert!(key.status.success(), "{}", text(&key.stderr));
    let again = tailor(&["admin", "new-key", "--out", "tailor.key"], d, None);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing key is never overwritten"
    );

    let add = |name: &str, role: &str, board: &str, password: &str| {
        let mut args = vec!["admin", "add-user"];
        args.extend(store);
        args.extend([
            "--username",
            name,
            "--role",
            role,
            "--board",
            board,
            "--password-stdin",
        ]);
        tailor(&args, d, Some(password))
    };
    let alice = add("alice", "oncologist", "thoracic", "correct horse battery\n");
    assert!(alice.status.success(), "{}", text(&alice.stderr));
    assert!(text(&alice.stderr).contains("created user alice (oncologist) on thoracic"));
    let short = add("bob", "viewer", "thoracic", "short\n");
    assert_eq!(short.status.code(), Some(2));
    assert!(text(&short.stderr).contains("at least 12 characters"));
    let role = add("bob", "surgeon", "thoracic", "long enough password\n");
    assert_eq!(role.status.code(), Some(2));
    assert!(text(&role.stderr).contains("unknown role `surgeon`"));

    let mut args = vec!["admin", "add-token"];
    args.extend(store);
    args.extend(["--username", "alice"]);
    let token = tailor(&args, d, None);
    assert!(token.status.success(), "{}", text(&token.stderr));
    let token = text(&token.stdout);
    assert!(
        token.trim().starts_with("tlr_") && token.trim().len() == 68,
        "{token}"
    );

    let mut args = vec!["audit", "verify"];
    args.extend(store);
    let verify = tailor(&args, d, None);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stderr));
    // user.create (alice), user.create refused (the short password), token.create; the
    // unknown role is refused before the data directory is opened.
    assert!(
        text(&verify.stdout).contains("intact: 3 events"),
        "{}",
        text(&verify.stdout)
    );

    // Another key cannot vouch for the chain.
    let other = tailor(
        &[
            "audit",
            "verify",
            "--data-dir",
            "data",
            "--dev-insecure-key",
        ],
        d,
        None,
    );
    assert_eq!(other.status.code(), Some(1));
    assert!(
        text(&other.stdout).contains("row 1:"),
        "{}",
        text(&other.stdout)
    );

    // An edit in the database is named, with exit code 1.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let key = tailor_store::MasterKey::from_file(&d.join("tailor.key")).unwrap();
        let config = tailor_store::StoreConfig {
            data_dir: d.join("data"),
            database_url: None,
        };
        let db = tailor_store::Store::open(&config, key).await.unwrap();
        sqlx::query("UPDATE audit_events SET actor = 'cli:mallory' WHERE seq = 2")
            .execute(db.pool())
            .await
            .unwrap();
        db.close().await;
    });
    let broken = tailor(&args, d, None);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        text(&broken.stdout).contains("row 2: its content does not match its hash"),
        "{}",
        text(&broken.stdout)
    );
    // Nothing of the password is in the data directory.
    for entry in std::fs::read_dir(d.join("data")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(12).any(|w| w == b"correct hors"));
    }
}

/// The audit trail exported as FHIR AuditEvents, checked by the independent validator
/// (fhir.resources R4 models) when it is installed (always in CI).
#[test]
fn the_audit_trail_exports_as_fhir_audit_events() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = ["--data-dir", "data", "--dev-insecure-key"];
    let mut args = vec!["admin", "add-user"];
    args.extend(store);
    args.extend(["--username", "alice", "--role", "admin", "--password-stdin"]);
    assert!(tailor(&args, d, Some("a long enough password\n"))
        .status
        .success());
    let mut args = vec!["admin", "add-token"];
    args.extend(store);
    args.extend(["--username", "alice"]);
    assert!(tailor(&args, d, None).status.success());
    let mut args = vec!["audit", "export"];
    args.extend(store);
    args.extend(["--out", "audit.json"]);
    let export = tailor(&args, d, None);
    assert!(export.status.success(), "{}", text(&export.stderr));
    assert!(text(&export.stderr).contains("wrote 2 audit event(s)"));
    let bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("audit.json")).unwrap()).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    let events = bundle["entry"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    let first = &events[0]["resource"];
    assert_eq!(first["resourceType"], "AuditEvent");
    assert_eq!(first["action"], "C");
    assert_eq!(first["outcome"], "0");
    assert_eq!(first["agent"][0]["network"]["address"], "cli");
    assert!(first["meta"]["profile"][0]
        .as_str()
        .unwrap()
        .ends_with("IHE.BasicAudit.Create"));
    // Incremental: after the first event only the second.
    let mut args = vec!["audit", "export"];
    args.extend(store);
    args.extend(["--out", "later.json", "--after", "1"]);
    assert!(tailor(&args, d, None).status.success());
    let later: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("later.json")).unwrap()).unwrap();
    assert_eq!(later["entry"].as_array().unwrap().len(), 1);

    let Some(python) = std::env::var_os("TAILOR_FHIR_VALIDATOR").filter(|p| !p.is_empty()) else {
        assert!(
            std::env::var_os("TAILOR_REQUIRE_EXTERNAL_TOOLS").is_none(),
            "TAILOR_FHIR_VALIDATOR must be set here"
        );
        return;
    };
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tailor-fhir/tests/validate_fhir.py");
    let out = Command::new(python)
        .arg(script)
        .arg(d.join("audit.json"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("2 resources"),
        "{}",
        text(&out.stdout)
    );
}
