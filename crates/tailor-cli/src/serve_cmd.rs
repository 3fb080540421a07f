//! `tailor serve`: the tumour board web app over a data directory.

use anyhow::{Context, Result};
use tailor_store::{Store, StoreConfig};

use crate::admin_cmd::master_key;
use crate::cli::ServeArgs;

/// `tailor serve`: the knowledge base and engines built once, the store opened (leftovers
/// of an interrupted upload removed, interrupted runs re-queued), the worker started,
/// then the API served until the process is stopped.
pub(crate) fn run(args: ServeArgs) -> Result<()> {
    let key = master_key(&args.store)?;
    let insecure_key = key.is_insecure();
    if insecure_key {
        eprintln!(
            "WARNING: --dev-insecure-key: the data directory is protected by a publicly known \
             key. Use it only to try Tailor out, never with patient data."
        );
    }
    if !args.bind.ip().is_loopback() {
        eprintln!(
            "note: listening on {} beyond this machine: put a TLS-terminating proxy in front",
            args.bind
        );
    }
    let kb = crate::kb_cmd::load(&args.knowledge)?;
    let engines = std::sync::Arc::new(tailor_interpret::Engines::new(std::sync::Arc::new(kb))?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let config = StoreConfig {
            data_dir: args.store.data_dir.clone(),
            database_url: args.store.database.clone(),
        };
        let store = Store::open(&config, key)
            .await
            .with_context(|| format!("opening the data directory {}", config.data_dir.display()))?;
        let swept = store.sweep_temporary_blobs()?;
        let (requeued, failed) = store.recover_jobs().await?;
        if swept + requeued as usize + failed as usize > 0 {
            eprintln!(
                "recovered after an interruption: {swept} partial upload(s) removed, \
                 {requeued} run(s) re-queued, {failed} run(s) failed after three attempts"
            );
        }
        let state = tailor_server::AppState {
            store,
            engines,
            config: tailor_server::ServerConfig {
                max_upload_bytes: args.max_upload_mb.saturating_mul(1 << 20),
                idle_minutes: args.idle_minutes,
                insecure_key,
            },
            jobs: Default::default(),
            documents: Default::default(),
            throttle: Default::default(),
        };
        tokio::spawn(tailor_server::worker::run(state.clone()));
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| format!("cannot listen on {}", args.bind))?;
        // The address actually bound (port 0 asks the system for a free one).
        let bound = listener.local_addr().context("reading the bound address")?;
        eprintln!("tailor serve: listening on http://{bound}");
        axum::serve(
            listener,
            tailor_server::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .context("serving")
    })
}
