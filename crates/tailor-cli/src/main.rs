//! The `tailor` binary: a thin shell over the library crates.
//!
//! Exit codes: 0 success, 2 bad input or any other error (the message names the file,
//! line or record and what is wrong), 1 is never used for errors so pipelines can tell
//! "ran and found nothing" (0) from "failed" (2).

mod cli;
mod kb_cmd;
mod pgx_cmd;
mod report_cmd;
mod somatic_cmd;

use clap::Parser;

/// Loading the knowledge base and a cohort's results are allocation-heavy; mimalloc cuts
/// that cost (and the page faults of returning memory) compared with the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Pgx(a) => pgx_cmd::run(a),
        cli::Command::Somatic(a) => somatic_cmd::run(*a),
        cli::Command::Report(a) => report_cmd::run(a),
        cli::Command::Kb(a) => kb_cmd::run(a),
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
