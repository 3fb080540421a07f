//! `tailor report`: one case in, every report format out.

use crate::cli::ReportArgs;
use anyhow::{bail, Context, Result};
use std::time::Instant;
use tailor_case::CaseManifest;
use tailor_interpret::{interpret_manifest, Engines, InterpretOptions};
use tailor_report::AtomicFile;

pub(crate) fn run(args: ReportArgs) -> Result<()> {
    let started = Instant::now();
    crate::sweep_out(&args.out);
    let manifest = CaseManifest::from_path(&args.case)?;
    if args.out.exists() && !args.out.is_dir() {
        bail!(
            "{}: output path exists and is not a folder",
            args.out.display()
        );
    }
    let kb = crate::kb_cmd::load(&args.knowledge)?;
    let engines = Engines::new(std::sync::Arc::new(kb))?;
    let loaded = Instant::now();
    let interpretation = interpret_manifest(&manifest, &engines, &InterpretOptions::default())?;
    let interpreted = Instant::now();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the output folder", args.out.display()))?;
    // Every file is rendered and written under a temporary name first; they appear under
    // their final names only once all of them succeeded.
    let outputs = tailor_report::render_all(&interpretation)?;
    let mut files = Vec::new();
    for (name, bytes) in &outputs {
        let mut f = AtomicFile::create(&args.out.join(name))?;
        std::io::Write::write_all(f.writer(), bytes).with_context(|| format!("writing {name}"))?;
        files.push(f);
    }
    for f in files {
        f.commit()?;
    }
    if std::env::var_os("TAILOR_TIMINGS").is_some() {
        eprintln!(
            "timings: knowledge and engines {:.3} s, interpretation {:.3} s, rendering+writing {:.3} s",
            (loaded - started).as_secs_f64(),
            (interpreted - loaded).as_secs_f64(),
            interpreted.elapsed().as_secs_f64()
        );
    }
    if !args.quiet {
        eprintln!("{}", interpretation.conclusion);
        for (name, _) in &outputs {
            eprintln!("wrote {}", args.out.join(name).display());
        }
        eprintln!("({:.2} s)", started.elapsed().as_secs_f64());
    }
    std::mem::forget(interpretation);
    std::mem::forget(engines);
    Ok(())
}
