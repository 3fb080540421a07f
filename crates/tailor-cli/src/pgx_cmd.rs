//! `tailor pgx`: the pharmacogenomics command.

use crate::cli::PgxArgs;
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Instant;
use tailor_core::input_file::cited;
use tailor_core::input_file::FileProblem;
use tailor_core::pgx::{PgxDocument, PGX_SCHEMA_VERSION};
use tailor_pgx::collect::CollectOptions;
use tailor_pgx::engine::{EngineOptions, PgxEngine};
use tailor_report::AtomicFile;

pub(crate) fn run(args: PgxArgs) -> Result<()> {
    let started = Instant::now();
    crate::sweep_out(&args.out);
    for input in args.inputs.iter().chain(&args.outside_calls) {
        if let Some(problem) = FileProblem::of(&std::fs::metadata(input)) {
            bail!("{}: {problem}", input.display());
        }
    }
    if args.out.exists() && !args.out.is_dir() {
        bail!(
            "{}: output path exists and is not a folder",
            args.out.display()
        );
    }
    let outside = match &args.outside_calls {
        Some(p) => tailor_pgx::outside_call::read_outside_calls(p)?,
        None => Vec::new(),
    };
    let kb = crate::kb_cmd::load(&args.knowledge)?;
    let engine = PgxEngine::new(kb.pgx()).context("compiling the allele definitions")?;
    let options = EngineOptions {
        collect: CollectOptions {
            samples: (!args.samples.is_empty()).then(|| args.samples.clone()),
            absent_is_reference: args.absent_is_reference,
            require_pass: args.require_pass,
            use_index: !args.no_index,
        },
        all_candidates: args.all_candidates,
        threads: args.threads,
        call_cyp2d6: args.research_call_cyp2d6,
    };

    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(args.inputs.len() as u64), ProgressDrawTarget::hidden())
    } else {
        let b = ProgressBar::new(args.inputs.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{spinner} reading {pos}/{len} files [{elapsed}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        // Keep the spinner and clock moving while one large file is streamed.
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    };
    let run = match &args.outside_calls {
        // Diplotypes alone: one person, named by --sample or by the file.
        Some(calls) if args.inputs.is_empty() => {
            if args.samples.len() > 1 {
                bail!("outside calls describe one person; give at most one --sample");
            }
            let sample = args.samples.first().cloned().unwrap_or_else(|| {
                calls.file_stem().map_or_else(
                    || "outside-calls".into(),
                    |s| s.to_string_lossy().into_owned(),
                )
            });
            engine.run_outside_calls(&sample, &outside)
        }
        _ => engine
            .run(&args.inputs, &outside, &options, |path| {
                bar.set_message(
                    path.file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                );
                bar.inc(1);
            })
            .map_err(with_flag_hint)?,
    };
    bar.finish_and_clear();
    let called = Instant::now();

    let doc = PgxDocument {
        schema_version: PGX_SCHEMA_VERSION.to_string(),
        tailor_version: env!("CARGO_PKG_VERSION").to_string(),
        knowledge: kb.provenance(),
        // File names only, as every output cites its inputs.
        inputs: if args.inputs.is_empty() {
            args.outside_calls.iter().map(|p| cited(p)).collect()
        } else {
            args.inputs.iter().map(|p| cited(p)).collect()
        },
        absent_positions: run.absent_positions,
        warnings: run.warnings,
        recommendations_not_assessed: run.recommendations_not_assessed,
        samples: run.samples,
    };
    if !args.quiet {
        for w in &doc.warnings {
            eprintln!("warning: {w}");
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the output folder", args.out.display()))?;
    // Both files are fully written before either appears under its final name.
    let mut json = AtomicFile::create(&args.out.join("pgx.json"))?;
    let mut tsv = AtomicFile::create(&args.out.join("pgx.tsv"))?;
    tailor_report::pgx::write_json(&doc, json.writer()).context("writing pgx.json")?;
    std::io::Write::write_all(tsv.writer(), &tailor_report::pgx::to_tsv(&doc))
        .context("writing pgx.tsv")?;
    json.commit()?;
    tsv.commit()?;
    if std::env::var_os("TAILOR_TIMINGS").is_some() {
        eprintln!(
            "timings: knowledge+reading+calling {:.3} s, writing {:.3} s",
            (called - started).as_secs_f64(),
            called.elapsed().as_secs_f64()
        );
    }

    if !args.quiet {
        eprint!("{}", tailor_report::pgx::terminal_summary(&doc, 3));
        // The outputs say which genes need an outside call; the command line says how.
        let needs_outside_call = doc.samples.iter().flat_map(|s| &s.genes).any(|g| {
            g.diplotypes.is_empty()
                && g.warnings
                    .iter()
                    .any(|w| w.contains("needs an outside call"))
        });
        if needs_outside_call {
            eprintln!(
                "\nnote: genes that need an outside call (CYP2D6, HLA, MT-RNR1) are given with \
                 --outside-calls (PharmCAT's outside-call TSV)"
            );
        }
        eprintln!(
            "\nwrote {} and {} ({} samples, {:.2} s)",
            args.out.join("pgx.json").display(),
            args.out.join("pgx.tsv").display(),
            doc.samples.len(),
            started.elapsed().as_secs_f64()
        );
    }
    // Nothing reads these again and the process is about to exit: skip freeing them
    // (a cohort's results take longer to free than to write).
    std::mem::forget(doc);
    std::mem::forget(engine);
    std::mem::forget(kb);
    Ok(())
}

/// The library says what is needed in the run's terms; on the command line that is a
/// flag, so the message gains it as a hint.
fn with_flag_hint(e: tailor_pgx::engine::EngineError) -> anyhow::Error {
    use tailor_pgx::collect::CollectError;
    use tailor_pgx::engine::EngineError;
    let hint = match &e {
        EngineError::OutsideCallsNeedOneSample(_) => Some("choose it with --sample NAME"),
        EngineError::Collect(CollectError::NoPgxPositions { .. }) => {
            Some("for a variant-only VCF from joint calling, --absent-is-reference reads absent positions as reference")
        }
        _ => None,
    };
    crate::with_hint(e, hint)
}
