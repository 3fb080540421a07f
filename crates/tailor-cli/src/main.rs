//! The `tailor` binary: a thin shell over the library crates.
//!
//! Exit codes: 0 success, 2 bad input or any other error (the message names the file,
//! line or record and what is wrong), 1 is never used for errors so pipelines can tell
//! "ran and found nothing" (0) from "failed" (2).

mod cli;
mod kb_cmd;
mod pgx_cmd;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Pgx(a) => pgx_cmd::run(a),
        cli::Command::Kb(a) => kb_cmd::run(a),
    };
    if let Err(err) = result {
        eprintln!("error: {err}");
        for cause in err.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(2);
    }
}
