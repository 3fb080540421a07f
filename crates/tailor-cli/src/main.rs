//! The `tailor` binary: a thin shell over the library crates.
//!
//! Exit codes: 0 success, 2 bad input or any other error (the message names the file,
//! line or record and what is wrong), 1 is never used for errors so pipelines can tell
//! "ran and found nothing" (0) from "failed" (2).

mod admin_cmd;
mod cli;
mod kb_cmd;
mod pgx_cmd;
mod report_cmd;
mod serve_cmd;
mod somatic_cmd;

use clap::Parser;

/// Loading the knowledge base and a cohort's results are allocation-heavy; mimalloc cuts
/// that cost (and the page faults of returning memory) compared with the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args = cli::Cli::parse();
    // Ctrl-C, SIGTERM (a scheduler's time limit) or SIGHUP while outputs are written:
    // remove the temporary files, so nothing is left in the output folder, and exit with
    // the shell's code for a signal. SIGKILL cannot be caught; `sweep_out` cleans up
    // after it on the next run.
    let installed = ctrlc::set_handler(|| {
        tailor_report::remove_live_temp_files_and_exit(
            "error: interrupted; files not yet complete were removed",
            130,
        )
    });
    if let Err(e) = installed {
        eprintln!("warning: cannot install the interrupt handler ({e}); an interrupted run may leave temporary files");
    }
    let result = match args.command {
        cli::Command::Pgx(a) => pgx_cmd::run(a),
        cli::Command::Somatic(a) => somatic_cmd::run(*a),
        cli::Command::Report(a) => report_cmd::run(a),
        cli::Command::Kb(a) => kb_cmd::run(a),
        cli::Command::Admin(a) => admin_cmd::run_admin(a),
        cli::Command::Serve(a) => serve_cmd::run(*a),
        cli::Command::Audit(a) => match admin_cmd::run_audit(a) {
            // A broken chain is a finding, not a failure to run: exit 1.
            Ok(false) => std::process::exit(1),
            other => other.map(|_| ()),
        },
    };
    if result.is_ok() {
        // Outputs are written and committed; the knowledge base and results need no
        // tearing down (freeing a cohort's results or the KB costs milliseconds to
        // seconds), so leave straight away.
        std::process::exit(0);
    }
    if let Err(err) = result {
        eprintln!("error: {err}");
        for cause in err.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(2);
    }
}

/// Removes temporary files a killed earlier run left in the output folder. A failure to
/// look is only a warning: the run itself reports any real problem with the folder.
fn sweep_out(out: &std::path::Path) {
    if !out.is_dir() {
        return;
    }
    match tailor_report::sweep_stale(out) {
        Ok(0) => {}
        Ok(n) => eprintln!(
            "note: removed {n} temporary file(s) left in {} by an interrupted run",
            out.display()
        ),
        Err(e) => eprintln!(
            "warning: cannot look for leftover temporary files in {}: {e}",
            out.display()
        ),
    }
}

/// A library error with the command-line flag that fixes it, when there is one: the
/// libraries name what the case needs, and only the command line knows its flags.
fn with_hint<E>(e: E, hint: Option<&str>) -> anyhow::Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    match hint {
        Some(hint) => anyhow::anyhow!("{e}\nhint: {hint}"),
        None => e.into(),
    }
}
