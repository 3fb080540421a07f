//! `tailor admin` and `tailor audit`: the data directory from the command line.

use anyhow::{bail, Context, Result};
use std::io::BufRead;
use tailor_store::{AuditEvent, MasterKey, Outcome, Role, Store, StoreConfig};

use crate::cli::{AdminAction, AdminArgs, AuditAction, AuditArgs, StoreArgs};

/// The key of a data directory: `--key-file`, else `TAILOR_KEY`, else the development
/// key when asked for; never a default.
pub(crate) fn master_key(args: &StoreArgs) -> Result<MasterKey> {
    if let Some(path) = &args.key_file {
        return Ok(MasterKey::from_file(path)?);
    }
    if let Some(text) = std::env::var_os("TAILOR_KEY") {
        return MasterKey::from_hex(&text.to_string_lossy()).context("TAILOR_KEY");
    }
    if args.dev_insecure_key {
        return Ok(MasterKey::dev_insecure());
    }
    bail!(
        "no key: give --key-file FILE (make one with `tailor admin new-key --out FILE`) or \
         set TAILOR_KEY; --dev-insecure-key is only for trying Tailor out without patient data"
    )
}

/// A runtime for the store's asynchronous calls.
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

async fn open(args: &StoreArgs) -> Result<Store> {
    let key = master_key(args)?;
    let config = StoreConfig {
        data_dir: args.data_dir.clone(),
        database_url: args.database.clone(),
    };
    Store::open(&config, key)
        .await
        .with_context(|| format!("opening the data directory {}", args.data_dir.display()))
}

/// Who did it, for the audit trail: the operating-system user running the command.
fn cli_actor() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

/// Records a command's change to a user in the audit trail, whether it succeeded or not.
async fn audit_cli(db: &Store, action: &str, username: &str, ok: bool) -> Result<()> {
    db.audit(&AuditEvent {
        actor: cli_actor(),
        action: action.into(),
        resource: format!("user:{username}"),
        case_id: None,
        client: "cli".into(),
        outcome: if ok {
            Outcome::Success
        } else {
            Outcome::Failure
        },
    })
    .await?;
    Ok(())
}

pub(crate) fn run_admin(args: AdminArgs) -> Result<()> {
    match args.action {
        AdminAction::NewKey { out } => {
            MasterKey::write_new(&out)?;
            eprintln!(
                "wrote a new key to {} (owner-only). Keep it outside the data directory and \
                 back it up: without it no encrypted record can be read.",
                out.display()
            );
            Ok(())
        }
        AdminAction::AddUser {
            store,
            username,
            role,
            boards,
            password_stdin: _,
        } => {
            let role = Role::parse(&role)?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            runtime()?.block_on(async {
                let db = open(&store).await?;
                let result = db.add_user(&username, role, password, &boards).await;
                audit_cli(&db, "user.create", &username, result.is_ok()).await?;
                let user = result?;
                eprintln!(
                    "created user {} ({}){}",
                    user.username,
                    user.role.as_str(),
                    if user.boards.is_empty() {
                        String::new()
                    } else {
                        format!(" on {}", user.boards.join(", "))
                    }
                );
                db.close().await;
                Ok(())
            })
        }
        AdminAction::AddToken {
            store,
            username,
            label,
        } => runtime()?.block_on(async {
            let db = open(&store).await?;
            let result = db.add_token(&username, &label).await;
            audit_cli(&db, "token.create", &username, result.is_ok()).await?;
            let token = result?;
            // The token on standard output alone, so that a script can capture it.
            println!("{token}");
            eprintln!("the token is shown this once; only its hash is stored");
            db.close().await;
            Ok(())
        }),
    }
}

/// `tailor audit verify`: `Ok(true)` for an intact chain, `Ok(false)` when a row is bad.
pub(crate) fn run_audit(args: AuditArgs) -> Result<bool> {
    match args.action {
        AuditAction::Verify { store } => runtime()?.block_on(async {
            let db = open(&store).await?;
            let report = db.verify_audit().await?;
            db.close().await;
            match report.first_bad {
                None => {
                    println!("audit trail intact: {} events", report.rows);
                    Ok(true)
                }
                Some(bad) => {
                    println!("audit trail broken: {bad}");
                    Ok(false)
                }
            }
        }),
        AuditAction::Export { store, out, after } => runtime()?.block_on(async {
            let db = open(&store).await?;
            let mut events = Vec::new();
            let mut from = after;
            loop {
                let batch = db.audit_events(from, 10_000).await?;
                let Some(last) = batch.last() else { break };
                from = last.seq;
                events.extend(batch);
            }
            let report = db.verify_audit().await?;
            db.close().await;
            let bundle = tailor_server::audit_fhir::audit_bundle(&events);
            let bytes = serde_json::to_vec_pretty(&bundle)?;
            tailor_report::write_atomic(&out, &bytes)?;
            eprintln!("wrote {} audit event(s) to {}", events.len(), out.display());
            if let Some(bad) = report.first_bad {
                eprintln!("warning: the audit chain does not verify: {bad}");
            }
            Ok(true)
        }),
    }
}
